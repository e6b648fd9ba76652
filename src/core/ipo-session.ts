/**
 * IpoSession: drives any object with the AWL.client shape and turns its callbacks into immutable
 * snapshots, one `change` event per observable change, and promise-based actions that settle
 * when the gateway confirms. No DOM, no lit: usable from any framework or none.
 */
import type { Quality, QualityWarning } from '../sdk/quality.js';
import {
  missingClientMethods,
  type AwlCall,
  type AwlCallListener,
  type AwlClient,
  type AwlConfig,
  type AwlResponse,
} from './awl-client.js';
import { toAwlConfig, type IpoSessionConfig } from './config.js';
import { diagnoseConnection, loginFailureDetails, problemMessage } from './diagnose.js';
import {
  IpoError,
  type IpoErrorCode,
  type IpoErrorDetails,
  type IpoErrorOptions,
} from './errors.js';
import { relayGrants } from './grants.js';
import {
  DEVICE_KINDS,
  EMPTY_FAR_END,
  MAX_CALLS,
  buildCall,
  isRegistered,
  mapCallState,
  sameFacts,
  sameFarEnd,
  type CallFacts,
  type CallPending,
  type CallSnapshot,
  type CallState,
  type CallStreams,
  type DeviceInfo,
  type DeviceKind,
  type DeviceSelection,
  type Devices,
  type EndedCall,
  type FarEnd,
  type Registration,
  type RegistrationState,
  type Resiliency,
  type SessionSnapshot,
} from './snapshot.js';

/** Time source and timers; inject one in tests instead of sleeping. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** How long each action waits for the gateway, in ms. */
export interface SessionTimeouts {
  /** `setConfiguration` until `onConfigChanged`. */
  config: number;
  login: number;
  logout: number;
  /** `call()` until ringing, early media or answer (includes the microphone prompt). */
  callSetup: number;
  /** `answer()` until connected (includes the microphone prompt). */
  answer: number;
  /** hold, resume, hangup and reject. */
  control: number;
  transfer: number;
  devices: number;
}

export const DEFAULT_TIMEOUTS: Readonly<SessionTimeouts> = Object.freeze({
  config: 5_000,
  login: 15_000,
  logout: 5_000,
  callSetup: 60_000,
  answer: 30_000,
  control: 10_000,
  transfer: 30_000,
  devices: 10_000,
});

/** Where `devicechange` comes from (normally `navigator.mediaDevices`). */
export interface DeviceChangeSource {
  addEventListener(type: 'devicechange', listener: () => void): void;
  removeEventListener(type: 'devicechange', listener: () => void): void;
}

export interface IpoSessionOptions extends IpoSessionConfig {
  /** An AWL.client-shaped engine to drive. */
  client?: AwlClient;
  /** Or a factory for one, called on first use. */
  clientFactory?: () => AwlClient | Promise<AwlClient>;
  /** Without `client`/`clientFactory`: `bundled` (default) loads our SDK, `global` uses `globalThis.AWL`. */
  sdk?: 'bundled' | 'global';
  timeouts?: Partial<SessionTimeouts>;
  /** Pause between DTMF digits (a tone is 500 ms plus a 50 ms gap on the wire). */
  dtmfGapMs?: number;
  clock?: Clock;
  /** Source of `devicechange`; `null` disables watching. Defaults to `navigator.mediaDevices`. */
  mediaDevices?: DeviceChangeSource | null;
}

export type TokenType = 'ESNA' | 'RESILIENCY';

export interface LoginOptions {
  /** Log out another client of the same service type on this extension. */
  bump?: boolean;
}

export interface DeviceChoice {
  audioInput?: string;
  videoInput?: string;
  audioOutput?: string;
}

/** Fired on the session whenever its snapshot changes. Never for high-frequency data. */
export class IpoSessionChangeEvent extends Event {
  static readonly type = 'change';
  constructor(
    readonly snapshot: SessionSnapshot,
    readonly previous: SessionSnapshot,
  ) {
    super(IpoSessionChangeEvent.type);
  }
}

/** One second of a talking call: the engine's figures and warnings (engines that can tell only). */
export type CallQualityReading = Omit<Quality, 'packets' | 'sound'> & {
  warnings: readonly QualityWarning[];
};

/** Fired about once a second per talking call, with its quality figures. */
export class IpoSessionQualityEvent extends Event {
  static readonly type = 'quality';
  constructor(
    readonly callId: string,
    readonly reading: CallQualityReading,
  ) {
    super(IpoSessionQualityEvent.type);
  }
}

export interface IpoSessionEventMap {
  change: IpoSessionChangeEvent;
  quality: IpoSessionQualityEvent;
}

// ---------------------------------------------------------------------------------------------
// Internals

/**
 * What the engine told us, as fed to waiting actions. `k`: c(onfig), r(egistration),
 * s(call state), e(call end), d(evices); `r`: the engine's result or raw call state.
 */
interface EngineEvent {
  k: 'c' | 'r' | 's' | 'e' | 'd';
  id?: string;
  r?: string | undefined;
  why?: string;
  err?: IpoError | undefined;
  tok?: number;
  d?: Devices;
}

/** A waiting action's reading of an event: keep waiting, fail, or succeed with `v`. */
type Verdict<T> = IpoError | { v: T } | undefined;

interface Waiter<T = unknown> {
  readonly id: string | undefined;
  readonly p: Promise<T>;
  on(event: EngineEvent): void;
  fail(error: IpoError): void;
}

/** The mutable holder of the snapshot's own (non-derived) parts. */
interface Parts {
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

/** A call-scoped action that waits for a confirming callback (see `#callAction`). */
interface CallActionSpec {
  /** Whether the call's state allows the action. */
  ok: (call: CallSnapshot) => boolean;
  /** Which timeout bounds the wait. */
  t: keyof SessionTimeouts;
  /** Starts the action in the engine. */
  go: (client: AwlClient, call: CallSnapshot) => unknown;
  /** The verb for messages, when not the action's name. */
  v?: string;
  /** Already done: resolve at once. */
  no?: (call: CallSnapshot) => boolean;
  /** Argument checks that may throw. */
  pre?: (call: CallSnapshot) => void;
  /** Maps the mapped and raw AWL state of each state change to success, failure or keep waiting. */
  cf?: (state: CallState | null, raw: string | undefined) => true | IpoError | undefined;
  /** The call ending is the goal (hangup, reject). */
  end?: true;
  /** Allowed while another action on the call is pending (hangup). */
  any?: true;
}

const DONE = { v: undefined };

const err = (code: IpoErrorCode, message: string, options?: IpoErrorOptions): IpoError =>
  new IpoError(code, message, options);

/** `reason` appended to a sentence, without doubling its full stop. */
const withReason = (text: string, reason: string): string =>
  reason ? `${text} (${reason.replace(/\.$/, '')}).` : `${text}.`;

/**
 * `onRegistrationStateChanged` results (§11.2) without their `AWL_MSG_` prefix →
 * 'state|error code|message'. A message without a full stop gets the engine's reason appended.
 */
const REGISTRATION_RULES: Readonly<Record<string, string>> = {
  LOGIN_SUCCESS: 'logged-in',
  RELOGGED_IN: 'logged-in',
  FAIL_BACK_SUCCESS: 'logged-in',
  FAIL_OVER_SUCCESS: 'failed-over',
  RECONNECTING: 'reconnecting',
  FAILING_OVER: 'failing-over',
  FAILING_BACK: 'failing-back',
  LOGGEDOUT: 'logged-out',
  LOGIN_FAILED: 'error|login-failed|Login failed',
  LOGIN_WEBSOCKET_FAILURE: 'error|connection-failed|Could not connect to the telephone system',
  FAIL_OVER_FAILED: 'error|connection-failed|Could not move to the backup gateway',
  FAIL_BACK_FAILED: 'error|connection-failed|Could not move back to the main gateway',
  LOGIN_EMPTYUSERNAME: 'error|invalid-argument|Enter your extension or user name.',
  LOGIN_EMPTYPASSWORD: 'error|invalid-argument|Enter your password.',
  LOGIN_EMPTYTOKEN: 'error|invalid-argument|The login token is empty.',
  LOGIN_INVALID_TOKENTYPE: 'error|invalid-argument|The token type must be ESNA or RESILIENCY.',
  LOGIN_GW_NOTCONFIGURED: 'error|invalid-config|No gateway address is configured.',
  DEVICEACCESS_FAILURE: 'error|media-failed|',
  DUPLICATE_LOGIN: '|already-logged-in|This phone is already logged in.',
  LINK_ISSUE_DETECTED: '',
};

/** [state ('' = unchanged), error code, message] for a registration result; `[]` when unknown. */
function registrationRule(result: string): [RegistrationState | '', IpoErrorCode?, string?] {
  const key = result.slice(8);
  return result.startsWith('AWL_MSG_') && Object.hasOwn(REGISTRATION_RULES, key)
    ? (REGISTRATION_RULES[key]!.split('|') as [RegistrationState, IpoErrorCode, string])
    : [''];
}

/** The logged-out-like states, in which a login may start. */
const canLogin = (state: RegistrationState): boolean => state === 'logged-out' || state === 'error';

const STATE_WORDS: Readonly<Record<CallState, string>> = {
  dialing: 'still dialling',
  incoming: 'ringing in',
  ringing: 'ringing',
  progressing: 'still connecting',
  connected: 'connected',
  held: 'on hold',
  disconnected: 'ending',
  failed: 'failing',
};

/** onCallTerminate reason when getUserMedia failed (§11.4). */
const MEDIA_ACCESS_RE = /access to (audio|video) device/i;
const DIAL_RE = /^[A-Za-z0-9*#+\-_.@:]{1,64}$/;
const DIGITS_RE = /^[0-9*#A-D]{1,64}$/;
const VIDEO_OFF = 'Video is turned off for this phone.';

const invalidArgument = (message: string): IpoError => err('invalid-argument', message);
const MIC_BLOCKED: IpoErrorDetails = { problem: 'microphone-blocked' };
/** The microphone (or camera) could not be opened: says how to allow it. */
const mediaBlocked = (options: IpoErrorOptions = {}): IpoError =>
  err('media-failed', problemMessage(MIC_BLOCKED), { ...options, details: MIC_BLOCKED });
const disposedError = (): IpoError => err('disposed', 'This phone session has been closed.');
const tooManyCalls = (options?: IpoErrorOptions): IpoError =>
  err(
    'too-many-calls',
    `You already have ${MAX_CALLS} calls. End one before making another.`,
    options,
  );
const invalidState = (call: CallSnapshot, verb: string): IpoError =>
  err('invalid-state', `Cannot ${verb} a call that is ${STATE_WORDS[call.state]}.`, {
    callId: call.id,
  });
/** A predicate: the call is in one of `states`. */
const inState =
  (...states: CallState[]) =>
  (call: CallSnapshot): boolean =>
    states.includes(call.state);

/** Validates a dial string; spaces and parentheses people type are dropped. */
export function normalizeDialString(input: unknown): string {
  const value = typeof input === 'string' ? input.replace(/[\s()]/g, '') : '';
  if (value === '') throw invalidArgument('Enter a number to call.');
  if (!DIAL_RE.test(value)) {
    throw invalidArgument('A number can have up to 64 digits, letters and * # + - _ . @ : only.');
  }
  return value;
}

/** Validates DTMF digits (0-9 * # A-D, case-insensitive, spaces ignored). */
export function normalizeDigits(input: unknown): string {
  const value = typeof input === 'string' ? input.replace(/\s/g, '').toUpperCase() : '';
  if (!DIGITS_RE.test(value)) throw invalidArgument('Digits can only be 0-9, *, # and A-D.');
  return value;
}

/** Runs a best-effort engine call whose failure changes nothing for the caller. */
function quietly<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch {
    return undefined;
  }
}

/** Reads a string from an engine getter that may be missing, throw or return null. */
const readText = (read: () => unknown): string => String(quietly(read) ?? '');

function readFarEnd(call: AwlCall | null | undefined, fallbackNumber: string): FarEnd {
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

/**
 * Loads our bundled SDK. The literal specifier lets bundlers include it in the CDN build. Its
 * module types are deliberately not used: core relies only on the documented AWL.client shape,
 * which is checked at run time.
 */
async function loadBundledAwl(): Promise<unknown> {
  // @ts-ignore -- src/sdk/awl is built separately; this stays valid before and after it lands
  const mod = (await import('../sdk/awl/index.js')) as { AWL?: unknown };
  return mod.AWL;
}

/** Snapshot device fields, in DEVICE_KINDS order. */
const DEVICE_FIELDS = ['audioInput', 'videoInput', 'audioOutput'] as const;
const DEVICE_NAMES = ['microphone', 'camera', 'speaker'];
const NO_DEVICES = Object.freeze([]);

const EMPTY_DEVICES: Devices = Object.freeze({
  loaded: false,
  audioInput: NO_DEVICES,
  videoInput: NO_DEVICES,
  audioOutput: NO_DEVICES,
  selected: Object.freeze({ audioInput: '', videoInput: '', audioOutput: '' }),
});

const sameDevices = (a: readonly DeviceInfo[], b: readonly DeviceInfo[]): boolean =>
  a.length === b.length && a.every((d, i) => d.id === b[i]?.id && d.label === b[i]?.label);

// ---------------------------------------------------------------------------------------------

/** Typed `change` listeners (declaration merging: no run-time cost). */
export interface IpoSession {
  addEventListener<K extends keyof IpoSessionEventMap>(
    type: K,
    listener: ((event: IpoSessionEventMap[K]) => void) | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof IpoSessionEventMap>(
    type: K,
    listener: ((event: IpoSessionEventMap[K]) => void) | null,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
}

/**
 * A phone session. Construct with a gateway (and optionally an engine), then call `login()`.
 * Read `snapshot`; listen for `change`. Every action returns a promise that rejects with
 * IpoError.
 */
export class IpoSession extends EventTarget {
  readonly #options: IpoSessionOptions;
  readonly #awlConfig: AwlConfig;
  readonly #timeouts: SessionTimeouts;
  readonly #clock: Clock;
  readonly #dtmfGap: number;

  #client: AwlClient | null = null;
  #clientReady: Promise<AwlClient> | null = null;
  #disposed = false;

  #parts: Parts;
  #snapshot: SessionSnapshot;
  #depth = 0;
  #dirty = false;

  readonly #waiters = new Set<Waiter>();
  readonly #timers = new Set<unknown>();
  #qualityOn = false;
  /** In-flight call actions by `${callId} ${action}`, so a repeat returns the same promise. */
  readonly #inflight = new Map<string, Promise<void>>();
  /** Recently ended call ids → reason; late events for them are ignored. */
  readonly #ended = new Map<string, string>();
  #deviceToken = 0;
  #deviceSource: DeviceChangeSource | null = null;

  /** Throws IpoError('invalid-config') when the gateway, STUN or TURN setting is unusable. */
  constructor(options: IpoSessionOptions) {
    super();
    this.#options = { ...options };
    this.#awlConfig = toAwlConfig(this.#options, 0);
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.#clock = options.clock ?? systemClock;
    this.#dtmfGap = options.dtmfGapMs ?? 600;
    this.#parts = {
      registration: Object.freeze({ state: 'logged-out', reason: '' }),
      user: null,
      calls: Object.freeze([]),
      activeCallId: null,
      lastEnded: null,
      devices: EMPTY_DEVICES,
      streams: Object.freeze({}),
      resiliency: Object.freeze({
        enabled: options.noResiliency !== true,
        active: false,
        linkIssue: false,
        tokenRenewal: null,
        alternate: null,
      }),
      error: null,
    };
    this.#snapshot = this.#build();
    relayGrants.set(this, () => {
      const client = this.#client as { getRelayGrant?(): { token: string; instanceId: string } };
      const user = this.#parts.user;
      const grant = isRegistered(this.#parts.registration.state) && user && client?.getRelayGrant;
      const g = grant ? quietly(() => client.getRelayGrant!()) : null;
      return g && user ? { user, token: g.token, instanceId: g.instanceId } : null;
    });
  }

  /** The current state. Frozen; replaced (not mutated) on every change. */
  get snapshot(): SessionSnapshot {
    return this.#snapshot;
  }

  // ----- registration ------------------------------------------------------------------------

  /** Logs in with extension (or user name) and password; resolves on `AWL_MSG_LOGIN_SUCCESS`. */
  login(user: string, password: string, options: LoginOptions = {}): Promise<void> {
    return this.#register(
      user,
      options,
      () => {
        if (typeof password !== 'string' || password === '')
          throw invalidArgument('Enter your password.');
      },
      (client, name, bump) => client.logIn(name, password, bump),
    );
  }

  /** Logs in with an ESNA or RESILIENCY token; resolves on `AWL_MSG_LOGIN_SUCCESS`. */
  tokenLogin(
    user: string,
    token: string,
    type: TokenType,
    options: LoginOptions = {},
  ): Promise<void> {
    const kind = typeof type === 'string' ? type.toUpperCase() : '';
    return this.#register(
      user,
      options,
      () => {
        if (typeof token !== 'string' || token === '')
          throw invalidArgument('The login token is empty.');
        if (kind !== 'ESNA' && kind !== 'RESILIENCY')
          throw invalidArgument('The token type must be ESNA or RESILIENCY.');
      },
      (client, name, bump) => {
        if (typeof client.tokenLogIn !== 'function')
          throw err('unsupported', 'This telephony engine cannot log in with a token.');
        client.tokenLogIn(name, token, kind, bump);
      },
    );
  }

  /** Logs out (ending every call); resolves on `AWL_MSG_LOGGEDOUT`. No-op when logged out. */
  logout(): Promise<void> {
    return this.#act(async () => {
      const client = this.#client;
      if (canLogin(this.#parts.registration.state)) return;
      if (!client) {
        // Still loading the engine: the pending login sees this and gives up.
        this.#batch(() => this.#setRegistration('logged-out', ''));
        return;
      }
      const waiter = this.#wait<void>(
        this.#timeouts.logout,
        (event) => {
          const next = event.k === 'r' && registrationRule(event.r!)[0];
          return next === 'logged-out' || next === 'error' ? DONE : undefined;
        },
        () => {
          // Our view must not claim a registration the user asked to end.
          this.#setRegistration('logged-out', '');
          return err(
            'timeout',
            'The gateway did not confirm the logout; the phone was logged out locally.',
          );
        },
      );
      this.#invoke(
        waiter,
        () => client.logOut(),
        'connection-failed',
        'The telephony engine could not log out.',
      );
      await waiter.p;
    });
  }

  // ----- calls -------------------------------------------------------------------------------

  /** Places a call; resolves with its id once the gateway reports it ringing (or answered). */
  call(number: string, options: { video?: boolean } = {}): Promise<string> {
    return this.#act(() => {
      const target = normalizeDialString(number);
      const video = options.video === true;
      if (video && !this.#awlConfig.enableVideo) throw invalidArgument(VIDEO_OFF);
      const client = this.#requireRegistered();
      if (this.#parts.calls.length >= MAX_CALLS) throw tooManyCalls();
      const notStarted = (cause?: unknown): IpoError =>
        err('call-failed', `The call to ${target} could not be started.`, { cause });
      let id = '';
      this.#batch(() => {
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
        if (!this.#ended.has(id) && !this.#findCall(id)) {
          this.#addCall(id, 'outgoing', 'dialing', readFarEnd(handle, target), video);
        }
        if (this.#findCall(id)) this.#set({ activeCallId: id });
      });
      // The engine may already have settled the call synchronously (e.g. the call limit).
      const endedReason = this.#ended.get(id);
      if (endedReason !== undefined) throw this.#callEndError(id, target, endedReason);
      const current = this.#findCall(id);
      if (current && !inState('dialing', 'failed')(current)) return id;
      return this.#wait<string>(
        this.#timeouts.callSetup,
        (event) => {
          if (event.id !== id) return undefined;
          if (event.k === 'e') {
            // Ended by our own hangup: not a failure worth reporting.
            return this.#findCall(id)?.pending === 'hangup'
              ? err('cancelled', `The call to ${target} was cancelled.`, { callId: id })
              : this.#callEndError(id, target, event.why!);
          }
          // FAILED is followed by onCallTerminate, which carries the reason (§11.3): wait for it.
          const state = event.k === 's' && mapCallState(event.r);
          return state === 'ringing' || state === 'progressing' || state === 'connected'
            ? { v: id }
            : undefined;
        },
        () => {
          quietly(() => client.cancelCall(id));
          return err(
            'timeout',
            `The call to ${target} did not start within ${this.#seconds('callSetup')}.`,
            { callId: id },
          );
        },
        id,
      ).p;
    });
  }

  /** Answers an incoming call; resolves when it is connected. */
  answer(callId: string): Promise<void> {
    return this.#callAction(callId, 'answer', {
      no: inState('connected'),
      ok: inState('incoming'),
      t: 'answer',
      go: (client) => client.answerCall(callId),
      cf: (state) => state === 'connected' || undefined,
    });
  }

  /** Rejects an incoming call; resolves when the engine has ended it. */
  reject(callId: string): Promise<void> {
    return this.#callAction(callId, 'reject', {
      ok: inState('incoming'),
      t: 'control',
      go: (client) => client.rejectCall(callId),
      end: true,
    });
  }

  /** Ends a call in any state: reject (incoming), cancel (not yet answered) or drop (connected/held). */
  hangup(callId: string): Promise<void> {
    if (this.#findCall(callId)?.state === 'incoming') return this.reject(callId);
    return this.#callAction(callId, 'hangup', {
      no: inState('disconnected', 'failed'),
      ok: () => true,
      any: true,
      v: 'hang up',
      t: 'control',
      go: (client, call) =>
        inState('connected', 'held')(call) ? client.dropCall(callId) : client.cancelCall(callId),
      end: true,
    });
  }

  /** Puts a connected call on hold; resolves on `AWL_MSG_CALL_HELD`. No-op when already held. */
  hold(callId: string): Promise<void> {
    return this.#callAction(callId, 'hold', {
      no: inState('held'),
      ok: inState('connected'),
      t: 'control',
      go: (client) => client.doHold(callId),
      cf: (state) => state === 'held' || undefined,
    });
  }

  /** Takes a call off hold; resolves on `AWL_MSG_CALL_CONNECTED`. No-op when connected. */
  resume(callId: string): Promise<void> {
    return this.#callAction(callId, 'resume', {
      no: inState('connected'),
      ok: inState('held'),
      t: 'control',
      go: (client) => client.doUnHold(callId),
      cf: (state) => state === 'connected' || undefined,
    });
  }

  /** Mutes the microphone on a call (local; no gateway round trip). No-op when muted. */
  mute(callId: string): Promise<void> {
    return this.#setLocal(callId, 'muted', true);
  }

  /** Unmutes the microphone on a call (local). No-op when not muted. */
  unmute(callId: string): Promise<void> {
    return this.#setLocal(callId, 'muted', false);
  }

  /** Sends DTMF digits (0-9 * # A-D), one at a time; resolves after the last was sent. */
  sendDigits(callId: string, digits: string): Promise<void> {
    return this.#act(async () => {
      const sequence = normalizeDigits(digits);
      const client = this.#requireClient();
      for (let i = 0; i < sequence.length; i++) {
        // Each digit is a separate tone; spacing them keeps an engine from replacing the
        // previous tone with the next one (RTCDTMFSender replaces its buffer).
        if (i > 0) await this.#pause(callId);
        const call = this.#requireCall(callId);
        if (!call.canSendDigits) throw invalidState(call, 'send digits on');
        try {
          client.sendDTMF(callId, sequence[i]!);
        } catch (cause) {
          throw err('call-failed', 'The digits could not be sent.', { cause, callId });
        }
      }
    });
  }

  /**
   * Transfers a call. Blind: `target` is a number. Attended: `target` is the id of the
   * consultation call. Resolves when the gateway reports the transfer successful.
   */
  transfer(callId: string, target: string, options: { attended?: boolean } = {}): Promise<void> {
    const attended = options.attended === true;
    let to = '';
    return this.#callAction(callId, 'transfer', {
      pre: (call) => {
        if (attended) {
          const other = this.#findCall(target);
          if (!other) throw err('no-such-call', 'There is no consultation call to transfer to.');
          if (other.id === call.id)
            throw invalidArgument('A call cannot be transferred to itself.');
          if (!inState('connected', 'held')(other)) throw invalidState(other, 'transfer to');
          to = other.id;
        } else {
          to = normalizeDialString(target);
        }
      },
      ok: inState('connected', 'held'),
      t: 'transfer',
      go: (client) => {
        if (typeof client.transferCall !== 'function')
          throw err('unsupported', 'This telephony engine cannot transfer calls.');
        client.transferCall(to, callId, attended ? 'attended' : 'unAttended');
      },
      // CallTransferSuccessful reaches apps as a state change with an undefined state (§6.7).
      cf: (_state, raw) =>
        raw === undefined ||
        (raw === 'AWL_MSG_CALL_TRANSFER_FAILED'
          ? err('transfer-failed', 'The transfer failed; the call is still connected.', { callId })
          : undefined),
    });
  }

  /** Adds video to a connected audio call. The AWL API has no confirmation for media updates. */
  addVideo(callId: string): Promise<void> {
    return this.#setLocal(callId, 'video', true);
  }

  /** Removes video from a connected video call (local camera stops). */
  removeVideo(callId: string): Promise<void> {
    return this.#setLocal(callId, 'video', false);
  }

  /** Makes another call the active one (the one views show first). */
  setActiveCall(callId: string): void {
    const call = this.#requireCall(callId);
    this.#batch(() => this.#set({ activeCallId: call.id }));
  }

  /** Call statistics straight from the engine; never part of the snapshot. */
  getStats(callId: string): Promise<unknown> {
    return this.#act(async () => {
      this.#requireCall(callId);
      const client = this.#requireClient();
      if (typeof client.getStats !== 'function')
        throw err('unsupported', 'This telephony engine does not report call statistics.');
      return await client.getStats(callId);
    });
  }

  // ----- devices -----------------------------------------------------------------------------

  /** Asks the engine for the device list; later `devicechange`s refresh it automatically. */
  refreshDevices(): Promise<Devices> {
    return this.#act(() => this.#refreshDevices());
  }

  /** Chooses microphone, camera and/or speaker ('' = browser default). Works during calls. */
  selectDevices(choice: DeviceChoice): Promise<void> {
    return this.#act(async () => {
      if (typeof choice !== 'object' || choice === null)
        throw invalidArgument('Choose at least one device.');
      const devices = this.#parts.devices;
      const next: { -readonly [K in keyof DeviceSelection]: string } = { ...devices.selected };
      DEVICE_FIELDS.forEach((field, i) => {
        const id = choice[field];
        if (id === undefined) return;
        const name = DEVICE_NAMES[i];
        if (typeof id !== 'string') throw invalidArgument(`The ${name} id must be text.`);
        if (id !== '' && devices.loaded && !devices[field].some((d) => d.id === id))
          throw invalidArgument(`That ${name} is not connected.`);
        next[field] = id;
      });
      const client = await this.#ensureClient();
      const current = this.#parts.devices.selected;
      if (DEVICE_FIELDS.every((field) => next[field] === current[field])) return;
      if (typeof client.setDeviceIds !== 'function')
        throw err('unsupported', 'This telephony engine cannot switch devices.');
      try {
        client.setDeviceIds({
          audioInputID: next.audioInput,
          videoInputID: next.videoInput,
          audioOutputID: next.audioOutput,
          defaultId: next.audioInput === '' && next.videoInput === '' && next.audioOutput === '',
        });
      } catch (cause) {
        throw err('media-failed', 'The device could not be switched.', { cause });
      }
      this.#batch(() =>
        this.#set({
          devices: Object.freeze({ ...this.#parts.devices, selected: Object.freeze(next) }),
        }),
      );
    });
  }

  /** Clears `snapshot.error`. */
  clearError(): void {
    this.#batch(() => this.#set({ error: null }));
  }

  /**
   * Logs out if needed, rejects pending actions with 'disposed', stops every timer and listener.
   * Emits one last change (logged out, no calls); nothing after that.
   */
  dispose(): void {
    if (this.#disposed) return;
    const client = this.#client;
    const state = this.#parts.registration.state;
    const error = disposedError();
    this.#batch(() => {
      for (const waiter of [...this.#waiters]) waiter.fail(error);
      this.#setRegistration('logged-out', '');
    });
    this.#disposed = true;
    for (const handle of this.#timers) this.#clock.clearTimeout(handle);
    this.#timers.clear();
    this.#deviceSource?.removeEventListener('devicechange', this.#onDeviceChange);
    this.#deviceSource = null;
    this.#client = null;
    if (client && !canLogin(state)) quietly(() => client.logOut());
  }

  // ----- action plumbing ---------------------------------------------------------------------

  /** Runs an action: refuses after dispose, records any failure in `snapshot.error`. */
  async #act<T>(run: () => T | Promise<T>): Promise<T> {
    if (this.#disposed) throw disposedError();
    try {
      return await run();
    } catch (thrown) {
      const error =
        thrown instanceof IpoError
          ? thrown
          : err('call-failed', 'Something went wrong.', { cause: thrown });
      if (error.code !== 'cancelled') this.#batch(() => this.#set({ error }));
      throw error;
    }
  }

  /** Shared by login and tokenLogin: checks, engine start, wait for the verdict. */
  #register(
    user: string,
    options: LoginOptions,
    check: () => void,
    start: (client: AwlClient, user: string, bump: string) => void,
  ): Promise<void> {
    return this.#act(async () => {
      const name = typeof user === 'string' ? user.trim() : '';
      if (name === '') throw invalidArgument('Enter your extension or user name.');
      check();
      const bump = String(options.bump === true);
      const state = this.#parts.registration.state;
      if (isRegistered(state)) throw err('already-logged-in', 'This phone is already logged in.');
      if (!canLogin(state))
        throw err('invalid-state', 'The phone is still connecting. Wait for it to finish.');
      this.#batch(() => {
        this.#setRegistration('logging-in', '');
        this.#set({ user: name });
      });
      const cancelled = (): IpoError => err('cancelled', 'The login was cancelled.');
      try {
        const client = await this.#ensureClient();
        if (this.#parts.registration.state !== 'logging-in') throw cancelled();
        const waiter = this.#wait<void>(
          this.#timeouts.login,
          (event) => {
            if (event.k !== 'r') return undefined;
            if (isRegistered(registrationRule(event.r!)[0] as RegistrationState)) return DONE;
            return event.r === 'AWL_MSG_LOGGEDOUT' ? cancelled() : event.err;
          },
          () => {
            quietly(() => client.logOut()); // abandon the attempt in the engine
            return err(
              'timeout',
              `The gateway did not answer the login within ${this.#seconds('login')}.`,
            );
          },
        );
        this.#invoke(
          waiter,
          () => start(client, name, bump),
          'login-failed',
          'The telephony engine could not start the login.',
        );
        await waiter.p;
      } catch (thrown) {
        const error = await this.#diagnose(thrown);
        if (
          error instanceof IpoError &&
          error.code !== 'cancelled' &&
          (this.#parts.registration.state === 'logging-in' || error.code === 'timeout')
        ) {
          this.#batch(() => this.#setRegistration('error', error.message));
        }
        throw error;
      }
    });
  }

  /**
   * A login that could not reach the gateway: probes its address to say why (wrong port, host
   * typo, gateway down, origin not allowed, certificate), and shows that error instead.
   */
  async #diagnose(error: unknown): Promise<unknown> {
    if (!(error instanceof IpoError) || error.code !== 'connection-failed' || error.details)
      return error;
    const gw = this.#awlConfig.Gateway;
    const details = await diagnoseConnection(gw.ip, String(gw.port ?? '')).catch(() => undefined);
    if (!details || this.#disposed) return error;
    const better = err(error.code, problemMessage(details), {
      cause: error.cause,
      reason: error.reason,
      details,
    });
    // shown unless something newer replaced the error meanwhile
    if (this.#parts.error === error) this.#batch(() => this.#set({ error: better }));
    return better;
  }

  /** A call-scoped action that waits for a confirming callback (one at a time per call). */
  #callAction(callId: string, action: CallPending, spec: CallActionSpec): Promise<void> {
    const key = `${String(callId)} ${action}`;
    const running = this.#inflight.get(key);
    if (running) return running;
    const verb = spec.v ?? action;
    const promise = this.#act(async () => {
      const call = this.#requireCall(callId);
      if (spec.no?.(call)) return;
      spec.pre?.(call);
      if (!spec.ok(call)) throw invalidState(call, verb);
      if (call.pending !== null && !spec.any) {
        throw err('invalid-state', 'Wait for the previous action on this call to finish.', {
          callId,
        });
      }
      const client = this.#requireClient();
      const waiter = this.#wait<void>(
        this.#timeouts[spec.t],
        (event) => {
          if (event.id !== callId) return undefined;
          if (event.k === 'e') {
            if (spec.end) return DONE;
            const options = { callId, reason: event.why! };
            return MEDIA_ACCESS_RE.test(options.reason)
              ? mediaBlocked(options)
              : err('call-ended', `The call ended before it could ${verb}.`, options);
          }
          // A FAILED state is followed by onCallTerminate with the reason, handled above.
          const verdict = event.k === 's' ? spec.cf?.(mapCallState(event.r), event.r) : undefined;
          return verdict === true ? DONE : verdict;
        },
        () =>
          err('timeout', `The gateway did not confirm "${verb}" within ${this.#seconds(spec.t)}.`, {
            callId,
          }),
        callId,
        () => {
          if (this.#findCall(callId)?.pending === action)
            this.#patchCall(callId, { pending: null });
        },
      );
      this.#batch(() => {
        this.#patchCall(callId, { pending: action });
        this.#invoke(
          waiter,
          () => spec.go(client, call),
          'call-failed',
          `The call could not ${verb}.`,
          callId,
        );
      });
      await waiter.p;
    });
    this.#inflight.set(key, promise);
    const forget = (): void => {
      this.#inflight.delete(key);
    };
    promise.then(forget, forget);
    return promise;
  }

  /** Mute/unmute and add/remove video: local changes the AWL API does not confirm. */
  #setLocal(callId: string, key: 'muted' | 'video', on: boolean): Promise<void> {
    return this.#act(() => {
      const call = this.#requireCall(callId);
      if (call[key] === on) return;
      const mic = key === 'muted';
      if (!mic && on && !this.#awlConfig.enableVideo)
        throw err('invalid-state', VIDEO_OFF, { callId });
      if (
        !(mic ? (on ? call.canMute : call.canUnmute) : on ? call.canAddVideo : call.canRemoveVideo)
      )
        throw invalidState(
          call,
          mic ? (on ? 'mute' : 'unmute') : on ? 'add video to' : 'remove video from',
        );
      const client = this.#requireClient();
      const method = mic
        ? on
          ? client.doMute
          : client.doUnMute
        : on
          ? client.addVideo
          : client.removeVideo;
      if (!mic && typeof method !== 'function')
        throw err('unsupported', `This telephony engine cannot ${on ? 'add' : 'remove'} video.`);
      const failed = (cause?: unknown): IpoError =>
        err(
          'media-failed',
          mic
            ? `The microphone could not be ${on ? 'muted' : 'unmuted'}.`
            : `Video could not be ${on ? 'added' : 'removed'}.`,
          { cause, callId },
        );
      let ok: boolean | void;
      try {
        ok = method!.call(client, callId);
      } catch (cause) {
        throw failed(cause);
      }
      if (ok === false) throw failed();
      this.#batch(() => this.#patchCall(callId, { [key]: on }));
    });
  }

  async #refreshDevices(): Promise<Devices> {
    const client = await this.#ensureClient();
    if (typeof client.getDeviceList !== 'function')
      throw err('unsupported', 'This telephony engine cannot list devices.');
    const token = ++this.#deviceToken;
    const waiter = this.#wait<Devices>(
      this.#timeouts.devices,
      (event) => (event.k === 'd' && event.tok === token ? { v: event.d! } : undefined),
      () => err('timeout', 'The list of devices did not arrive.'),
    );
    this.#invoke(
      waiter,
      () =>
        client.getDeviceList?.((list) => {
          if (this.#disposed || this.#client !== client) return;
          this.#batch(() => this.#notify({ k: 'd', tok: token, d: this.#applyDeviceList(list) }));
        }),
      'media-failed',
      'The devices could not be listed.',
    );
    const devices = await waiter.p;
    this.#watchDevices();
    return devices;
  }

  /** Calls the engine; a throw fails the waiter instead of escaping. */
  #invoke(
    waiter: Waiter,
    run: () => unknown,
    code: IpoErrorCode,
    message: string,
    callId?: string,
  ): void {
    try {
      run();
    } catch (cause) {
      waiter.fail(cause instanceof IpoError ? cause : err(code, message, { cause, callId }));
    }
  }

  /** Waits for a matching engine event, bounded by a timeout; cancelled by dispose. */
  #wait<T>(
    ms: number,
    match: (event: EngineEvent) => Verdict<T>,
    onTimeout: () => Verdict<T>,
    callId?: string,
    onSettle?: () => void,
  ): Waiter<T> {
    let settled = false;
    let settle: (verdict: Verdict<T>) => void = () => undefined;
    const promise = new Promise<T>((resolve, reject) => {
      settle = (verdict) => {
        if (settled || !verdict) return;
        settled = true;
        this.#waiters.delete(waiter);
        stopTimer();
        this.#batch(() => onSettle?.());
        if (verdict instanceof IpoError) reject(verdict);
        else resolve(verdict.v);
      };
    });
    const waiter: Waiter<T> = {
      id: callId,
      p: promise,
      on: (event) => settle(match(event)),
      fail: settle,
    };
    this.#waiters.add(waiter as Waiter);
    const stopTimer = this.#timer(ms, () =>
      this.#batch(() => {
        // Leave first: onTimeout side effects (logOut, cancelCall) may call back synchronously.
        this.#waiters.delete(waiter as Waiter);
        settle(onTimeout());
      }),
    );
    return waiter;
  }

  /** Resolves after the DTMF gap unless the call ends or the session is disposed first. */
  #pause(callId: string): Promise<void> {
    return this.#wait<void>(
      this.#dtmfGap,
      (event) =>
        event.k === 'e' && event.id === callId
          ? err('call-ended', 'The call ended before all digits were sent.', { callId })
          : undefined,
      () => DONE,
      callId,
    ).p;
  }

  /** Reads the quality of every talking call once a second, while there is one. */
  #watchQuality(): void {
    const client = this.#client as
      (AwlClient & { getCallQuality?(id: string): Promise<CallQualityReading | null> }) | null;
    if (this.#qualityOn || !client || typeof client.getCallQuality !== 'function') return;
    this.#qualityOn = true;
    const tick = async () => {
      const talking = this.#parts.calls.filter((c) => c.state === 'connected');
      if (this.#disposed || this.#client !== client || !talking.length) {
        this.#qualityOn = false;
        this.#batch(() => {
          for (const c of this.#parts.calls)
            if (c.quality && c.state !== 'held') this.#patchCall(c.id, { quality: null });
        });
        return;
      }
      for (const c of talking) {
        const q = await Promise.resolve(client.getCallQuality!(c.id)).catch(() => null);
        if (!q || !this.#findCall(c.id)) continue;
        const warnings = q.warnings.map((w) => w.code);
        const level = !warnings.length
          ? 'good'
          : q.mos < 3.1 || warnings.includes('no-audio')
            ? 'poor'
            : 'fair';
        this.#batch(() =>
          this.#patchCall(c.id, { quality: { level, warnings: Object.freeze(warnings) } }),
        );
        this.dispatchEvent(new IpoSessionQualityEvent(c.id, q));
      }
      this.#timer(1000, () => void tick());
    };
    this.#timer(1000, () => void tick());
  }

  #timer(ms: number, callback: () => void): () => void {
    const handle: unknown = this.#clock.setTimeout(() => {
      this.#timers.delete(handle);
      callback();
    }, ms);
    this.#timers.add(handle);
    return () => {
      if (this.#timers.delete(handle)) this.#clock.clearTimeout(handle);
    };
  }

  #seconds(kind: keyof SessionTimeouts): string {
    return `${Math.round(this.#timeouts[kind] / 1000)} s`;
  }

  // ----- engine ------------------------------------------------------------------------------

  #ensureClient(): Promise<AwlClient> {
    if (this.#disposed) return Promise.reject(disposedError());
    return (this.#clientReady ??= this.#createClient().catch((error: unknown) => {
      this.#clientReady = null; // a later action may retry (e.g. window.AWL loaded late)
      throw error;
    }));
  }

  async #createClient(): Promise<AwlClient> {
    const client = await this.#resolveEngine();
    if (this.#disposed) throw disposedError();
    const missing = missingClientMethods(client);
    if (missing.length > 0) {
      throw err(
        'sdk-unavailable',
        `The telephony engine is incomplete (missing ${missing.join(', ')}).`,
      );
    }
    if (this.#options.log === true) quietly(() => client.enableLogging?.());
    const config: AwlConfig = {
      ...this.#awlConfig,
      AppData: {
        ...this.#awlConfig.AppData,
        appInstanceID:
          this.#options.appInstanceId ??
          quietly(() => client.generateAppInstanceID?.()) ??
          globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!,
      },
    };
    const waiter = this.#wait<void>(
      this.#timeouts.config,
      (event) =>
        event.k !== 'c'
          ? undefined
          : event.r === 'AWL_MSG_SETCONFIG_SUCCESS'
            ? DONE
            : event.r === 'AWL_MSG_SETCONFIG_FAILED'
              ? err(
                  'invalid-config',
                  withReason('The telephony engine rejected the configuration', event.why!),
                  { reason: event.why! },
                )
              : undefined,
      () => err('timeout', 'The telephony engine did not confirm its configuration.'),
    );
    this.#client = client;
    this.#invoke(
      waiter,
      () => client.setConfiguration(config, ...this.#callbacks(client)),
      'invalid-config',
      'The telephony engine rejected the configuration.',
    );
    try {
      await waiter.p;
    } catch (error) {
      if (this.#client === client) this.#client = null;
      throw error;
    }
    return client;
  }

  async #resolveEngine(): Promise<AwlClient> {
    const options = this.#options;
    if (options.client) return options.client;
    try {
      if (options.clientFactory) return await options.clientFactory();
      const global = options.sdk === 'global';
      const awl = global ? (globalThis as { AWL?: unknown }).AWL : await loadBundledAwl();
      const Client = (awl as { client?: unknown } | undefined)?.client;
      if (typeof Client !== 'function') {
        throw err(
          'sdk-unavailable',
          global
            ? 'No AWL SDK is loaded on this page (window.AWL.client is missing).'
            : 'The bundled telephony engine is missing AWL.client.',
        );
      }
      return new (Client as new () => AwlClient)();
    } catch (cause) {
      throw cause instanceof IpoError
        ? cause
        : err('sdk-unavailable', 'The telephony engine could not be loaded.', { cause });
    }
  }

  /** The four callbacks for `setConfiguration`, ignoring anything after dispose or replacement. */
  #callbacks(
    client: AwlClient,
  ): [
    (r: AwlResponse) => void,
    (r: AwlResponse) => void,
    AwlCallListener,
    (r: AwlResponse) => void,
  ] {
    // Wraps a handler: drops stale calls, batches its changes, and never lets our bugs unwind
    // into the engine (they are rethrown on a fresh stack instead).
    const guard =
      <A extends unknown[]>(handler: (...args: A) => void) =>
      (...args: A): void => {
        if (this.#disposed || this.#client !== client) return;
        try {
          this.#batch(() => handler(...args));
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      };
    const streams = (video: boolean) =>
      guard((callId: string, local: MediaStream, remote: MediaStream) =>
        this.#onStreams(String(callId), local, remote, video),
      );
    return [
      guard((r: AwlResponse) =>
        this.#notify({ k: 'c', r: readText(() => r.result), why: readText(() => r.reason) }),
      ),
      guard((r: AwlResponse) => this.#onRegistration(client, r)),
      {
        onNewIncomingCall: guard((callId: string, call: AwlCall) =>
          this.#onIncoming(String(callId), call),
        ),
        onCallStateChange: guard((callId: string, call: AwlCall, state: string | undefined) =>
          this.#onCallState(String(callId), call, state),
        ),
        onCallTerminate: guard((callId: string, reason: string) =>
          this.#onTerminate(
            String(callId),
            readText(() => reason),
          ),
        ),
        onLoopBackNotification: () => undefined, // the network test is not part of a phone session
        onVideoStreamsAvailable: streams(true),
        onAudioStreamsAvailable: streams(false),
      },
      guard((r: AwlResponse) => {
        const result = readText(() => r.result);
        if (result === 'AWL_MSG_TOKEN_RENEW_SUCCESS') this.#setResiliency({ tokenRenewal: 'ok' });
        else if (result === 'AWL_MSG_TOKEN_RENEW_FAILED')
          this.#setResiliency({ tokenRenewal: 'failed' });
      }),
    ];
  }

  readonly #onDeviceChange = (): void => {
    this.#refreshDevices().catch(() => undefined); // background refresh: no error surfaces
  };

  #watchDevices(): void {
    if (this.#deviceSource || this.#disposed) return;
    const source =
      this.#options.mediaDevices === undefined
        ? ((globalThis as { navigator?: { mediaDevices?: DeviceChangeSource } }).navigator
            ?.mediaDevices ?? null)
        : this.#options.mediaDevices;
    if (!source) return;
    source.addEventListener('devicechange', this.#onDeviceChange);
    this.#deviceSource = source;
  }

  // ----- engine callbacks → state ------------------------------------------------------------

  #onRegistration(client: AwlClient, response: AwlResponse): void {
    const result = readText(() => response.result);
    const reason = readText(() => response.reason);
    const [state, code, text = ''] = registrationRule(result);
    let error: IpoError | undefined;
    if (code) {
      const details =
        code === 'media-failed'
          ? MIC_BLOCKED
          : code === 'login-failed'
            ? loginFailureDetails(reason, this.#parts.registration.state)
            : undefined;
      error = details
        ? err(code, problemMessage(details), { reason, details })
        : err(code, /\.$/.test(text) ? text : withReason(text, reason), { reason });
      this.#set({ error });
    }
    if (result === 'AWL_MSG_LINK_ISSUE_DETECTED') this.#setResiliency({ linkIssue: true });
    if (state) this.#setRegistration(state, reason);
    if (state && isRegistered(state)) {
      const alt = quietly(() => client.getAlternateServerConfig?.());
      const current = this.#parts.resiliency.alternate;
      const alternate = alt?.address
        ? current &&
          current.address === alt.address &&
          current.port === (alt.port ?? '') &&
          current.serverType === (alt.serverType ?? '')
          ? current
          : Object.freeze({
              address: alt.address,
              port: alt.port ?? '',
              serverType: alt.serverType ?? '',
            })
        : null;
      // The token itself is a secret and is not kept; only whether one exists.
      this.#setResiliency({
        active: Boolean(response.authToken?.token),
        linkIssue: false,
        alternate,
      });
      this.#set({ error: null });
    }
    this.#notify({ k: 'r', r: result, why: reason, err: error });
  }

  #onIncoming(callId: string, call: AwlCall): void {
    const farEnd = readFarEnd(call, '');
    if (this.#findCall(callId)) {
      this.#patchCall(callId, { farEnd });
    } else {
      this.#ended.delete(callId); // a gateway may reuse an id
      const video = quietly(() => call?.isVideoCall()) === true && this.#awlConfig.enableVideo;
      this.#addCall(callId, 'incoming', 'incoming', farEnd, video);
      if (this.#parts.activeCallId === null) this.#set({ activeCallId: callId });
    }
    this.#notify({ k: 's', id: callId, r: 'AWL_MSG_CALL_INCOMING' });
  }

  #onCallState(callId: string, call: AwlCall, awlState: string | undefined): void {
    const mapped = mapCallState(awlState);
    const existing = this.#findCall(callId);
    if (!existing) {
      if (this.#ended.has(callId)) return; // late event for a call that already ended
      const direction = mapped === 'incoming' ? 'incoming' : 'outgoing';
      this.#addCall(
        callId,
        direction,
        mapped ?? (direction === 'incoming' ? 'incoming' : 'dialing'),
        readFarEnd(call, ''),
        false,
      );
    } else {
      const state = mapped ?? existing.state;
      this.#patchCall(callId, {
        state,
        farEnd: readFarEnd(call, existing.farEnd.number),
        connectedAt: existing.connectedAt ?? (state === 'connected' ? this.#clock.now() : null),
      });
      // A call that (re)connects is the one the user is talking on.
      if (state === 'connected' && existing.state !== 'connected') {
        this.#set({ activeCallId: callId });
        this.#watchQuality();
      }
    }
    if (this.#parts.activeCallId === null) this.#set({ activeCallId: callId });
    this.#notify({ k: 's', id: callId, r: awlState });
  }

  #onTerminate(callId: string, reason: string): void {
    const ended = this.#ended;
    ended.set(callId, reason);
    if (ended.size > 32) ended.delete(ended.keys().next().value ?? '');
    // Waiters see the end while the call is still listed (so they can read its pending action).
    this.#notify({ k: 'e', id: callId, why: reason });
    const call = this.#findCall(callId);
    if (call) this.#removeCall(call, reason);
  }

  #onStreams(callId: string, local: MediaStream, remote: MediaStream, video: boolean): void {
    if (!this.#findCall(callId)) return;
    const previous = this.#parts.streams[callId];
    if (previous?.video && !video) return; // the video pair already carries the audio tracks
    if (
      previous &&
      previous.local === local &&
      previous.remote === remote &&
      previous.video === video
    )
      return;
    this.#set({
      streams: Object.freeze({
        ...this.#parts.streams,
        [callId]: Object.freeze({ local, remote, video }),
      }),
    });
    if (video) this.#patchCall(callId, { video: true });
  }

  #applyDeviceList(list: unknown): Devices {
    const previous = this.#parts.devices;
    const lists: DeviceInfo[][] = [[], [], []];
    for (const entry of Array.isArray(list) ? (list as unknown[]) : []) {
      if (!Array.isArray(entry)) continue;
      const [kind, label, id] = entry as [DeviceKind, unknown, unknown];
      const found = lists[DEVICE_KINDS.indexOf(kind)];
      if (!found || typeof id !== 'string' || found.some((d) => d.id === id)) continue;
      found.push(Object.freeze({ id, label: typeof label === 'string' ? label : '', kind }));
    }
    // Unchanged lists keep their identity, so a `devicechange` that changes nothing is silent.
    let changed = !previous.loaded;
    const [audioInput, videoInput, audioOutput] = DEVICE_FIELDS.map((field, i) => {
      const old = previous[field];
      if (sameDevices(old, lists[i]!)) return old;
      changed = true;
      return Object.freeze(lists[i]!);
    });
    if (!changed) return previous;
    const devices: Devices = Object.freeze({
      loaded: true,
      audioInput: audioInput!,
      videoInput: videoInput!,
      audioOutput: audioOutput!,
      selected: previous.selected,
    });
    this.#set({ devices });
    return devices;
  }

  #notify(event: EngineEvent): void {
    for (const waiter of [...this.#waiters]) waiter.on(event);
  }

  // ----- state helpers -----------------------------------------------------------------------

  #requireClient(): AwlClient {
    if (!this.#client) throw err('not-logged-in', 'The phone is not logged in.');
    return this.#client;
  }

  #requireRegistered(): AwlClient {
    const state = this.#parts.registration.state;
    if (!isRegistered(state) || !this.#client) {
      throw err(
        'not-logged-in',
        canLogin(state)
          ? 'Log in before making calls.'
          : 'The phone is reconnecting. Try again shortly.',
      );
    }
    return this.#client;
  }

  #requireCall(callId: unknown): CallSnapshot {
    if (typeof callId !== 'string' || callId === '') throw invalidArgument('No call was given.');
    const call = this.#findCall(callId);
    if (!call) throw err('no-such-call', 'That call has ended or does not exist.', { callId });
    return call;
  }

  #findCall(callId: unknown): CallSnapshot | undefined {
    return this.#parts.calls.find((c) => c.id === callId);
  }

  /** The error for an outgoing call that ended before it rang. */
  #callEndError(callId: string, target: string, reason: string): IpoError {
    const options = { callId, reason };
    return /busy/i.test(reason)
      ? err('busy', `${target} is busy.`, options)
      : /max call limit/i.test(reason)
        ? tooManyCalls(options)
        : MEDIA_ACCESS_RE.test(reason)
          ? mediaBlocked(options)
          : err('call-failed', withReason(`The call to ${target} failed`, reason), options);
  }

  #addCall(
    id: string,
    direction: CallFacts['direction'],
    state: CallState,
    farEnd: FarEnd,
    video: boolean,
  ): void {
    const now = this.#clock.now();
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
      this.#awlConfig.enableVideo,
    );
    this.#set({ calls: Object.freeze([...this.#parts.calls, call]) });
  }

  /** Applies `patch` (undefined fields keep their value; a far end equal by value keeps its identity). */
  #patchCall(callId: string, patch: Partial<CallFacts>): void {
    const calls = this.#parts.calls;
    const index = calls.findIndex((c) => c.id === callId);
    const old = calls[index];
    if (!old) return;
    const facts: Record<string, unknown> & CallFacts = { ...old };
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) facts[key] = value;
    if (sameFarEnd(facts.farEnd, old.farEnd)) (facts as { farEnd: FarEnd }).farEnd = old.farEnd;
    if (sameFacts(facts, old)) return;
    const next = [...calls];
    next[index] = buildCall(facts, this.#awlConfig.enableVideo);
    this.#set({ calls: Object.freeze(next) });
  }

  #removeCall(call: CallSnapshot, reason: string): void {
    const calls = Object.freeze(this.#parts.calls.filter((c) => c !== call));
    const { [call.id]: gone, ...streams } = this.#parts.streams;
    this.#set({
      calls,
      lastEnded: Object.freeze({
        id: call.id,
        direction: call.direction,
        farEnd: call.farEnd,
        reason,
        endedAt: this.#clock.now(),
      }),
    });
    if (gone) this.#set({ streams: Object.freeze(streams) });
    if (this.#parts.activeCallId === call.id) {
      // Next active: a connected call, else one ringing in, else dialling, else held.
      const next = [
        inState('connected'),
        inState('incoming'),
        inState('dialing', 'ringing', 'progressing'),
        inState('held'),
        () => true,
      ]
        .map((pick) => calls.find(pick))
        .find(Boolean);
      this.#set({ activeCallId: next?.id ?? null });
    }
    // Actions still waiting on this call learn it is gone.
    const error = err('call-ended', 'The call has ended.', { callId: call.id, reason });
    for (const waiter of [...this.#waiters]) if (waiter.id === call.id) waiter.fail(error);
  }

  #setRegistration(state: RegistrationState, reason: string): void {
    const current = this.#parts.registration;
    if (current.state !== state || current.reason !== reason) {
      this.#set({ registration: Object.freeze({ state, reason }) });
    }
    if (canLogin(state)) {
      // Without a registration no call survives; the engine normally ended them already.
      for (const call of this.#parts.calls) this.#removeCall(call, '');
      this.#setResiliency({ active: false, linkIssue: false, tokenRenewal: null, alternate: null });
      if (state === 'logged-out') this.#set({ user: null });
    }
  }

  #setResiliency(patch: Partial<Resiliency>): void {
    const current = this.#parts.resiliency;
    const keys = Object.keys(patch) as (keyof Resiliency)[];
    if (keys.every((k) => Object.is(patch[k], current[k]))) return;
    this.#set({ resiliency: Object.freeze({ ...current, ...patch }) });
  }

  /** Replaces changed parts (by identity) and marks the snapshot dirty. */
  #set(patch: Partial<Parts>): void {
    for (const key of Object.keys(patch) as (keyof Parts)[]) {
      if (Object.is(this.#parts[key], patch[key])) continue;
      this.#parts = { ...this.#parts, [key]: patch[key] };
      this.#dirty = true;
    }
  }

  /** Groups changes so each engine callback or action step emits at most one `change`. */
  #batch<T>(run: () => T): T {
    this.#depth++;
    try {
      return run();
    } finally {
      if (--this.#depth === 0 && this.#dirty && !this.#disposed) {
        this.#dirty = false;
        const previous = this.#snapshot;
        this.#snapshot = this.#build();
        this.dispatchEvent(new IpoSessionChangeEvent(this.#snapshot, previous));
      }
    }
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
      videoEnabled: this.#awlConfig.enableVideo,
      registered,
      canLogin: canLogin(state),
      canLogout: !canLogin(state),
      canCall: registered && calls.length < MAX_CALLS,
    });
  }
}
