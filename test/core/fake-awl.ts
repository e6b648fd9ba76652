/**
 * A fake AWL.client that behaves as awl-sdk-api.md and gateway-protocol.md §5–§6, §11 describe
 * (callback order, states, reasons), with the gateway side driven by the test. Plus a manual
 * clock, so timeouts are tested without sleeping.
 */
import type {
  AwlCall,
  AwlCallListener,
  AwlClient,
  AwlConfig,
  AwlDeviceEntry,
  AwlDeviceIds,
  AwlResponse,
} from '../../src/core/awl-client.js';
import type { Clock } from '../../src/core/ipo-session.js';

export interface FakeAwlOptions {
  /** Run callbacks inline, inside the API call, instead of on a later microtask. */
  sync?: boolean;
  /** Password directory of the fake gateway. */
  users?: Record<string, string>;
  /** Token → user name accepted by `tokenLogIn`. */
  tokens?: Record<string, string>;
  /** The gateway offers HA: logins carry an authToken, and an alternate server is known. */
  resiliency?: boolean;
  /** Concurrent call limit of the client (3 in D10/D11). */
  maxCalls?: number;
}

/** A call object with the AWL getters; the fake mutates it as the gateway reports. */
export class FakeCall implements AwlCall {
  state = 'AWL_MSG_CALL_IDLE';
  name = '';
  subject = '';
  sipUri: string | null = null;
  muted = false;
  local = fakeStream('local');
  remote = fakeStream('remote');

  constructor(
    readonly id: string,
    public number: string,
    public video: boolean,
    readonly incoming: boolean,
    readonly autoAnswer = false,
  ) {}

  getCallId(): string {
    return this.id;
  }
  getCallState(): string {
    return this.state;
  }
  getFarEndNumber(): string {
    return this.number;
  }
  getFarEndName(): string {
    return this.name;
  }
  getSipUri(): string | null {
    return this.sipUri;
  }
  getSubject(): string {
    return this.subject;
  }
  isAutoAnswer(): boolean {
    return this.autoAnswer;
  }
  isVideoCall(): boolean {
    return this.video;
  }
  getLocalStream(): MediaStream {
    return this.local;
  }
  getRemoteStream(): MediaStream {
    return this.remote;
  }
}

let streamCount = 0;
/** Stands in for a MediaStream: only its identity matters to the session. */
export function fakeStream(label: string): MediaStream {
  return { id: `${label}-${++streamCount}` } as unknown as MediaStream;
}

export const DEFAULT_DEVICES: AwlDeviceEntry[] = [
  ['audioinput', 'Built-in Microphone', 'mic-1'],
  ['audioinput', 'USB Headset', 'mic-2'],
  ['videoinput', 'FaceTime HD Camera', 'cam-1'],
  ['audiooutput', 'Built-in Speakers', 'spk-1'],
];

export class FakeAwlClient implements AwlClient {
  /** Every API call the session made, in order. */
  readonly requests: { method: string; args: unknown[] }[] = [];
  /** API methods the fake gateway never answers (to provoke timeouts). */
  readonly silent = new Set<string>();
  /** API methods that throw (to provoke engine failures). */
  readonly throwing = new Set<string>();
  /** Numbers that answer busy. */
  readonly busyNumbers = new Set<string>();
  /** Transfer targets that fail. */
  readonly failingTransfers = new Set<string>();
  /** Outgoing calls report RINGING on their own. */
  autoRing = true;
  /** `makeCall` returns null, as during failover/reconnect. */
  refuseCalls = false;
  /** `doMute`/`addVideo`… return false. */
  mediaFails = false;
  /** getUserMedia fails: calls fail locally with "Could not get access to audio device". */
  micDenied = false;
  devices: AwlDeviceEntry[] = DEFAULT_DEVICES;
  deviceIds: AwlDeviceIds | null = null;

  config: AwlConfig | null = null;
  loggedIn = false;
  readonly calls = new Map<string, FakeCall>();

  #onConfig: ((r: AwlResponse) => void) | null = null;
  #onRegistration: ((r: AwlResponse) => void) | null = null;
  #listener: AwlCallListener | null = null;
  #onToken: ((r: AwlResponse) => void) | undefined;
  #nextId = 0;
  readonly #options: FakeAwlOptions;

  constructor(options: FakeAwlOptions = {}) {
    this.#options = options;
  }

  #record(method: string, args: unknown[]): boolean {
    this.requests.push({ method, args });
    if (this.throwing.has(method)) throw new Error(`${method} exploded`);
    return !this.silent.has(method);
  }

  /** Names of the API methods called so far. */
  methods(): string[] {
    return this.requests.map((r) => r.method);
  }

  /** Delivers callbacks inline or on a later microtask (like a network answer). */
  #emit(run: () => void): void {
    if (this.#options.sync) run();
    else queueMicrotask(run);
  }

  #reg(result: string, reason: string, extra: Partial<AwlResponse> = {}): void {
    this.#emit(() => this.#onRegistration?.({ result, reason, ...extra }));
  }

  #state(call: FakeCall, state: string | undefined): void {
    if (state !== undefined) call.state = state;
    this.#emit(() => this.#listener?.onCallStateChange(call.id, call, state));
  }

  /** A local failure (§11.3): FAILED, then onCallTerminate with the reason. */
  #failLocally(call: FakeCall, reason: string): void {
    this.calls.delete(call.id);
    this.#emit(() => {
      call.state = 'AWL_MSG_CALL_FAILED';
      this.#listener?.onCallStateChange(call.id, call, call.state);
      this.#listener?.onCallTerminate(call.id, reason);
    });
  }

  /** Local teardown: the current state again, then onCallTerminate (§11.3). */
  #teardown(call: FakeCall, reason: string): void {
    this.calls.delete(call.id);
    this.#emit(() => {
      this.#listener?.onCallStateChange(call.id, call, call.state);
      this.#listener?.onCallTerminate(call.id, reason);
    });
  }

  // ----- AWL.client API ----------------------------------------------------------------------

  setConfiguration(
    config: AwlConfig,
    onConfigChanged: (r: AwlResponse) => void,
    onRegistrationStateChanged: (r: AwlResponse) => void,
    callListener: AwlCallListener,
    onAuthTokenRenewed?: (r: AwlResponse) => void,
  ): void {
    if (!this.#record('setConfiguration', [config])) return;
    this.#onConfig = onConfigChanged;
    this.#onRegistration = onRegistrationStateChanged;
    this.#listener = callListener;
    this.#onToken = onAuthTokenRenewed;
    const ok = Boolean(config.Gateway?.ip) && config.AppData?.appInstanceID !== '';
    if (ok) this.config = config;
    this.#emit(() =>
      this.#onConfig?.(
        ok
          ? { result: 'AWL_MSG_SETCONFIG_SUCCESS', reason: 'none' }
          : {
              result: 'AWL_MSG_SETCONFIG_FAILED',
              reason: 'config object literal notation incorrect',
            },
      ),
    );
  }

  logIn(user: string, password: string, bump?: string): void {
    if (!this.#record('logIn', [user, password, bump])) return;
    if (this.#localLoginCheck(user, password === '' ? 'AWL_MSG_LOGIN_EMPTYPASSWORD' : null)) return;
    this.#gatewayLogin(this.#options.users?.[user] === password);
  }

  tokenLogIn(user: string, token: string, type: string, bump?: string): void {
    if (!this.#record('tokenLogIn', [user, token, type, bump])) return;
    let local: string | null = token === '' ? 'AWL_MSG_LOGIN_EMPTYTOKEN' : null;
    if (!['ESNA', 'RESILIENCY'].includes(String(type).toUpperCase()))
      local = 'AWL_MSG_LOGIN_INVALID_TOKENTYPE';
    if (this.#localLoginCheck(user, local)) return;
    this.#gatewayLogin(this.#options.tokens?.[token] === user);
  }

  /** §5.5 and §11.2 local checks; the last applicable one wins. True when one fired. */
  #localLoginCheck(user: string, other: string | null): boolean {
    if (this.loggedIn) {
      this.#reg('AWL_MSG_DUPLICATE_LOGIN', 'Already loggedin. Rejecting duplicate login');
      return true;
    }
    let result: string | null = user === '' ? 'AWL_MSG_LOGIN_EMPTYUSERNAME' : null;
    if (other) result = other;
    if (!this.config?.Gateway.ip) result = 'AWL_MSG_LOGIN_GW_NOTCONFIGURED';
    if (result) this.#reg(result, 'Login parameters incorrect');
    return result !== null;
  }

  #gatewayLogin(accepted: boolean): void {
    if (!accepted) {
      this.#reg('AWL_MSG_LOGIN_FAILED', 'Invalid Credentials');
      return;
    }
    this.loggedIn = true;
    const extra = this.#options.resiliency
      ? { authToken: { token: 'sess-SECRET-1', expiry: 3600 } }
      : {};
    this.#reg('AWL_MSG_LOGIN_SUCCESS', 'SIP registration success', extra);
  }

  /** §5.7: calls dropped locally with "manual logout", then LOGGEDOUT. */
  logOut(): void {
    if (!this.#record('logOut', [])) return;
    for (const call of [...this.calls.values()]) this.#teardown(call, 'manual logout');
    this.loggedIn = false;
    this.#reg('AWL_MSG_LOGGEDOUT', 'Logout successful');
  }

  makeCall(number: string, callType: 'audio' | 'video'): AwlCall | null {
    if (!this.#record('makeCall', [number, callType])) return null;
    if (!this.loggedIn || this.refuseCalls) return null;
    const call = new FakeCall(`c${++this.#nextId}@127.0.0.1`, number, callType === 'video', false);
    if (this.calls.size >= (this.#options.maxCalls ?? 3)) {
      this.#failLocally(call, 'Max call limit reached'); // §6.1
      return call;
    }
    this.calls.set(call.id, call);
    if (this.micDenied) this.#failLocally(call, 'Could not get access to audio device');
    else if (this.busyNumbers.has(number)) this.remoteHangup(call.id, 'User Busy');
    else if (this.autoRing) this.ring(call.id);
    return call;
  }

  answerCall(callId: string): void {
    if (!this.#record('answerCall', [callId])) return;
    const call = this.calls.get(callId);
    if (call?.state !== 'AWL_MSG_CALL_INCOMING') return;
    if (this.micDenied) this.#failLocally(call, 'Could not get access to audio device');
    else this.#connect(call);
  }

  /** §6.3: torn down at once: INCOMING again, then "Call Rejected". */
  rejectCall(callId: string): void {
    if (!this.#record('rejectCall', [callId])) return;
    const call = this.calls.get(callId);
    if (call) this.#teardown(call, 'Call Rejected');
  }

  dropCall(callId: string): void {
    if (this.#record('dropCall', [callId])) this.#end(callId);
  }

  cancelCall(callId: string): void {
    if (this.#record('cancelCall', [callId])) this.#end(callId);
  }

  /** §6.5: connected/held calls wait for CallDisconnected; others end at once ("Call Dropped"). */
  #end(callId: string): void {
    const call = this.calls.get(callId);
    if (!call) return;
    if (
      ['AWL_MSG_CALL_CONNECTED', 'AWL_MSG_CALL_FAREND_UPDATE', 'AWL_MSG_CALL_HELD'].includes(
        call.state,
      )
    ) {
      this.remoteHangup(callId, 'Normal call clearing');
    } else {
      this.#teardown(call, 'Call Dropped');
    }
  }

  doHold(callId: string): void {
    if (!this.#record('doHold', [callId])) return;
    const call = this.calls.get(callId);
    if (call && ['AWL_MSG_CALL_CONNECTED', 'AWL_MSG_CALL_FAREND_UPDATE'].includes(call.state)) {
      this.#state(call, 'AWL_MSG_CALL_HELD');
    }
  }

  doUnHold(callId: string): void {
    if (!this.#record('doUnHold', [callId])) return;
    const call = this.calls.get(callId);
    if (call?.state === 'AWL_MSG_CALL_HELD') this.#state(call, 'AWL_MSG_CALL_CONNECTED');
  }

  doMute(callId: string): boolean {
    this.#record('doMute', [callId]);
    const call = this.calls.get(callId);
    if (!call || this.mediaFails) return false;
    call.muted = true;
    return true;
  }

  doUnMute(callId: string): boolean {
    this.#record('doUnMute', [callId]);
    const call = this.calls.get(callId);
    if (!call || this.mediaFails) return false;
    call.muted = false;
    return true;
  }

  sendDTMF(callId: string, digit: string): void {
    this.#record('sendDTMF', [callId, digit]);
  }

  /** §6.7: success = state `undefined`, then CallDisconnected; failure = TRANSFER_FAILED. */
  transferCall(target: string, callId: string, type: string): void {
    if (!this.#record('transferCall', [target, callId, type])) return;
    const call = this.calls.get(callId);
    if (!call) return;
    if (this.failingTransfers.has(target)) {
      this.#state(call, 'AWL_MSG_CALL_TRANSFER_FAILED');
      call.state = 'AWL_MSG_CALL_CONNECTED';
      return;
    }
    this.#state(call, undefined);
    this.remoteHangup(callId, 'Call transferred');
    if (type === 'attended' && this.calls.has(target))
      this.remoteHangup(target, 'Call transferred');
  }

  addVideo(callId: string): boolean {
    this.#record('addVideo', [callId]);
    const call = this.calls.get(callId);
    if (!call || this.mediaFails || !this.config?.enableVideo) return false;
    call.video = true;
    return true;
  }

  removeVideo(callId: string): boolean {
    this.#record('removeVideo', [callId]);
    const call = this.calls.get(callId);
    if (!call || this.mediaFails) return false;
    call.video = false;
    return true;
  }

  getDeviceList(callback: (list: AwlDeviceEntry[]) => void): void {
    if (!this.#record('getDeviceList', [])) return;
    const list = this.devices.map((d) => [...d] as AwlDeviceEntry);
    this.#emit(() => callback(list));
  }

  setDeviceIds(ids: AwlDeviceIds): void {
    this.#record('setDeviceIds', [ids]);
    this.deviceIds = ids;
  }

  getStats(callId: string): unknown {
    this.#record('getStats', [callId]);
    return [{ callId, nowRTT: 12 }];
  }

  enableLogging(): void {
    this.#record('enableLogging', []);
  }

  generateAppInstanceID(): number {
    return 245919480;
  }

  getAlternateServerConfig(): {
    serverType: string;
    address: string;
    domain: string;
    port: string;
  } | null {
    return this.#options.resiliency && this.loggedIn
      ? { serverType: 'secondary', address: '203.0.113.20', domain: '', port: '9443' }
      : null;
  }

  // ----- the gateway / far end, driven by tests ---------------------------------------------

  /** CallProgressing without SDP → RINGING. */
  ring(callId: string): void {
    const call = this.#must(callId);
    this.#state(call, 'AWL_MSG_CALL_RINGING');
  }

  /** CallProgressing with SDP → PROGRESSING (early media). */
  earlyMedia(callId: string): void {
    this.#state(this.#must(callId), 'AWL_MSG_CALL_PROGRESSING');
  }

  /** CallConnected: the far end answered. */
  remoteAnswer(callId: string): void {
    this.#connect(this.#must(callId));
  }

  /** CONNECTED, then the stream callback once ICE connects (§6.2). */
  #connect(call: FakeCall): void {
    this.#state(call, 'AWL_MSG_CALL_CONNECTED');
    this.#emit(() => {
      if (call.video && this.config?.enableVideo) {
        this.#listener?.onVideoStreamsAvailable(call.id, call.local, call.remote);
      } else {
        this.#listener?.onAudioStreamsAvailable(call.id, call.local, call.remote);
      }
    });
  }

  /** CallDisconnected: DISCONNECTED, then onCallTerminate with the gateway's reason. */
  remoteHangup(callId: string, reason = 'Normal call clearing'): void {
    const call = this.#must(callId);
    this.calls.delete(callId);
    this.#emit(() => {
      call.state = 'AWL_MSG_CALL_DISCONNECTED';
      this.#listener?.onCallStateChange(call.id, call, call.state);
      this.#listener?.onCallTerminate(call.id, reason);
    });
  }

  /** A (repeated) stream callback, e.g. onAudioStreamsAvailable after the video one. */
  streams(callId: string, video: boolean): void {
    const call = this.#must(callId);
    this.#emit(() =>
      video
        ? this.#listener?.onVideoStreamsAvailable(call.id, call.local, call.remote)
        : this.#listener?.onAudioStreamsAvailable(call.id, call.local, call.remote),
    );
  }

  remoteHold(callId: string): void {
    this.#state(this.#must(callId), 'AWL_MSG_CALL_HELD');
  }

  /** IncomingCall → INCOMING and onNewIncomingCall (§6.3); FarEndDn is "Name[Subject]". */
  incoming(init: {
    id?: string;
    number: string;
    farEndDn?: string;
    video?: boolean;
    autoAnswer?: boolean;
  }): FakeCall {
    const call = new FakeCall(
      init.id ?? `gw-${++this.#nextId}@ipo`,
      init.number,
      init.video ?? false,
      true,
      init.autoAnswer,
    );
    this.#applyFarEndDn(call, init.farEndDn ?? '');
    call.sipUri = `sip:${init.number}@ipo.example`;
    call.state = 'AWL_MSG_CALL_INCOMING';
    this.calls.set(call.id, call);
    this.#emit(() => this.#listener?.onNewIncomingCall(call.id, call, call.autoAnswer));
    if (init.autoAnswer) this.#connect(call);
    return call;
  }

  /** An IncomingCall the engine refused as invalid (additive onIncomingCallRefused). */
  refuseIncoming(callId: string, reason: string): void {
    this.#emit(() => this.#listener?.onIncomingCallRefused?.(callId, reason));
  }

  /** FarEndChanged → FAREND_UPDATE (§6.8). */
  farEndChanged(callId: string, farEndDn: string, sipUri: string | null): void {
    const call = this.#must(callId);
    this.#applyFarEndDn(call, farEndDn);
    call.sipUri = sipUri;
    const match = sipUri ? /^[^:]*:([^@]*)@/.exec(sipUri) : null;
    if (match?.[1]) call.number = match[1];
    this.#state(call, 'AWL_MSG_CALL_FAREND_UPDATE');
  }

  #applyFarEndDn(call: FakeCall, dn: string): void {
    const open = dn.indexOf('[');
    const close = dn.indexOf(']');
    call.name = open >= 0 ? dn.slice(0, open) : dn;
    call.subject = open >= 0 && close > open ? dn.slice(open + 1, close) : '';
  }

  /** Any registration result, as the gateway or resiliency machinery would cause. */
  registration(result: string, reason: string, extra: Partial<AwlResponse> = {}): void {
    if (result === 'AWL_MSG_LOGGEDOUT' || result.includes('FAILED') || result.includes('FAILURE'))
      this.loggedIn = false;
    if (result.includes('SUCCESS') || result === 'AWL_MSG_RELOGGED_IN') this.loggedIn = true;
    this.#reg(result, reason, extra);
  }

  tokenRenewed(ok: boolean): void {
    this.#emit(() =>
      this.#onToken?.(
        ok
          ? {
              result: 'AWL_MSG_TOKEN_RENEW_SUCCESS',
              reason: 'OK',
              authToken: { token: 'sess-SECRET-2', expiry: 3600 },
            }
          : { result: 'AWL_MSG_TOKEN_RENEW_FAILED', reason: 'Token expired' },
      ),
    );
  }

  #must(callId: string): FakeCall {
    const call = this.calls.get(callId);
    if (!call) throw new Error(`fake: no call ${callId}`);
    return call;
  }
}

/** A clock whose time moves only when the test says so. */
export class ManualClock implements Clock {
  #now = 1_000_000;
  #seq = 0;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Timers not yet fired or cleared. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward, firing due timers in order and letting promises settle in between. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      await flush();
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#timers)
        if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.#timers.delete(next[0]);
      this.#now = next[1].at;
      next[1].callback();
    }
    this.#now = end;
    await flush();
  }
}

/** Lets every queued microtask (and promise chain) run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
