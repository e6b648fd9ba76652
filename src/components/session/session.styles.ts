import { css } from 'lit';

export const sessionStyles = css`
  :host {
    display: contents;
  }
  /* [hidden] wins over the box's own display (an empty error box drew a stripe on every page) */
  [hidden] {
    display: none !important;
  }
  [part~='error'] {
    display: block;
    margin: 0;
    padding: 0.5em 0.75em;
    border-inline-start: 4px solid var(--ipo-danger, #b42318);
    color: var(--ipo-danger, #b42318);
    background: var(--ipo-surface, #fff);
    font: var(--ipo-font, inherit);
  }
  @media (forced-colors: active) {
    [part~='error'] {
      border-color: CanvasText;
    }
  }
`;
