/**
 * Waiting actions. Most session actions start something in the engine and then wait for the
 * engine event that confirms or refutes it, bounded by a timeout. A waiter is one such wait:
 *
 *   const waiter = waiters.wait<void>({
 *     ms: timeouts.hold,
 *     match: (event) => (isHeld(event) ? DONE : KEEP_WAITING),   // or an IpoError: fail
 *     onTimeout: () => err('timeout', '…'),
 *     callId,                                                    // failCall(callId) ends it
 *   });
 *   waiter.start(() => client.doHold(callId), 'call-failed', 'The call could not hold.');
 *   await waiter.promise;
 *
 * Every engine event is offered to every waiter (`notify`); `failCall` ends the waits of a call
 * that is gone, `failAll` ends every wait (dispose). All timers run on the session's clock and
 * are cleared together on dispose.
 */
import { IpoError, type IpoErrorCode } from '../errors.js';
import type { Clock } from './options.js';
import type { EngineEvent } from './engine-events.js';
import { err } from './failures.js';

/** How a waiter reads one event: keep waiting (undefined), fail (an IpoError) or succeed with `value`. */
export type Outcome<T> = IpoError | { value: T } | undefined;

export const DONE: Outcome<void> = Object.freeze({ value: undefined });
export const KEEP_WAITING = undefined;

export interface WaitSpec<T> {
  ms: number;
  match(event: EngineEvent): Outcome<T>;
  /** The outcome when `ms` passes without one (may start clean-up in the engine). */
  onTimeout(): Outcome<T>;
  /** The call this wait belongs to: it fails with the call's end. */
  callId?: string | undefined;
  /** Runs once when the wait settles, in a batch (e.g. clears the call's pending action). */
  onSettle?(): void;
}

export interface Waiter<T = unknown> {
  readonly callId: string | undefined;
  readonly promise: Promise<T>;
  fail(error: IpoError): void;
  /** Starts the engine side; a throw fails the wait (with `code`/`message`) instead of escaping. */
  start(run: () => unknown, code: IpoErrorCode, message: string, callId?: string): void;
}

/** The session's timers, cleared together on dispose. */
export class Timers {
  readonly #handles = new Set<unknown>();
  constructor(readonly clock: Clock) {}

  /** Runs `callback` after `ms`; returns a stop function. */
  start(ms: number, callback: () => void): () => void {
    const handle: unknown = this.clock.setTimeout(() => {
      this.#handles.delete(handle);
      callback();
    }, ms);
    this.#handles.add(handle);
    return () => {
      if (this.#handles.delete(handle)) this.clock.clearTimeout(handle);
    };
  }

  clearAll(): void {
    for (const handle of this.#handles) this.clock.clearTimeout(handle);
    this.#handles.clear();
  }
}

interface Entry {
  readonly callId: string | undefined;
  offer(event: EngineEvent): void;
  fail(error: IpoError): void;
}

export class Waiters {
  readonly #waiting = new Set<Entry>();

  readonly #timers: Timers;
  /** The store's batch: settling may change the snapshot. */
  readonly #batch: <R>(run: () => R) => R;

  constructor(
    timers: Timers,
    /** The store's batch: settling may change the snapshot. */
    batch: <R>(run: () => R) => R,
  ) {
    this.#timers = timers;
    this.#batch = batch;
  }

  wait<T>(spec: WaitSpec<T>): Waiter<T> {
    let settled = false;
    let settle: (outcome: Outcome<T>) => void = () => undefined;
    const promise = new Promise<T>((resolve, reject) => {
      settle = (outcome) => {
        if (settled || !outcome) return;
        settled = true;
        this.#waiting.delete(entry);
        stopTimer();
        this.#batch(() => spec.onSettle?.());
        if (outcome instanceof IpoError) reject(outcome);
        else resolve(outcome.value);
      };
    });
    const entry: Entry = {
      callId: spec.callId,
      offer: (event) => settle(spec.match(event)),
      fail: settle,
    };
    this.#waiting.add(entry);
    const stopTimer = this.#timers.start(spec.ms, () =>
      this.#batch(() => {
        // Leave first: onTimeout side effects (logOut, cancelCall) may call back synchronously.
        this.#waiting.delete(entry);
        settle(spec.onTimeout());
      }),
    );
    return {
      callId: spec.callId,
      promise,
      fail: settle,
      start(run, code, message, callId) {
        try {
          run();
        } catch (cause) {
          settle(cause instanceof IpoError ? cause : err(code, message, { cause, callId }));
        }
      },
    };
  }

  /** Offers an engine event to every waiting action. */
  notify(event: EngineEvent): void {
    for (const entry of [...this.#waiting]) entry.offer(event);
  }

  /** Ends the waits of one call (it is gone). */
  failCall(callId: string, error: IpoError): void {
    for (const entry of [...this.#waiting]) if (entry.callId === callId) entry.fail(error);
  }

  /** Ends every wait (dispose). */
  failAll(error: IpoError): void {
    for (const entry of [...this.#waiting]) entry.fail(error);
  }
}
