import { css } from 'lit';

export const phoneStyles = css`
  :host {
    max-width: var(--ipo-phone-width, 24rem);
    --_ok: var(--_ipo-success);
    --_no: var(--_ipo-danger);
    --_warn: var(--_ipo-warning);
    --_held: var(--_ipo-held);
    --_s2: var(--_ipo-surface-muted);
    --_s3: color-mix(in srgb, var(--_fg) 12%, var(--_bg));
    --_line: color-mix(in srgb, var(--_fg) 16%, var(--_bg));
    --_p: calc(var(--_g) * 1.5);
  }
  [part~='base'] {
    box-sizing: border-box;
    position: relative;
    gap: 0;
    align-content: start;
    max-height: var(--ipo-phone-max-height, 40rem);
    overflow: auto;
    overscroll-behavior: contain;
    border: 1px solid var(--_line);
    border-radius: calc(var(--_r) * 2);
    box-shadow: 0 1px 3px color-mix(in srgb, #000 12%, transparent);
  }
  [part~='base'] > :not([part~='status'], .sr) {
    margin: var(--_p) var(--_p) 0;
  }
  [part~='base'] > :last-child {
    margin-bottom: var(--_p);
  }
  form,
  ul {
    display: grid;
    gap: var(--_g);
    padding: 0;
    list-style: none;
  }
  p {
    margin: 0;
  }
  .i {
    width: 1.25rem;
    height: 1.25rem;
    flex: none;
  }
  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    min-height: 44px;
    min-width: 44px;
    font-weight: 500;
    transition:
      background-color 0.1s,
      transform 0.1s;
  }
  button:not(:disabled, [aria-disabled='true']):active {
    transform: scale(0.97);
  }
  button[aria-disabled='true'] {
    box-shadow: none !important;
  }
  button[aria-disabled='true'],
  button:disabled {
    opacity: 0.45;
    cursor: not-allowed;
  }
  input {
    min-height: 44px;
  }
  .ghost {
    border-color: transparent;
    background: transparent;
  }
  .dot {
    width: 0.6rem;
    height: 0.6rem;
    border-radius: 50%;
    flex: none;
    background: var(--_mu);
  }

  /* header: reachability, who I am, log out */
  [part~='status'] {
    position: sticky;
    top: 0;
    z-index: 1;
    display: flex;
    align-items: center;
    gap: var(--_g);
    padding-block: 0.25rem;
    padding-inline: var(--_p) 0.25rem;
    background: var(--_bg);
    border-bottom: 1px solid var(--_line);
    min-height: 44px;
  }
  [part~='status'] .reg {
    font-weight: 600;
  }
  [part~='status'] .ghost {
    font-weight: 400;
    margin-inline-start: auto;
  }
  .logged-in .dot,
  .failed-over .dot {
    background: var(--_ok);
  }
  .reconnecting,
  .failing-over,
  .failing-back,
  .logging-in {
    background: color-mix(in srgb, var(--_warn) 16%, var(--_bg));
  }
  .reconnecting .dot,
  .failing-over .dot,
  .failing-back .dot,
  .logging-in .dot {
    background: var(--_warn);
    animation: ipo-blink 1s ease-in-out infinite alternate;
  }
  .error .dot {
    background: var(--_no);
  }
  @keyframes ipo-blink {
    to {
      opacity: 0.3;
    }
  }

  /* notes: error, hint, confirm, consult */
  .note {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_g);
    padding: var(--_g) var(--_p);
    border-radius: var(--_r);
    background: var(--_s2);
  }
  .note > span {
    flex: 1 1 12rem;
  }
  .bad {
    color: var(--_no);
    background: color-mix(in srgb, var(--_no) 10%, var(--_bg));
  }
  .bad .ghost {
    color: inherit;
    margin-block: -0.5rem;
    margin-inline-end: -0.5rem;
  }
  .warn {
    background: color-mix(in srgb, var(--_warn) 14%, var(--_bg));
  }
  .pair {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_g);
  }
  .pair > * {
    flex: 1 1 8rem;
  }
  [part~='sound'] {
    width: calc(100% - 2 * var(--_p));
  }

  /* incoming banner */
  .in {
    display: grid;
    gap: var(--_p);
    padding: var(--_p);
    border-radius: calc(var(--_r) * 1.5);
    background: color-mix(in srgb, var(--_a) 12%, var(--_bg));
    border: 1px solid color-mix(in srgb, var(--_a) 45%, var(--_bg));
    animation: ipo-ring 1.2s ease-in-out infinite alternate;
  }
  @keyframes ipo-ring {
    to {
      box-shadow: 0 0 0 4px color-mix(in srgb, var(--_a) 30%, transparent);
    }
  }
  .banner {
    display: flex;
    gap: var(--_p);
    align-items: center;
  }
  .av {
    display: grid;
    place-items: center;
    width: 44px;
    height: 44px;
    border-radius: 50%;
    flex: none;
    color: var(--_on);
    background: var(--_a);
  }
  .kind {
    font-size: 0.85em;
    font-weight: 600;
    color: var(--_fg);
  }
  .who {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0 0.5em;
    min-width: 0;
  }
  .who strong {
    overflow-wrap: anywhere;
  }
  .big {
    flex-basis: 100%;
    font-size: 1.35em;
    line-height: 1.25;
  }

  /* the active call */
  .card {
    display: grid;
    gap: 0.35rem;
    justify-items: center;
    text-align: center;
    padding: var(--_p);
    border-radius: calc(var(--_r) * 1.5);
    background: var(--_s2);
  }
  .card .who {
    justify-content: center;
  }
  .line {
    display: flex;
    align-items: center;
    gap: 0.4em;
    font-size: 0.9em;
    color: var(--_mu);
  }
  .card .dot,
  .row2 .dot {
    background: var(--_ok);
  }
  .dialing .dot,
  .ringing .dot,
  .progressing .dot {
    background: var(--_a);
    animation: ipo-blink 0.8s ease-in-out infinite alternate;
  }
  .held .dot {
    background: var(--_held);
  }
  .held [part~='state'] {
    color: var(--_held);
    font-weight: 600;
  }
  .held [part~='timer'] {
    color: var(--_mu);
  }
  .frozen > :not(.line, .who) {
    opacity: 0.55;
  }
  [part~='timer'] {
    font-size: 2em;
    font-weight: 300;
    font-variant-numeric: tabular-nums;
    letter-spacing: 0.02em;
    line-height: 1.2;
    min-height: 1.2em;
  }
  .chip {
    font-size: 0.85em;
    padding: 0.1em 0.6em;
    border-radius: 1em;
    background: color-mix(in srgb, var(--_a) 14%, var(--_bg));
  }
  .grid {
    justify-self: stretch;
    display: grid;
    grid-template-columns: repeat(3, 1fr);
    gap: var(--_g);
    margin-top: 0.35rem;
  }
  .act {
    flex-direction: column;
    gap: 0.2rem;
    min-height: 3.9rem;
    padding: 0.35rem 0.2rem;
    font-size: 0.82em;
    border-color: transparent;
    background: var(--_bg);
  }
  .act .i {
    width: 1.5rem;
    height: 1.5rem;
  }
  .mute[aria-pressed='true'] {
    background: var(--_fg);
    border-color: var(--_fg);
    color: var(--_bg);
  }
  .hold[aria-pressed='true'] {
    background: var(--_held);
    border-color: var(--_held);
    color: var(--_ipo-on-held);
  }
  .act[aria-expanded='true'] {
    border-color: var(--_a);
    color: var(--_a);
  }
  .end {
    justify-self: stretch;
    margin-top: 0.35rem;
    min-height: 48px;
  }
  .card form,
  .card .pair,
  .card [part~='dialpad'],
  .note.card {
    justify-self: stretch;
    text-align: start;
  }
  [part~='consult'] {
    justify-self: stretch;
    text-align: start;
    background: color-mix(in srgb, var(--_warn) 14%, var(--_bg));
    margin-bottom: 0.25rem;
  }
  .digits {
    min-height: 1.4em;
    font-size: 1.2em;
    letter-spacing: 0.15em;
  }

  /* other calls */
  .row2 {
    display: flex;
    align-items: center;
    gap: var(--_g);
    padding-block: 0.25rem;
    padding-inline: var(--_p) 0.25rem;
    border-radius: var(--_r);
    border: 1px solid var(--_line);
  }
  .row2 .who {
    flex: 1;
    flex-direction: column;
    gap: 0;
  }
  .row2 .row {
    flex-wrap: nowrap;
    gap: 0.25rem;
  }
  .row2 [part~='timer'] {
    font-size: inherit;
    font-weight: inherit;
  }
  .row2 button:not(.no) {
    border-color: transparent;
    background: var(--_s3);
  }

  /* dialer */
  .field {
    position: relative;
    display: flex;
  }
  .field label {
    flex: 1;
  }
  [name='number'] {
    width: 100%;
    box-sizing: border-box;
    font-size: 1.5em;
    text-align: center;
    padding-inline: 2.75rem;
    border-color: var(--_line);
  }
  .field button {
    position: absolute;
    inset-inline-end: 0;
    top: 50%;
    translate: 0 -50%;
  }
  [part~='dialpad'] {
    display: grid;
    grid-template-columns: repeat(3, 1fr);
    gap: var(--_g);
  }
  [part~='dialpad__key'] {
    flex-direction: column;
    gap: 0;
    min-height: 3.25rem;
    font-size: 1.4em;
    line-height: 1.1;
    border-color: transparent;
    background: var(--_s2);
  }
  [part~='dialpad__key']::after {
    /* the letters are seen, not read: the key's name stays its digit */
    content: attr(data-l) / '';
    font-size: 0.45em;
    letter-spacing: 0.12em;
    color: var(--_mu);
    min-height: 1.2em;
  }
  .ok,
  .no {
    font-weight: 600;
  }
  [part~='login'] .p,
  [part~='dial'] .ok {
    min-height: 48px;
  }
  [part~='ended'] {
    text-align: center;
    font-size: 0.9em;
  }
  [part~='progress'] {
    width: 3.5em;
    height: 0.4em;
  }
  [part~='login'] [part~='progress'] {
    width: 100%;
  }

  /* quality */
  [part~='quality'] {
    display: inline-flex;
    align-items: end;
    gap: 1px;
    height: 0.9em;
  }
  [part~='quality'] i {
    width: 0.25em;
    height: 40%;
    background: var(--ipo-quality-off, var(--_line));
  }
  [part~='quality'] i + i {
    height: 70%;
  }
  [part~='quality'] i + i + i {
    height: 100%;
  }
  .good i,
  .fair i:not(:last-child),
  .poor i:first-child {
    background: var(--ipo-quality-on, currentColor);
  }
  .poor {
    color: var(--_no);
  }
  @media (forced-colors: active) {
    .dot,
    [part~='quality'] i {
      forced-color-adjust: none;
      background: CanvasText;
    }
  }
`;
