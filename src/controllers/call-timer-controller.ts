/**
 * CallTimerController: keeps every `[data-since]` element in its host's shadow root showing the
 * time since that epoch-ms value ("1:05"), once a second while there is one, without re-rendering
 * the host (STYLE §5: high-frequency output is written straight to the DOM).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** 65 s → "1:05"; 3725 s → "1:02:05". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = String(Math.floor(s / 60) % 60);
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${m.padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

type Host = ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment };

export class CallTimerController implements ReactiveController {
  readonly #host: Host;
  #tick?: ReturnType<typeof setInterval>;

  constructor(host: Host) {
    this.#host = host;
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
    for (const el of els) el.textContent = formatDuration(now - Number(el.dataset.since));
    return els.length;
  }
}
