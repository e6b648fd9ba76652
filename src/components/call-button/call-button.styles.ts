import { css } from 'lit';

export const callButtonStyles = css`
  :host {
    display: inline-block;
    max-width: 100%;
  }
  [part~='base'] {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_g);
  }
  [part~='bar'] {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_g);
    padding: 0.35rem var(--_g);
    border: 1px solid var(--_bd);
    border-radius: var(--_r);
  }
  [part~='timer'] {
    font-variant-numeric: tabular-nums;
  }
  [part~='keypad'] {
    display: grid;
    grid-template-columns: repeat(3, 2.75rem);
    gap: 0.25rem;
    flex-basis: 100%;
  }
  [part~='ended'],
  [part~='error'] {
    margin: 0;
  }
  [part~='error'] {
    color: var(--ipo-danger, #b42318);
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
