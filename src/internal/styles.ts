/** Styles shared by every element: theme tokens, controls, focus, forced colours, reduced motion. */
import { css } from 'lit';

export const baseStyles = css`
  :host {
    display: block;
    --_a: var(--ipo-accent, #0a5fb4);
    --_on: var(--ipo-on-accent, #fff);
    --_bg: var(--ipo-surface, #fff);
    --_fg: var(--ipo-text, #1f2328);
    --_mu: var(--ipo-muted, #57606a);
    --_bd: var(--ipo-border, #8c959f);
    --_r: var(--ipo-radius, 6px);
    --_g: var(--ipo-gap, 0.5rem);
  }
  :host([hidden]),
  [hidden] {
    display: none !important;
  }
  [part~='base'] {
    font: var(--ipo-font, inherit);
    color: var(--_fg);
    background: var(--_bg);
    display: grid;
    gap: var(--_g);
  }
  button,
  input,
  select {
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_bd);
    border-radius: var(--_r);
    padding: 0.35em 0.7em;
    min-height: 2.25em;
    min-width: 0;
  }
  button {
    cursor: pointer;
  }
  button:disabled {
    cursor: default;
    opacity: 0.6;
  }
  .p,
  [aria-pressed='true'] {
    background: var(--_a);
    border-color: var(--_a);
    color: var(--_on);
  }
  .ok {
    background: var(--ipo-success, #1a7f37);
    border-color: transparent;
    color: #fff;
  }
  .no {
    background: var(--ipo-danger, #b42318);
    border-color: transparent;
    color: #fff;
  }
  :focus-visible {
    outline: 2px solid var(--_a);
    outline-offset: 2px;
  }
  label {
    display: grid;
    gap: 0.2em;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_g);
    align-items: end;
  }
  .row > label {
    flex: 1;
  }
  .mu {
    color: var(--_mu);
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (forced-colors: active) {
    button,
    input,
    select {
      border: 1px solid ButtonText;
    }
    [aria-pressed='true'] {
      forced-color-adjust: none;
      background: Highlight;
      color: HighlightText;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      animation: none !important;
      transition: none !important;
    }
  }
`;
