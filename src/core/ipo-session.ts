/**
 * IpoSession: drives any object with the AWL.client shape and turns its callbacks into immutable
 * snapshots, one `change` event per observable change, and promise-based actions that settle
 * when the gateway confirms. No DOM, no lit: usable from any framework or none.
 */
import {
  missingClientMethods,
  type AwlCall,
  type AwlCallListener,
  type AwlClient,
  type AwlConfig,
  type AwlDeviceEntry,
  type AwlResponse,
} from './awl-client.js';
import { toAwlConfig, type IpoSessionConfig } from './config.js';
import { IpoError, type IpoErrorCode } from './errors.js';
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

export interface IpoSessionEventMap {
  change: IpoSessionChangeEvent;
}

// ---------------------------------------------------------------------------------------------
// Internals

/** What the engine told us, as fed to waiting actions. */
type EngineEvent =
  | { kind: 'config'; result: string; reason: string }
  | { kind: 'registration'; result: string; reason: string; error: IpoError | undefined }
  | { kind: 'call-state'; callId: string; state: string | undefined }
  | { kind: 'call-end'; callId: string; reason: string }
  | { kind: 'devices'; token: number; devices: Devices };

type Verdict<T> = { value: T } | { error: IpoError };

interface Waiter {
  readonly callId: string | undefined;
  onEvent(event: EngineEvent): void;
  fail(error: IpoError): void;
}

interface Pending<T> {
  readonly promise: Promise<T>;
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

interface RegistrationRule {
  state?: RegistrationState;
  ok?: true;
  error?: [IpoErrorCode, (reason: string) => string];
}

/** `reason` appended to a sentence, without doubling its full stop. */
const withReason = (text: string, reason: string): string =>
  reason ? `${text} (${reason.replace(/\.$/, '')}).` : `${text}.`;

/** `onRegistrationStateChanged` results (§11.2) → state, success, or failure. */
const REGISTRATION_RULES: Readonly<Record<string, RegistrationRule>> = {
  AWL_MSG_LOGIN_SUCCESS: { state: 'logged-in', ok: true },
  AWL_MSG_RELOGGED_IN: { state: 'logged-in', ok: true },
  AWL_MSG_FAIL_BACK_SUCCESS: { state: 'logged-in', ok: true },
  AWL_MSG_FAIL_OVER_SUCCESS: { state: 'failed-over', ok: true },
  AWL_MSG_RECONNECTING: { state: 'reconnecting' },
  AWL_MSG_FAILING_OVER: { state: 'failing-over' },
  AWL_MSG_FAILING_BACK: { state: 'failing-back' },
  AWL_MSG_LOGGEDOUT: { state: 'logged-out' },
  AWL_MSG_LOGIN_FAILED: {
    state: 'error',
    error: ['login-failed', (r) => withReason('Login failed', r)],
  },
  AWL_MSG_LOGIN_WEBSOCKET_FAILURE: {
    state: 'error',
    error: ['connection-failed', (r) => withReason('Could not connect to the telephone system', r)],
  },
  AWL_MSG_FAIL_OVER_FAILED: {
    state: 'error',
    error: ['connection-failed', (r) => withReason('Could not move to the backup gateway', r)],
  },
  AWL_MSG_FAIL_BACK_FAILED: {
    state: 'error',
    error: ['connection-failed', (r) => withReason('Could not move back to the main gateway', r)],
  },
  AWL_MSG_LOGIN_EMPTYUSERNAME: {
    state: 'error',
    error: ['invalid-argument', () => 'Enter your extension or user name.'],
  },
  AWL_MSG_LOGIN_EMPTYPASSWORD: {
    state: 'error',
    error: ['invalid-argument', () => 'Enter your password.'],
  },
  AWL_MSG_LOGIN_EMPTYTOKEN: {
    state: 'error',
    error: ['invalid-argument', () => 'The login token is empty.'],
  },
  AWL_MSG_LOGIN_INVALID_TOKENTYPE: {
    state: 'error',
    error: ['invalid-argument', () => 'The token type must be ESNA or RESILIENCY.'],
  },
  AWL_MSG_LOGIN_GW_NOTCONFIGURED: {
    state: 'error',
    error: ['invalid-config', () => 'No gateway address is configured.'],
  },
  AWL_MSG_DEVICEACCESS_FAILURE: {
    state: 'error',
    error: ['media-failed', () => 'The microphone or camera could not be opened.'],
  },
  AWL_MSG_DUPLICATE_LOGIN: {
    error: ['already-logged-in', () => 'This phone is already logged in.'],
  },
  AWL_MSG_LINK_ISSUE_DETECTED: {},
};

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

const invalidArgument = (message: string): IpoError => new IpoError('invalid-argument', message);
const disposedError = (): IpoError =>
  new IpoError('disposed', 'This phone session has been closed.');

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

/** Reads a string from an engine getter that may be missing, throw or return null. */
function readText(read: () => unknown): string {
  try {
    const value = read();
    return value === null || value === undefined ? '' : String(value);
  } catch {
    return '';
  }
}

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

function readIsVideo(call: AwlCall | null | undefined): boolean {
  try {
    return call?.isVideoCall() === true;
  } catch {
    return false;
  }
}

function randomInstanceId(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0] ?? 1;
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

const EMPTY_DEVICES: Devices = Object.freeze({
  loaded: false,
  audioInput: Object.freeze([]),
  videoInput: Object.freeze([]),
  audioOutput: Object.freeze([]),
  selected: Object.freeze({ audioInput: '', videoInput: '', audioOutput: '' }),
});

const DEVICE_FIELD: Readonly<Record<DeviceKind, keyof DeviceSelection>> = {
  audioinput: 'audioInput',
  videoinput: 'videoInput',
  audiooutput: 'audioOutput',
};

const DEVICE_NAMES: Readonly<Record<keyof DeviceSelection, string>> = {
  audioInput: 'microphone',
  videoInput: 'camera',
  audioOutput: 'speaker',
};

function sameDevices(a: readonly DeviceInfo[], b: readonly DeviceInfo[]): boolean {
  return a.length === b.length && a.every((d, i) => d.id === b[i]?.id && d.label === b[i]?.label);
}

const freezeRecord = <T>(record: Record<string, T>): Readonly<Record<string, T>> =>
  Object.freeze(record);

// ---------------------------------------------------------------------------------------------

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
  /** In-flight call actions by `${callId} ${action}`, so a repeat returns the same promise. */
  readonly #inflight = new Map<string, Promise<unknown>>();
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
      streams: freezeRecord({}),
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
  }

  /** The current state. Frozen; replaced (not mutated) on every change. */
  get snapshot(): SessionSnapshot {
    return this.#snapshot;
  }

  override addEventListener<K extends keyof IpoSessionEventMap>(
    type: K,
    listener: ((event: IpoSessionEventMap[K]) => void) | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    super.addEventListener(type, listener, options);
  }

  override removeEventListener<K extends keyof IpoSessionEventMap>(
    type: K,
    listener: ((event: IpoSessionEventMap[K]) => void) | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void {
    super.removeEventListener(type, listener, options);
  }

  // ----- registration ------------------------------------------------------------------------

  /** Logs in with extension (or user name) and password; resolves on `AWL_MSG_LOGIN_SUCCESS`. */
  login(user: string, password: string, options: LoginOptions = {}): Promise<void> {
    return this.#act(async () => {
      const name = typeof user === 'string' ? user.trim() : '';
      if (name === '') throw invalidArgument('Enter your extension or user name.');
      if (typeof password !== 'string' || password === '')
        throw invalidArgument('Enter your password.');
      const bump = options.bump === true ? 'true' : 'false';
      await this.#register(name, (client) => client.logIn(name, password, bump));
    });
  }

  /** Logs in with an ESNA or RESILIENCY token; resolves on `AWL_MSG_LOGIN_SUCCESS`. */
  tokenLogin(
    user: string,
    token: string,
    type: TokenType,
    options: LoginOptions = {},
  ): Promise<void> {
    return this.#act(async () => {
      const name = typeof user === 'string' ? user.trim() : '';
      if (name === '') throw invalidArgument('Enter your extension or user name.');
      if (typeof token !== 'string' || token === '')
        throw invalidArgument('The login token is empty.');
      const kind = typeof type === 'string' ? type.toUpperCase() : '';
      if (kind !== 'ESNA' && kind !== 'RESILIENCY') {
        throw invalidArgument('The token type must be ESNA or RESILIENCY.');
      }
      const bump = options.bump === true ? 'true' : 'false';
      await this.#register(name, (client) => {
        if (typeof client.tokenLogIn !== 'function') {
          throw new IpoError('unsupported', 'This telephony engine cannot log in with a token.');
        }
        client.tokenLogIn(name, token, kind, bump);
      });
    });
  }

  /** Logs out (ending every call); resolves on `AWL_MSG_LOGGEDOUT`. No-op when logged out. */
  logout(): Promise<void> {
    return this.#act(async () => {
      const state = this.#parts.registration.state;
      const client = this.#client;
      if (state === 'logged-out' || state === 'error') return;
      if (!client) {
        // Still loading the engine: the pending login sees this and gives up.
        this.#batch(() => this.#setRegistration('logged-out', ''));
        return;
      }
      const pending = this.#wait<void>({
        timeoutMs: this.#timeouts.logout,
        match: (event) => {
          if (event.kind !== 'registration') return undefined;
          const next = REGISTRATION_RULES[event.result]?.state;
          return next === 'logged-out' || next === 'error' ? { value: undefined } : undefined;
        },
        onTimeout: () => {
          // Our view must not claim a registration the user asked to end.
          this.#setRegistration('logged-out', '');
          return {
            error: new IpoError(
              'timeout',
              'The gateway did not confirm the logout; the phone was logged out locally.',
            ),
          };
        },
      });
      this.#invoke(
        pending,
        () => client.logOut(),
        'connection-failed',
        'The telephony engine could not log out.',
      );
      await pending.promise;
    });
  }

  // ----- calls -------------------------------------------------------------------------------

  /** Places a call; resolves with its id once the gateway reports it ringing (or answered). */
  call(number: string, options: { video?: boolean } = {}): Promise<string> {
    return this.#act(() => {
      const target = normalizeDialString(number);
      const video = options.video === true;
      if (video && !this.#awlConfig.enableVideo)
        throw invalidArgument('Video is turned off for this phone.');
      const client = this.#requireRegistered();
      if (this.#parts.calls.length >= MAX_CALLS) {
        throw new IpoError(
          'too-many-calls',
          `You already have ${MAX_CALLS} calls. End one before making another.`,
        );
      }
      let id = '';
      this.#batch(() => {
        let made: AwlCall | null | undefined;
        try {
          made = client.makeCall(target, video ? 'video' : 'audio');
        } catch (cause) {
          throw new IpoError('call-failed', `The call to ${target} could not be started.`, {
            cause,
          });
        }
        const handle = made;
        if (!handle) {
          throw new IpoError(
            'invalid-state',
            'The phone cannot place calls while it reconnects. Try again shortly.',
          );
        }
        id = readText(() => handle.getCallId());
        if (id === '')
          throw new IpoError('call-failed', `The call to ${target} could not be started.`);
        if (!this.#ended.has(id) && !this.#findCall(id)) {
          this.#addCall(id, 'outgoing', 'dialing', readFarEnd(handle, target), video);
        }
        if (this.#findCall(id)) this.#set({ activeCallId: id });
      });
      // The engine may already have settled the call synchronously (e.g. the call limit).
      const endedReason = this.#ended.get(id);
      if (endedReason !== undefined) throw this.#callEndError(id, target, endedReason);
      const current = this.#findCall(id);
      if (current && current.state !== 'dialing' && current.state !== 'failed') return id;
      const pending = this.#wait<string>({
        timeoutMs: this.#timeouts.callSetup,
        callId: id,
        match: (event) => {
          if (event.kind === 'call-end' && event.callId === id) {
            // Ended by our own hangup: not a failure worth reporting.
            if (this.#findCall(id)?.pending === 'hangup') {
              return {
                error: new IpoError('cancelled', `The call to ${target} was cancelled.`, {
                  callId: id,
                }),
              };
            }
            return { error: this.#callEndError(id, target, event.reason) };
          }
          if (event.kind !== 'call-state' || event.callId !== id) return undefined;
          // FAILED is followed by onCallTerminate, which carries the reason (§11.3): wait for it.
          const state = mapCallState(event.state);
          return state === 'ringing' || state === 'progressing' || state === 'connected'
            ? { value: id }
            : undefined;
        },
        onTimeout: () => {
          this.#quietly(() => client.cancelCall(id));
          return {
            error: new IpoError(
              'timeout',
              `The call to ${target} did not start within ${this.#seconds('callSetup')}.`,
              { callId: id },
            ),
          };
        },
      });
      return pending.promise;
    });
  }

  /** Answers an incoming call; resolves when it is connected. */
  answer(callId: string): Promise<void> {
    return this.#callAction(callId, 'answer', {
      noop: (call) => call.state === 'connected',
      allowed: (call) => call.state === 'incoming',
      verb: 'answer',
      timeoutMs: this.#timeouts.answer,
      invoke: (client) => client.answerCall(callId),
      confirm: (state) => (state === 'connected' ? true : undefined),
    });
  }

  /** Rejects an incoming call; resolves when the engine has ended it. */
  reject(callId: string): Promise<void> {
    return this.#callAction(callId, 'reject', {
      allowed: (call) => call.state === 'incoming',
      verb: 'reject',
      timeoutMs: this.#timeouts.control,
      invoke: (client) => client.rejectCall(callId),
      endIsSuccess: true,
    });
  }

  /** Ends a call in any state: reject (incoming), cancel (not yet answered) or drop (connected/held). */
  hangup(callId: string): Promise<void> {
    const call = this.#findCall(typeof callId === 'string' ? callId : '');
    if (call?.state === 'incoming') return this.reject(callId);
    return this.#callAction(callId, 'hangup', {
      noop: (c) => c.state === 'disconnected' || c.state === 'failed',
      allowed: () => true,
      anyPending: true,
      verb: 'hang up',
      timeoutMs: this.#timeouts.control,
      invoke: (client, c) =>
        c.state === 'connected' || c.state === 'held'
          ? client.dropCall(callId)
          : client.cancelCall(callId),
      endIsSuccess: true,
    });
  }

  /** Puts a connected call on hold; resolves on `AWL_MSG_CALL_HELD`. No-op when already held. */
  hold(callId: string): Promise<void> {
    return this.#callAction(callId, 'hold', {
      noop: (call) => call.state === 'held',
      allowed: (call) => call.state === 'connected',
      verb: 'hold',
      timeoutMs: this.#timeouts.control,
      invoke: (client) => client.doHold(callId),
      confirm: (state) => (state === 'held' ? true : undefined),
    });
  }

  /** Takes a call off hold; resolves on `AWL_MSG_CALL_CONNECTED`. No-op when connected. */
  resume(callId: string): Promise<void> {
    return this.#callAction(callId, 'resume', {
      noop: (call) => call.state === 'connected',
      allowed: (call) => call.state === 'held',
      verb: 'resume',
      timeoutMs: this.#timeouts.control,
      invoke: (client) => client.doUnHold(callId),
      confirm: (state) => (state === 'connected' ? true : undefined),
    });
  }

  /** Mutes the microphone on a call (local; no gateway round trip). No-op when muted. */
  mute(callId: string): Promise<void> {
    return this.#setMuted(callId, true);
  }

  /** Unmutes the microphone on a call (local). No-op when not muted. */
  unmute(callId: string): Promise<void> {
    return this.#setMuted(callId, false);
  }

  /** Sends DTMF digits (0-9 * # A-D), one at a time; resolves after the last was sent. */
  sendDigits(callId: string, digits: string): Promise<void> {
    return this.#act(async () => {
      const sequence = normalizeDigits(digits);
      const client = this.#requireClient();
      for (let i = 0; i < sequence.length; i++) {
        // Each digit is a separate tone; spacing them keeps an engine from replacing the
        // previous tone with the next one (RTCDTMFSender replaces its buffer).
        if (i > 0) await this.#pause(this.#dtmfGap, callId);
        const call = this.#requireCall(callId);
        if (!call.canSendDigits) throw this.#invalidState(call, 'send digits on');
        const digit = sequence[i] ?? '';
        try {
          client.sendDTMF(callId, digit);
        } catch (cause) {
          throw new IpoError('call-failed', 'The digits could not be sent.', { cause, callId });
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
      validate: (call) => {
        if (attended) {
          const other = this.#findCall(target);
          if (!other)
            throw new IpoError('no-such-call', 'There is no consultation call to transfer to.');
          if (other.id === call.id)
            throw invalidArgument('A call cannot be transferred to itself.');
          if (other.state !== 'connected' && other.state !== 'held') {
            throw this.#invalidState(other, 'transfer to');
          }
          to = other.id;
        } else {
          to = normalizeDialString(target);
        }
      },
      allowed: (call) => call.state === 'connected' || call.state === 'held',
      verb: 'transfer',
      timeoutMs: this.#timeouts.transfer,
      invoke: (client) => {
        if (typeof client.transferCall !== 'function') {
          throw new IpoError('unsupported', 'This telephony engine cannot transfer calls.');
        }
        client.transferCall(to, callId, attended ? 'attended' : 'unAttended');
      },
      // CallTransferSuccessful reaches apps as a state change with an undefined state (§6.7).
      confirm: (_state, raw) =>
        raw === undefined
          ? true
          : raw === 'AWL_MSG_CALL_TRANSFER_FAILED'
            ? new IpoError('transfer-failed', 'The transfer failed; the call is still connected.', {
                callId,
              })
            : undefined,
    });
  }

  /** Adds video to a connected audio call. The AWL API has no confirmation for media updates. */
  addVideo(callId: string): Promise<void> {
    return this.#setVideo(callId, true);
  }

  /** Removes video from a connected video call (local camera stops). */
  removeVideo(callId: string): Promise<void> {
    return this.#setVideo(callId, false);
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
      if (typeof client.getStats !== 'function') {
        throw new IpoError('unsupported', 'This telephony engine does not report call statistics.');
      }
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
      for (const field of ['audioInput', 'videoInput', 'audioOutput'] as const) {
        const id = choice[field];
        if (id === undefined) continue;
        if (typeof id !== 'string')
          throw invalidArgument(`The ${DEVICE_NAMES[field]} id must be text.`);
        if (id !== '' && devices.loaded && !devices[field].some((d) => d.id === id)) {
          throw invalidArgument(`That ${DEVICE_NAMES[field]} is not connected.`);
        }
        next[field] = id;
      }
      const client = await this.#ensureClient();
      const current = this.#parts.devices.selected;
      if (
        next.audioInput === current.audioInput &&
        next.videoInput === current.videoInput &&
        next.audioOutput === current.audioOutput
      )
        return;
      if (typeof client.setDeviceIds !== 'function') {
        throw new IpoError('unsupported', 'This telephony engine cannot switch devices.');
      }
      try {
        client.setDeviceIds({
          audioInputID: next.audioInput,
          videoInputID: next.videoInput,
          audioOutputID: next.audioOutput,
          defaultId: next.audioInput === '' && next.videoInput === '' && next.audioOutput === '',
        });
      } catch (cause) {
        throw new IpoError('media-failed', 'The device could not be switched.', { cause });
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
    if (client && state !== 'logged-out' && state !== 'error') this.#quietly(() => client.logOut());
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
          : new IpoError('call-failed', 'Something went wrong.', { cause: thrown });
      if (error.code !== 'cancelled') this.#batch(() => this.#set({ error }));
      throw error;
    }
  }

  /** Shared by login and tokenLogin: state checks, engine start, wait for the verdict. */
  async #register(user: string, start: (client: AwlClient) => void): Promise<void> {
    const state = this.#parts.registration.state;
    if (isRegistered(state))
      throw new IpoError('already-logged-in', 'This phone is already logged in.');
    if (state !== 'logged-out' && state !== 'error') {
      throw new IpoError('invalid-state', 'The phone is still connecting. Wait for it to finish.');
    }
    this.#batch(() => {
      this.#setRegistration('logging-in', '');
      this.#set({ user });
    });
    try {
      const client = await this.#ensureClient();
      if (this.#parts.registration.state !== 'logging-in') {
        throw new IpoError('cancelled', 'The login was cancelled.');
      }
      const pending = this.#wait<void>({
        timeoutMs: this.#timeouts.login,
        match: (event) => {
          if (event.kind !== 'registration') return undefined;
          const rule = REGISTRATION_RULES[event.result];
          if (rule?.ok) return { value: undefined };
          if (event.result === 'AWL_MSG_LOGGEDOUT')
            return { error: new IpoError('cancelled', 'The login was cancelled.') };
          return event.error ? { error: event.error } : undefined;
        },
        onTimeout: () => {
          this.#quietly(() => client.logOut()); // abandon the attempt in the engine
          return {
            error: new IpoError(
              'timeout',
              `The gateway did not answer the login within ${this.#seconds('login')}.`,
            ),
          };
        },
      });
      this.#invoke(
        pending,
        () => start(client),
        'login-failed',
        'The telephony engine could not start the login.',
      );
      await pending.promise;
    } catch (error) {
      const current = this.#parts.registration.state;
      if (
        error instanceof IpoError &&
        error.code !== 'cancelled' &&
        (current === 'logging-in' || error.code === 'timeout')
      ) {
        this.#batch(() => this.#setRegistration('error', error.message));
      }
      throw error;
    }
  }

  /**
   * A call-scoped action that waits for a confirming callback. `confirm` maps the mapped and raw
   * AWL state of each state change to success (true), failure (IpoError) or keep waiting.
   */
  #callAction(
    callId: string,
    action: CallPending,
    spec: {
      allowed: (call: CallSnapshot) => boolean;
      verb: string;
      timeoutMs: number;
      invoke: (client: AwlClient, call: CallSnapshot) => void;
      noop?: (call: CallSnapshot) => boolean;
      validate?: (call: CallSnapshot) => void;
      confirm?: (state: CallState | null, raw: string | undefined) => true | IpoError | undefined;
      /** The call ending is the goal (hangup, reject). */
      endIsSuccess?: boolean;
      /** Allowed while another action on the call is pending (hangup). */
      anyPending?: boolean;
    },
  ): Promise<void> {
    const key = `${String(callId)} ${action}`;
    const running = this.#inflight.get(key);
    if (running) return running as Promise<void>;
    const promise = this.#act(async () => {
      const call = this.#requireCall(callId);
      if (spec.noop?.(call)) return;
      spec.validate?.(call);
      if (!spec.allowed(call)) throw this.#invalidState(call, spec.verb);
      if (call.pending !== null && !spec.anyPending) {
        throw new IpoError(
          'invalid-state',
          'Wait for the previous action on this call to finish.',
          { callId },
        );
      }
      const client = this.#requireClient();
      const pending = this.#wait<void>({
        timeoutMs: spec.timeoutMs,
        callId,
        match: (event) => {
          if ((event.kind !== 'call-end' && event.kind !== 'call-state') || event.callId !== callId)
            return undefined;
          if (event.kind === 'call-end') {
            if (spec.endIsSuccess) return { value: undefined };
            const options = { callId, reason: event.reason };
            return {
              error: MEDIA_ACCESS_RE.test(event.reason)
                ? new IpoError(
                    'media-failed',
                    'The microphone or camera could not be opened.',
                    options,
                  )
                : new IpoError(
                    'call-ended',
                    `The call ended before it could ${spec.verb}.`,
                    options,
                  ),
            };
          }
          // A FAILED state is followed by onCallTerminate with the reason, handled above.
          const verdict = spec.confirm?.(mapCallState(event.state), event.state);
          if (verdict === true) return { value: undefined };
          return verdict ? { error: verdict } : undefined;
        },
        onTimeout: () => ({
          error: new IpoError(
            'timeout',
            `The gateway did not confirm "${spec.verb}" within ${Math.round(spec.timeoutMs / 1000)} s.`,
            { callId },
          ),
        }),
        onSettle: () => {
          if (this.#findCall(callId)?.pending === action)
            this.#patchCall(callId, { pending: null });
        },
      });
      this.#batch(() => {
        this.#patchCall(callId, { pending: action });
        this.#invoke(
          pending,
          () => spec.invoke(client, call),
          'call-failed',
          `The call could not ${spec.verb}.`,
          callId,
        );
      });
      await pending.promise;
    });
    this.#inflight.set(key, promise);
    const forget = (): void => {
      this.#inflight.delete(key);
    };
    promise.then(forget, forget);
    return promise;
  }

  async #setMuted(callId: string, muted: boolean): Promise<void> {
    return this.#act(() => {
      const call = this.#requireCall(callId);
      if (call.muted === muted) return;
      if (!(muted ? call.canMute : call.canUnmute))
        throw this.#invalidState(call, muted ? 'mute' : 'unmute');
      const client = this.#requireClient();
      let ok: boolean | void;
      try {
        ok = muted ? client.doMute(callId) : client.doUnMute(callId);
      } catch (cause) {
        throw new IpoError(
          'media-failed',
          `The microphone could not be ${muted ? 'muted' : 'unmuted'}.`,
          { cause, callId },
        );
      }
      if (ok === false) {
        throw new IpoError(
          'media-failed',
          `The microphone could not be ${muted ? 'muted' : 'unmuted'}.`,
          { callId },
        );
      }
      this.#batch(() => this.#patchCall(callId, { muted }));
    });
  }

  async #setVideo(callId: string, video: boolean): Promise<void> {
    return this.#act(() => {
      const call = this.#requireCall(callId);
      if (call.video === video) return;
      if (video && !this.#awlConfig.enableVideo) {
        throw new IpoError('invalid-state', 'Video is turned off for this phone.', { callId });
      }
      if (!(video ? call.canAddVideo : call.canRemoveVideo)) {
        throw this.#invalidState(call, video ? 'add video to' : 'remove video from');
      }
      const client = this.#requireClient();
      const method = video ? client.addVideo : client.removeVideo;
      if (typeof method !== 'function') {
        throw new IpoError(
          'unsupported',
          `This telephony engine cannot ${video ? 'add' : 'remove'} video.`,
        );
      }
      let ok: boolean | void;
      try {
        ok = method.call(client, callId);
      } catch (cause) {
        throw new IpoError('media-failed', `Video could not be ${video ? 'added' : 'removed'}.`, {
          cause,
          callId,
        });
      }
      if (ok === false)
        throw new IpoError('media-failed', `Video could not be ${video ? 'added' : 'removed'}.`, {
          callId,
        });
      this.#batch(() => this.#patchCall(callId, { video }));
    });
  }

  async #refreshDevices(): Promise<Devices> {
    const client = await this.#ensureClient();
    if (typeof client.getDeviceList !== 'function') {
      throw new IpoError('unsupported', 'This telephony engine cannot list devices.');
    }
    const token = ++this.#deviceToken;
    const pending = this.#wait<Devices>({
      timeoutMs: this.#timeouts.devices,
      match: (event) =>
        event.kind === 'devices' && event.token === token ? { value: event.devices } : undefined,
      onTimeout: () => ({ error: new IpoError('timeout', 'The list of devices did not arrive.') }),
    });
    this.#invoke(
      pending,
      () => client.getDeviceList?.(this.#deviceCallback(client, token)),
      'media-failed',
      'The devices could not be listed.',
    );
    const devices = await pending.promise;
    this.#watchDevices();
    return devices;
  }

  /** Calls the engine; a throw fails the pending wait instead of escaping. */
  #invoke(
    pending: Pending<unknown>,
    run: () => void,
    code: IpoErrorCode,
    message: string,
    callId?: string,
  ): void {
    try {
      run();
    } catch (cause) {
      pending.fail(
        cause instanceof IpoError ? cause : new IpoError(code, message, { cause, callId }),
      );
    }
  }

  /** Runs a best-effort engine call whose failure changes nothing for the caller. */
  #quietly(run: () => void): void {
    try {
      run();
    } catch {
      /* best effort */
    }
  }

  /** Waits for a matching engine event, bounded by a timeout; cancelled by dispose. */
  #wait<T>(spec: {
    timeoutMs: number;
    callId?: string;
    match: (event: EngineEvent) => Verdict<T> | undefined;
    onTimeout: () => Verdict<T>;
    onSettle?: () => void;
  }): Pending<T> {
    let settled = false;
    let settle: (verdict: Verdict<T>) => void = () => undefined;
    const promise = new Promise<T>((resolve, reject) => {
      settle = (verdict) => {
        if (settled) return;
        settled = true;
        this.#waiters.delete(waiter);
        stopTimer();
        this.#batch(() => spec.onSettle?.());
        if ('value' in verdict) resolve(verdict.value);
        else reject(verdict.error);
      };
    });
    const waiter: Waiter = {
      callId: spec.callId,
      onEvent: (event) => {
        const verdict = spec.match(event);
        if (verdict) settle(verdict);
      },
      fail: (error) => settle({ error }),
    };
    this.#waiters.add(waiter);
    const stopTimer = this.#timer(spec.timeoutMs, () =>
      this.#batch(() => {
        // Leave first: onTimeout side effects (logOut, cancelCall) may call back synchronously.
        this.#waiters.delete(waiter);
        settle(spec.onTimeout());
      }),
    );
    return { promise, fail: waiter.fail };
  }

  /** Resolves after `ms` unless the call ends or the session is disposed first. */
  #pause(ms: number, callId: string): Promise<void> {
    return this.#wait<void>({
      timeoutMs: ms,
      callId,
      match: (event) =>
        event.kind === 'call-end' && event.callId === callId
          ? {
              error: new IpoError('call-ended', 'The call ended before all digits were sent.', {
                callId,
              }),
            }
          : undefined,
      onTimeout: () => ({ value: undefined }),
    }).promise;
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
    this.#clientReady ??= this.#createClient().catch((error: unknown) => {
      this.#clientReady = null; // a later action may retry (e.g. window.AWL loaded late)
      throw error;
    });
    return this.#clientReady;
  }

  async #createClient(): Promise<AwlClient> {
    const client = await this.#resolveEngine();
    if (this.#disposed) throw disposedError();
    const missing = missingClientMethods(client);
    if (missing.length > 0) {
      throw new IpoError(
        'sdk-unavailable',
        `The telephony engine is incomplete (missing ${missing.join(', ')}).`,
      );
    }
    if (this.#options.log === true) this.#quietly(() => client.enableLogging?.());
    let instanceId: string | number | undefined = this.#options.appInstanceId;
    if (instanceId === undefined) {
      try {
        instanceId = client.generateAppInstanceID?.();
      } catch {
        instanceId = undefined;
      }
    }
    const config: AwlConfig = {
      ...this.#awlConfig,
      AppData: { ...this.#awlConfig.AppData, appInstanceID: instanceId ?? randomInstanceId() },
    };
    const pending = this.#wait<void>({
      timeoutMs: this.#timeouts.config,
      match: (event) => {
        if (event.kind !== 'config') return undefined;
        if (event.result === 'AWL_MSG_SETCONFIG_SUCCESS') return { value: undefined };
        if (event.result === 'AWL_MSG_SETCONFIG_FAILED') {
          return {
            error: new IpoError(
              'invalid-config',
              withReason('The telephony engine rejected the configuration', event.reason),
              {
                reason: event.reason,
              },
            ),
          };
        }
        return undefined;
      },
      onTimeout: () => ({
        error: new IpoError('timeout', 'The telephony engine did not confirm its configuration.'),
      }),
    });
    this.#client = client;
    this.#invoke(
      pending,
      () => client.setConfiguration(config, ...this.#callbacks(client)),
      'invalid-config',
      'The telephony engine rejected the configuration.',
    );
    try {
      await pending.promise;
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
      const awl =
        options.sdk === 'global' ? (globalThis as { AWL?: unknown }).AWL : await loadBundledAwl();
      const Client = (awl as { client?: unknown } | undefined)?.client;
      if (typeof Client !== 'function') {
        throw new IpoError(
          'sdk-unavailable',
          options.sdk === 'global'
            ? 'No AWL SDK is loaded on this page (window.AWL.client is missing).'
            : 'The bundled telephony engine is missing AWL.client.',
        );
      }
      return new (Client as new () => AwlClient)();
    } catch (cause) {
      if (cause instanceof IpoError) throw cause;
      throw new IpoError('sdk-unavailable', 'The telephony engine could not be loaded.', { cause });
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
    const listener: AwlCallListener = {
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
      onVideoStreamsAvailable: guard((callId: string, local: MediaStream, remote: MediaStream) =>
        this.#onStreams(String(callId), local, remote, true),
      ),
      onAudioStreamsAvailable: guard((callId: string, local: MediaStream, remote: MediaStream) =>
        this.#onStreams(String(callId), local, remote, false),
      ),
    };
    return [
      guard((r: AwlResponse) =>
        this.#notify({
          kind: 'config',
          result: readText(() => r.result),
          reason: readText(() => r.reason),
        }),
      ),
      guard((r: AwlResponse) => this.#onRegistration(client, r)),
      listener,
      guard((r: AwlResponse) => this.#onTokenRenewed(r)),
    ];
  }

  #deviceCallback(client: AwlClient, token: number): (list: AwlDeviceEntry[]) => void {
    return (list) => {
      if (this.#disposed || this.#client !== client) return;
      this.#batch(() => {
        const devices = this.#applyDeviceList(list);
        this.#notify({ kind: 'devices', token, devices });
      });
    };
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
    const rule = REGISTRATION_RULES[result];
    let error: IpoError | undefined;
    if (rule?.error) {
      const [code, message] = rule.error;
      error = new IpoError(code, message(reason), { reason });
      this.#set({ error });
    }
    if (result === 'AWL_MSG_LINK_ISSUE_DETECTED') this.#setResiliency({ linkIssue: true });
    if (rule?.state) this.#setRegistration(rule.state, reason);
    if (rule?.ok) {
      let alternate: Resiliency['alternate'] = null;
      try {
        const alt = client.getAlternateServerConfig?.();
        if (alt?.address) {
          alternate = Object.freeze({
            address: alt.address,
            port: alt.port ?? '',
            serverType: alt.serverType ?? '',
          });
        }
      } catch {
        alternate = null;
      }
      const current = this.#parts.resiliency.alternate;
      const same =
        current &&
        alternate &&
        current.address === alternate.address &&
        current.port === alternate.port &&
        current.serverType === alternate.serverType;
      // The token itself is a secret and is not kept; only whether one exists.
      this.#setResiliency({
        active: Boolean(response.authToken?.token),
        linkIssue: false,
        alternate: same ? current : alternate,
      });
      this.#set({ error: null });
    }
    this.#notify({ kind: 'registration', result, reason, error });
  }

  #onTokenRenewed(response: AwlResponse): void {
    const result = readText(() => response.result);
    if (result === 'AWL_MSG_TOKEN_RENEW_SUCCESS') this.#setResiliency({ tokenRenewal: 'ok' });
    else if (result === 'AWL_MSG_TOKEN_RENEW_FAILED')
      this.#setResiliency({ tokenRenewal: 'failed' });
  }

  #onIncoming(callId: string, call: AwlCall): void {
    const existing = this.#findCall(callId);
    if (existing) {
      this.#patchCall(callId, { farEnd: readFarEnd(call, '') });
    } else {
      this.#ended.delete(callId); // a gateway may reuse an id
      this.#addCall(
        callId,
        'incoming',
        'incoming',
        readFarEnd(call, ''),
        readIsVideo(call) && this.#awlConfig.enableVideo,
      );
      if (this.#parts.activeCallId === null) this.#set({ activeCallId: callId });
    }
    this.#notify({ kind: 'call-state', callId, state: 'AWL_MSG_CALL_INCOMING' });
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
      if (state === 'connected' && existing.state !== 'connected')
        this.#set({ activeCallId: callId });
    }
    if (this.#parts.activeCallId === null) this.#set({ activeCallId: callId });
    this.#notify({ kind: 'call-state', callId, state: awlState });
  }

  #onTerminate(callId: string, reason: string): void {
    this.#ended.set(callId, reason);
    if (this.#ended.size > 32) this.#ended.delete(this.#ended.keys().next().value ?? '');
    // Waiters see the end while the call is still listed (so they can read its pending action).
    this.#notify({ kind: 'call-end', callId, reason });
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
      streams: freezeRecord({
        ...this.#parts.streams,
        [callId]: Object.freeze({ local, remote, video }),
      }),
    });
    if (video) this.#patchCall(callId, { video: true });
  }

  #applyDeviceList(list: unknown): Devices {
    const previous = this.#parts.devices;
    const lists: Record<DeviceKind, DeviceInfo[]> = {
      audioinput: [],
      videoinput: [],
      audiooutput: [],
    };
    for (const entry of Array.isArray(list) ? (list as unknown[]) : []) {
      if (!Array.isArray(entry)) continue;
      const [kind, label, id] = entry as unknown[];
      if (!DEVICE_KINDS.includes(kind as DeviceKind) || typeof id !== 'string') continue;
      const k = kind as DeviceKind;
      if (lists[k].some((d) => d.id === id)) continue;
      lists[k].push(Object.freeze({ id, label: typeof label === 'string' ? label : '', kind: k }));
    }
    // Unchanged lists keep their identity, so a `devicechange` that changes nothing is silent.
    const pick = (kind: DeviceKind): readonly DeviceInfo[] => {
      const old = previous[DEVICE_FIELD[kind]];
      return sameDevices(old, lists[kind]) ? old : Object.freeze(lists[kind]);
    };
    const audioInput = pick('audioinput');
    const videoInput = pick('videoinput');
    const audioOutput = pick('audiooutput');
    if (
      previous.loaded &&
      audioInput === previous.audioInput &&
      videoInput === previous.videoInput &&
      audioOutput === previous.audioOutput
    )
      return previous;
    const devices: Devices = Object.freeze({
      loaded: true,
      audioInput,
      videoInput,
      audioOutput,
      selected: previous.selected,
    });
    this.#set({ devices });
    return devices;
  }

  #notify(event: EngineEvent): void {
    for (const waiter of [...this.#waiters]) waiter.onEvent(event);
  }

  // ----- state helpers -----------------------------------------------------------------------

  #requireClient(): AwlClient {
    if (!this.#client) throw new IpoError('not-logged-in', 'The phone is not logged in.');
    return this.#client;
  }

  #requireRegistered(): AwlClient {
    const state = this.#parts.registration.state;
    if (!isRegistered(state) || !this.#client) {
      throw new IpoError(
        'not-logged-in',
        state === 'logged-out' || state === 'error'
          ? 'Log in before making calls.'
          : 'The phone is reconnecting. Try again shortly.',
      );
    }
    return this.#client;
  }

  #requireCall(callId: unknown): CallSnapshot {
    if (typeof callId !== 'string' || callId === '') throw invalidArgument('No call was given.');
    const call = this.#findCall(callId);
    if (!call)
      throw new IpoError('no-such-call', 'That call has ended or does not exist.', { callId });
    return call;
  }

  #findCall(callId: string): CallSnapshot | undefined {
    return this.#parts.calls.find((c) => c.id === callId);
  }

  #invalidState(call: CallSnapshot, verb: string): IpoError {
    return new IpoError(
      'invalid-state',
      `Cannot ${verb} a call that is ${STATE_WORDS[call.state]}.`,
      { callId: call.id },
    );
  }

  /** The error for an outgoing call that ended before it rang. */
  #callEndError(callId: string, target: string, reason: string): IpoError {
    const options = { callId, reason };
    if (/busy/i.test(reason)) return new IpoError('busy', `${target} is busy.`, options);
    if (/max call limit/i.test(reason)) {
      return new IpoError(
        'too-many-calls',
        `You already have ${MAX_CALLS} calls. End one before making another.`,
        options,
      );
    }
    if (MEDIA_ACCESS_RE.test(reason)) {
      return new IpoError('media-failed', 'The microphone could not be opened.', options);
    }
    return new IpoError('call-failed', withReason(`The call to ${target} failed`, reason), options);
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
      },
      this.#awlConfig.enableVideo,
    );
    this.#set({ calls: Object.freeze([...this.#parts.calls, call]) });
  }

  #patchCall(callId: string, patch: Partial<CallFacts>): void {
    const calls = this.#parts.calls;
    const index = calls.findIndex((c) => c.id === callId);
    const old = calls[index];
    if (!old) return;
    const facts: CallFacts = {
      id: old.id,
      state: patch.state ?? old.state,
      direction: old.direction,
      farEnd: patch.farEnd && !sameFarEnd(patch.farEnd, old.farEnd) ? patch.farEnd : old.farEnd,
      video: patch.video ?? old.video,
      muted: patch.muted ?? old.muted,
      pending: patch.pending === undefined ? old.pending : patch.pending,
      startedAt: old.startedAt,
      connectedAt: patch.connectedAt === undefined ? old.connectedAt : patch.connectedAt,
    };
    if (sameFacts(facts, old)) return;
    const next = [...calls];
    next[index] = buildCall(facts, this.#awlConfig.enableVideo);
    this.#set({ calls: Object.freeze(next) });
  }

  #removeCall(call: CallSnapshot, reason: string): void {
    const calls = Object.freeze(this.#parts.calls.filter((c) => c !== call));
    const { [call.id]: _gone, ...streams } = this.#parts.streams;
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
    if (_gone) this.#set({ streams: freezeRecord(streams) });
    if (this.#parts.activeCallId === call.id) this.#set({ activeCallId: this.#nextActive(calls) });
    // Actions still waiting on this call learn it is gone.
    const error = new IpoError('call-ended', 'The call has ended.', { callId: call.id, reason });
    for (const waiter of [...this.#waiters]) if (waiter.callId === call.id) waiter.fail(error);
  }

  /** After the active call ends: a connected call, else one ringing in, else dialling, else held. */
  #nextActive(calls: readonly CallSnapshot[]): string | null {
    const order: CallState[][] = [
      ['connected'],
      ['incoming'],
      ['dialing', 'ringing', 'progressing'],
      ['held'],
    ];
    for (const states of order) {
      const found = calls.find((c) => states.includes(c.state));
      if (found) return found.id;
    }
    return calls[0]?.id ?? null;
  }

  #dropAllCalls(): void {
    for (const call of this.#parts.calls) this.#removeCall(call, '');
  }

  #setRegistration(state: RegistrationState, reason: string): void {
    const current = this.#parts.registration;
    if (current.state !== state || current.reason !== reason) {
      this.#set({ registration: Object.freeze({ state, reason }) });
    }
    if (state === 'logged-out' || state === 'error') {
      // Without a registration no call survives; the engine normally ended them already.
      this.#dropAllCalls();
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
      if (--this.#depth === 0) this.#flush();
    }
  }

  #flush(): void {
    if (!this.#dirty || this.#disposed) return;
    this.#dirty = false;
    const previous = this.#snapshot;
    this.#snapshot = this.#build();
    this.dispatchEvent(new IpoSessionChangeEvent(this.#snapshot, previous));
  }

  #build(): SessionSnapshot {
    const p = this.#parts;
    const state = p.registration.state;
    const registered = isRegistered(state);
    return Object.freeze({
      registration: p.registration,
      user: p.user,
      calls: p.calls,
      activeCallId: p.activeCallId,
      call: p.calls.find((c) => c.id === p.activeCallId) ?? null,
      lastEnded: p.lastEnded,
      devices: p.devices,
      streams: p.streams,
      resiliency: p.resiliency,
      error: p.error,
      videoEnabled: this.#awlConfig.enableVideo,
      registered,
      canLogin: state === 'logged-out' || state === 'error',
      canLogout: state !== 'logged-out' && state !== 'error',
      canCall: registered && p.calls.length < MAX_CALLS,
    });
  }
}
