/**
 * RingController: plays the kit's ringing tone while `ring(true)` holds, routed to the chosen
 * speaker. When the browser blocks sound until a user gesture, `blocked` turns true (the host
 * re-renders to offer "click to enable sound") and `unlock()` from a click lets it ring.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ring, route, unlock } from '../internal/tone.js';

export class RingController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #output: () => string;
  #want = false;
  #stop?: () => void;
  #unlocking = false;
  #blocked = false;

  /** `output`: the speaker's device id ('' = default). */
  constructor(host: ReactiveControllerHost & HTMLElement, output: () => string = () => '') {
    this.#host = host;
    this.#output = output;
    host.addController(this);
  }

  /** Sound is blocked until a user gesture while a call rings in. */
  get blocked(): boolean {
    return this.#blocked;
  }

  /** Starts or stops ringing (idempotent). */
  ring(on: boolean): void {
    this.#want = on;
    if (!on) {
      this.#stop?.();
      this.#stop = undefined;
      this.#setBlocked(false);
      return;
    }
    if (this.#stop || this.#unlocking || this.#blocked) return;
    this.#unlocking = true;
    void (async () => {
      const ok = await unlock().catch(() => false);
      if (ok) await route(this.#output());
      this.#unlocking = false;
      if (!this.#want || this.#stop || !this.#host.isConnected) return;
      if (ok) this.#stop = ring();
      else this.#setBlocked(true);
    })();
  }

  /** From a user gesture: allows sound, and rings if a call is still ringing in. */
  async unlock(): Promise<void> {
    const ok = await unlock().catch(() => false);
    this.#setBlocked(!ok);
    if (ok && this.#want) this.ring(true);
  }

  hostDisconnected(): void {
    this.ring(false);
  }

  #setBlocked(on: boolean): void {
    if (this.#blocked === on) return;
    this.#blocked = on;
    this.#host.requestUpdate();
  }
}
