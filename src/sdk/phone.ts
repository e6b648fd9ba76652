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
  renewDelay,
  tokenOf,
  type AppData,
  type Credentials,
  type RegResult,
  type Registration,
} from './registration.js';
import {
  acceptBackup,
  backoff,
  failbackMs,
  resiliencyDefaults,
  why,
  type ResiliencyOptions,
  type Server,
  type Status,
} from './resiliency.js';
import { videoActive } from './sdp.js';
import { Transport, closeReason } from './transport.js';
import { Emitter, noop, until, uuid } from './util.js';

/** Browser objects the engine uses; inject fakes in unit tests. */
export interface PhoneEnv {
  WebSocket?: typeof WebSocket;
  RTCPeerConnection?: typeof RTCPeerConnection;
  mediaDevices?: MediaDevices;
}

export interface PhoneOptions extends ResiliencyOptions {
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
  /** token renewal results (resiliency active only, §8.3) */
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
  ...resiliencyDefaults(),
});

/** How a connection attempt came about: it decides what the app is told (§5.4, §8). */
type Mode = 'login' | 'relogin' | 'failover' | 'failback';
type Timer = ReturnType<typeof setTimeout> | undefined;

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
  /** client status (§8.2) */
  status: Status = 'LOGGED_OUT';
  /** the gateway of this session, and whether it is the primary (§8.2) */
  server: Server = { host: '', port: 0 };
  primary = true;
  /** the backup gateway the client may move to (advertised and accepted), or null */
  backup: Server | null = null;
  /** the gateway advertised the call-resume extension (`ext.callResume`) */
  resume = false;
  /** telephone-event/8000 payload type for our offers (`codec.dtmfPayLoad`, §7.4) */
  dtmf = '101';
  /** STUN server from the gateway's settings */
  gwStun = '';
  /** valid HA data of the last login (§5.4) */
  ha: HaData | null = null;
  /** the session token of the last login or renewal, when valid (§5.4); `until`: local expiry time */
  token: { token: string; expiry: number; type?: string | null; until?: number } | null = null;
  /** fixed video elements (setDomElements) and the relay audio tag (§9) */
  dom: { local?: HTMLMediaElement; remote?: HTMLMediaElement; relay?: HTMLMediaElement } = {};
  #WS: typeof WebSocket;
  #creds: Credentials = { user: '', secret: '' };
  #grace = 0;
  /** reconnect / failback timer, token renewal timer, -3013 timer */
  #t: Timer;
  #rt: Timer;
  #t13: Timer;
  #renewFails = 0;
  #failbackDue = false;
  #losses: number[] = [];

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
    if (this.tp || this.status !== 'LOGGED_OUT')
      return this.#reg('DUPLICATE_LOGIN', 'Already loggedin. Rejecting duplicate login');
    const bad = checkLogin(c, o.host);
    if (bad) return this.#reg(bad, 'Login parameters incorrect');
    if (o.service === 'relayservice' && !this.dom.relay)
      return this.#reg('LOGIN_FAILED', 'Mandate relay audio tag not set');
    this.#creds = c;
    this.#losses = [];
    this.server = { host: o.host, port: o.port };
    this.primary = true;
    globalThis.addEventListener?.('pagehide', this.#unload);
    return (await this.#open('login', c))!;
  }

  /** Logs out (§5.7): calls are dropped locally, the socket closed, every device released. */
  logout(reason = 'Logout successful'): void {
    if (!this.tp && this.status === 'LOGGED_OUT') return;
    this.tp?.send('logout', null);
    this.#lost('LOGGEDOUT', reason, 'manual logout');
  }

  /**
   * `getAlternateServerConfig()`: the backup gateway of valid HA data as advertised, or null
   * (§8.1). Whether the client moves there on its own is `backup` (the allow-list check).
   */
  alternateServer(): HaData['backupGateway'] | null {
    return this.ha?.backupGateway ?? null;
  }

  /** Resiliency is active (§8.1): D11 HA data (or the dev gateway's call resume), a token, not disabled. */
  get resilient(): boolean {
    return this.opts.resiliency && !!this.token && (!!this.ha || this.resume);
  }

  /**
   * One connection and login (§5.1–5.4) to `this.server`. The result told to the app depends on
   * `mode`; null when a reconnect attempt failed and the schedule goes on (§8.6).
   */
  async #open(mode: Mode, c: Credentials): Promise<Registration | null> {
    const o = this.opts;
    const { host, port } = this.server;
    const tp = (this.tp = new Transport(
      this.#WS,
      o.service,
      this.log,
      o.keepaliveMs,
      o.probeIdleMs,
      o.probeTimeoutMs,
    ));
    tp.onEvent = (e) => this.#event(e);
    tp.onLinkIssue = () =>
      this.resilient && globalThis.navigator?.onLine !== false
        ? tp.probe()
        : this.#reg('LINK_ISSUE_DETECTED', 'link issue detected');
    const aborted = { result: 'LOGGEDOUT', reason: 'aborted' } as const;
    const failed = (result: RegResult, reason: string | number) => {
      this.tp = null;
      tp.close();
      // a failed reconnect attempt: the schedule goes on; a refused token (-3003) is final
      if (mode === 'relogin' && result !== 'LOGIN_FAILED') return null;
      return mode === 'login'
        ? (this.#off(), this.#reg(result, reason))
        : this.#lost(result, reason, 'GW connection lost');
    };
    try {
      await tp.connect(`wss://${host}:${port}/SignalGateway/connect`);
    } catch (code) {
      return this.tp !== tp
        ? aborted
        : failed('LOGIN_WEBSOCKET_FAILURE', closeReason(code as number));
    }
    // settings and login go out back to back (§5.1)
    tp.request('getGatewaySettings', { type: 'all' }, o.loginTimeoutMs).then(
      (s) => this.#settings(s),
      noop,
    );
    const params = loginParams(
      tp.dialect,
      o.service,
      o.app,
      c,
      o.resiliency,
    ) as RequestParams<'login'>;
    const r = await tp.request('login', params, o.loginTimeoutMs).catch(() => null);
    if (this.tp !== tp) return aborted;
    if (r?.responseCode !== '200') {
      const reason = r ? r.responseString || r.responseCode : NO_RESPONSE;
      if (!r && mode !== 'login') return failed('LOGIN_WEBSOCKET_FAILURE', reason);
      return failed(
        mode === 'failover'
          ? 'FAIL_OVER_FAILED'
          : mode === 'failback'
            ? 'FAIL_BACK_FAILED'
            : mode === 'relogin' && r?.responseCode !== '-3003'
              ? 'LOGIN_WEBSOCKET_FAILURE'
              : 'LOGIN_FAILED',
        reason,
      );
    }
    clearTimeout(this.#t);
    tp.onClose = (code) => this.#drop(closeReason(code));
    tp.onDead = () => {
      this.#reg('LINK_ISSUE_DETECTED', 'link issue detected');
      if (this.resilient) {
        tp.close();
        this.#drop('link issue detected');
      }
    };
    this.loggedIn = true;
    const data = tp.dialect === 'D11' && o.service !== 'relayservice' ? r.loginSessionData : null;
    const ha = (this.ha = haOf(data));
    const t = tokenOf(data);
    this.token = t && { ...t, until: Date.now() + t.expiry * 1000 };
    this.backup = null;
    if (ha) {
      const b = ha.backupGateway;
      this.primary = !/primary/i.test(b.serverType);
      const ok = acceptBackup(b, o.host, o.alternateServers);
      if (typeof ok === 'string') this.log.warn(`resiliency: no failover target: ${ok}`);
      else this.backup = ok;
    }
    // calls kept through a reconnect: those the gateway did not take back end now, never silently
    const kept = (data?.ext?.resumedCalls ?? '').split(',');
    for (const call of [...this.calls.values()])
      if (mode !== 'relogin' || !kept.includes(call.id)) call.end(NOT_RESUMED);
    this.status =
      mode === 'failover' ? 'FAILED OVER' : mode === 'failback' ? 'FAILED BACK' : 'NORMAL';
    const reg: Registration =
      mode === 'login'
        ? { result: 'LOGIN_SUCCESS', reason: 'SIP registration success' }
        : mode === 'relogin'
          ? { result: 'RELOGGED_IN', reason: why.back(host) }
          : {
              result: mode === 'failover' ? 'FAIL_OVER_SUCCESS' : 'FAIL_BACK_SUCCESS',
              reason: why.moved(host),
            };
    // resiliency active: the app gets the session token, and it is renewed (§8.3)
    if (this.resilient && t) {
      if (ha) reg.authToken = { token: t.token, expiry: t.expiry };
      this.#renewFails = 0;
      this.#renew(renewDelay(t.expiry));
    }
    if (o.service === 'relayservice') reg.UID = (r.responseString ?? '').split(' ')[1] ?? '';
    return this.#reg(reg);
  }

  #reg(r: Registration | RegResult, reason: string | number = ''): Registration {
    const reg = typeof r === 'string' ? { result: r, reason } : r;
    this.log.info(`registration: ${reg.result}`, { reason: reg.reason });
    this.emit('registration', reg);
    return reg;
  }

  /** No session any more: timers stopped, socket closed, status LOGGED_OUT. */
  #off(): void {
    for (const t of [this.#t, this.#rt, this.#t13]) clearTimeout(t);
    this.tp?.close();
    this.tp = null;
    this.loggedIn = false;
    this.status = 'LOGGED_OUT';
    this.#failbackDue = false;
    globalThis.removeEventListener?.('pagehide', this.#unload);
  }

  /** Session over: calls end locally (no endCall, §2.5, §5.7), devices released, app told. */
  #lost(result: RegResult, reason: string | number, callReason: string): Registration {
    this.#off();
    this.#endCalls(callReason);
    this.loopback.reset();
    this.media.release();
    return this.#reg(result, reason);
  }

  /** Ends calls locally; `keep`: connected and held calls stay (call resume). */
  #endCalls(reason: string, keep = false): void {
    for (const c of [...this.calls.values()]) if (!keep || !c.established) c.end(reason);
  }

  #unload = () => this.logout();

  /** Settings (also the probe's answer and GatewaySettingsChanged): DTMF, STUN, call resume. */
  #settings(s: GatewaySettings & { responseCode?: string }): void {
    if (s.responseCode && s.responseCode !== '200') return;
    const r = readSettings(s, this.tp?.dialect === 'D11');
    if (r.dtmf) this.dtmf = r.dtmf;
    this.gwStun = r.stun ?? '';
    this.resume = s.ext?.callResume === true;
    this.#grace = (s.ext?.callResumeGraceSeconds ?? 0) * 1000;
  }

  // ---- resiliency (§8) ----------------------------------------------------------------------

  /**
   * The socket of a logged-in session closed or went dead. Without resiliency the session is
   * over (§2.5). With it, reconnect to the same gateway with back-off, then fail over (§8.6).
   * With call resume, connected and held calls stay up: their media does not use the socket.
   */
  #drop(reason: string | number): void {
    this.tp = null;
    this.loggedIn = false;
    // a 4th loss within 30 s (e.g. another live copy of this app instance keeps taking the session over): give up
    const now = Date.now();
    const flapping =
      (this.#losses = [...this.#losses.filter((t) => now - t < 30_000), now]).length > 3;
    if (!this.resilient || flapping || this.status === 'FAILING OVER')
      return void this.#lost('LOGIN_WEBSOCKET_FAILURE', reason, 'GW connection lost');
    clearTimeout(this.#rt);
    clearTimeout(this.#t13);
    this.#failbackDue = false;
    this.status = 'RECONNECTING';
    this.#endCalls('GW connection lost', this.resume);
    this.#reg('RECONNECTING', why.lost(this.server.host));
    this.#retry(Date.now(), 0);
  }

  #retry(since: number, n: number): void {
    const o = this.opts;
    this.#t = setTimeout(
      async () => {
        const gone = Date.now() - since;
        if (this.resume && gone >= (this.#grace || o.failoverMs * 10)) this.#endCalls(NOT_RESUMED);
        if (this.backup && gone >= o.failoverMs) return void this.#move('failover');
        if (gone >= o.giveUpMs)
          return void this.#lost(
            'LOGIN_WEBSOCKET_FAILURE',
            closeReason(1006),
            'GW connection lost',
          );
        const ids = [...this.calls.keys()].join();
        const r = await this.#open('relogin', this.#auto(this.resume && ids ? ids : undefined));
        if (!r && this.status === 'RECONNECTING') this.#retry(since, n + 1);
      },
      backoff(n, o.reconnectMs, o.reconnectMaxMs),
    );
  }

  /** Credentials of an automatic token login: the last issued token, its type copied (§5.3). */
  #auto(resume?: string): Credentials {
    const c = this.#creds;
    const t = this.token!;
    return {
      user: c.user,
      secret: t.token,
      bump: c.bump,
      wire: {
        type: t.type === null ? (c.tokenType || c.legacyToken ? 'esna' : 'session') : t.type,
      },
      resume,
    };
  }

  /** Failover or failback to the alternate server (§8.4, §8.6): calls end, the socket closes, token login there. */
  async #move(mode: 'failover' | 'failback'): Promise<void> {
    const to = this.backup!;
    const reason = why.trying(to.host);
    this.status = mode === 'failover' ? 'FAILING OVER' : 'FAILING BACK';
    this.#failbackDue = false;
    clearTimeout(this.#rt);
    this.#endCalls(reason);
    this.#reg(mode === 'failover' ? 'FAILING_OVER' : 'FAILING_BACK', reason);
    this.tp?.close();
    this.tp = null;
    this.loggedIn = false;
    // until the new login says otherwise, the server left is the alternate
    this.backup = this.server;
    this.server = to;
    this.primary = !this.primary;
    await this.#open(mode, this.#auto());
  }

  /** `GatewayHAModeChanged` (§8.4). */
  #haMode(mode: string): void {
    if (mode.toLowerCase() !== 'passive') return;
    if (!this.ha) return this.log.warn('GatewayHAModeChanged without HA data: ignored');
    if (!this.opts.resiliency)
      return this.logout('Gateway mode changed. Logging out as resiliency is disabled.');
    if (!this.backup || !this.token)
      return this.log.warn('GatewayHAModeChanged: no usable alternate server');
    if (this.primary) return void this.#move('failover');
    // on the secondary: failback after haFailbackTime, once no call is left (no callback yet)
    if (this.status === 'FAILING BACK') return;
    this.status = 'FAILING BACK';
    clearTimeout(this.#t);
    this.#t = setTimeout(() => {
      this.#failbackDue = true;
      this.#failback();
    }, failbackMs(this.ha.haFailbackTime));
  }

  #failback(): void {
    if (this.#failbackDue && this.status === 'FAILING BACK' && !this.calls.size)
      void this.#move('failback');
  }

  /** `LoginStatusChanged` (§5.5, §5.6, §8.7). */
  #loginStatus(p: EventParams<'LoginStatusChanged'>): void {
    const reason = p.reasonString ?? '';
    const host = this.server.host;
    if (p.loginState !== LOGGED_OUT) {
      if (!this.resilient) return;
      clearTimeout(this.#t13);
      this.loggedIn = true;
      if (this.status === 'RECONNECTING') this.status = 'NORMAL';
      return void this.#reg('RELOGGED_IN', why.back(host));
    }
    if (p.reasonCode !== '-3013' || !this.resilient || !this.primary)
      return void this.#lost('LOGIN_FAILED', reason, reason || 'Logged out');
    // registration lost, socket kept: wait for the gateway to re-register the client
    this.#endCalls(why.lost3013(host));
    this.loggedIn = false;
    this.status = 'RECONNECTING';
    clearTimeout(this.#rt);
    this.#reg('RECONNECTING', why.lost3013(host));
    clearTimeout(this.#t13);
    this.#t13 = setTimeout(
      () => this.#lost('LOGIN_FAILED', reason, reason),
      this.opts.reregisterMs,
    );
  }

  /**
   * Token renewal (§8.3) after `ms`. A failure is reported as the vendor does, and then (unlike
   * the vendor) retried with back-off while the current token is still valid.
   */
  #renew(ms: number): void {
    clearTimeout(this.#rt);
    this.#rt = setTimeout(async () => {
      const tp = this.tp;
      const t = this.token;
      if (!tp || !t || !this.loggedIn) return;
      const r = await tp
        .request(
          'renewToken',
          {
            userID: this.#creds.user,
            token: t.token,
            applicationInstanceID: this.opts.app.instanceId,
          },
          this.opts.requestTimeoutMs,
        )
        .catch(() => null);
      if (this.tp !== tp || !this.loggedIn) return;
      const nt = r?.responseCode === '200' ? tokenOf(r) : null;
      if (nt) {
        this.token = { ...nt, until: Date.now() + nt.expiry * 1000 };
        this.#renewFails = 0;
        this.#renew(renewDelay(nt.expiry));
        return this.emit('token', {
          result: 'TOKEN_RENEW_SUCCESS',
          reason: r!.responseString ?? '',
          authToken: { token: nt.token, expiry: nt.expiry },
        });
      }
      const wait = backoff(this.#renewFails++, this.opts.renewRetryMs, 8 * this.opts.renewRetryMs);
      if (Date.now() + wait < t.until!) this.#renew(wait);
      this.emit('token', {
        result: 'TOKEN_RENEW_FAILED',
        reason: r
          ? r.responseCode === '200'
            ? 'Token received from the server is invalid'
            : r.responseString || r.responseCode
          : NO_RESPONSE,
      });
    }, ms);
  }

  // ---- calls ----------------------------------------------------------------------------

  /**
   * Places a call; the call object comes back at once and reports through events. Null when not
   * logged in (or in relay service). A 4th call ends at once with MAXCAP_REACHED.
   */
  call(target: string, video = false): Call | null {
    if (!this.loggedIn || /ING/.test(this.status) || this.opts.service === 'relayservice')
      return null;
    const host = (globalThis.location?.hostname ?? '').replace(/[^\w.-]/g, '') || 'awl';
    const c = new Call(
      this,
      `${uuid()}@${host}`,
      false,
      video && this.opts.video,
      String(target ?? ''),
    );
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
    if (wait && held.length)
      await until(() => held.every((c) => c.held || c.ended), this.opts.requestTimeoutMs);
  }

  /** @internal A call ended: forget it, release unused devices, refresh the video elements. */
  drop(c: Call): void {
    this.calls.delete(c.id);
    this.settle();
    this.show();
    this.#failback();
  }

  /** @internal Stops devices no call uses (the microphone when the last call ended). */
  settle(): void {
    const calls = [...this.calls.values()];
    if (!calls.length) return this.media.release();
    if (!calls.some((c) => c.local.getVideoTracks().some((t) => t.readyState === 'live')))
      this.media.releaseKind('video');
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
    this.emit(
      'streams',
      c,
      kind,
      kind === 'video' ? c.localVideo : c.local,
      kind === 'video' ? c.remoteVideo : c.remote,
    );
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
      case 'gatewaySettingsResponse':
        // the response of a probe, or of a settings request that timed out
        return this.#settings(e.params);
      case 'LoginStatusChanged':
        return this.#loginStatus(e.params);
      case 'GatewayHAModeChanged':
        return this.#haMode(e.params.mode);
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
    // while failing over or back, incoming calls are refused and the app is not told (§8.2)
    if (this.status.startsWith('FAILING'))
      return void this.tp?.send('rejectCall', { callId: p.callId });
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
const NOT_RESUMED = 'Call lost with the gateway connection (not resumed)';
