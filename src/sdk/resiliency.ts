/**
 * The resiliency state machine (gateway-protocol.md §2.6, §5.6, §8): what happens when the
 * signalling link of a logged-in session is lost, when the gateway says it went passive, when the
 * registration is lost with the socket kept (-3013), and the session token's renewal. It owns the
 * client status, the gateway in use and the backup, and four named timers; it drives the phone
 * through `ResiliencyHost`. The rules it applies (reason texts, back-off, backup check) are
 * pure functions in `resiliency-rules.ts`.
 *
 * ```
 *                  login ok                    socket closed or dead, resiliency active
 *   LOGGED_OUT ─────────────► NORMAL ─────────────────────────────────────► RECONNECTING
 *        ▲                    ▲  ▲   -3013 registration lost (primary) ──────►  │  ▲
 *        │                    │  └── RELOGGED_IN: token login ok / re-registered ┘  │ reconnectTimer:
 *        │                    │                                                     │ back-off attempts
 *        │ giveUpMs without   │                  failoverMs gone and a backup known ▼
 *        │ a backup; a token  │      GatewayHAModeChanged      ┌────────────► FAILING OVER
 *        │ refused; -3013     │      passive on the primary ───┘                     │ token login there
 *        │ not re-registered  │                                                      ▼
 *        │ (reregisterTimer); │                                                 FAILED OVER
 *        │ a 4th loss in 30 s │                                                      │ passive on the
 *        │ or one while       │                                                      ▼ secondary
 *        └─ FAILING OVER ─────┘      FAILED BACK ◄── token login ── FAILING BACK (failbackTimer:
 *                                                                   haFailbackTime, then no call left)
 * ```
 *
 * Any state → LOGGED_OUT on logout or a final failure. The renewTimer renews the session token at
 * 60–90 % of its expiry while resiliency is active (§8.3), retried with back-off on failure.
 */
import type { EventParams } from '../protocol/index.js';
import { LOGGED_OUT, REASON } from '../protocol/index.js';
import type { Log } from './log.js';
import type { RegResult, Registration, ValidHa } from './registration.js';
import { renewDelay } from './registration.js';
import {
  acceptBackup,
  backoff,
  failbackMs,
  why,
  type ResiliencyOptions,
  type Server,
  type Status,
} from './resiliency-rules.js';
import { closeReason } from './transport.js';

export * from './resiliency-rules.js';

/** How a connection attempt came about: it decides what the app is told (§5.4, §8). */
export type Mode = 'login' | 'relogin' | 'failover' | 'failback';

type Timer = ReturnType<typeof setTimeout> | undefined;

/** What the app is told when a login attempt (`mode`) is refused, or unanswered (`r` null). */
export function refusal(
  mode: Mode,
  r: { responseCode: string; responseString?: string } | null,
): [RegResult, string | number] {
  const reason = r ? r.responseString || r.responseCode : REASON.noResponse;
  if (!r && mode !== 'login') return ['LOGIN_WEBSOCKET_FAILURE', reason];
  return [
    mode === 'failover'
      ? 'FAIL_OVER_FAILED'
      : mode === 'failback'
        ? 'FAIL_BACK_FAILED'
        : mode === 'relogin' && r?.responseCode !== '-3003'
          ? 'LOGIN_WEBSOCKET_FAILURE'
          : 'LOGIN_FAILED',
    reason,
  ];
}

/** What the app is told when a login attempt (`mode`) to `host` succeeded. */
export function loggedIn(mode: Mode, host: string): Registration {
  return mode === 'login'
    ? { result: 'LOGIN_SUCCESS', reason: 'SIP registration success' }
    : mode === 'relogin'
      ? { result: 'RELOGGED_IN', reason: why.back(host) }
      : {
          result: mode === 'failover' ? 'FAIL_OVER_SUCCESS' : 'FAIL_BACK_SUCCESS',
          reason: why.moved(host),
        };
}

/** What the state machine reads of the phone (its public getters). */
export interface ResiliencyView {
  readonly log: Log;
  readonly opts: Readonly<
    ResiliencyOptions & { host: string; resiliency: boolean; requestTimeoutMs: number }
  >;
  /** resiliency is active (§8.1) */
  readonly resilient: boolean;
  /** valid HA data of the last login */
  readonly ha: ValidHa | null;
  /** the session token (`expiry` in s, `until`: its local expiry time in ms), or null */
  readonly token: { readonly expiry: number; readonly until?: number } | null;
  /** the gateway keeps established calls through a reconnect (`ext.callResume`) */
  readonly resume: boolean;
}

/** What the state machine does to the phone. */
export interface ResiliencyHost {
  /** how long the gateway keeps calls of a lost session (`callResumeGraceSeconds`, ms) */
  graceMs(): number;
  /** ids of the calls of this session */
  callIds(): string[];
  /** one connection and token login (`relogin`, `failover`, `failback`) to `server`; null: failed, retry */
  open(mode: Mode, resume?: string): Promise<Registration | null>;
  /** the session is over: calls end locally (with `callReason`), devices released, app told */
  lost(result: RegResult, reason: string | number, callReason: string): void;
  /** tells the app */
  reg(result: RegResult, reason: string | number): void;
  /** ends calls locally; `keep`: connected and held calls stay (call resume) */
  endCalls(reason: string, keep?: boolean): void;
  /** the socket is gone (closed here first when `close`): not logged in any more */
  disconnect(close: boolean): void;
  /** registration lost (-3013) or back on the same socket */
  registered(on: boolean): void;
  logout(reason: string): void;
  /** renews the session token now: 'ok' (new token stored, app told), 'failed' (app told), 'gone' */
  renew(): Promise<'ok' | 'failed' | 'gone'>;
}

export class Resiliency {
  /** client status (§8.2) */
  status: Status = 'LOGGED_OUT';
  /** the gateway of this session, and whether it is the primary (§8.2) */
  server: Server = { host: '', port: 0 };
  primary = true;
  /** the backup gateway the client may move to (advertised and accepted), or null */
  backup: Server | null = null;
  /** the next reconnect attempt to the lost gateway (§8.6) */
  #reconnectTimer: Timer;
  /** haFailbackTime after GatewayHAModeChanged on the secondary (§8.4) */
  #failbackTimer: Timer;
  /** the session token's renewal, or its retry (§8.3) */
  #renewTimer: Timer;
  /** -3013: the wait for the gateway to re-register the client (§5.6) */
  #reregisterTimer: Timer;
  #renewFails = 0;
  #failbackDue = false;
  /** times of the last session losses (flapping guard) */
  #losses: number[] = [];

  constructor(
    private readonly host: ResiliencyHost,
    private readonly view: ResiliencyView,
  ) {}

  /** A new login (by the app) to `home`. */
  start(home: Server): void {
    this.#losses = [];
    this.server = { ...home };
    this.primary = true;
  }

  /** Logged in (`mode`) to `this.server`: the status, the backup of the HA data, renewal. */
  connected(mode: Mode, ha: ValidHa | null): void {
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#failbackTimer);
    const o = this.view.opts;
    this.backup = null;
    if (ha) {
      const b = ha.backupGateway;
      this.primary = !/primary/i.test(b.serverType);
      const ok = acceptBackup(b, o.host, o.alternateServers);
      if (typeof ok === 'string') this.view.log.warn(`resiliency: no failover target: ${ok}`);
      else this.backup = ok;
    }
    this.status =
      mode === 'failover' ? 'FAILED OVER' : mode === 'failback' ? 'FAILED BACK' : 'NORMAL';
  }

  /** Resiliency active with a token of `expiry` seconds: renew it (§8.3). */
  startRenewal(expiry: number): void {
    this.#renewFails = 0;
    this.#renewIn(renewDelay(expiry));
  }

  /** No session any more: every timer stopped, status LOGGED_OUT. */
  off(): void {
    for (const t of [
      this.#reconnectTimer,
      this.#failbackTimer,
      this.#renewTimer,
      this.#reregisterTimer,
    ])
      clearTimeout(t);
    this.status = 'LOGGED_OUT';
    this.#failbackDue = false;
  }

  /**
   * The socket of a logged-in session closed or went dead. Without resiliency the session is
   * over (§2.5). With it, reconnect to the same gateway with back-off, then fail over (§8.6).
   * With call resume, connected and held calls stay up: their media does not use the socket.
   */
  dropped(reason: string | number): void {
    const h = this.host;
    const v = this.view;
    h.disconnect(false);
    // a 4th loss within 30 s (e.g. another live copy of this app instance keeps taking the session over): give up
    const now = Date.now();
    const flapping =
      (this.#losses = [...this.#losses.filter((t) => now - t < 30_000), now]).length > 3;
    if (!v.resilient || flapping || this.status === 'FAILING OVER')
      return h.lost('LOGIN_WEBSOCKET_FAILURE', reason, REASON.gwLost);
    clearTimeout(this.#renewTimer);
    clearTimeout(this.#reregisterTimer);
    clearTimeout(this.#failbackTimer);
    this.#failbackDue = false;
    this.status = 'RECONNECTING';
    h.endCalls(REASON.gwLost, v.resume);
    h.reg('RECONNECTING', why.lost(this.server.host));
    this.#retry(Date.now(), 0);
  }

  #retry(since: number, n: number): void {
    const h = this.host;
    const v = this.view;
    const o = v.opts;
    this.#reconnectTimer = setTimeout(
      async () => {
        const gone = Date.now() - since;
        if (v.resume && gone >= (h.graceMs() || o.failoverMs * 10)) h.endCalls(REASON.notResumed);
        if (this.backup && gone >= o.failoverMs) return void this.#move('failover');
        if (gone >= o.giveUpMs)
          return h.lost('LOGIN_WEBSOCKET_FAILURE', closeReason(1006), REASON.gwLost);
        const ids = h.callIds().join();
        const r = await h.open('relogin', v.resume && ids ? ids : undefined);
        if (!r && this.status === 'RECONNECTING') this.#retry(since, n + 1);
      },
      backoff(n, o.reconnectMs, o.reconnectMaxMs),
    );
  }

  /** Failover or failback to the alternate server (§8.4, §8.6): calls end, the socket closes, token login there. */
  async #move(mode: 'failover' | 'failback'): Promise<void> {
    const to = this.backup!;
    const reason = why.trying(to.host);
    this.status = mode === 'failover' ? 'FAILING OVER' : 'FAILING BACK';
    this.#failbackDue = false;
    clearTimeout(this.#renewTimer);
    this.host.endCalls(reason);
    this.host.reg(mode === 'failover' ? 'FAILING_OVER' : 'FAILING_BACK', reason);
    this.host.disconnect(true);
    // until the new login says otherwise, the server left is the alternate
    this.backup = this.server;
    this.server = to;
    this.primary = !this.primary;
    await this.host.open(mode);
  }

  /** `GatewayHAModeChanged` (§8.4). */
  haMode(mode: string): void {
    const h = this.host;
    const v = this.view;
    if (mode.toLowerCase() !== 'passive') return;
    if (!v.ha) return v.log.warn('GatewayHAModeChanged without HA data: ignored');
    if (!v.opts.resiliency)
      return h.logout('Gateway mode changed. Logging out as resiliency is disabled.');
    if (!this.backup || !v.token)
      return v.log.warn('GatewayHAModeChanged: no usable alternate server');
    if (this.primary) return void this.#move('failover');
    // on the secondary: failback after haFailbackTime, once no call is left (no callback yet)
    if (this.status === 'FAILING BACK') return;
    this.status = 'FAILING BACK';
    clearTimeout(this.#failbackTimer);
    this.#failbackTimer = setTimeout(() => {
      this.#failbackDue = true;
      this.failback();
    }, failbackMs(v.ha.haFailbackTime));
  }

  /** A due failback waits for the last call to end; called when one ends. */
  failback(): void {
    if (this.#failbackDue && this.status === 'FAILING BACK' && !this.host.callIds().length)
      void this.#move('failback');
  }

  /** `LoginStatusChanged` (§5.5, §5.6, §8.7). */
  loginStatus(p: EventParams<'LoginStatusChanged'>): void {
    const h = this.host;
    const v = this.view;
    const reason = p.reasonString ?? '';
    const host = this.server.host;
    if (p.loginState !== LOGGED_OUT) {
      if (!v.resilient) return;
      clearTimeout(this.#reregisterTimer);
      h.registered(true);
      if (this.status === 'RECONNECTING') this.status = 'NORMAL';
      return h.reg('RELOGGED_IN', why.back(host));
    }
    if (p.reasonCode !== '-3013' || !v.resilient || !this.primary)
      return h.lost('LOGIN_FAILED', reason, reason || 'Logged out');
    // registration lost, socket kept: wait for the gateway to re-register the client
    h.endCalls(why.lost3013(host));
    h.registered(false);
    this.status = 'RECONNECTING';
    clearTimeout(this.#renewTimer);
    h.reg('RECONNECTING', why.lost3013(host));
    clearTimeout(this.#reregisterTimer);
    this.#reregisterTimer = setTimeout(
      () => h.lost('LOGIN_FAILED', reason, reason),
      v.opts.reregisterMs,
    );
  }

  /**
   * Token renewal (§8.3) after `ms`. A failure is reported as the vendor does, and then (unlike
   * the vendor) retried with back-off while the current token is still valid.
   */
  #renewIn(ms: number): void {
    clearTimeout(this.#renewTimer);
    this.#renewTimer = setTimeout(async () => {
      const h = this.host;
      const v = this.view;
      const until = v.token?.until;
      const r = await h.renew();
      // the app may have logged out from its token callback
      if (r === 'gone' || this.status === 'LOGGED_OUT') return;
      if (r === 'ok') return this.startRenewal(v.token!.expiry);
      const o = v.opts;
      const wait = backoff(this.#renewFails++, o.renewRetryMs, 8 * o.renewRetryMs);
      if (until !== undefined && Date.now() + wait < until) this.#renewIn(wait);
    }, ms);
  }
}
