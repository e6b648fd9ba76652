/**
 * `AWL.client`: the AWL SDK API (awl-sdk-api.md) over the engine. Exact method names, argument
 * orders and callback payloads of the document (with its alternative spellings), results as
 * `AWL_MSG_*` strings. Nothing is ever thrown at the app: problems come back through the
 * documented callbacks, and a throwing app callback is caught (and logged when logging is on).
 */
import { isTruthyFlag, type Service } from '../../protocol/index.js';
import type { Call } from '../call.js';
import { Log, type LogSink } from '../log.js';
import { attach } from '../media.js';
import { Phone, type PhoneEnv, type PhoneOptions } from '../phone.js';
import { normHost, normPort } from '../registration.js';
import { resiliencyDefaults } from '../resiliency.js';
import { emptyStats, type CallStats } from '../stats.js';
import { uuid } from '../util.js';
import { CONST } from './constants.js';

type Fn = (...args: never[]) => unknown;
type Obj = Record<string, unknown>;

/** The module-reveal call listener of setConfiguration (arg4). */
export interface AwlCallListener {
  onNewIncomingCall?(callId: string, call: AwlCall, autoAnswer: boolean): void;
  onCallStateChange?(callId: string, call: AwlCall, state: string | undefined): void;
  onCallTerminate?(callId: string, reason: string | number): void;
  onLoopBackNotification?(notification: string): void;
  /** additive: an incoming call the SDK could not accept (invalid offer) was refused with `reason` */
  onIncomingCallRefused?(callId: string, reason: string): void;
  onVideoStreamsAvailable?(callId: string, local: MediaStream, remote: MediaStream): void;
  onAudioStreamsAvailable?(callId: string, local: MediaStream, remote: MediaStream): void;
}

/** The call object of makeCall and the call callbacks. */
export interface AwlCall {
  getCallId(): string;
  getCallState(): string;
  getFarEndNumber(): string;
  getFarEndName(): string;
  getSipUri(): string;
  getSubject(): string;
  isAutoAnswer(): boolean;
  isVideoCall(): boolean;
  getLocalStream(): MediaStream;
  getRemoteStream(): MediaStream;
}

/** setConfiguration's arg1 (every field optional here; `Gateway.ip` is needed to log in). */
export interface AwlConfig {
  serviceType?: 'phone' | 'agent' | 'relay' | string;
  enableVideo?: boolean | string;
  /**
   * Like the vendor's SDK, signalling goes to port 9443 whatever `port` says, except for `"7070"`
   * (the document: "the above-mentioned port is fixed"); see `useGatewayPort`.
   */
  Gateway?: { ip?: string; port?: string | number };
  /**
   * (this SDK) connect to `Gateway.port` exactly as given (default 9443 when it is empty). Off by
   * default, so an app written for the vendor's file that publishes another port still reaches
   * 9443; the kit's elements (`gateway="host:port"`) and tests set it.
   */
  useGatewayPort?: boolean | string;
  Stunserver?: { ip?: string; port?: string | number };
  Turnserver?: { ip?: string; port?: string | number; user?: string; pwd?: string };
  AppData?: {
    applicationID?: string;
    applicationUA?: string;
    appInstanceID?: string | number;
    applInstanceID?: string | number;
  };
  disableResiliency?: boolean | string;
  /** (this SDK) link-issue watchdog, seconds without `keepalive` (default 190) */
  keepaliveTimeout?: number;
  /**
   * (this SDK) gateways the SDK may fail over to on its own besides `Gateway.ip`: "host" or
   * "host:port". An advertised backup that matches neither is not used (and is logged).
   */
  alternateServers?: string[];
  /** (this SDK) resiliency timers in seconds; see the SDK docs for the defaults */
  resiliencyTimers?: Partial<
    Record<
      | 'probeIdle'
      | 'probeTimeout'
      | 'reconnect'
      | 'reconnectMax'
      | 'failover'
      | 'giveUp'
      | 'reregister'
      | 'renewRetry',
      number
    >
  >;
}

const SERVICES: Record<string, Service> = { agent: 'agentservice', relay: 'relayservice' };
const str = (v: unknown): string => (v == null ? '' : String(v));
const isFn = (v: unknown): v is Fn => typeof v === 'function';

export class AwlClient {
  /** The engine behind this client. */
  readonly phone: Phone;
  #log = new Log();
  #config?: Fn;
  #registration?: Fn;
  #listener?: AwlCallListener;
  #token?: Fn;
  #calls = new WeakMap<Call, AwlCall>();

  /** `options` (this SDK): inject `WebSocket`, `RTCPeerConnection`, `mediaDevices`. */
  constructor(options: PhoneEnv = {}) {
    const ph = (this.phone = new Phone({}, options, this.#log));
    ph.on('registration', (r) =>
      this.#fire(this.#registration, { ...r, result: `AWL_MSG_${r.result}` }),
    );
    ph.on('token', (r) => this.#fire(this.#token, { ...r, result: `AWL_MSG_${r.result}` }));
    ph.on('incoming', (c) => this.#tell('onNewIncomingCall', c.id, this.#obj(c), c.autoAnswer));
    ph.on('refused', (id, why) => this.#tell('onIncomingCallRefused', id, why));
    ph.on('state', (c, s) =>
      this.#tell('onCallStateChange', c.id, this.#obj(c), s && `AWL_MSG_CALL_${s}`),
    );
    ph.on('ended', (c, reason) => this.#tell('onCallTerminate', c.id, reason));
    ph.on('streams', (c, kind, local, remote) =>
      this.#tell(
        kind === 'video' ? 'onVideoStreamsAvailable' : 'onAudioStreamsAvailable',
        c.id,
        local,
        remote,
      ),
    );
    ph.on('loopback', (n) => this.#tell('onLoopBackNotification', `AWL_MSG_LOOPBACK_${n}`));
  }

  // ---- non-telephony --------------------------------------------------------------------

  isWebRTCSupported(): boolean {
    return isFn(this.phone.PC) && !!globalThis.navigator?.mediaDevices?.getUserMedia;
  }

  getSdkVersion(): string {
    return '11.1.0-ipo-webrtc-kit-0.1.0';
  }

  /** The 4- and 5-argument forms; reports through onConfigChanged. */
  setConfiguration(
    cfg: AwlConfig,
    onConfigChanged?: Fn,
    onRegistrationStateChanged?: Fn,
    onCallListener?: AwlCallListener,
    onAuthTokenRenewed?: Fn,
  ): void {
    this.#config = isFn(onConfigChanged) ? onConfigChanged : undefined;
    this.#registration = isFn(onRegistrationStateChanged) ? onRegistrationStateChanged : undefined;
    this.#listener =
      onCallListener && (typeof onCallListener === 'object' || isFn(onCallListener))
        ? onCallListener
        : undefined;
    this.#token = isFn(onAuthTokenRenewed) ? onAuthTokenRenewed : undefined;
    const fail = (reason: string) =>
      this.#fire(this.#config, { result: CONST.AWL_MSG_SETCONFIG_FAILED, reason });
    const c = cfg as AwlConfig & Obj;
    if (
      !c ||
      typeof c !== 'object' ||
      ['Gateway', 'Stunserver', 'Turnserver', 'AppData', 'resiliencyTimers'].some(
        (k) => c[k] != null && typeof c[k] !== 'object',
      )
    ) {
      return fail('config object literal notation incorrect');
    }
    const app = c.AppData ?? {};
    const iid = app.appInstanceID ?? app.applInstanceID;
    const iidOk =
      typeof iid === 'number'
        ? Number.isFinite(iid)
        : typeof iid === 'string' && /^[\w.:@+=~-]{1,128}$/.test(iid);
    // The document calls the instance id mandatory and the vendor's SDK refuses a configuration
    // without AppData; an empty id (the document's own sdktest.js example) gets one of ours.
    if (c.AppData == null) return fail('appInstanceID not set');
    if (iid != null && iid !== '' && !iidOk) return fail('appInstanceID is invalid');
    const o = this.phone.opts;
    const turn = c.Turnserver ?? {};
    const turnHost = normHost(turn.ip);
    const patch: Partial<PhoneOptions> = {
      host: normHost(c.Gateway?.ip),
      port: gatewayPort(c.Gateway?.port, isTruthyFlag(c.useGatewayPort)),
      service: SERVICES[str(c.serviceType).toLowerCase()] ?? 'phoneservice',
      video: isTruthyFlag(c.enableVideo),
      stun: stunUrl(c.Stunserver),
      turn: turnHost
        ? {
            urls: `turn:${turnHost}:${normPort(turn.port, 3478)}`,
            username: str(turn.user),
            credential: str(turn.pwd),
          }
        : null,
      // an app that sets an empty instance id keeps one id for this client's life
      app: {
        id: str(app.applicationID),
        ua: str(app.applicationUA),
        instanceId: iid == null || iid === '' ? o.app.instanceId : iid,
      },
      resiliency: !isTruthyFlag(c.disableResiliency),
      keepaliveMs: c.keepaliveTimeout! > 0 ? c.keepaliveTimeout! * 1000 : 190_000,
      alternateServers: Array.isArray(c.alternateServers) ? c.alternateServers.map(str) : [],
    };
    const timers = (c.resiliencyTimers ?? {}) as Obj;
    const dflt = resiliencyDefaults() as unknown as Obj;
    for (const k in dflt) {
      const v = timers[k.slice(0, -2)];
      if (k.endsWith('Ms'))
        (patch as Obj)[k] = typeof v === 'number' && v >= 0 ? v * 1000 : dflt[k];
    }
    this.phone.configure(patch);
    this.#fire(this.#config, { result: CONST.AWL_MSG_SETCONFIG_SUCCESS, reason: 'none' });
  }

  enableLogging(): void {
    this.#log.on = true;
  }

  disableLogging(): void {
    this.#log.on = false;
  }

  /** Logs through `logger` (console-like: log/debug/info/warn/error) instead of the console. */
  setLogObject(logger: LogSink): void {
    if (logger && (typeof logger === 'object' || isFn(logger))) this.#log.sink = logger;
  }

  /** `{localVideo, remoteVideo}` (ids or elements) for every call's video; `{relayAudioTagId}` for relay. */
  setDomElements(cfg: {
    localVideo?: string | HTMLElement;
    remoteVideo?: string | HTMLElement;
    relayAudioTagId?: string | HTMLElement;
  }): void {
    const { localVideo, remoteVideo, relayAudioTagId } = cfg ?? {};
    const [local, remote, relay] = [localVideo, remoteVideo, relayAudioTagId].map(element);
    const ok =
      (relay || (local && remote)) &&
      (!relayAudioTagId || relay) &&
      (!(localVideo || remoteVideo) || (local && remote));
    if (ok) this.phone.setMediaElements({ local, remote, relay });
    this.#fire(
      this.#config,
      ok
        ? { result: CONST.AWL_MSG_SETDOM_SUCCESS, reason: 'none' }
        : { result: CONST.AWL_MSG_SETDOM_FAILED, reason: 'DOM element missing' },
    );
  }

  /** Calls back with `[[kind, label, deviceId], …]`. */
  getDeviceList(onDeviceListRequested: Fn): void {
    this.phone.media.list().then(
      (list) => this.#fire(onDeviceListRequested, list),
      () => this.#fire(onDeviceListRequested, []),
    );
  }

  /** `{audioInputID, videoInputID, audioOutputID}`: live calls switch devices without being dropped. */
  setDeviceIds(ids: {
    audioInputID?: string;
    videoInputID?: string;
    audioOutputID?: string;
    defaultId?: boolean;
  }): void {
    if (!ids || typeof ids !== 'object') return;
    const pick = Object.fromEntries(
      (['audioInputID', 'videoInputID', 'audioOutputID'] as const)
        .filter((k) => ids[k] !== undefined)
        .map((k) => [k, str(ids[k])]),
    );
    void this.phone.media.setIds(pick);
  }

  /** login(user, password, bumpConnection?, tokAuth?): results through onRegistrationStateChanged. */
  login(
    user: string,
    password: string,
    bumpConnection?: boolean | string,
    tokAuth?: boolean | string,
  ): void {
    void this.phone.login({
      user: str(user),
      secret: str(password),
      bump: isTruthyFlag(bumpConnection),
      legacyToken: isTruthyFlag(tokAuth),
    });
  }

  /** tokenLogIn(user, token, "ESNA" | "RESILIENCY", bumpConnection?) */
  tokenLogin(user: string, token: string, type: string, bumpConnection?: boolean | string): void {
    void this.phone.login({
      user: str(user),
      secret: str(token),
      tokenType: str(type),
      bump: isTruthyFlag(bumpConnection),
    });
  }

  logout(): void {
    this.phone.logout();
  }

  isLoggedIn(): boolean {
    return this.phone.loggedIn;
  }

  playVideo(callId?: string): boolean {
    return this.#each(callId, (c) => c.enable('video', true));
  }

  pauseVideo(callId?: string): boolean {
    return this.#each(callId, (c) => c.enable('video', false));
  }

  /** The backup gateway `{serverType, address, domain, port}`, or null without HA (§8.1). */
  getAlternateServerConfig(): Obj | null {
    const b = this.phone.alternateServer();
    return b ? { ...b } : null;
  }

  /**
   * Not in the vendor API: what this user's network test (relay service) logs in with instead of
   * the password: the current session token and the application instance it is bound to. Null
   * when not logged in or the gateway issued no token. A secret: never log or show it.
   */
  getRelayGrant(): { token: string; instanceId: string } | null {
    const t = this.phone.token;
    if (!this.phone.loggedIn || !t?.token || (t.until !== undefined && t.until <= Date.now()))
      return null;
    return { token: t.token, instanceId: String(this.phone.opts.app.instanceId) };
  }

  /**
   * Not in the vendor API: closes the connection without logging out, so the session token (see
   * getRelayGrant) stays good for another tab of this site that logs in with it as a RESILIENCY
   * token and the same appInstanceID (the kit's `shared` take-over). The app is told LOGGEDOUT.
   */
  handOver(): void {
    this.phone.handOver();
  }

  generateAppInstanceID(): string {
    return uuid();
  }

  /** `{ip, port}` of the STUN server in use (the app's, else the gateway's). */
  getStunConfiguration(): { ip: string; port: string } {
    const m = /^stun:\[?(.*?)\]?:(\d+)$/.exec(this.phone.stun);
    return { ip: m?.[1] ?? '', port: m?.[2] ?? '' };
  }

  /** Sets the STUN server for later calls; returns AWL_MSG_SET_STUN_CONFIG_SUCCESS or _FAILED. */
  setStunConfiguration(cfg: { ip?: string; port?: string | number }): string {
    const url = stunUrl(cfg);
    if (!url || (str(cfg.port) !== '' && !normPort(cfg.port, 0)))
      return CONST.AWL_MSG_SET_STUN_CONFIG_FAILED;
    this.phone.setStun(url);
    return CONST.AWL_MSG_SET_STUN_CONFIG_SUCCESS;
  }

  // ---- telephony ------------------------------------------------------------------------

  /** makeCall(number, "audio" | "video"): the call object, or null when not logged in. */
  makeCall(number: string, callType?: string): AwlCall | null {
    const c = this.phone.call(str(number), str(callType).toLowerCase() === 'video');
    return c && this.#obj(c);
  }

  answerCall(callId: string): void {
    this.#call(callId)?.answer();
  }

  rejectCall(callId: string): void {
    this.#call(callId)?.reject();
  }

  dropCall(callId: string): void {
    this.#call(callId)?.hangup('endCall');
  }

  cancelCall(callId: string): void {
    this.#call(callId)?.hangup('abortCall');
  }

  doHold(callId: string): void {
    this.#call(callId)?.hold();
  }

  doUnHold(callId: string): void {
    this.#call(callId)?.unhold();
  }

  doMute(callId: string): boolean {
    return this.#each(callId, (c) => c.enable('audio', false));
  }

  doUnMute(callId: string): boolean {
    return this.#each(callId, (c) => c.enable('audio', true));
  }

  sendDTMF(callId: string, tone: string): boolean {
    return this.#call(callId)?.dtmf(str(tone)) ?? false;
  }

  /** transferCall(target number or consultation call id, callId, "unAttended" | "attended") */
  transferCall(target: string, callId: string, type: string): void {
    this.#call(callId)?.transfer(str(target), str(type));
  }

  /** The stats array (`.audio`, `.video`), refreshed from the standard getStats() on each call. */
  getStats(callId: string): CallStats {
    return this.#call(callId)?.stats() ?? emptyStats();
  }

  /**
   * Not in the vendor API: the call's quality since the previous reading (RTT, jitter, loss,
   * bitrate, estimated MOS, warnings with plain-language causes); null on the first reading or
   * while the call is not talking. Read it about once a second.
   */
  getCallQuality(callId: string): ReturnType<Call['quality']> {
    return this.#call(callId)?.quality() ?? Promise.resolve(null);
  }

  addVideo(callId: string): boolean {
    return this.#call(callId)?.addVideo() ?? false;
  }

  removeVideo(callId: string): boolean {
    return this.#call(callId)?.removeVideo() ?? false;
  }

  /** Attaches a stream to a video element (id or element); muted: the SDK plays call audio itself. */
  setMediaStream(
    domElement: string | HTMLMediaElement,
    stream: MediaStream,
    _callId?: string,
    _domType?: string,
  ): void {
    const el = element(domElement);
    if (el && 'srcObject' in el) attach(el, stream ?? null, true);
    else this.#log.warn('setMediaStream: no such media element');
  }

  // ---- network test ---------------------------------------------------------------------

  createLoopBackConnection(): void {
    void this.phone.loopback.start();
  }

  endLoopBackConnection(): void {
    this.phone.loopback.end();
  }

  getLoopBackStats(): unknown[] {
    return this.phone.loopback.stats();
  }

  // ---- internals ------------------------------------------------------------------------

  #call(callId: unknown): Call | undefined {
    const c = this.phone.calls.get(str(callId));
    if (!c) this.#log.warn(`no call ${str(callId)}`);
    return c;
  }

  /** One call, or every call when no id is given (the 9.1 form of the media controls). */
  #each(callId: unknown, fn: (c: Call) => boolean): boolean {
    const calls = callId === undefined ? [...this.phone.calls.values()] : [this.#call(callId)];
    return calls.map((c) => !!c && fn(c)).includes(true);
  }

  #obj(c: Call): AwlCall {
    let o = this.#calls.get(c);
    if (!o) {
      o = {
        getCallId: () => c.id,
        getCallState: () => `AWL_MSG_CALL_${c.state}`,
        getFarEndNumber: () => c.farNumber,
        getFarEndName: () => c.farName,
        getSipUri: () => c.sipUri,
        getSubject: () => c.subject,
        isAutoAnswer: () => c.autoAnswer,
        isVideoCall: () => c.video,
        getLocalStream: () => c.local,
        getRemoteStream: () => c.remote,
      };
      this.#calls.set(c, o);
    }
    return o;
  }

  #tell(name: keyof AwlCallListener, ...args: unknown[]): void {
    const l = this.#listener;
    const fn = l?.[name];
    if (isFn(fn)) this.#fire(fn.bind(l) as Fn, ...args);
  }

  #fire(fn: Fn | undefined, ...args: unknown[]): void {
    if (!isFn(fn)) return;
    try {
      (fn as (...a: unknown[]) => unknown)(...args);
    } catch (err) {
      this.#log.error('app callback threw', String(err));
    }
  }
}

/** The API document's alternative spellings. */
export interface AwlClient {
  logIn: AwlClient['login'];
  logOut: AwlClient['logout'];
  isloggedIn: AwlClient['isLoggedIn'];
  tokenLogIn: AwlClient['tokenLogin'];
}
const proto = AwlClient.prototype;
proto.logIn = proto.login;
proto.logOut = proto.logout;
proto.isloggedIn = proto.isLoggedIn;
proto.tokenLogIn = proto.tokenLogin;

function element(v: unknown): HTMLMediaElement | undefined {
  const el = typeof v === 'string' ? globalThis.document?.getElementById(v) : v;
  return el && typeof el === 'object' && 'srcObject' in el ? (el as HTMLMediaElement) : undefined;
}

/**
 * The signalling port: the vendor's rule (9443, or 7070 when the app says 7070) unless the app
 * asked for its own port with `useGatewayPort`.
 */
export function gatewayPort(port: unknown, exact: boolean): number {
  if (exact) return normPort(port, 9443);
  return str(port).trim() === '7070' ? 7070 : 9443;
}

function stunUrl(s: { ip?: string; port?: string | number } | undefined): string {
  const host = normHost(s?.ip);
  return host ? `stun:${host}:${normPort(s?.port, 3478)}` : '';
}
