import { css } from 'lit';

export const deviceSelectStyles = css`
  :host {
    max-width: var(--ipo-device-select-width, 24rem);
  }
  [part~='base'] {
    background: none;
  }
`;
