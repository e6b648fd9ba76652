/**
 * CallEventsController: turns session snapshots into the public `ipo-*` call events
 * (`ipo-registration-change`, `ipo-call-state-change`, `ipo-incoming-call`, `ipo-call-ended`),
 * dispatched from its host after each update, through the pure `diffSession()`.
 *
 *   #calls = new CallEventsController(this);            // <ipo-phone>: its changes + its events
 *   #calls = new CallEventsController(this, { fallback: true }); // <ipo-session>
 *
 * A fallback controller (hosted by `<ipo-session>`) dispatches only while no primary controller
 * (an `<ipo-phone>`) is bound to the same session, so a page without a phone still gets the events
 * and a page with one gets each event once.
 */
import type { ReactiveController } from 'lit';
import type { SessionHandle } from '../context/session-context.js';
import { pick } from '../internal/pick.js';
import {
  DIFF_KEYS,
  changeEvents,
  diffSession,
  type DiffView,
  type SessionChange,
} from './session-diff.js';
import { SessionStateController, type SessionHost } from './session-state-controller.js';

/** Primary controllers by the session they are bound to. */
const primaries = new WeakMap<SessionHandle, Set<CallEventsController>>();

export class CallEventsController implements ReactiveController {
  readonly #host: SessionHost;
  readonly #state: SessionStateController<DiffView>;
  readonly #fallback: boolean;
  #prev: DiffView | undefined;
  #queue: Event[] = [];
  #claimed: SessionHandle | undefined;

  /**
   * `fallback`: dispatch only while no primary controller is bound to the session.
   * `state`: a controller the host already has whose value holds the diffed fields (saves a
   * second `change` listener).
   */
  constructor(
    host: SessionHost,
    options: { fallback?: boolean; state?: SessionStateController<DiffView> } = {},
  ) {
    this.#host = host;
    this.#fallback = options.fallback === true;
    // first, so the session is rebound before this controller's hostUpdate diffs it
    this.#state = options.state ?? new SessionStateController(host, pick(...DIFF_KEYS));
    host.addController(this);
  }

  /** The session in use. */
  get session(): SessionHandle | undefined {
    return this.#state.session;
  }

  /**
   * The changes since the last call (empty when nothing changed); their events are dispatched
   * after the host's next update. Call it from `willUpdate()` to announce them.
   */
  take(): SessionChange[] {
    this.#claim(this.#state.session);
    const next = this.#state.value;
    if (!next) {
      this.#prev = undefined;
      return [];
    }
    const changes = diffSession(this.#prev, next);
    this.#prev = next;
    this.#queue.push(...changeEvents(changes));
    return changes;
  }

  hostUpdate(): void {
    this.take();
  }

  hostUpdated(): void {
    const queue = this.#queue;
    this.#queue = [];
    const session = this.#state.session;
    if (this.#fallback && session && primaries.get(session)?.size) return;
    for (const e of queue) this.#host.dispatchEvent(e);
  }

  hostDisconnected(): void {
    this.#claim(undefined);
    this.#prev = undefined;
  }

  #claim(session: SessionHandle | undefined): void {
    if (this.#fallback || session === this.#claimed) return;
    if (this.#claimed) primaries.get(this.#claimed)?.delete(this);
    this.#claimed = session;
    if (!session) return;
    const set = primaries.get(session) ?? new Set();
    set.add(this);
    primaries.set(session, set);
  }
}
