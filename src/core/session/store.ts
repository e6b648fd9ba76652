/**
 * The snapshot store: the mutable holder of the snapshot's own parts, and the one place that
 * builds and publishes snapshots.
 *
 * Every part writes through `set` (or the call helpers on top of it) inside `batch`; when the
 * outermost batch ends with something changed, one frozen snapshot is built and one `change`
 * event is emitted. Engine callbacks and action steps are each wrapped in one batch, so each
 * emits at most one `change`. Unchanged parts keep their identity, so `Object.is` on any slice
 * of two snapshots tells whether that slice changed.
 */
import { IpoError } from '../errors.js';
import {
  MAX_CALLS,
  buildCall,
  isRegistered,
  sameFacts,
  sameFarEnd,
  type CallFacts,
  type CallSnapshot,
  type CallState,
  type CallStreams,
  type Devices,
  type EndedCall,
  type FarEnd,
  type Registration,
  type RegistrationState,
  type Resiliency,
  type SessionSnapshot,
} from '../snapshot.js';
import { disposedError, err } from './failures.js';

/** The snapshot's own (non-derived) parts. */
export interface Parts {
  registration: Registration;
  user: string | null;
  calls: readonly CallSnapshot[];
  activeCallId: string | null;
  lastEnded: EndedCall | null;
  devices: Devices;
  streams: Readonly<Record<string, CallStreams>>;
  resiliency: Resiliency;
  error: IpoError | null;
}

/** The logged-out-like states, in which a login may start. */
export const canLogin = (state: RegistrationState): boolean =>
  state === 'logged-out' || state === 'error';

export class SnapshotStore {
  #parts: Parts;
  #snapshot: SessionSnapshot;
  #depth = 0;
  #dirty = false;
  /** Set once by `IpoSession.dispose()`: no `change` after that, and actions refuse to run. */
  disposed = false;

  readonly #emit: (snapshot: SessionSnapshot, previous: SessionSnapshot) => void;

  constructor(
    initial: Parts,
    /** The session was configured with video (part of every call's decisions). */
    readonly video: boolean,
    readonly now: () => number,
    emit: (snapshot: SessionSnapshot, previous: SessionSnapshot) => void,
  ) {
    this.#emit = emit;
    this.#parts = initial;
    this.#snapshot = this.#build();
  }

  get snapshot(): SessionSnapshot {
    return this.#snapshot;
  }

  /** The current parts (read-only: write with `set`). */
  get parts(): Readonly<Parts> {
    return this.#parts;
  }

  /** Replaces changed parts (by identity) and marks the snapshot dirty. */
  set(patch: Partial<Parts>): void {
    for (const key of Object.keys(patch) as (keyof Parts)[]) {
      if (Object.is(this.#parts[key], patch[key])) continue;
      this.#parts = { ...this.#parts, [key]: patch[key] };
      this.#dirty = true;
    }
  }

  /** Groups changes so each engine callback or action step emits at most one `change`. */
  batch<T>(run: () => T): T {
    this.#depth++;
    try {
      return run();
    } finally {
      if (--this.#depth === 0 && this.#dirty && !this.disposed) {
        this.#dirty = false;
        const previous = this.#snapshot;
        this.#snapshot = this.#build();
        this.#emit(this.#snapshot, previous);
      }
    }
  }

  /** Runs a public action: refuses after dispose, records any failure in `snapshot.error`. */
  async act<T>(run: () => T | Promise<T>): Promise<T> {
    if (this.disposed) throw disposedError();
    try {
      return await run();
    } catch (thrown) {
      const error =
        thrown instanceof IpoError
          ? thrown
          : err('call-failed', 'Something went wrong.', { cause: thrown });
      if (error.code !== 'cancelled') this.batch(() => this.set({ error }));
      throw error;
    }
  }

  // ----- the call list -----------------------------------------------------------------------

  findCall(callId: unknown): CallSnapshot | undefined {
    return this.#parts.calls.find((c) => c.id === callId);
  }

  addCall(
    id: string,
    direction: CallFacts['direction'],
    state: CallState,
    farEnd: FarEnd,
    video: boolean,
  ): void {
    const now = this.now();
    const call = buildCall(
      {
        id,
        state,
        direction,
        farEnd,
        video,
        muted: false,
        pending: null,
        startedAt: now,
        connectedAt: state === 'connected' ? now : null,
        quality: null,
      },
      this.video,
    );
    this.set({ calls: Object.freeze([...this.#parts.calls, call]) });
  }

  /** Applies `patch` (undefined fields keep their value; a far end equal by value keeps its identity). */
  patchCall(callId: string, patch: Partial<CallFacts>): void {
    const calls = this.#parts.calls;
    const index = calls.findIndex((c) => c.id === callId);
    const old = calls[index];
    if (!old) return;
    const facts: Record<string, unknown> & CallFacts = { ...old };
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) facts[key] = value;
    if (sameFarEnd(facts.farEnd, old.farEnd)) (facts as { farEnd: FarEnd }).farEnd = old.farEnd;
    if (sameFacts(facts, old)) return;
    const next = [...calls];
    next[index] = buildCall(facts, this.video);
    this.set({ calls: Object.freeze(next) });
  }

  #build(): SessionSnapshot {
    const { registration, user, calls, activeCallId, ...rest } = this.#parts;
    const state = registration.state;
    const registered = isRegistered(state);
    return Object.freeze({
      registration,
      user,
      calls,
      activeCallId,
      call: calls.find((c) => c.id === activeCallId) ?? null,
      ...rest,
      videoEnabled: this.video,
      registered,
      canLogin: canLogin(state),
      canLogout: !canLogin(state),
      canCall: registered && calls.length < MAX_CALLS,
    });
  }
}
