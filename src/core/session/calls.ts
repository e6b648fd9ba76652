/**
 * The call list: what the engine reports about calls (new incoming calls, state changes, ends,
 * streams) turned into call snapshots, which call is active, and the short memory of ended
 * calls that keeps late events from resurrecting them. The actions on calls are in
 * call-actions.ts.
 */
import { REASON_RE } from '../../protocol/limits.js';
import type { AwlCall } from '../awl-client.js';
import type { IpoError } from '../errors.js';
import { EMPTY_FAR_END, mapCallState, type CallSnapshot, type FarEnd } from '../snapshot.js';
import type { EngineEventOf } from './engine-events.js';
import {
  MEDIA_ACCESS_RE,
  mediaBlocked,
  err,
  inState,
  quietly,
  readText,
  tooManyCalls,
  withReason,
} from './failures.js';
import type { QualityWatch } from './quality.js';
import type { SnapshotStore } from './store.js';
import type { Waiters } from './waiters.js';

/** The far end of an offer that could not be read. */
const UNKNOWN_CALLER = Object.freeze({ number: '', name: '', subject: '', sipUri: '' });

/** How many ended call ids are remembered. */
const ENDED_MEMORY = 32;

/** When the active call goes: a connected call, else one ringing in, else dialling, else held. */
const NEXT_ACTIVE = [
  inState('connected'),
  inState('incoming'),
  inState('dialing', 'ringing', 'progressing'),
  inState('held'),
  () => true,
];

export function readFarEnd(call: AwlCall | null | undefined, fallbackNumber: string): FarEnd {
  if (!call)
    return fallbackNumber
      ? Object.freeze({ ...EMPTY_FAR_END, number: fallbackNumber })
      : EMPTY_FAR_END;
  return Object.freeze({
    number: readText(() => call.getFarEndNumber()) || fallbackNumber,
    name: readText(() => call.getFarEndName()),
    subject: readText(() => call.getSubject()),
    sipUri: readText(() => call.getSipUri()),
  });
}

/** The error for an outgoing call that ended before it rang. */
export function callEndError(callId: string, target: string, reason: string): IpoError {
  const options = { callId, reason };
  return /busy/i.test(reason)
    ? err('busy', `${target} is busy.`, options)
    : REASON_RE.maxCalls.test(reason)
      ? tooManyCalls(options)
      : MEDIA_ACCESS_RE.test(reason)
        ? mediaBlocked(options)
        : err('call-failed', withReason(`The call to ${target} failed`, reason), options);
}

export class CallList {
  /** Recently ended call ids → reason; late events for them are ignored. */
  readonly ended = new Map<string, string>();

  readonly #store: SnapshotStore;
  readonly #waiters: Waiters;
  readonly #quality: QualityWatch;

  constructor(store: SnapshotStore, waiters: Waiters, quality: QualityWatch) {
    this.#store = store;
    this.#waiters = waiters;
    this.#quality = quality;
  }

  find(callId: unknown): CallSnapshot | undefined {
    return this.#store.findCall(callId);
  }

  /** Makes `callId` the active call when it is listed. */
  activate(callId: string): void {
    if (this.find(callId)) this.#store.set({ activeCallId: callId });
  }

  onIncoming({ callId, call }: EngineEventOf<'incoming-call'>): void {
    const farEnd = readFarEnd(call, '');
    if (this.find(callId)) {
      this.#store.patchCall(callId, { farEnd });
    } else {
      this.ended.delete(callId); // a gateway may reuse an id
      const video = quietly(() => call?.isVideoCall()) === true && this.#store.video;
      this.#store.addCall(callId, 'incoming', 'incoming', farEnd, video);
      if (this.#store.parts.activeCallId === null) this.#store.set({ activeCallId: callId });
    }
    this.#waiters.notify({ type: 'call-state', callId, call, awlState: 'AWL_MSG_CALL_INCOMING' });
  }

  onState(event: EngineEventOf<'call-state'>): void {
    const { callId, call, awlState } = event;
    const mapped = mapCallState(awlState);
    const existing = this.find(callId);
    const store = this.#store;
    if (!existing) {
      if (this.ended.has(callId)) return; // late event for a call that already ended
      const direction = mapped === 'incoming' ? 'incoming' : 'outgoing';
      store.addCall(
        callId,
        direction,
        mapped ?? (direction === 'incoming' ? 'incoming' : 'dialing'),
        readFarEnd(call, ''),
        false,
      );
    } else {
      const state = mapped ?? existing.state;
      // the engine's video flag follows media updates (the far end adding or removing video)
      const video = quietly(() => call?.isVideoCall());
      store.patchCall(callId, {
        state,
        ...(typeof video === 'boolean' ? { video: video && store.video } : {}),
        farEnd: readFarEnd(call, existing.farEnd.number),
        connectedAt: existing.connectedAt ?? (state === 'connected' ? store.now() : null),
      });
      // A call that (re)connects is the one the user is talking on.
      if (state === 'connected' && existing.state !== 'connected') {
        store.set({ activeCallId: callId });
        this.#quality.watch();
      }
    }
    if (store.parts.activeCallId === null) store.set({ activeCallId: callId });
    this.#waiters.notify(event);
  }

  onEnded(event: EngineEventOf<'call-ended'>): void {
    const { callId, reason } = event;
    this.remember(callId, reason);
    // Waiters see the end while the call is still listed (so they can read its pending action).
    this.#waiters.notify(event);
    const call = this.find(callId);
    if (call) this.remove(call, reason);
  }

  /**
   * An incoming call the engine could not accept (an invalid offer) and refused on the wire: it
   * never became a call, so it is shown as the last outcome, from an unknown caller, with the
   * engine's reason (never the offer's own text).
   */
  onRefused({ callId, reason }: EngineEventOf<'incoming-refused'>): void {
    if (this.find(callId)) return; // not a refused offer: a call of that id is already listed
    this.remember(callId, reason);
    const store = this.#store;
    store.set({
      lastEnded: Object.freeze({
        id: callId,
        direction: 'incoming' as const,
        farEnd: UNKNOWN_CALLER,
        reason,
        endedAt: store.now(),
      }),
    });
  }

  remember(callId: string, reason: string): void {
    const ended = this.ended;
    ended.set(callId, reason);
    if (ended.size > ENDED_MEMORY) ended.delete(ended.keys().next().value ?? '');
  }

  onStreams({ callId, local, remote, video }: EngineEventOf<'streams'>): void {
    if (!this.find(callId)) return;
    const all = this.#store.parts.streams;
    const previous = all[callId];
    if (previous?.video && !video) return; // the video pair already carries the audio tracks
    if (
      previous &&
      previous.local === local &&
      previous.remote === remote &&
      previous.video === video
    )
      return;
    this.#store.set({
      streams: Object.freeze({ ...all, [callId]: Object.freeze({ local, remote, video }) }),
    });
    if (video) this.#store.patchCall(callId, { video: true });
  }

  /** Removes an ended call: its streams go, the next call becomes active, its waits fail. */
  remove(call: CallSnapshot, reason: string): void {
    const store = this.#store;
    const calls = Object.freeze(store.parts.calls.filter((c) => c !== call));
    const { [call.id]: gone, ...streams } = store.parts.streams;
    store.set({
      calls,
      lastEnded: Object.freeze({
        id: call.id,
        direction: call.direction,
        farEnd: call.farEnd,
        reason,
        endedAt: store.now(),
      }),
    });
    if (gone) store.set({ streams: Object.freeze(streams) });
    if (store.parts.activeCallId === call.id) {
      const next = NEXT_ACTIVE.map((pick) => calls.find(pick)).find(Boolean);
      store.set({ activeCallId: next?.id ?? null });
    }
    // Actions still waiting on this call learn it is gone.
    this.#waiters.failCall(
      call.id,
      err('call-ended', 'The call has ended.', { callId: call.id, reason }),
    );
  }

  /** Every call ends with the registration (logout, a failed reconnect, dispose). */
  endAll(): void {
    for (const call of this.#store.parts.calls) this.remove(call, '');
  }
}
