/**
 * The engine root: one registration on one gateway (gateway-protocol.md §5), its calls (at most
 * three, §6.1), local media and the event dispatch of §12. Promise/event based and typed; the AWL
 * facade (`./awl`) maps it onto the vendor API.
 */
import {
  LOGGED_OUT,
  numberFromSipUri,
  type EventEnvelope,
  type EventParams,
  type GatewaySettings,
  type HaData,
  type RequestParams,
  type ResponseEnvelope,
  type Service,
} from '../protocol/index.js';
import { Call, type CallState } from './call.js';
import type { GatherOptions } from './ice.js';
import { Log } from './log.js';
import { Loopback, type LoopbackNote } from './loopback.js';
import { Media, attach, type Kind } from './media.js';
import {
  checkLogin,
  haOf,
  loginParams,
  readSettings,
  tokenOf,
  type AppData,
  type Credentials,
  type RegResult,
  type Registration,
} from './registration.js';
import { videoActive } from './sdp.js';
import { Transport, closeReason } from './transport.js';
import { Emitter, noop, until, uuid } from './util.js';

/** Browser objects the engine uses; inject fakes in unit tests. */
export interface PhoneEnv {
  WebSocket?: typeof WebSocket;
  RTCPeerConnection?: typeof RTCPeerConnection;
  mediaDevices?: MediaDevices;
}

export interface PhoneOptions {
  /** gateway host ('' = not configured) and port (default 9443; honoured, unlike the vendor's) */
  host: string;
  port: number;
  service: Service;
  /** video allowed at all (`enableVideo`) */
  video: boolean;
  /** app STUN server URL ('' = none: the gateway's is adopted, §5.2) */
  stun: string;
  turn: RTCIceServer | null;
  app: AppData;
  /** resiliency not disabled by the app (§8.1) */
  resiliency: boolean;
  /** link watchdog: no `keepalive` for this long → LINK_ISSUE_DETECTED (§2.6) */
  keepaliveMs: number;
  loginTimeoutMs: number;
  requestTimeoutMs: number;
  /** fast ICE tuning (quiet period, cap) */
  ice: GatherOptions;
}

export interface TokenRenewal {
  result: 'TOKEN_RENEW_SUCCESS' | 'TOKEN_RENEW_FAILED';
  reason: string;
  authToken?: { token: string; expiry: number };
}

export interface PhoneEvents {
  registration: (r: Registration) => void;
  /** token renewal results (emitted by the resiliency step; never without HA, §8.3) */
  token: (r: TokenRenewal) => void;
  incoming: (call: Call) => void;
  /** `state` is undefined for CallTransferSuccessful (as the vendor reports it, §6.7) */
  state: (call: Call, state: CallState | undefined) => void;
  ended: (call: Call, reason: string | number) => void;
  streams: (call: Call, kind: Kind, local: MediaStream, remote: MediaStream) => void;
  loopback: (note: LoopbackNote) => void;
}

export const MAX_CALLS = 3;

export const defaultOptions = (): PhoneOptions => ({
  host: '',
  port: 9443,
  service: 'phoneservice',
  video: false,
  stun: '',
  turn: null,
  app: { instanceId: uuid() },
  resiliency: true,
  keepaliveMs: 190_000,
  loginTimeoutMs: 15_000,
  requestTimeoutMs: 10_000,
  ice: {},
});

export class Phone extends Emitter<PhoneEvents> {
  opts: PhoneOptions;
  readonly media: Media;
  readonly calls = new Map<string, Call>();
  readonly loopback = new Loopback(this);
  /** @internal */
  readonly PC: typeof RTCPeerConnection;
  /** the open signalling connection (also while logging in) */
  tp: Transport | null = null;
  loggedIn = false;
  /** telephone-event/8000 payload type for our offers (`codec.dtmfPayLoad`, §7.4) */
  dtmf = '101';
  /** STUN server from the gateway's settings */
  gwStun = '';
  /** valid HA data of the last login (§5.4) */
  ha: HaData | null = null;
  /** the session token of the last login, when valid (§5.4) */
  token: { token: string; expiry: number; type?: string } | null = null;
  /** fixed video elements (setDomElements) and the relay audio tag (§9) */
  dom: { local?: HTMLMediaElement; remote?: HTMLMediaElement; relay?: HTMLMediaElement } = {};
  #WS: typeof WebSocket;

  constructor(
    opts: Partial<PhoneOptions> = {},
    env: PhoneEnv = {},
    readonly log = new Log(),
  ) {
    super();
    this.opts = { ...defaultOptions(), ...opts };
    const g = globalThis as Partial<typeof globalThis>;
    this.#WS = env.WebSocket ?? g.WebSocket!;
    this.PC = env.RTCPeerConnection ?? g.RTCPeerConnection!;
    this.media = new Media(env.mediaDevices ?? g.navigator?.mediaDevices, log);
    this.media.onSwap = (kind, track) => this.calls.forEach((c) => c.swap(kind, track));
    this.media.onSink = (id) => this.calls.forEach((c) => c.sink(id));
    this.onError = (err) => log.error('app callback threw', String(err));
  }

  // ---- registration ---------------------------------------------------------------------

  /** Logs in (password or token, §5.3): resolves with the result the app is also told. */
  async login(c: Credentials): Promise<Registration> {
    const o = this.opts;
    if (this.tp) return this.#reg('DUPLICATE_LOGIN', 'Already loggedin. Rejecting duplicate login');
    const bad = checkLogin(c, o.host);
    if (bad) return this.#reg(bad, 'Login parameters incorrect');
    if (o.service === 'relayservice' && !this.dom.relay) return this.#reg('LOGIN_FAILED', 'Mandate relay audio tag not set');
    const tp = (this.tp = new Transport(this.#WS, o.service, this.log, o.keepaliveMs));
    tp.onEvent = (e) => this.#event(e);
    tp.onClose = (code) => this.#lost('LOGIN_WEBSOCKET_FAILURE', closeReason(code), 'GW connection lost');
    tp.onLinkIssue = () => this.#reg('LINK_ISSUE_DETECTED', 'link issue detected');
    globalThis.addEventListener?.('pagehide', this.#unload);
    try {
      await tp.connect(`wss://${o.host}:${o.port}/SignalGateway/connect`);
    } catch (code) {
      if (this.tp !== tp) return { result: 'LOGGEDOUT', reason: 'aborted' };
      this.#close();
      return this.#reg('LOGIN_WEBSOCKET_FAILURE', closeReason(code as number));
    }
    // settings and login go out back to back (§5.1)
    tp.request('getGatewaySettings', { type: 'all' }, o.loginTimeoutMs).then((s) => s.responseCode === '200' && this.#settings(s), noop);
    const params = loginParams(tp.dialect, o.service, o.app, c) as RequestParams<'login'>;
    const r = await tp.request('login', params, o.loginTimeoutMs).catch(() => null);
    if (this.tp !== tp) return { result: 'LOGGEDOUT', reason: 'aborted' };
    if (r?.responseCode !== '200') {
      this.#close();
      return this.#reg('LOGIN_FAILED', r ? r.responseString || r.responseCode : NO_RESPONSE);
    }
    this.loggedIn = true;
    const data = tp.dialect === 'D11' && o.service !== 'relayservice' ? r.loginSessionData : null;
    this.ha = haOf(data);
    this.token = tokenOf(data);
    const reg: Registration = { result: 'LOGIN_SUCCESS', reason: 'SIP registration success' };
    // resiliency active: the app gets the session token (renewal and failover: resiliency, a later step)
    if (this.ha && o.resiliency && this.token) reg.authToken = { token: this.token.token, expiry: this.token.expiry };
    if (o.service === 'relayservice') reg.UID = (r.responseString ?? '').split(' ')[1] ?? '';
    return this.#reg(reg);
  }

  /** Logs out (§5.7): calls are dropped locally, the socket closed, every device released. */
  logout(reason = 'Logout successful'): void {
    const tp = this.tp;
    if (!tp) return;
    tp.send('logout', null);
    this.#lost('LOGGEDOUT', reason, 'manual logout');
  }

  /** `getAlternateServerConfig()`: the backup gateway of valid HA data, or null (§8.1). */
  alternateServer(): HaData['backupGateway'] | null {
    return this.ha?.backupGateway ?? null;
  }

  #reg(r: Registration | RegResult, reason: string | number = ''): Registration {
    const reg = typeof r === 'string' ? { result: r, reason } : r;
    this.log.info(`registration: ${reg.result}`, { reason: reg.reason });
    this.emit('registration', reg);
    return reg;
  }

  #close(): void {
    this.tp?.close();
    this.tp = null;
    this.loggedIn = false;
    globalThis.removeEventListener?.('pagehide', this.#unload);
  }

  /** Session over: calls end locally (no endCall, §2.5, §5.7), devices released, app told. */
  #lost(result: RegResult, reason: string | number, callReason: string): void {
    this.#close();
    for (const c of [...this.calls.values()]) c.end(callReason);
    this.loopback.reset();
    this.media.release();
    this.#reg(result, reason);
  }

  #unload = () => this.logout();

  #settings(s: GatewaySettings): void {
    const r = readSettings(s, this.tp?.dialect === 'D11');
    if (r.dtmf) this.dtmf = r.dtmf;
    this.gwStun = r.stun ?? '';
  }

  // ---- calls ----------------------------------------------------------------------------

  /**
   * Places a call; the call object comes back at once and reports through events. Null when not
   * logged in (or in relay service). A 4th call ends at once with MAXCAP_REACHED.
   */
  call(target: string, video = false): Call | null {
    if (!this.loggedIn || this.opts.service === 'relayservice') return null;
    const host = (globalThis.location?.hostname ?? '').replace(/[^\w.-]/g, '') || 'awl';
    const c = new Call(this, `${uuid()}@${host}`, false, video && this.opts.video, String(target ?? ''));
    if (this.calls.size >= MAX_CALLS) {
      setTimeout(() => c.end('Max call limit reached', 'MAXCAP_REACHED'));
      return c;
    }
    this.calls.set(c.id, c);
    void c.dial(c.farNumber);
    return c;
  }

  /**
   * Auto-hold (§6.1): holds the other talking calls and (`cancel`) cancels the others that are
   * neither talking nor held; with `wait`, until those are held — at most one request timeout.
   */
  async autoHold(me: Call, cancel: boolean, wait: boolean): Promise<void> {
    const held: Call[] = [];
    for (const c of this.calls.values()) {
      if (c === me || c.ended) continue;
      if (c.active) {
        held.push(c);
        c.hold();
      } else if (cancel && !c.established) c.hangup('abortCall');
    }
    if (wait && held.length) await until(() => held.every((c) => c.held || c.ended), this.opts.requestTimeoutMs);
  }

  /** @internal A call ended: forget it, release unused devices, refresh the video elements. */
  drop(c: Call): void {
    this.calls.delete(c.id);
    this.settle();
    this.show();
  }

  /** @internal Stops devices no call uses (the microphone when the last call ended). */
  settle(): void {
    const calls = [...this.calls.values()];
    if (!calls.length) return this.media.release();
    if (!calls.some((c) => c.local.getVideoTracks().some((t) => t.readyState === 'live'))) this.media.releaseKind('video');
  }

  /** @internal setDomElements semantics: the talking call's video is shown in the fixed elements. */
  show(): void {
    const { local, remote } = this.dom;
    if (!local && !remote) return;
    const c = [...this.calls.values()].find((x) => x.active);
    attach(local, c ? c.localVideo : null, true);
    attach(remote, c ? c.remoteVideo : null, true);
  }

  /** @internal Streams of a call are up: video goes to the fixed elements when set, else to the app. */
  streams(c: Call, kind: Kind): void {
    if (kind === 'video' && (this.dom.local || this.dom.remote)) return this.show();
    this.emit('streams', c, kind, kind === 'video' ? c.localVideo : c.local, kind === 'video' ? c.remoteVideo : c.remote);
  }

  /** @internal ICE servers for a new peer connection: the app's STUN, else the gateway's; TURN. */
  iceServers(): RTCIceServer[] {
    const stun = this.opts.stun || this.gwStun;
    return [...(stun ? [{ urls: stun }] : []), ...(this.opts.turn ? [this.opts.turn] : [])];
  }

  /** @internal */
  gatherOptions(): GatherOptions {
    return { stun: !!(this.opts.stun || this.gwStun), turn: !!this.opts.turn, ...this.opts.ice };
  }

  // ---- inbound --------------------------------------------------------------------------

  #event(e: EventEnvelope | ResponseEnvelope): void {
    switch (e.msgname) {
      case 'GatewaySettingsChanged':
        return this.#settings(e.params);
      case 'LoginStatusChanged':
        // forced logout, e.g. logged in elsewhere (§5.5, §5.6)
        if (e.params.loginState === LOGGED_OUT) this.#lost('LOGIN_FAILED', e.params.reasonString ?? '', e.params.reasonString ?? 'Logged out');
        return;
      case 'GatewayHAModeChanged':
        if (e.params.mode.toLowerCase() !== 'passive' || !this.ha) return;
        if (!this.opts.resiliency) return this.logout('Gateway mode changed. Logging out as resiliency is disabled.');
        return this.log.warn('failover: not supported yet');
      case 'IncomingCall':
        return this.#incoming(e.params);
    }
    const callId = (e.params as { callId?: string }).callId;
    const call = callId === undefined ? undefined : this.calls.get(callId);
    if (call) call.onEvent(e);
    else if (!this.loopback.onEvent(e)) this.log.debug(`ignored ${e.msgname}`);
  }

  #incoming(p: EventParams<'IncomingCall'>): void {
    if (this.opts.service === 'relayservice') return void this.loopback.incoming(p);
    if (this.calls.has(p.callId)) return;
    // never offer the app a 4th call: refuse that call (the vendor's guard rejects the wrong one)
    if (this.calls.size >= MAX_CALLS) return void this.tp?.send('rejectCall', { callId: p.callId });
    const c = new Call(this, p.callId, true, videoActive(p.sdp), numberFromSipUri(p.sipUri));
    c.offer = p.sdp;
    c.sipUri = p.sipUri ?? '';
    c.state = 'INCOMING';
    c.autoAnswer = p.autoAnswer === true || p.autoAnswer === 'true';
    if (p.FarEndDn !== undefined) c.setFar(p.FarEndDn);
    this.calls.set(c.id, c);
    this.emit('incoming', c);
    if (c.autoAnswer) c.answer();
    else if (this.opts.service === 'agentservice') c.earlyMedia();
  }
}

const NO_RESPONSE = 'No response from WebRTC Gateway';
