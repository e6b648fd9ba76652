import { css } from 'lit';

export const deviceSelectStyles = css`
  :host {
    max-width: var(--ipo-device-select-width, 24rem);
  }
  [part~='base'] {
    padding: var(--_g);
    border: 1px solid var(--ipo-device-select-border, transparent);
    border-radius: var(--_r);
  }
  select {
    min-height: 2.75em;
  }
`;
