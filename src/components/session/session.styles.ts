import { css } from 'lit';
import { themeStyles } from '../../internal/styles.js';

export const sessionStyles = [
  themeStyles,
  css`
    :host {
      display: contents;
    }
    [part~='error'] {
      display: block;
      margin: 0;
      padding: 0.5em 0.75em;
      border-inline-start: 4px solid var(--_ipo-danger);
      border-radius: var(--_ipo-radius);
      color: var(--_ipo-danger);
      background: var(--_ipo-surface);
      font: var(--_ipo-font);
    }
  `,
];
