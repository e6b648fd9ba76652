/**
 * SessionStateController (STYLE §5): gives a host one slice of the session snapshot and
 * re-renders it only when that slice changes (`Object.is`).
 *
 *   #call = new SessionStateController(this, (snap) => snap.call);
 *   render() { return html`${this.#call.value?.state}`; }
 *
 * The session comes from the host's own `.session` property when set, else from the nearest
 * provider through @lit/context.
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SessionSnapshot } from '../core/snapshot.js';
import { sessionContext, type SessionHandle } from '../context/session-context.js';

/** A host element; an explicit `.session` on it wins over context. */
export type SessionHost = ReactiveControllerHost & HTMLElement & { session?: SessionHandle | null };

export class SessionStateController<T> implements ReactiveController {
  readonly #host: SessionHost;
  readonly #select: (snapshot: SessionSnapshot) => T;
  #fromContext: SessionHandle | undefined;
  /** The session whose `change` events we listen to. */
  #bound: SessionHandle | undefined;
  #connected = false;
  #value: T | undefined;

  constructor(host: SessionHost, select: (snapshot: SessionSnapshot) => T) {
    this.#host = host;
    this.#select = select;
    host.addController(this);
    // Registered after this controller, so an explicit session is bound before context answers.
    new ContextConsumer(host, {
      context: sessionContext,
      subscribe: true,
      callback: (session) => {
        this.#fromContext = session ?? undefined;
        this.#rebind(true);
      },
    });
  }

  /** The selected slice, or undefined while no session is known. */
  get value(): T | undefined {
    return this.#value;
  }

  /** The session in use: the host's `.session` if set, else the provided one. */
  get session(): SessionHandle | undefined {
    return this.#host.session ?? this.#fromContext;
  }

  hostConnected(): void {
    this.#connected = true;
    this.#rebind(true);
  }

  /** Picks up a changed `.session` before the host renders (no extra update needed). */
  hostUpdate(): void {
    this.#rebind(false);
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#unbind();
  }

  readonly #onChange = (): void => {
    this.#refresh(true);
  };

  /** Listens to the current session if it differs from the bound one. */
  #rebind(requestUpdate: boolean): void {
    const session = this.#connected ? this.session : undefined;
    if (session === this.#bound) return;
    this.#unbind();
    this.#bound = session;
    session?.addEventListener('change', this.#onChange);
    this.#refresh(requestUpdate);
  }

  #unbind(): void {
    this.#bound?.removeEventListener('change', this.#onChange);
    this.#bound = undefined;
  }

  #refresh(requestUpdate: boolean): void {
    const next = this.#bound ? this.#select(this.#bound.snapshot) : undefined;
    if (Object.is(next, this.#value)) return;
    this.#value = next;
    if (requestUpdate) this.#host.requestUpdate();
  }
}
