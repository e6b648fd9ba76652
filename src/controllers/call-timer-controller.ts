/**
 * CallTimerController: keeps every `[data-since]` element in its host's shadow root showing the
 * time since that epoch-ms value ("1:05", in the language's digits), once a second while there is
 * one, without re-rendering the host (STYLE §5: high-frequency output goes straight to the DOM).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { formatDuration } from '../i18n/format.js';

type Host = ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment };

export class CallTimerController implements ReactiveController {
  readonly #host: Host;
  readonly #lang: () => string;
  #tick?: ReturnType<typeof setInterval>;

  /** `lang`: the language whose digits to use. */
  constructor(host: Host, lang: () => string = () => 'en') {
    this.#host = host;
    this.#lang = lang;
    host.addController(this);
  }

  hostUpdated(): void {
    const running = this.paint() > 0;
    if (running && !this.#tick) this.#tick = setInterval(() => this.paint(), 1000);
    if (!running) this.hostDisconnected();
  }

  hostDisconnected(): void {
    clearInterval(this.#tick);
    this.#tick = undefined;
  }

  /** Paints the timers now; returns how many there are. */
  paint(now = Date.now()): number {
    const els = this.#host.renderRoot.querySelectorAll<HTMLElement>('[data-since]');
    const lang = this.#lang();
    for (const el of els)
      el.textContent = formatDuration(lang, (now - Number(el.dataset.since)) / 1000);
    return els.length;
  }
}
