/**
 * Shared helpers for the AWL SDK end-to-end suites (real Chromium, real dev gateway, fake devices).
 *
 * Written from the API document (../shared/awl-sdk-api.md) and the gateway protocol §5–§11, not
 * from the implementation. The instrumentation module is imported first so that the SDK only
 * ever sees the recording RTCPeerConnection / getUserMedia / WebSocket.
 */
import { gatewayInfo, type GatewayInfo } from '../support/phone.js';
import { clonedTracks, gumTracks, peerConnections, pageErrors, sockets } from './instrument.js';
import * as sdk from '../../../src/sdk/awl/index.js';

export {
  clonedTracks,
  gumTracks,
  mediaElements,
  peerConnections,
  pageErrors,
  sockets,
  nativeGetUserMedia,
} from './instrument.js';

/* ------------------------------------------------------------------------------------------ */
/* The API as documented (typed here, independently of the SDK's own declarations)            */
/* ------------------------------------------------------------------------------------------ */

export interface CallObj {
  getCallId(): string;
  getCallState(): string;
  getFarEndNumber(): string;
  getFarEndName(): string;
  getSipUri(): string;
  getSubject(): string;
  isAutoAnswer(): boolean;
  isVideoCall(): boolean;
}

export interface CallListener {
  onNewIncomingCall(callId: string, callObj: CallObj, autoAnswer: boolean): void;
  onCallStateChange(callId: string, callObj: CallObj, state: string): void;
  onCallTerminate(callId: string, reason: string): void;
  onLoopBackNotification(notification: unknown): void;
  onVideoStreamsAvailable(
    callId: string,
    localStream: MediaStream,
    remoteStream: MediaStream,
  ): void;
  onAudioStreamsAvailable(
    callId: string,
    localStream: MediaStream,
    remoteStream: MediaStream,
  ): void;
}

export interface AwlConfig {
  serviceType?: string;
  enableVideo?: boolean;
  Gateway?: { ip: string; port: string };
  Stunserver?: { ip: string; port: string };
  Turnserver?: { ip: string; port: string; user: string; pwd: string };
  AppData?: { applicationID: string; applicationUA: string; appInstanceID: unknown };
  disableResiliency?: boolean;
}

type Cb = (resp: any) => void;

export interface AwlClient {
  isWebRTCSupported(): unknown;
  getSdkVersion(): unknown;
  setConfiguration(
    cfg: unknown,
    onConfig: Cb,
    onReg: Cb,
    listener: CallListener,
    onToken?: Cb,
  ): void;
  enableLogging(): void;
  disableLogging(): void;
  setLogObject(log: unknown): void;
  setDomElements(els: unknown): void;
  getDeviceList(cb: (list: any) => void): void;
  setDeviceIds(ids: unknown): void;
  login(user: string, password: string, bump?: string, tokAuth?: string): void;
  logIn(user: string, password: string, bump?: string, tokAuth?: string): void;
  logout(): void;
  logOut(): void;
  isLoggedIn(): boolean;
  isloggedIn(): boolean;
  playVideo(callId: string): unknown;
  pauseVideo(callId: string): unknown;
  getAlternateServerConfig(): unknown;
  tokenLogIn(user: string, token: string, type: string, bump?: string): void;
  tokenLogin(user: string, token: string, type: string, bump?: string): void;
  generateAppInstanceID(): unknown;
  getStunConfiguration(): any;
  setStunConfiguration(stun: unknown): unknown;
  makeCall(target: string, type: string): CallObj | null;
  answerCall(callId: string): void;
  rejectCall(callId: string): void;
  dropCall(callId: string): void;
  cancelCall(callId: string): void;
  doHold(callId: string): void;
  doUnHold(callId: string): void;
  doMute(callId: string): unknown;
  doUnMute(callId: string): unknown;
  sendDTMF(callId: string, digit: string): void;
  transferCall(arg1: string, arg2: string, arg3: string): void;
  getStats(callId: string): any;
  addVideo(callId: string): unknown;
  removeVideo(callId: string): unknown;
  setMediaStream(el: unknown, stream: unknown, callId: string, domType: string): void;
  createLoopBackConnection(): void;
  endLoopBackConnection(): void;
  getLoopBackStats(): any;
}

/** The SDK module's exports, as the issue announces them (AWL with client and CONST; CONST). */
const mod = sdk as unknown as {
  AWL: { client: new () => AwlClient; CONST: Record<string, string> };
  CONST: Record<string, string>;
};
export const AWL = mod.AWL;
export const CONST = mod.CONST;

/** Every constant the API document names (§3 Properties and the callback sections). */
export const DOCUMENTED_CONSTANTS = [
  'AWL_MSG_CALL_CONNECTED',
  'AWL_MSG_CALL_DISCONNECTED',
  'AWL_MSG_CALL_FAILED',
  'AWL_MSG_CALL_FAREND_UPDATE',
  'AWL_MSG_CALL_HELD',
  'AWL_MSG_CALL_IDLE',
  'AWL_MSG_CALL_INCOMING',
  'AWL_MSG_CALL_MAXCAP_REACHED',
  'AWL_MSG_CALL_PROGRESSING',
  'AWL_MSG_CALL_RINGING',
  'AWL_MSG_CALL_TRANSFER_FAILED',
  'AWL_MSG_DEVICEACCESS_FAILURE',
  'AWL_MSG_DUPLICATE_LOGIN',
  'AWL_MSG_FAILING_BACK',
  'AWL_MSG_FAILING_OVER',
  'AWL_MSG_FAIL_BACK_FAILED',
  'AWL_MSG_FAIL_BACK_SUCCESS',
  'AWL_MSG_FAIL_OVER_FAILED',
  'AWL_MSG_FAIL_OVER_SUCCESS',
  'AWL_MSG_LINK_ISSUE_DETECTED',
  'AWL_MSG_LOGGEDOUT',
  'AWL_MSG_LOGIN_EMPTYPASSWORD',
  'AWL_MSG_LOGIN_EMPTYTOKEN',
  'AWL_MSG_LOGIN_EMPTYUSERNAME',
  'AWL_MSG_LOGIN_FAILED',
  'AWL_MSG_LOGIN_GW_NOTCONFIGURED',
  'AWL_MSG_LOGIN_INVALID_TOKENTYPE',
  'AWL_MSG_LOGIN_SUCCESS',
  'AWL_MSG_LOGIN_WEBSOCKET_FAILURE',
  'AWL_MSG_LOOPBACK_CONN_CLOSED',
  'AWL_MSG_LOOPBACK_CONN_FAILED',
  'AWL_MSG_LOOPBACK_CONN_LINK_ISSUE',
  'AWL_MSG_LOOPBACK_CONN_SUCCESSFULL',
  'AWL_MSG_LOOPBACK_STATS_FAILURE',
  'AWL_MSG_RECONNECTING',
  'AWL_MSG_RELOGGED_IN',
  'AWL_MSG_SETCONFIG_FAILED',
  'AWL_MSG_SETCONFIG_SUCCESS',
  'AWL_MSG_SETDOM_FAILED',
  'AWL_MSG_SETDOM_SUCCESS',
  'AWL_MSG_SET_STUN_CONFIG_FAILED',
  'AWL_MSG_SET_STUN_CONFIG_SUCCESS',
  'AWL_MSG_TOKEN_RENEW_FAILED',
  'AWL_MSG_TOKEN_RENEW_SUCCESS',
  'AWL_MSG_WEBRTC_NOTSUPPORTED',
  'AWL_MSG_WEBRTC_SUPPORTED',
  'RESILIENCY',
  'ESNA',
] as const;

/* ------------------------------------------------------------------------------------------ */
/* Gateway                                                                                     */
/* ------------------------------------------------------------------------------------------ */

export { gatewayInfo, type GatewayInfo };

/** Directory of the dev gateway (docs/gateway.md). */
export const USERS = {
  '201': 'Alice Carter',
  '202': 'Bob Dalton',
  '203': 'Carol Evans',
  '204': 'Dan Foster',
  '205': 'Erin Garcia',
  '206': 'Frank Hughes',
} as const;
export const SIP_DOMAIN = 'ipo-dev.local';

/**
 * The secret the test config gives the gateway (IPO_TOKEN_SECRET in web-test-runner.config.mjs).
 * With it the page can play the part of the one-X server and mint what
 * `ipo-gateway token EXT --type esna|session` prints: `v1.<b64url claims>.<b64url HMAC-SHA256>`.
 */
const TOKEN_SECRET = 'browser-token-secret-3f9c2a71';
const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
export async function mintToken(
  sub: string,
  typ: 'esna' | 'session',
  extra: { iid?: string; org?: string } = {},
  ttl = 600,
): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  const claims = {
    jti: b64url(crypto.getRandomValues(new Uint8Array(12))),
    sub,
    typ,
    ...extra,
    iat,
    exp: iat + ttl,
  };
  const body = b64url(new TextEncoder().encode(JSON.stringify(claims)));
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(TOKEN_SECRET),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body)));
  return `v1.${body}.${b64url(sig)}`;
}

/** POST /admin/cti on the gateway (the contact-centre CTI stand-in). */
export async function ctiEvent(
  extension: string,
  ctiEvent: 'talk' | 'hold',
  callId?: string,
): Promise<Response> {
  const info = await gatewayInfo();
  try {
    return await fetch(info.url + '/admin/cti', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + info.adminToken },
      body: JSON.stringify(callId ? { extension, ctiEvent, callId } : { extension, ctiEvent }),
    });
  } catch (err) {
    throw new Error(
      `POST ${info.url}/admin/cti from ${location.origin} failed (${String(err)}): the gateway is another origin and ` +
        'answers no CORS preflight (OPTIONS gets 401 without Access-Control-Allow-* headers), so a web page cannot reach it',
    );
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Waiting                                                                                     */
/* ------------------------------------------------------------------------------------------ */

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `probe` until it returns a truthy value (used only where no callback or event exists,
 * i.e. stats counters and video frame counters).
 */
export async function pollUntil<T>(
  probe: () => Promise<T> | T,
  what: string,
  timeoutMs = 10_000,
  everyMs = 200,
): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    if (performance.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* A configured client whose callbacks are recorded in order                                  */
/* ------------------------------------------------------------------------------------------ */

export type Kind =
  | 'config'
  | 'reg'
  | 'token'
  | 'incoming'
  | 'state'
  | 'terminate'
  | 'loopback'
  | 'video'
  | 'audio'
  | 'devices';

export interface Ev {
  kind: Kind;
  args: any[];
  seq: number;
  at: number;
}

let seq = 0;
const allClients: TestClient[] = [];
const ownedElements: HTMLElement[] = [];

export interface ClientOptions {
  label?: string;
  serviceType?: string;
  enableVideo?: boolean;
  /** 5-argument setConfiguration (with onAuthTokenRenewed); default true */
  fiveArg?: boolean;
  /** replaces the whole config object */
  cfg?: unknown;
  /** merged into the default config */
  extra?: Partial<AwlConfig>;
  appInstanceID?: unknown;
  /** do not wait for the config callback */
  noWait?: boolean;
}

export class TestClient {
  readonly client: AwlClient;
  readonly events: Ev[] = [];
  readonly label: string;
  cfg: unknown = null;
  user = '';
  #waiters: Array<{ test: (e: Ev) => boolean; resolve: (e: Ev) => void }> = [];
  readonly #players = new Map<string, HTMLAudioElement>();

  constructor(label: string) {
    this.label = label;
    this.client = new AWL.client();
    allClients.push(this);
  }

  #record(kind: Kind, args: any[]): void {
    const ev: Ev = { kind, args, seq: ++seq, at: performance.now() };
    this.events.push(ev);
    this.#waiters = this.#waiters.filter((w) => (w.test(ev) ? (w.resolve(ev), false) : true));
  }

  readonly onConfigChanged = (resp: any) => this.#record('config', [resp]);
  readonly onRegistrationStateChanged = (resp: any) => this.#record('reg', [resp]);
  readonly onAuthTokenRenewed = (resp: any) => this.#record('token', [resp]);

  /** The call listener in the module-reveal pattern of the document's examples. */
  readonly listener: CallListener = ((self: TestClient) => {
    const _onNewIncomingCall = (callId: string, callObj: CallObj, autoAnswer: boolean) =>
      self.#record('incoming', [callId, callObj, autoAnswer]);
    const _onCallStateChange = (callId: string, callObj: CallObj, event: string) =>
      self.#record('state', [callId, callObj, event]);
    const _onCallTerminate = (callId: string, reason: string) =>
      self.#record('terminate', [callId, reason]);
    const _onLoopBackNotification = (notification: unknown) =>
      self.#record('loopback', [notification]);
    const _onVideoStreamsAvailable = (callId: string, local: MediaStream, remote: MediaStream) =>
      self.#record('video', [callId, local, remote]);
    const _onAudioStreamsAvailable = (callId: string, local: MediaStream, remote: MediaStream) => {
      // Chromium decodes received audio (and reports audioLevel) only while something plays it.
      if (remote instanceof MediaStream) self.play(callId, remote);
      self.#record('audio', [callId, local, remote]);
    };
    return {
      onNewIncomingCall: _onNewIncomingCall,
      onCallStateChange: _onCallStateChange,
      onCallTerminate: _onCallTerminate,
      onLoopBackNotification: _onLoopBackNotification,
      onVideoStreamsAvailable: _onVideoStreamsAvailable,
      onAudioStreamsAvailable: _onAudioStreamsAvailable,
    };
  })(this);

  /** Plays a remote stream in a test-owned <audio> element. */
  play(key: string, stream: MediaStream): void {
    if (this.#players.has(key)) return;
    const audio = document.createElement('audio');
    audio.autoplay = true;
    audio.srcObject = stream;
    audio.dataset.testOwned = this.label;
    document.body.append(audio);
    ownedElements.push(audio);
    void audio.play().catch(() => undefined);
    this.#players.set(key, audio);
  }

  static async create(opts: ClientOptions = {}): Promise<TestClient> {
    const info = await gatewayInfo();
    const c = new TestClient(opts.label ?? `client${allClients.length + 1}`);
    const cfg: unknown =
      opts.cfg !== undefined
        ? opts.cfg
        : {
            serviceType: opts.serviceType ?? 'phone',
            enableVideo: opts.enableVideo ?? false,
            Gateway: { ip: '127.0.0.1', port: String(info.port) },
            useGatewayPort: true, // the dev gateway's own port (the vendor's rule is 9443)
            Stunserver: { ip: '', port: '3478' },
            Turnserver: { ip: '', port: '3478', user: '', pwd: '' },
            AppData: {
              applicationID: '',
              applicationUA: '',
              appInstanceID: opts.appInstanceID ?? c.client.generateAppInstanceID(),
            },
            disableResiliency: false,
            ...opts.extra,
          };
    c.cfg = cfg;
    const m = c.mark();
    if (opts.fiveArg === false)
      c.client.setConfiguration(cfg, c.onConfigChanged, c.onRegistrationStateChanged, c.listener);
    else
      c.client.setConfiguration(
        cfg,
        c.onConfigChanged,
        c.onRegistrationStateChanged,
        c.listener,
        c.onAuthTokenRenewed,
      );
    if (!opts.noWait) {
      const ev = await c.waitFor('config', undefined, {
        since: m,
        what: 'the setConfiguration result',
      });
      if (ev.args[0]?.result !== 'AWL_MSG_SETCONFIG_SUCCESS')
        throw new Error(`${c.label}: setConfiguration gave ${JSON.stringify(ev.args[0])}`);
    }
    return c;
  }

  /** Creates, configures and logs in (bump "true", so a stale session never blocks a suite). */
  static async loggedIn(user: string, opts: ClientOptions = {}): Promise<TestClient> {
    const c = await TestClient.create({ label: opts.label ?? user, ...opts });
    await c.login(user);
    return c;
  }

  mark(): number {
    return this.events.length;
  }

  all(kind: Kind, pred: (e: Ev) => boolean = () => true, since = 0): Ev[] {
    return this.events.slice(since).filter((e) => e.kind === kind && pred(e));
  }

  /** The first callback of `kind` matching `pred` at or after index `since` (past or future). */
  waitFor(
    kind: Kind,
    pred: (e: Ev) => boolean = () => true,
    o: { since?: number; timeout?: number; what?: string } = {},
  ): Promise<Ev> {
    const since = o.since ?? 0;
    const test = (e: Ev) => e.kind === kind && pred(e) && this.events.indexOf(e) >= since;
    const seen = this.events.slice(since).find(test);
    if (seen) return Promise.resolve(seen);
    const timeout = o.timeout ?? 15_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w.resolve !== done);
        reject(
          new Error(
            `${this.label}: timed out after ${timeout} ms waiting for ${o.what ?? kind}; callbacks so far: ${this.describe(since)}`,
          ),
        );
      }, timeout);
      const done = (e: Ev) => {
        clearTimeout(timer);
        resolve(e);
      };
      this.#waiters.push({ test, resolve: done });
    });
  }

  /** The next callback of `kind` matching `pred` recorded after this call. */
  next(kind: Kind, pred?: (e: Ev) => boolean, timeout?: number, what?: string): Promise<Ev> {
    return this.waitFor(kind, pred, { since: this.events.length, timeout, what });
  }

  /** Waits for onCallStateChange(callId, …, state) at or after `since`. */
  waitState(callId: string, state: string, since = 0, timeout = 15_000): Promise<Ev> {
    return this.waitFor('state', (e) => e.args[0] === callId && e.args[2] === state, {
      since,
      timeout,
      what: `${state} for ${callId}`,
    });
  }

  waitTerminate(callId: string, since = 0, timeout = 15_000): Promise<Ev> {
    return this.waitFor('terminate', (e) => e.args[0] === callId, {
      since,
      timeout,
      what: `onCallTerminate for ${callId}`,
    });
  }

  /** A compact history of the callbacks, for failure messages. */
  describe(since = 0): string {
    return (
      this.events
        .slice(since)
        .map((e) => {
          const a = e.args.map((x) =>
            typeof x === 'string' || typeof x === 'boolean' || x === undefined
              ? String(x)
              : x instanceof MediaStream
                ? 'stream'
                : x && typeof x === 'object' && 'result' in x
                  ? `{${x.result}: ${x.reason}}`
                  : typeof x === 'object' && x && 'getCallId' in x
                    ? 'callObj'
                    : JSON.stringify(x),
          );
          return `${e.kind}(${a.join(', ')})`;
        })
        .join(' → ') || '(none)'
    );
  }

  /** logIn and wait for the first registration callback; throws unless it is LOGIN_SUCCESS. */
  async login(user: string, password?: string, bump = 'true'): Promise<any> {
    const info = await gatewayInfo();
    const m = this.mark();
    this.client.logIn(user, password ?? info.password, bump);
    const ev = await this.waitFor('reg', undefined, {
      since: m,
      what: `the login result for ${user}`,
    });
    if (ev.args[0]?.result !== 'AWL_MSG_LOGIN_SUCCESS')
      throw new Error(`${this.label}: login ${user} gave ${JSON.stringify(ev.args[0])}`);
    this.user = user;
    return ev.args[0];
  }

  async logoutAndWait(timeout = 5000): Promise<void> {
    if (!this.client.isLoggedIn()) return;
    const m = this.mark();
    this.client.logOut();
    await this.waitFor('reg', (e) => e.args[0]?.result === 'AWL_MSG_LOGGEDOUT', {
      since: m,
      timeout,
      what: 'AWL_MSG_LOGGEDOUT',
    });
  }

  /** Local and remote streams the SDK reported for a call (audio or video stream callback). */
  async streams(
    callId: string,
    timeout = 15_000,
  ): Promise<{ local: MediaStream; remote: MediaStream }> {
    const ev = await this.waitFor('audio', (e) => e.args[0] === callId, {
      timeout,
      what: `onAudioStreamsAvailable for ${callId}`,
    }).catch(async (err: Error) => {
      const video = this.all('video', (e) => e.args[0] === callId)[0];
      if (video) return video;
      throw err;
    });
    return { local: ev.args[1] as MediaStream, remote: ev.args[2] as MediaStream };
  }

  /**
   * The RTCPeerConnection carrying a call: the open connection (recorded by the instrumentation)
   * whose receivers produce the remote stream the SDK handed to onAudio/VideoStreamsAvailable.
   */
  /**
   * The open peer connection of a call. A transfer can give the call a new one (the SDK's
   * answer to a new far end): while the old one closes and the new one takes the streams, this
   * waits (up to `timeout`).
   */
  async pcFor(callId: string, timeout = 15_000): Promise<RTCPeerConnection> {
    const deadline = performance.now() + timeout;
    for (;;) {
      try {
        return await this.#pcFor(callId, timeout);
      } catch (err) {
        if (performance.now() > deadline) throw err;
        await sleep(100);
      }
    }
  }

  async #pcFor(callId: string, timeout: number): Promise<RTCPeerConnection> {
    const { remote, local } = await this.streams(callId, timeout);
    const remoteTracks = remote instanceof MediaStream ? remote.getTracks() : [];
    const localTracks = local instanceof MediaStream ? local.getTracks() : [];
    const open = peerConnections.map((r) => r.pc).filter((pc) => pc.signalingState !== 'closed');
    const byRemote = open.find((pc) =>
      pc.getReceivers().some((r) => remoteTracks.includes(r.track)),
    );
    if (byRemote) return byRemote;
    const byLocal = open.find((pc) =>
      pc.getSenders().some((s) => s.track && localTracks.includes(s.track)),
    );
    if (byLocal) return byLocal;
    throw new Error(
      `${this.label}: no open RTCPeerConnection carries the streams reported for call ${callId}`,
    );
  }
}

export function clients(): readonly TestClient[] {
  return allClients;
}

/** A test-owned element (removed by cleanup). */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  id?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (id) el.id = id;
  if (el instanceof HTMLVideoElement) {
    el.autoplay = true;
    el.muted = true;
    el.playsInline = true;
    el.width = 160;
    el.height = 120;
  }
  document.body.append(el);
  ownedElements.push(el);
  return el;
}

/** afterEach: log every client out, drop test elements. */
export async function cleanup(): Promise<void> {
  const list = allClients.splice(0);
  await Promise.all(
    list.map(async (c) => {
      try {
        if (c.client.isLoggedIn()) await c.logoutAndWait(4000);
      } catch {
        /* reported by the tests themselves */
      }
    }),
  );
  for (const el of ownedElements.splice(0)) {
    if (el instanceof HTMLMediaElement) el.srcObject = null;
    el.remove();
  }
}

/** Marks for "everything created from here on was released". */
export interface ResourceMark {
  pcs: number;
  tracks: number;
  clones: number;
  sockets: number;
}
export function resourceMark(): ResourceMark {
  return {
    pcs: peerConnections.length,
    tracks: gumTracks.length,
    clones: clonedTracks.length,
    sockets: sockets.length,
  };
}

/** Waits until every peer connection and getUserMedia track (and clone) created since `mark` is closed/ended. */
export async function expectReleased(
  mark: ResourceMark,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const pending = () => {
    const pcs = peerConnections.slice(mark.pcs).filter((r) => r.pc.signalingState !== 'closed');
    const tracks = gumTracks
      .slice(mark.tracks)
      .concat(clonedTracks.slice(mark.clones))
      .filter((t) => t.readyState !== 'ended');
    return { pcs, tracks };
  };
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { pcs, tracks } = pending();
    if (pcs.length === 0 && tracks.length === 0) return;
    if (performance.now() > deadline) {
      throw new Error(
        `${what}: ${pcs.length} peer connection(s) still open (${pcs.map((r) => r.pc.connectionState).join(',')}) and ` +
          `${tracks.length} track(s) still live (${tracks.map((t) => `${t.kind}:${t.label}`).join(', ')})`,
      );
    }
    await sleep(100);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Calls                                                                                       */
/* ------------------------------------------------------------------------------------------ */

export interface Established {
  aId: string;
  bId: string;
  aObj: CallObj;
  bObj: CallObj;
}

/** a dials `target` (b's extension), b answers; resolves when both report CONNECTED. */
export async function establish(
  a: TestClient,
  b: TestClient,
  target = b.user,
  type: 'audio' | 'video' = 'audio',
): Promise<Established> {
  const ma = a.mark();
  const mb = b.mark();
  const aObj = a.client.makeCall(target, type);
  if (!aObj || typeof aObj.getCallId !== 'function')
    throw new Error(`${a.label}: makeCall returned ${String(aObj)}`);
  const aId = aObj.getCallId();
  const incoming = await b.waitFor('incoming', undefined, {
    since: mb,
    what: `the incoming call from ${a.user}`,
  });
  const bId = incoming.args[0] as string;
  b.client.answerCall(bId);
  await Promise.all([
    a.waitState(aId, 'AWL_MSG_CALL_CONNECTED', ma),
    b.waitState(bId, 'AWL_MSG_CALL_CONNECTED', mb),
  ]);
  return { aId, bId, aObj, bObj: incoming.args[1] as CallObj };
}

/* ------------------------------------------------------------------------------------------ */
/* Media probes (standard pc.getStats())                                                       */
/* ------------------------------------------------------------------------------------------ */

export interface RtpSample {
  packets: number;
  bytes: number;
  /** inbound audio */
  level: number;
  energy: number;
  /** inbound video */
  framesDecoded: number;
  frameWidth: number;
  /** outbound */
  packetsSent: number;
  framesSent: number;
}

export async function rtp(pc: RTCPeerConnection, kind: 'audio' | 'video'): Promise<RtpSample> {
  const r: RtpSample = {
    packets: 0,
    bytes: 0,
    level: 0,
    energy: 0,
    framesDecoded: 0,
    frameWidth: 0,
    packetsSent: 0,
    framesSent: 0,
  };
  if (pc.signalingState === 'closed') return r;
  (await pc.getStats()).forEach((s: any) => {
    if (s.kind !== kind) return;
    if (s.type === 'inbound-rtp') {
      r.packets += s.packetsReceived ?? 0;
      r.bytes += s.bytesReceived ?? 0;
      r.level = Math.max(r.level, s.audioLevel ?? 0);
      r.energy += s.totalAudioEnergy ?? 0;
      r.framesDecoded += s.framesDecoded ?? 0;
      r.frameWidth = Math.max(r.frameWidth, s.frameWidth ?? 0);
    } else if (s.type === 'outbound-rtp') {
      r.packetsSent += s.packetsSent ?? 0;
      r.framesSent += s.framesSent ?? 0;
    }
  });
  return r;
}

/** Real, non-silent audio arriving on `pc`: packets and audio energy both rising. */
export async function expectAudioFlowing(
  pcOf: RTCPeerConnection | (() => Promise<RTCPeerConnection>),
  what: string,
  timeoutMs = 12_000,
): Promise<void> {
  // a getter follows the call onto a new peer connection (a transfer), counting from there
  const get = typeof pcOf === 'function' ? pcOf : async () => pcOf;
  let pc = await get();
  let start = await rtp(pc, 'audio');
  let last = start;
  try {
    await pollUntil(
      async () => {
        const now = await get().catch(() => pc);
        if (now !== pc) {
          pc = now;
          start = last = await rtp(pc, 'audio');
          return false;
        }
        last = await rtp(pc, 'audio');
        return last.packets - start.packets >= 25 && last.energy - start.energy > 0.01;
      },
      'audio',
      timeoutMs,
    );
  } catch {
    throw new Error(
      `${what}: audio is not flowing (${last.packets - start.packets} new packets, energy +${(last.energy - start.energy).toFixed(5)})`,
    );
  }
}

/** No inbound audio packets on `pc` over a 1 s window (waits up to `timeoutMs` for it to happen). */
export async function expectAudioStopped(
  pc: RTCPeerConnection,
  what: string,
  timeoutMs = 8000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let delta = 0;
  for (;;) {
    const a = await rtp(pc, 'audio');
    await sleep(1000);
    const b = await rtp(pc, 'audio');
    delta = b.packets - a.packets;
    if (delta <= 2) return;
    if (performance.now() > deadline)
      throw new Error(`${what}: inbound audio did not stop (${delta} packets in the last second)`);
  }
}

/** Silence arriving on `pc`: audio energy flat over a 1.5 s window (packets may still flow). */
export async function expectSilence(
  pc: RTCPeerConnection,
  what: string,
  timeoutMs = 8000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let gained = 0;
  let level = 0;
  for (;;) {
    const a = await rtp(pc, 'audio');
    level = 0;
    for (let i = 0; i < 5; i++) {
      await sleep(300);
      level = Math.max(level, (await rtp(pc, 'audio')).level);
    }
    const b = await rtp(pc, 'audio');
    gained = b.energy - a.energy;
    if (gained < 1e-4 && level < 0.001) return;
    if (performance.now() > deadline)
      throw new Error(
        `${what}: not silent (energy +${gained.toFixed(5)}, audioLevel up to ${level})`,
      );
  }
}

/** Remote video decoding into an element: videoWidth > 0 and frames advancing. */
export async function expectVideoPlaying(
  el: HTMLVideoElement,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  // Firefox counts no playback-quality frames for a MediaStream source: count presented frames
  let presented = 0;
  let counting = true;
  const onFrame = () => {
    presented++;
    if (counting) el.requestVideoFrameCallback(onFrame);
  };
  const rvfc = typeof el.requestVideoFrameCallback === 'function';
  if (rvfc) el.requestVideoFrameCallback(onFrame);
  const frames = () =>
    Math.max(presented, rvfc ? 0 : el.getVideoPlaybackQuality().totalVideoFrames);
  let start = -1;
  try {
    await pollUntil(
      () => {
        if (el.videoWidth === 0) return false;
        if (start < 0) start = frames();
        return frames() - start >= 5;
      },
      'video frames',
      timeoutMs,
    );
  } catch {
    throw new Error(
      `${what}: no video playing (videoWidth ${el.videoWidth}, ${start < 0 ? 0 : frames() - start} new frames, srcObject ${el.srcObject ? 'set' : 'null'})`,
    );
  } finally {
    counting = false;
  }
}

/** Mean luminance (0–255) of the element's current frame. */
export function luma(el: HTMLVideoElement): number {
  const canvas = document.createElement('canvas');
  canvas.width = 32;
  canvas.height = 24;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(el, 0, 0, 32, 24);
  const px = ctx.getImageData(0, 0, 32, 24).data;
  let sum = 0;
  for (let i = 0; i < px.length; i += 4)
    sum += 0.299 * px[i]! + 0.587 * px[i + 1]! + 0.114 * px[i + 2]!;
  return sum / (px.length / 4);
}

/** Video decoded on `pc` over a 1 s window: frames decoded and bytes received. */
export async function videoRate(
  pc: RTCPeerConnection,
  windowMs = 1000,
): Promise<{ frames: number; bytes: number }> {
  const a = await rtp(pc, 'video');
  await sleep(windowMs);
  const b = await rtp(pc, 'video');
  return { frames: b.framesDecoded - a.framesDecoded, bytes: b.bytes - a.bytes };
}

/** The audio sender of a call's peer connection. */
export function audioSender(pc: RTCPeerConnection): RTCRtpSender {
  const s =
    pc.getSenders().find((x) => x.track?.kind === 'audio') ??
    pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio')?.sender;
  if (!s) throw new Error('no audio sender on the call');
  return s;
}

/** Normalises onLoopBackNotification's argument: a string (API document) or {notification} (spec §9). */
export function notificationOf(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'notification' in arg)
    return String((arg as { notification: unknown }).notification);
  return String(arg);
}

/** The page must see no uncaught error / unhandled rejection during a suite. */
export function pageErrorsSince(mark: number): string[] {
  return pageErrors.slice(mark);
}

/** A looping 440 Hz tone as a WAV blob URL, for the relay audio tag. */
export function toneUrl(): string {
  const rate = 8000;
  const n = rate; // one second
  const buf = new ArrayBuffer(44 + n * 2);
  const v = new DataView(buf);
  const str = (o: number, s: string) =>
    [...s].forEach((ch, i) => v.setUint8(o + i, ch.charCodeAt(0)));
  str(0, 'RIFF');
  v.setUint32(4, 36 + n * 2, true);
  str(8, 'WAVEfmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  str(36, 'data');
  v.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i++)
    v.setInt16(44 + i * 2, Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), true);
  return URL.createObjectURL(new Blob([buf], { type: 'audio/wav' }));
}
