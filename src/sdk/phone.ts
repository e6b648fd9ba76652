/**
 * The engine root: one registration on one gateway (gateway-protocol.md §5), its calls (at most
 * three, §6.1), local media and the event dispatch of §12. Promise/event based and typed; the AWL
 * facade (`./awl`) maps it onto the vendor API.
 */
import {
  MAX_CALLS,
  REASON,
  numberFromSipUri,
  type EventEnvelope,
  type EventParams,
  type GatewaySettings,
  type HaData,
  type RequestParams,
  type ResponseEnvelope,
} from '../protocol/index.js';
import { Call, type CallHost } from './call.js';
import { StunMemory } from './ice.js';
import { Log } from './log.js';
import { Loopback, type LoopbackHost } from './loopback.js';
import { Media, attach } from './media.js';
import {
  defaultOptions,
  type MediaElements,
  type PhoneEnv,
  type PhoneEvents,
  type PhoneOptions,
  type SessionToken,
} from './phone-options.js';
import {
  checkLogin,
  haOf,
  loginParams,
  readSettings,
  renewal,
  tokenOf,
  type Credentials,
  type RegResult,
  type Registration,
  type ValidHa,
} from './registration.js';
import {
  Resiliency,
  loggedIn,
  refusal,
  type Mode,
  type ResiliencyHost,
  type Server,
  type Status,
} from './resiliency.js';
import { videoActive } from './sdp.js';
import { Transport, closeReason } from './transport.js';
import { Emitter, noop, until, uuid } from './util.js';

export { MAX_CALLS } from '../protocol/index.js';
export {
  defaultOptions,
  type MediaElements,
  type PhoneEnv,
  type PhoneEvents,
  type PhoneOptions,
  type SessionToken,
  type TokenRenewal,
} from './phone-options.js';

export class Phone extends Emitter<PhoneEvents> {
  readonly media: Media;
  readonly loopback: Loopback;
  /** @internal */
  readonly PC: typeof RTCPeerConnection;
  #opts: Readonly<PhoneOptions>;
  #calls = new Map<string, Call>();
  #tp: Transport | null = null;
  #loggedIn = false;
  #resume = false;
  #rejectReasons = false;
  #dtmf = '101';
  #gwStun = '';
  #ha: ValidHa | null = null;
  #token: SessionToken | null = null;
  #dom: MediaElements = {};
  #WS: typeof WebSocket;
  #creds: Credentials = { user: '', secret: '' };
  #grace = 0;
  /** the resiliency state machine: client status, gateway in use, backup, its timers */
  #res: Resiliency;
  #hostObj?: CallHost & LoopbackHost;
  /** what gathering learnt about the STUN server in use (a silent one costs no wait) */
  #stunMem = new StunMemory();

  constructor(
    opts: Partial<PhoneOptions> = {},
    env: PhoneEnv = {},
    readonly log = new Log(),
  ) {
    super();
    this.#opts = Object.freeze({ ...defaultOptions(), ...opts });
    const g = globalThis as Partial<typeof globalThis>;
    this.#WS = env.WebSocket ?? g.WebSocket!;
    this.PC = env.RTCPeerConnection ?? g.RTCPeerConnection!;
    this.media = new Media(env.mediaDevices ?? g.navigator?.mediaDevices, log);
    this.media.onSwap = (kind, track) => this.#calls.forEach((c) => c.swap(kind, track));
    this.media.onSink = (id) => this.#calls.forEach((c) => c.sink(id));
    this.loopback = new Loopback(this.#host);
    this.#res = new Resiliency(this.#resHost(), this);
    this.onError = (err) => log.error('app callback threw', String(err));
  }

  // ---- state (read-only) ----------------------------------------------------------------

  /** The configuration in use (frozen: change it with `configure`). */
  get opts(): Readonly<PhoneOptions> {
    return this.#opts;
  }

  /** The calls of this session by call id (at most MAX_CALLS), in the order they came. */
  get calls(): ReadonlyMap<string, Call> {
    return this.#calls;
  }

  /** The open signalling connection (also while logging in), or null. */
  get tp(): Transport | null {
    return this.#tp;
  }

  /** Registered: calls can be made and received. */
  get loggedIn(): boolean {
    return this.#loggedIn;
  }

  /** Client status (§8.2). */
  get status(): Status {
    return this.#res.status;
  }

  /** The gateway of this session (§8.2). */
  get server(): Readonly<Server> {
    return this.#res.server;
  }

  /** The gateway of this session is the primary (§8.2). */
  get primary(): boolean {
    return this.#res.primary;
  }

  /** The backup gateway the client may move to (advertised and accepted), or null. */
  get backup(): Readonly<Server> | null {
    return this.#res.backup;
  }

  /** The gateway advertised the call-resume extension (`ext.callResume`). */
  get resume(): boolean {
    return this.#resume;
  }

  /** The telephone-event/8000 payload type of our offers (`codec.dtmfPayLoad`, §7.4). */
  get dtmf(): string {
    return this.#dtmf;
  }

  /** The STUN server in use: the app's, else the gateway's (§5.2); '' for none. */
  get stun(): string {
    return this.#opts.stun || this.#gwStun;
  }

  /** Valid HA data of the last login (§5.4), or null. */
  get ha(): Readonly<ValidHa> | null {
    return this.#ha;
  }

  /** The session token of the last login or renewal, when valid (§5.4); `until`: local expiry. */
  get token(): Readonly<SessionToken> | null {
    return this.#token;
  }

  /** The fixed media elements of `setMediaElements`. */
  get mediaElements(): Readonly<MediaElements> {
    return this.#dom;
  }

  /** Resiliency is active (§8.1): D11 HA data (or the dev gateway's call resume), a token, not disabled. */
  get resilient(): boolean {
    return this.#opts.resiliency && !!this.#token && (!!this.#ha || this.#resume);
  }

  // ---- configuration --------------------------------------------------------------------

  /**
   * Changes options (the rest stay): a new gateway, service or credentials-related setting
   * applies to the next login, STUN/TURN and video to the next call, timers to the next use.
   */
  configure(patch: Partial<PhoneOptions>): void {
    this.#opts = Object.freeze({ ...this.#opts, ...patch });
  }

  /** The app's STUN server URL for later calls ('' = none: the gateway's is used, §5.2). */
  setStun(url: string): void {
    this.configure({ stun: url });
  }

  /**
   * Fixed video elements (the talking call's video is shown there, `setDomElements`) and the
   * relay audio tag of the network test (§9). Replaces the previous set.
   */
  setMediaElements(els: MediaElements): void {
    this.#dom = { ...els };
    this.#show();
  }

  /** ICE servers for a new peer connection: the app's STUN, else the gateway's; TURN. */
  iceServers(): RTCIceServer[] {
    const { stun } = this;
    return [...(stun ? [{ urls: stun }] : []), ...(this.#opts.turn ? [this.#opts.turn] : [])];
  }

  // ---- registration ---------------------------------------------------------------------

  /** Logs in (password or token, §5.3): resolves with the result the app is also told. */
  async login(c: Credentials): Promise<Registration> {
    const o = this.#opts;
    if (this.#tp || this.#res.status !== 'LOGGED_OUT')
      return this.#reg('DUPLICATE_LOGIN', 'Already loggedin. Rejecting duplicate login');
    const bad = checkLogin(c, o.host);
    if (bad) return this.#reg(bad, 'Login parameters incorrect');
    if (o.service === 'relayservice' && !this.#dom.relay)
      return this.#reg('LOGIN_FAILED', 'Mandate relay audio tag not set');
    this.#creds = c;
    this.#res.start({ host: o.host, port: o.port });
    globalThis.addEventListener?.('pagehide', this.#unload);
    return (await this.#open('login', c))!;
  }

  /** Logs out (§5.7): calls are dropped locally, the socket closed, every device released. */
  logout(reason = 'Logout successful'): void {
    if (!this.#tp && this.#res.status === 'LOGGED_OUT') return;
    this.#tp?.send('logout', null);
    this.#lost('LOGGEDOUT', reason, 'manual logout');
  }

  /**
   * Leaves the session to another tab of this site (a shared session's take-over): the socket
   * is closed without a `logout`, so the session token stays good for the tab that logs in with
   * it; calls end locally; the app is told LOGGEDOUT. Once only: a later logout() does nothing.
   */
  handOver(reason = 'Handed over to another tab'): void {
    if (!this.#tp && this.#res.status === 'LOGGED_OUT') return;
    this.#lost('LOGGEDOUT', reason, 'manual logout');
  }

  /**
   * `getAlternateServerConfig()`: the backup gateway of valid HA data as advertised, or null
   * (§8.1). Whether the client moves there on its own is `backup` (the allow-list check).
   */
  alternateServer(): HaData['backupGateway'] | null {
    return this.#ha?.backupGateway ?? null;
  }

  /**
   * One connection and login (§5.1–5.4) to the resiliency's `server`. The result told to the app depends on
   * `mode`; null when a reconnect attempt failed and the schedule goes on (§8.6).
   */
  async #open(mode: Mode, c: Credentials): Promise<Registration | null> {
    const o = this.#opts;
    const { host, port } = this.#res.server;
    const tp = (this.#tp = new Transport(
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
        : this.#reg('LINK_ISSUE_DETECTED', REASON.linkIssue);
    const aborted = { result: 'LOGGEDOUT', reason: 'aborted' } as const;
    const failed = (result: RegResult, reason: string | number) => {
      this.#tp = null;
      tp.close();
      // a failed reconnect attempt: the schedule goes on; a refused token (-3003) is final
      if (mode === 'relogin' && result !== 'LOGIN_FAILED') return null;
      return mode === 'login'
        ? (this.#off(), this.#reg(result, reason))
        : this.#lost(result, reason, REASON.gwLost);
    };
    try {
      await tp.connect(`wss://${host}:${port}/SignalGateway/connect`);
    } catch (code) {
      return this.#tp !== tp
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
    if (this.#tp !== tp) return aborted;
    if (r?.responseCode !== '200') return failed(...refusal(mode, r));
    tp.onClose = (code) => this.#res.dropped(closeReason(code));
    tp.onRefused = (callId, reason) => {
      const ext = this.#rejectReasons ? { ext: { reason: 'invalid-offer' } } : {};
      tp.send('rejectCall', { callId, ...ext });
      this.emit('refused', callId, reason);
    };
    tp.onDead = () => {
      this.#reg('LINK_ISSUE_DETECTED', REASON.linkIssue);
      if (this.resilient) {
        tp.close();
        this.#res.dropped(REASON.linkIssue);
      }
    };
    this.#loggedIn = true;
    const data = tp.dialect === 'D11' && o.service !== 'relayservice' ? r.loginSessionData : null;
    const ha = (this.#ha = haOf(data));
    const t = tokenOf(data);
    this.#token = t && { ...t, until: Date.now() + t.expiry * 1000 };
    // calls kept through a reconnect: those the gateway did not take back end now, never silently
    const kept = (data?.ext?.resumedCalls ?? '').split(',');
    for (const call of [...this.#calls.values()])
      if (mode !== 'relogin' || !kept.includes(call.id)) call.end(REASON.notResumed);
    this.#res.connected(mode, ha);
    // learn in the background whether the STUN server in use answers, before the next call
    void this.#stunMem.probe(this.PC, this.stun, o.ice);
    const reg = loggedIn(mode, host);
    // resiliency active: the app gets the session token, and it is renewed (§8.3)
    if (this.resilient && t) {
      if (ha) reg.authToken = { token: t.token, expiry: t.expiry };
      this.#res.startRenewal(t.expiry);
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
    this.#res.off();
    this.#tp?.close();
    this.#tp = null;
    this.#loggedIn = false;
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
    for (const c of [...this.#calls.values()]) if (!keep || !c.established) c.end(reason);
  }

  #unload = () => this.logout();

  /** Settings (also the probe's answer and GatewaySettingsChanged): DTMF, STUN, call resume. */
  #settings(s: GatewaySettings & { responseCode?: string }): void {
    if (s.responseCode && s.responseCode !== '200') return;
    const r = readSettings(s, this.#tp?.dialect === 'D11');
    if (r.dtmf) this.#dtmf = r.dtmf;
    this.#gwStun = r.stun ?? '';
    this.#resume = s.ext?.callResume === true;
    this.#rejectReasons = s.ext?.rejectReasons === true;
    this.#grace = (s.ext?.callResumeGraceSeconds ?? 0) * 1000;
    if (this.#loggedIn) void this.#stunMem.probe(this.PC, this.stun, this.#opts.ice);
  }

  /** Credentials of an automatic token login: the last issued token, its type copied (§5.3). */
  #auto(resume?: string): Credentials {
    const c = this.#creds;
    const t = this.#token!;
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

  /** Renews the session token now (§8.3); the app is told either way. */
  async #renew(): Promise<'ok' | 'failed' | 'gone'> {
    const tp = this.#tp;
    const t = this.#token;
    if (!tp || !t || !this.#loggedIn) return 'gone';
    const r = await tp
      .request(
        'renewToken',
        {
          userID: this.#creds.user,
          token: t.token,
          applicationInstanceID: this.#opts.app.instanceId,
        },
        this.#opts.requestTimeoutMs,
      )
      .catch(() => null);
    if (this.#tp !== tp || !this.#loggedIn) return 'gone';
    const { token: nt, note } = renewal(r);
    if (nt) this.#token = { ...nt, until: Date.now() + nt.expiry * 1000 };
    this.emit('token', note);
    return nt ? 'ok' : 'failed';
  }

  /** What the resiliency state machine sees of the phone (`ResiliencyHost`). */
  #resHost(): ResiliencyHost {
    return {
      graceMs: () => this.#grace,
      callIds: () => [...this.#calls.keys()],
      open: (mode, resume) => this.#open(mode, this.#auto(resume)),
      lost: (result, reason, callReason) => void this.#lost(result, reason, callReason),
      reg: (result, reason) => void this.#reg(result, reason),
      endCalls: (reason, keep) => this.#endCalls(reason, keep),
      disconnect: (close) => {
        if (close) this.#tp?.close();
        this.#tp = null;
        this.#loggedIn = false;
      },
      registered: (on) => void (this.#loggedIn = on),
      logout: (reason) => this.logout(reason),
      renew: () => this.#renew(),
    };
  }

  // ---- calls ----------------------------------------------------------------------------

  /**
   * Places a call; the call object comes back at once and reports through events. Null when not
   * logged in (or in relay service). A 4th call ends at once with MAXCAP_REACHED.
   */
  call(target: string, video = false): Call | null {
    if (!this.#loggedIn || /ING/.test(this.#res.status) || this.#opts.service === 'relayservice')
      return null;
    const host = (globalThis.location?.hostname ?? '').replace(/[^\w.-]/g, '') || 'awl';
    const c = new Call(
      this.#host,
      `${uuid()}@${host}`,
      false,
      video && this.#opts.video,
      String(target ?? ''),
    );
    if (this.#calls.size >= MAX_CALLS) {
      setTimeout(() => c.end(REASON.maxCalls, 'MAXCAP_REACHED'));
      return c;
    }
    this.#calls.set(c.id, c);
    void c.dial(c.farNumber);
    return c;
  }

  /**
   * Auto-hold (§6.1): holds the other talking calls and (`cancel`) cancels the others that are
   * neither talking nor held; with `wait`, until those are held — at most one request timeout.
   */
  async #autoHold(me: Call, cancel: boolean, wait: boolean): Promise<void> {
    const held: Call[] = [];
    for (const c of this.#calls.values()) {
      if (c === me || c.ended) continue;
      if (c.active) {
        held.push(c);
        c.hold();
      } else if (cancel && !c.established) c.hangup('abortCall');
    }
    if (wait && held.length)
      await until(() => held.every((c) => c.held || c.ended), this.#opts.requestTimeoutMs);
  }

  /** Stops devices no call uses (the microphone when the last call ended). */
  #settle(): void {
    const calls = [...this.#calls.values()];
    if (!calls.length) return this.media.release();
    if (!calls.some((c) => c.local.getVideoTracks().some((t) => t.readyState === 'live')))
      this.media.releaseKind('video');
  }

  /** setDomElements semantics: the talking call's video is shown in the fixed elements. */
  #show(): void {
    const { local, remote } = this.#dom;
    if (!local && !remote) return;
    const c = [...this.#calls.values()].find((x) => x.active);
    attach(local, c ? c.localVideo : null, true);
    attach(remote, c ? c.remoteVideo : null, true);
  }

  /**
   * What calls and the loopback test see of the phone (`CallHost`, `LoopbackHost`): one object of
   * closures over this phone's private state.
   */
  get #host(): CallHost & LoopbackHost {
    const ph = this;
    return (this.#hostObj ??= {
      log: this.log,
      get tp() {
        return ph.#tp;
      },
      get video() {
        return ph.#opts.video;
      },
      get requestMs() {
        return ph.#opts.requestTimeoutMs;
      },
      get dtmf() {
        return ph.#dtmf;
      },
      get rejectReasons() {
        return ph.#rejectReasons;
      },
      get relayReady() {
        return ph.#loggedIn && ph.#opts.service === 'relayservice';
      },
      get relayElement() {
        return ph.#dom.relay;
      },
      media: this.media,
      newPc: () => new this.PC({ iceServers: this.iceServers() }),
      gatherOptions: () =>
        this.#stunMem.options(this.stun, {
          stun: !!this.stun,
          turn: !!this.#opts.turn,
          ...this.#opts.ice,
        }),
      autoHold: (me, cancel, wait) => this.#autoHold(me, cancel, wait),
      state: (c, state) => this.emit('state', c, state),
      show: () => this.#show(),
      // streams of a call are up: video goes to the fixed elements when set, else to the app
      streams: (c, kind) =>
        kind === 'video' && (this.#dom.local || this.#dom.remote)
          ? this.#show()
          : this.emit(
              'streams',
              c,
              kind,
              kind === 'video' ? c.localVideo : c.local,
              kind === 'video' ? c.remoteVideo : c.remote,
            ),
      settle: () => this.#settle(),
      // forget the call, release unused devices, refresh the video elements, then tell the app
      ended: (c, reason) => {
        this.#calls.delete(c.id);
        this.#settle();
        this.#show();
        this.#res.failback();
        this.emit('state', c, c.state);
        this.emit('ended', c, reason);
      },
      note: (n) => this.emit('loopback', n),
    });
  }

  // ---- inbound --------------------------------------------------------------------------

  #event(e: EventEnvelope | ResponseEnvelope): void {
    switch (e.msgname) {
      case 'GatewaySettingsChanged':
      case 'gatewaySettingsResponse':
        // the response of a probe, or of a settings request that timed out
        return this.#settings(e.params);
      case 'LoginStatusChanged':
        return this.#res.loginStatus(e.params);
      case 'GatewayHAModeChanged':
        return this.#res.haMode(e.params.mode);
      case 'IncomingCall':
        return this.#incoming(e.params);
    }
    const callId = (e.params as { callId?: string }).callId;
    const call = callId === undefined ? undefined : this.#calls.get(callId);
    if (call) call.onEvent(e);
    else if (!this.loopback.onEvent(e)) this.log.debug(`ignored ${e.msgname}`);
  }

  #incoming(p: EventParams<'IncomingCall'>): void {
    if (this.#opts.service === 'relayservice') return void this.loopback.incoming(p);
    if (this.#calls.has(p.callId)) return;
    // while failing over or back, incoming calls are refused and the app is not told (§8.2)
    if (this.#res.status.startsWith('FAILING'))
      return void this.#tp?.send('rejectCall', { callId: p.callId });
    // never offer the app a 4th call: refuse that call (the vendor's guard rejects the wrong one)
    if (this.#calls.size >= MAX_CALLS)
      return void this.#tp?.send('rejectCall', { callId: p.callId });
    const c = new Call(this.#host, p.callId, true, videoActive(p.sdp), numberFromSipUri(p.sipUri));
    c.offer = p.sdp;
    c.sipUri = p.sipUri ?? '';
    c.state = 'INCOMING';
    c.autoAnswer = p.autoAnswer === true || p.autoAnswer === 'true';
    if (p.FarEndDn !== undefined) c.setFar(p.FarEndDn);
    this.#calls.set(c.id, c);
    this.emit('incoming', c);
    if (c.autoAnswer) c.answer();
    else if (this.#opts.service === 'agentservice') c.earlyMedia();
  }
}
