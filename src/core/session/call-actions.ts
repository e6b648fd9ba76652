/**
 * Actions on calls: placing a call, the confirmed call actions (one table, CALL_ACTIONS), the
 * local toggles the AWL API does not confirm (mute, video), DTMF and statistics.
 *
 * A confirmed action runs one at a time per call: it checks the call's state, marks the call
 * `pending`, starts the engine and waits for the state change that confirms it (or the call's
 * end, which is success for hangup and reject and failure for the rest). Calling an action
 * again while it runs returns the same promise.
 */
import type { AwlCall, AwlClient } from '../awl-client.js';
import type { IpoError } from '../errors.js';
import {
  MAX_CALLS,
  isRegistered,
  mapCallState,
  type CallPending,
  type CallSnapshot,
  type CallState,
} from '../snapshot.js';
import { callEndError, readFarEnd, type CallList } from './calls.js';
import type { EngineHost } from './engine-host.js';
import {
  MEDIA_ACCESS_RE,
  VIDEO_OFF,
  err,
  mediaBlocked,
  inState,
  invalidArgument,
  invalidState,
  notLoggedIn,
  quietly,
  readText,
  tooManyCalls,
  unsupported,
} from './failures.js';
import { seconds, type SessionSettings, type SessionTimeouts } from './options.js';
import { canLogin, type SnapshotStore } from './store.js';
import { normalizeDialString, normalizeDigits } from './validate.js';
import { DONE, KEEP_WAITING, type Waiters } from './waiters.js';

/** The argument of an action that has one (transfer). */
interface ActionInput {
  readonly target: string;
  readonly attended: boolean;
}

/** One confirmed call action. */
interface CallAction {
  /** The call's state allows the action. */
  allowed: (call: CallSnapshot) => boolean;
  /** Which timeout bounds the wait. */
  timeout: keyof SessionTimeouts;
  /** Starts the action in the engine; `target` is what `prepare` returned. */
  start: (client: AwlClient, call: CallSnapshot, target: string, input: ActionInput) => unknown;
  /** The verb for messages, when not the action's name. */
  verb?: string;
  /** Already done: resolve at once. */
  alreadyDone?: (call: CallSnapshot) => boolean;
  /** Checks the argument (may throw) and returns the engine's target. */
  prepare?: (call: CallSnapshot, input: ActionInput, calls: CallList) => string;
  /** Reads each state change (mapped and raw AWL state): success, failure or keep waiting. */
  confirmedBy?: (
    state: CallState | null,
    raw: string | undefined,
    callId: string,
  ) => true | IpoError | undefined;
  /** The call ending is the goal (hangup, reject). */
  endsCall?: true;
  /** Allowed while another action on the call is pending (hangup). */
  whilePending?: true;
}

const CALL_ACTIONS: Readonly<Record<CallPending, CallAction>> = {
  answer: {
    alreadyDone: inState('connected'),
    allowed: inState('incoming'),
    timeout: 'answer',
    start: (client, call) => client.answerCall(call.id),
    confirmedBy: (state) => state === 'connected' || undefined,
  },
  reject: {
    allowed: inState('incoming'),
    timeout: 'control',
    start: (client, call) => client.rejectCall(call.id),
    endsCall: true,
  },
  /** Cancel (not yet answered) or drop (connected/held); incoming calls are rejected instead. */
  hangup: {
    alreadyDone: inState('disconnected', 'failed'),
    allowed: () => true,
    whilePending: true,
    verb: 'hang up',
    timeout: 'control',
    start: (client, call) =>
      inState('connected', 'held')(call) ? client.dropCall(call.id) : client.cancelCall(call.id),
    endsCall: true,
  },
  hold: {
    alreadyDone: inState('held'),
    allowed: inState('connected'),
    timeout: 'control',
    start: (client, call) => client.doHold(call.id),
    confirmedBy: (state) => state === 'held' || undefined,
  },
  resume: {
    alreadyDone: inState('connected'),
    allowed: inState('held'),
    timeout: 'control',
    start: (client, call) => client.doUnHold(call.id),
    confirmedBy: (state) => state === 'connected' || undefined,
  },
  /** Blind: `target` is a number. Attended: `target` is the consultation call's id. */
  transfer: {
    prepare: (call, { target, attended }, calls) => {
      if (!attended) return normalizeDialString(target);
      const other = calls.find(target);
      if (!other) throw err('no-such-call', 'There is no consultation call to transfer to.');
      if (other.id === call.id) throw invalidArgument('A call cannot be transferred to itself.');
      if (!inState('connected', 'held')(other)) throw invalidState(other, 'transfer to');
      return other.id;
    },
    allowed: inState('connected', 'held'),
    timeout: 'transfer',
    start: (client, call, target, { attended }) => {
      if (typeof client.transferCall !== 'function') throw unsupported('cannot transfer calls');
      client.transferCall(target, call.id, attended ? 'attended' : 'unAttended');
    },
    // CallTransferSuccessful reaches apps as a state change with an undefined state (§6.7).
    confirmedBy: (_state, raw, callId) =>
      raw === undefined ||
      (raw === 'AWL_MSG_CALL_TRANSFER_FAILED'
        ? err('transfer-failed', 'The transfer failed; the call is still connected.', { callId })
        : undefined),
  },
};

const NO_INPUT: ActionInput = { target: '', attended: false };

/** The local toggles: snapshot field, value, engine method, verb and failure wording. */
type LocalToggle = 'mute' | 'unmute' | 'addVideo' | 'removeVideo';
const LOCAL_TOGGLES: Readonly<
  Record<
    LocalToggle,
    readonly [
      field: 'muted' | 'video',
      on: boolean,
      method: 'doMute' | 'doUnMute' | 'addVideo' | 'removeVideo',
      verb: string,
      failure: string,
    ]
  >
> = {
  mute: ['muted', true, 'doMute', 'mute', 'The microphone could not be muted.'],
  unmute: ['muted', false, 'doUnMute', 'unmute', 'The microphone could not be unmuted.'],
  addVideo: ['video', true, 'addVideo', 'add video to', 'Video could not be added.'],
  removeVideo: ['video', false, 'removeVideo', 'remove video from', 'Video could not be removed.'],
};

export class CallActions {
  /** In-flight confirmed actions by `${callId} ${action}`, so a repeat returns the same promise. */
  readonly #inflight = new Map<string, Promise<void>>();

  readonly #settings: SessionSettings;
  readonly #store: SnapshotStore;
  readonly #waiters: Waiters;
  readonly #engine: EngineHost;
  readonly #calls: CallList;

  constructor(
    settings: SessionSettings,
    store: SnapshotStore,
    waiters: Waiters,
    engine: EngineHost,
    calls: CallList,
  ) {
    this.#settings = settings;
    this.#store = store;
    this.#waiters = waiters;
    this.#engine = engine;
    this.#calls = calls;
  }

  /** Places a call; resolves with its id once the gateway reports it ringing (or answered). */
  async call(number: string, options: { video?: boolean }): Promise<string> {
    const target = normalizeDialString(number);
    const video = options.video === true;
    if (video && !this.#store.video) throw invalidArgument(VIDEO_OFF);
    const client = this.#requireRegistered();
    if (this.#store.parts.calls.length >= MAX_CALLS) throw tooManyCalls();
    const notStarted = (cause?: unknown): IpoError =>
      err('call-failed', `The call to ${target} could not be started.`, { cause });
    const calls = this.#calls;
    let id = '';
    this.#store.batch(() => {
      let made: AwlCall | null | undefined;
      try {
        made = client.makeCall(target, video ? 'video' : 'audio');
      } catch (cause) {
        throw notStarted(cause);
      }
      const handle = made;
      if (!handle) {
        throw err(
          'invalid-state',
          'The phone cannot place calls while it reconnects. Try again shortly.',
        );
      }
      id = readText(() => handle.getCallId());
      if (id === '') throw notStarted();
      if (!calls.ended.has(id) && !calls.find(id)) {
        this.#store.addCall(id, 'outgoing', 'dialing', readFarEnd(handle, target), video);
      }
      calls.activate(id);
    });
    // The engine may already have settled the call synchronously (e.g. the call limit).
    const endedReason = calls.ended.get(id);
    if (endedReason !== undefined) throw callEndError(id, target, endedReason);
    const current = calls.find(id);
    if (current && !inState('dialing', 'failed')(current)) return id;
    return this.#waiters.wait<string>({
      ms: this.#settings.timeouts.callSetup,
      callId: id,
      match: (event) => {
        if (event.type === 'call-ended' && event.callId === id) {
          // Ended by our own hangup: not a failure worth reporting.
          return calls.find(id)?.pending === 'hangup'
            ? err('cancelled', `The call to ${target} was cancelled.`, { callId: id })
            : callEndError(id, target, event.reason);
        }
        // FAILED is followed by onCallTerminate, which carries the reason (§11.3): wait for it.
        const state =
          event.type === 'call-state' && event.callId === id && mapCallState(event.awlState);
        return state === 'ringing' || state === 'progressing' || state === 'connected'
          ? { value: id }
          : KEEP_WAITING;
      },
      onTimeout: () => {
        quietly(() => client.cancelCall(id));
        return err(
          'timeout',
          `The call to ${target} did not start within ${seconds(this.#settings, 'callSetup')}.`,
          { callId: id },
        );
      },
    }).promise;
  }

  /** Ends a call in any state: reject (incoming), cancel (not yet answered) or drop. */
  hangup(callId: string): Promise<void> {
    return this.run(callId, this.#calls.find(callId)?.state === 'incoming' ? 'reject' : 'hangup');
  }

  /** Transfers a call, blind to a number or attended to a consultation call. */
  transfer(callId: string, target: string, attended: boolean): Promise<void> {
    return this.run(callId, 'transfer', { target, attended });
  }

  /** Runs one of CALL_ACTIONS on a call (one at a time per call; a repeat gets the same promise). */
  run(callId: string, name: CallPending, input: ActionInput = NO_INPUT): Promise<void> {
    const key = `${String(callId)} ${name}`;
    const running = this.#inflight.get(key);
    if (running) return running;
    const action = CALL_ACTIONS[name];
    const verb = action.verb ?? name;
    const promise = this.#store.act(async () => {
      const call = this.require(callId);
      if (action.alreadyDone?.(call)) return;
      const target = action.prepare?.(call, input, this.#calls) ?? '';
      if (!action.allowed(call)) throw invalidState(call, verb);
      if (call.pending !== null && !action.whilePending) {
        throw err('invalid-state', 'Wait for the previous action on this call to finish.', {
          callId,
        });
      }
      const client = this.#engine.require();
      const waiter = this.#waiters.wait<void>({
        ms: this.#settings.timeouts[action.timeout],
        callId,
        match: (event) => {
          if (event.type === 'call-ended' && event.callId === callId) {
            if (action.endsCall) return DONE;
            const options = { callId, reason: event.reason };
            return MEDIA_ACCESS_RE.test(options.reason)
              ? mediaBlocked(options)
              : err('call-ended', `The call ended before it could ${verb}.`, options);
          }
          if (event.type !== 'call-state' || event.callId !== callId) return KEEP_WAITING;
          // A FAILED state is followed by onCallTerminate with the reason, handled above.
          const verdict = action.confirmedBy?.(
            mapCallState(event.awlState),
            event.awlState,
            callId,
          );
          return verdict === true ? DONE : verdict;
        },
        onTimeout: () =>
          err(
            'timeout',
            `The gateway did not confirm "${verb}" within ${seconds(this.#settings, action.timeout)}.`,
            { callId },
          ),
        onSettle: () => {
          if (this.#calls.find(callId)?.pending === name)
            this.#store.patchCall(callId, { pending: null });
        },
      });
      this.#store.batch(() => {
        this.#store.patchCall(callId, { pending: name });
        waiter.start(
          () => action.start(client, call, target, input),
          'call-failed',
          `The call could not ${verb}.`,
          callId,
        );
      });
      await waiter.promise;
    });
    this.#inflight.set(key, promise);
    const forget = (): void => {
      this.#inflight.delete(key);
    };
    promise.then(forget, forget);
    return promise;
  }

  /** Mute/unmute and add/remove video: local changes the AWL API does not confirm. */
  toggle(callId: string, name: LocalToggle): Promise<void> {
    const [field, on, method, verb, failure] = LOCAL_TOGGLES[name];
    return this.#store.act(() => {
      const call = this.require(callId);
      if (call[field] === on) return;
      const mic = field === 'muted';
      if (!mic && on && !this.#store.video) throw err('invalid-state', VIDEO_OFF, { callId });
      const allowed = mic
        ? on
          ? call.canMute
          : call.canUnmute
        : on
          ? call.canAddVideo
          : call.canRemoveVideo;
      if (!allowed) throw invalidState(call, verb);
      const client = this.#engine.require();
      const run = client[method];
      if (!mic && typeof run !== 'function')
        throw unsupported(`cannot ${on ? 'add' : 'remove'} video`);
      const failed = (cause?: unknown): IpoError => err('media-failed', failure, { cause, callId });
      let ok: boolean | void;
      try {
        ok = run!.call(client, callId);
      } catch (cause) {
        throw failed(cause);
      }
      if (ok === false) throw failed();
      this.#store.batch(() => this.#store.patchCall(callId, { [field]: on }));
    });
  }

  /** Sends DTMF digits one at a time, spaced by the DTMF gap. */
  sendDigits(callId: string, digits: string): Promise<void> {
    return this.#store.act(async () => {
      const sequence = normalizeDigits(digits);
      const client = this.#engine.require();
      for (let i = 0; i < sequence.length; i++) {
        // Each digit is a separate tone; spacing them keeps an engine from replacing the
        // previous tone with the next one (RTCDTMFSender replaces its buffer).
        if (i > 0) await this.#pause(callId);
        const call = this.require(callId);
        if (!call.canSendDigits) throw invalidState(call, 'send digits on');
        try {
          client.sendDTMF(callId, sequence[i]!);
        } catch (cause) {
          throw err('call-failed', 'The digits could not be sent.', { cause, callId });
        }
      }
    });
  }

  getStats(callId: string): Promise<unknown> {
    return this.#store.act(async () => {
      this.require(callId);
      const client = this.#engine.require();
      if (typeof client.getStats !== 'function')
        throw unsupported('does not report call statistics');
      return await client.getStats(callId);
    });
  }

  /** The listed call, or an IpoError saying why not. */
  require(callId: unknown): CallSnapshot {
    if (typeof callId !== 'string' || callId === '') throw invalidArgument('No call was given.');
    const call = this.#calls.find(callId);
    if (!call) throw err('no-such-call', 'That call has ended or does not exist.', { callId });
    return call;
  }

  #requireRegistered(): AwlClient {
    const state = this.#store.parts.registration.state;
    const client = this.#engine.client;
    if (!isRegistered(state) || !client) {
      throw notLoggedIn(
        canLogin(state)
          ? 'Log in before making calls.'
          : 'The phone is reconnecting. Try again shortly.',
      );
    }
    return client;
  }

  /** Resolves after the DTMF gap unless the call ends or the session is disposed first. */
  #pause(callId: string): Promise<void> {
    return this.#waiters.wait<void>({
      ms: this.#settings.options.dtmfGapMs ?? 600,
      callId,
      match: (event) =>
        event.type === 'call-ended' && event.callId === callId
          ? err('call-ended', 'The call ended before all digits were sent.', { callId })
          : KEEP_WAITING,
      onTimeout: () => DONE,
    }).promise;
  }
}
