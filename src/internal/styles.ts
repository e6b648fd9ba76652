/**
 * Styles shared by every element: the design tokens and themes, controls, focus, forced colours,
 * reduced motion. docs/theming.md lists the tokens; keep it true when you change one here.
 *
 * Themes work through CSS alone: `theme="light|dark|auto"` sets `color-scheme` on the host, which
 * every element inside inherits (also through slots and `<ipo-session>`'s `display: contents`),
 * and each default below is a `light-dark()` pair. A page's own `--ipo-*` value wins over the
 * default in every theme (it may itself be a `light-dark()` pair); forced colours use system
 * colours whatever the page set.
 */
import { css } from 'lit';

/**
 * The theme attribute and the tokens, resolved once per element into private `--_ipo-*`
 * properties that the component styles use (`--_a`, `--_bg` … are the short names of a few).
 */
export const themeStyles = css`
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  :host([theme='auto']) {
    color-scheme: light dark;
  }
  :host {
    --_ipo-font: var(--ipo-font, inherit);
    --_ipo-radius: var(--ipo-radius, 6px);
    --_ipo-space: var(--ipo-space, var(--ipo-gap, 0.5rem));
    --_ipo-surface: var(--ipo-surface, light-dark(#fff, #161b22));
    --_ipo-surface-muted: var(--ipo-surface-muted, light-dark(#f3f5f8, #21262d));
    --_ipo-on-surface: var(--ipo-on-surface, var(--ipo-text, light-dark(#1f2328, #e6edf3)));
    --_ipo-on-surface-muted: var(
      --ipo-on-surface-muted,
      var(--ipo-muted, light-dark(#59636e, #9ea7b3))
    );
    --_ipo-border: var(--ipo-border, light-dark(#818b98, #6e7681));
    --_ipo-focus: var(--ipo-focus, var(--ipo-accent, light-dark(#0a5fb4, #4493f8)));
    --_ipo-accent: var(--ipo-accent, light-dark(#0a5fb4, #4493f8));
    --_ipo-on-accent: var(--ipo-on-accent, light-dark(#fff, #0d1117));
    --_ipo-danger: var(--ipo-danger, light-dark(#b42318, #ff7b72));
    --_ipo-on-danger: var(--ipo-on-danger, light-dark(#fff, #0d1117));
    --_ipo-success: var(--ipo-success, light-dark(#1a7f37, #3fb950));
    --_ipo-on-success: var(--ipo-on-success, light-dark(#fff, #0d1117));
    --_ipo-warning: var(--ipo-warning, light-dark(#8a5c00, #d29922));
    --_ipo-on-warning: var(--ipo-on-warning, light-dark(#fff, #0d1117));
    --_ipo-held: var(--ipo-held, light-dark(#6f42c1, #bc8cff));
    --_ipo-on-held: var(--ipo-on-held, light-dark(#fff, #0d1117));
    /* short names used by the component styles */
    --_a: var(--_ipo-accent);
    --_on: var(--_ipo-on-accent);
    --_bg: var(--_ipo-surface);
    --_fg: var(--_ipo-on-surface);
    --_mu: var(--_ipo-on-surface-muted);
    --_bd: var(--_ipo-border);
    --_r: var(--_ipo-radius);
    --_g: var(--_ipo-space);
  }
  @media (forced-colors: active) {
    :host {
      --_ipo-surface: Canvas;
      --_ipo-surface-muted: Canvas;
      --_ipo-on-surface: CanvasText;
      --_ipo-on-surface-muted: CanvasText;
      --_ipo-border: ButtonBorder;
      --_ipo-focus: Highlight;
      --_ipo-accent: Highlight;
      --_ipo-on-accent: HighlightText;
      --_ipo-danger: Mark;
      --_ipo-on-danger: MarkText;
      --_ipo-success: Highlight;
      --_ipo-on-success: HighlightText;
      --_ipo-warning: Mark;
      --_ipo-on-warning: MarkText;
      --_ipo-held: Highlight;
      --_ipo-on-held: HighlightText;
    }
  }
  :host([hidden]),
  [hidden] {
    display: none !important;
  }
`;

export const baseStyles = css`
  ${themeStyles}
  :host {
    display: block;
  }
  [part~='base'] {
    font: var(--_ipo-font);
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
  input::placeholder {
    color: var(--_mu);
  }
  button {
    cursor: pointer;
  }
  button:not(:disabled):hover {
    box-shadow: inset 0 0 0 100vmax color-mix(in srgb, currentColor 10%, transparent);
  }
  button:not(:disabled):active {
    box-shadow: inset 0 0 0 100vmax color-mix(in srgb, currentColor 20%, transparent);
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
    background: var(--_ipo-success);
    border-color: transparent;
    color: var(--_ipo-on-success);
  }
  .no {
    background: var(--_ipo-danger);
    border-color: transparent;
    color: var(--_ipo-on-danger);
  }
  :focus-visible {
    outline: 2px solid var(--_ipo-focus);
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
  /* a phone keypad keeps 1 2 3 left to right in right-to-left pages too (DESIGN.md §2.5) */
  [part~='dialpad'] {
    direction: ltr;
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
    .p,
    .ok,
    .no,
    [aria-pressed='true'] {
      forced-color-adjust: none;
      background: Highlight;
      border-color: Highlight;
      color: HighlightText;
    }
    button:disabled {
      opacity: 1;
      background: Canvas;
      color: GrayText;
      border-color: GrayText;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      animation: none !important;
      transition: none !important;
    }
  }
`;
