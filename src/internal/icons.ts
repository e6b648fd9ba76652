/**
 * The kit's icons: one set drawn for it (24 × 24, 2 px round strokes, `currentColor`), inlined as
 * SVG so there is no icon font, no request and nothing for a strict CSP to block. Decorative:
 * every control that shows one also has a word.
 */
import { html, svg, type TemplateResult } from 'lit';

const HANDSET = svg`<path d="M6.6 3.5h2.9l1.6 4.3-2 1.3a11 11 0 0 0 5.8 5.8l1.3-2 4.3 1.6v2.9a2 2 0 0 1-2.2 2A16.5 16.5 0 0 1 4.6 5.7a2 2 0 0 1 2-2.2z"/>`;

export const ICONS = {
  phone: HANDSET,
  hangup: svg`<g transform="rotate(135 12 12)">${HANDSET}</g>`,
  mic: svg`<rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M8.5 21h7"/>`,
  micOff: svg`<path d="M15 10V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 4.6 2.5M18.5 11a6.5 6.5 0 0 1-1 3.4M5.5 11a6.5 6.5 0 0 0 10 5.5M12 17.5V21M8.5 21h7M3 3l18 18"/>`,
  pause: svg`<path d="M9 5v14M15 5v14"/>`,
  play: svg`<path d="M8 5.5v13l10-6.5z"/>`,
  keypad: svg`<g fill="currentColor" stroke="none"><circle cx="6" cy="5" r="1.6"/><circle cx="12" cy="5" r="1.6"/><circle cx="18" cy="5" r="1.6"/><circle cx="6" cy="11" r="1.6"/><circle cx="12" cy="11" r="1.6"/><circle cx="18" cy="11" r="1.6"/><circle cx="6" cy="17" r="1.6"/><circle cx="12" cy="17" r="1.6"/><circle cx="18" cy="17" r="1.6"/><circle cx="12" cy="22" r="1.4"/></g>`,
  transfer: svg`<path d="M4 8h13M13 4l4 4-4 4M20 16H7M11 12l-4 4 4 4"/>`,
  video: svg`<rect x="2.5" y="6" width="13" height="12" rx="2.5"/><path d="M15.5 10.5 21 7.5v9l-5.5-3"/>`,
  close: svg`<path d="M6 6l12 12M18 6 6 18"/>`,
  backspace: svg`<path d="M8.5 5H20a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H8.5L3 12z"/><path d="m12 9 6 6M18 9l-6 6"/>`,
  logout: svg`<path d="M10 4H6a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h4M15 8l4 4-4 4M19 12H9"/>`,
  alert: svg`<circle cx="12" cy="12" r="9"/><path d="M12 7.5v5.5M12 16.5v.01"/>`,
} as const;

export type IconName = keyof typeof ICONS;

/** An inline icon, hidden from assistive technology. */
export const icon = (name: IconName): TemplateResult =>
  html`<svg class="i" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${ICONS[name]}</svg>`;
