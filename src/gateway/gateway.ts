/**
 * The protocol engine of the dev gateway: validates every frame, handles settings, login
 * (password, session and ESNA tokens, D11 and D10), forced login, logout and token renewal, and
 * hands call requests to the CallRouter. Transport-free: server.ts feeds it sockets.
 */
import { randomInt } from 'node:crypto';
import {
  CALL_SCOPED_REQUESTS,
  DEFAULT_LIMITS,
  LOGGED_OUT,
  RESPONSE_OF,
  RESPONSE_CODE as RC,
  parseRequest,
  type D10LoginEnvelope,
  type EventName,
  type GatewaySettings,
  type LoginD10Params,
  type RequestEnvelope,
  type RequestName,
  type RequestParams,
  type Service,
} from '../protocol/index.js';
import { LoginLimiter, type TokenService, type TokenClaims } from './auth.js';
import { CallRouter, type BridgeLike } from './calls.js';
import { MediaServices, type ServiceEnv } from './services.js';
import { verifyPassword, type Directory } from './directory.js';
import { DEFAULT_CONNECTION_LIMITS, IpLimits, type ConnectionLimits } from './limits.js';
import type { Logger } from './log.js';
import {
  gatewaySettings,
  haDataOf,
  issueToken,
  normaliseLogin,
  renewToken,
  type HaData,
} from './login.js';
import { refuse, respond } from './answers.js';
import type { Session } from './session.js';

export interface GatewayOptions {
  directory: Directory;
  tokens: TokenService;
  limiter?: LoginLimiter;
  log: Logger;
  createBridge: (options: { video: boolean }) => Promise<BridgeLike>;
  /** the gateway's own media services (relay loopback, echo, DTMF read-back); none when absent */
  services?: Omit<ServiceEnv, 'log' | 'domain'>;
  version?: string;
  domain?: string;
  /** frames per second allowed per connection (sustained) */
  frameRate?: number;
  ringTimeoutMs?: number;
  mediaUpdateTimeoutMs?: number;
  /** a socket that does not close itself after a forced logout is closed after this */
  forcedLogoutCloseMs?: number;
  /** HA pair membership (absent: a standalone gateway, `haData {haSupported:false}`) */
  ha?: HaConfig;
  /** call resume grace in seconds (dev-gateway extension); 0 or absent: off */
  callResumeGraceSeconds?: number;
  /** per-IP connection cap, per-IP frame budget, login deadline */
  limits?: Partial<ConnectionLimits>;
}

import type { HaConfig, HaRole, HaState } from './ha-config.js';
export type { HaConfig, HaRole, HaState };

const SERVICES_WITH_CALLS = new Set(['phoneservice', 'agentservice']);

/** A hash that never matches, so unknown users cost as much as known ones. */
const DUMMY_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export class Gateway {
  readonly router: CallRouter;
  readonly services: MediaServices | null;
  readonly limiter: LoginLimiter;
  /** logged-in sessions by `${extension}|${service}` */
  readonly #registry = new Map<string, Session>();
  /** the same sessions by extension (a call looks its target up here, not by scanning) */
  readonly #byExt = new Map<string, Set<Session>>();
  readonly #all = new Set<Session>();
  readonly ipLimits: IpLimits;
  /** fault injection shared with every session (`silent`: send nothing, ignore every frame) */
  readonly faults = { silent: false };
  /** a secondary starts passive until its health checks find the primary dead */
  #haState: HaState;

  constructor(readonly options: GatewayOptions) {
    this.#haState = options.ha?.role === 'secondary' ? 'passive' : 'active';
    this.limiter = options.limiter ?? new LoginLimiter();
    this.ipLimits = new IpLimits({ ...DEFAULT_CONNECTION_LIMITS, ...options.limits });
    this.router = new CallRouter({
      log: options.log,
      findUser: (ext) => options.directory.get(ext),
      sessionsOf: (ext) => {
        const set = this.#byExt.get(ext);
        return set ? [...set].filter((s) => s.loggedIn && !s.closed) : [];
      },
      createBridge: options.createBridge,
      domain: options.domain ?? 'ipo-dev.local',
      ringTimeoutMs: options.ringTimeoutMs ?? 120_000,
      mediaUpdateTimeoutMs: options.mediaUpdateTimeoutMs ?? 15_000,
    });
    this.services = options.services
      ? new MediaServices({
          ...options.services,
          log: options.log,
          domain: options.domain ?? 'ipo-dev.local',
        })
      : null;
  }

  /** Since start: accepted logins, forced logouts (a bump) and logins refused as in use (/healthz). */
  readonly loginCounts = { logins: 0, forcedLogouts: 0, inUse: 0 };

  get sessionCount(): number {
    return this.#registry.size;
  }

  get connectionCount(): number {
    return this.#all.size;
  }

  /** Sessions whose socket is gone while their calls wait for a resumed login. */
  get parkedCount(): number {
    let n = 0;
    for (const s of this.#registry.values()) if (s.parked) n++;
    return n;
  }

  get role(): HaRole | 'standalone' {
    return this.options.ha?.role ?? 'standalone';
  }

  get haState(): HaState {
    return this.#haState;
  }

  /**
   * HA state of this gateway (driven by the health checks in ha.ts). A secondary that goes passive
   * (the primary is back) tells each client logged in on it, so they fail back (§8.4).
   */
  setHaState(state: HaState): void {
    if (state === this.#haState) return;
    this.#haState = state;
    let told = 0;
    if (state === 'passive') {
      for (const s of this.#registry.values()) {
        if (!this.#haClient(s)) continue;
        s.event('GatewayHAModeChanged', { mode: 'passive' });
        told++;
      }
    }
    this.options.log.always('ha state', { role: this.role, state, told });
  }

  /** A logged-in D11 phone/agent session on an open socket: the kind of client HA applies to. */
  #haClient(s: Session): boolean {
    return s.loggedIn && !s.closed && s.dialect === 'D11' && SERVICES_WITH_CALLS.has(s.service);
  }

  /** Fault injection: silence (or un-silence) one extension's sessions, or the whole gateway. */
  setSilent(silent: boolean, extension?: string): number {
    let n = 0;
    if (extension === undefined) {
      this.faults.silent = silent;
      for (const s of this.#all) {
        if (!silent) s.silentSelf = false;
        n++;
      }
    } else {
      for (const s of this.#all) {
        if (s.extension !== extension) continue;
        s.silentSelf = silent;
        n++;
      }
    }
    this.options.log.always('fault', { silent, extension: extension ?? null, sessions: n });
    return n;
  }
  settings(): GatewaySettings {
    return gatewaySettings(this.options.version, this.#grace);
  }

  get #grace(): number {
    return this.options.callResumeGraceSeconds ?? 0;
  }

  /** §5.4 haData: the backup is the peer; its serverType is the role this gateway does not have. */
  haData(): HaData {
    return haDataOf(this.options.ha);
  }

  open(session: Session): void {
    session.faults = this.faults;
    this.#all.add(session);
    session.log.info('connected', {
      dialect: session.dialect,
      ip: session.ip,
      origin: session.origin ?? null,
    });
    this.#loginDeadline(session);
  }

  /** An unauthenticated socket (new, or after logout) must log in within the deadline. */
  #loginDeadline(session: Session): void {
    const seconds = this.ipLimits.limits.loginTimeoutSeconds;
    clearTimeout(session.loginTimer);
    if (seconds <= 0) return;
    session.loginTimer = setTimeout(() => {
      if (session.loggedIn || session.loginPending || session.closed) return;
      session.log.info('no login in time: closing', { seconds });
      session.shut(1008, 'Login timeout');
    }, seconds * 1000);
    session.loginTimer.unref();
  }

  /**
   * The socket is gone: every call and the registration are released (§2.5) — unless call resume
   * is on and the session has established calls: those (and the registration slot) are kept for
   * the grace period, waiting for a token login of the same instance that asks for them.
   */
  close(session: Session, code: number): void {
    if (session.closed) return;
    session.closed = true;
    clearTimeout(session.loginTimer);
    this.#all.delete(session);
    if (session.dropped > 0 || session.warnings.suppressed > 0)
      session.log.warn('frames dropped while closing', {
        dropped: session.dropped,
        suppressedWarnings: session.warnings.suppressed,
      });
    // 1001 (going away) is a page unload or navigation in a browser (scripts cannot send it): the
    // page and its calls are gone, so nothing will resume them.
    // Only a client that asked for call resume at login gets its calls kept (§2.5 for every other).
    const resumable =
      code !== 1001 &&
      session.callResume &&
      session.loggedIn &&
      session.dialect === 'D11' &&
      SERVICES_WITH_CALLS.has(session.service) &&
      session.instanceId !== null;
    if (this.#grace > 0 && resumable) {
      const kept = this.router.establishedCallIds(session);
      if (kept.length > 0) {
        this.router.dropUnestablished(session);
        const timer = setTimeout(() => {
          if (!session.parked) return;
          session.log.info('call resume: grace expired', {
            user: session.extension ?? null,
            calls: session.parked.callIds.size,
          });
          this.#endParked(session, 'The other party lost its connection');
        }, this.#grace * 1000);
        timer.unref();
        session.parked = {
          queue: [],
          callIds: new Set(this.router.establishedCallIds(session)),
          timer,
        };
        session.log.info('disconnected, calls kept for resume', {
          code,
          user: session.extension ?? null,
          calls: session.parked.callIds.size,
          graceSeconds: this.#grace,
        });
        return;
      }
    }
    this.router.dropSession(session);
    this.services?.drop(session);
    this.#unregister(session);
    session.log.info('disconnected', { code, user: session.extension ?? null });
  }

  /** Ends the calls a parked session kept, and frees its registration slot. */
  #endParked(session: Session, farEndReason: string): void {
    if (!session.parked) return;
    clearTimeout(session.parked.timer);
    session.parked = null;
    this.router.dropSession(session, farEndReason);
    this.#unregister(session);
  }

  /** One inbound text frame. Never throws. */
  handle(session: Session, text: string): void {
    if (session.silent) return; // fault injection: frames are swallowed unanswered
    if (session.closing) {
      session.dropped++; // marked for closing: no answer, no log line (counted, reported at close)
      return;
    }
    const ownRate = session.take(this.options.frameRate ?? 40);
    if (!ownRate || !this.ipLimits.frame(session.ip)) {
      if (ownRate) session.excess++; // the IP's budget is spent: counts against this connection too
      refuse(session, text, RC.TOO_MANY, 'Too many requests: slow down');
      if (session.excess > 200) {
        session.log.warn('flood: closing', { excess: session.excess, ip: session.ip });
        session.shut(1008, 'Too many requests');
      }
      return;
    }
    const parsed = parseRequest(text, session.dialect, DEFAULT_LIMITS);
    if (!parsed.ok) {
      const { error } = parsed;
      session.warnings.warn('bad frame', {
        code: error.code,
        detail: error.message,
        msgname: error.msgname ?? null,
      });
      const name = error.msgname as RequestName | undefined;
      if (error.code === 'bad-params' && name && Object.hasOwn(RESPONSE_OF, name)) {
        return respond(
          session,
          error.id ?? 'unknown',
          name,
          RC.BAD_REQUEST,
          error.message,
          error.callId,
          true,
        );
      }
      session.respond(error.id ?? 'unknown', 'errorResponse', {
        responseCode: RC.BAD_REQUEST,
        responseString: error.message,
        ...(error.msgname ? { requestMsgname: error.msgname } : {}),
      });
      return;
    }
    const req = parsed.message;
    try {
      this.#dispatch(session, req);
    } catch (err) {
      session.log.error('request failed', {
        msgname: req.msgname,
        err: (err as Error).message,
        stack: (err as Error).stack,
      });
      const callId = (req.params as { callId?: string } | null)?.callId;
      respond(session, req.id, req.msgname, RC.SERVER_ERROR, 'Internal gateway error', callId);
    }
  }

  #dispatch(session: Session, req: RequestEnvelope | D10LoginEnvelope): void {
    const { id, msgname } = req;
    session.log.debug('request', {
      msgname,
      callId: (req.params as { callId?: string } | null)?.callId ?? null,
    });
    if (msgname === 'getGatewaySettings') {
      return session.respond(id, 'gatewaySettingsResponse', {
        responseCode: RC.OK,
        responseString: 'OK',
        ...this.settings(),
      });
    }
    if (msgname === 'login') {
      // one login per connection at a time; a refused login changes nothing (not even the service)
      if (session.loggedIn || session.loginPending) {
        const reason = session.loggedIn
          ? 'Already logged in on this connection'
          : 'A login is already in progress on this connection';
        session.log.info('login refused', { code: RC.CONFLICT, reason });
        return session.respond(
          id,
          'loginResponse',
          { responseCode: RC.CONFLICT, responseString: reason },
          req.service,
        );
      }
      session.loginPending = true;
      void this.#login(session, id, req.service, req.params)
        .catch((err: Error) => {
          session.log.error('login failed internally', { err: err.message });
          session.respond(
            id,
            'loginResponse',
            { responseCode: RC.SERVER_ERROR, responseString: 'Internal gateway error' },
            req.service,
          );
        })
        .finally(() => {
          session.loginPending = false;
        });
      return;
    }
    // only call-scoped requests name a call: a stray callId on logout or renewToken is ignored
    const callId = CALL_SCOPED_REQUESTS.has(msgname)
      ? (req.params as { callId?: string } | null)?.callId
      : undefined;
    if (!session.loggedIn)
      return respond(session, id, msgname, RC.UNAUTHORIZED, 'Not logged in', callId, true);
    if (req.service !== session.service) {
      return respond(
        session,
        id,
        msgname,
        RC.BAD_REQUEST,
        `service must be "${session.service}" on this connection`,
        callId,
        true,
      );
    }
    const reply = (code: string, reason: string) =>
      respond(session, id, msgname, code, reason, callId);
    const services = this.services;
    if (
      services &&
      callId !== undefined &&
      msgname !== 'makeCall' &&
      services.owns(session, callId)
    ) {
      if (msgname === 'answerCall')
        return services.answer(session, req.params as RequestParams<'answerCall'>, reply);
      if (msgname === 'endCall' || msgname === 'abortCall' || msgname === 'rejectCall')
        return services.hangup(session, callId, reply);
      return services.refuse(reply);
    }
    if (callId !== undefined && msgname !== 'makeCall' && !this.router.leg(session, callId)) {
      return reply(RC.NOT_FOUND, 'Unknown call');
    }
    if (services && msgname === 'makeCall' && services.handles(session, req.params.target)) {
      return services.makeCall(session, req.params, reply);
    }
    switch (msgname) {
      case 'logout':
        reply(RC.OK, 'Logout successful');
        return this.#logout(session, 'Logged out');
      case 'renewToken':
        return renewToken(this.options.tokens, session, id, req.params);
      case 'makeCall':
        return this.router.makeCall(session, req.params, reply);
      case 'answerCall':
        return this.router.answer(session, req.params, false, reply);
      case 'answerEarlyMedia':
        return this.router.answer(session, req.params, true, reply);
      case 'rejectCall':
        return this.router.reject(session, req.params, reply);
      case 'abortCall':
      case 'endCall':
        return this.router.hangup(session, req.params, reply);
      case 'holdCall':
        return this.router.hold(session, req.params, true, reply);
      case 'unholdCall':
        return this.router.hold(session, req.params, false, reply);
      case 'transferCall':
        return this.router.transfer(session, req.params, reply);
      case 'updateMedia':
        return this.router.updateMedia(session, id, req.params, reply);
      case 'acceptMediaUpdateRequest':
        return this.router.mediaUpdateAnswer(session, req.params.callId, req.params.sdp, reply);
      case 'rejectMediaUpdateRequest':
        return this.router.mediaUpdateAnswer(session, req.params.callId, undefined, reply);
    }
  }

  async #login(
    session: Session,
    id: string,
    service: Service,
    raw: RequestParams<'login'> | LoginD10Params,
  ): Promise<void> {
    const fail = (code: string, reason: string) => {
      session.log.info('login refused', { code, reason });
      session.respond(id, 'loginResponse', { responseCode: code, responseString: reason }, service);
    };
    const p = normaliseLogin(session.dialect, raw);
    if ('error' in p) return fail(RC.BAD_REQUEST, p.error);

    const user = this.options.directory.get(p.userID);
    let claims: TokenClaims | null = null;
    if (p.password !== undefined) {
      // the lock-out counts checks in flight: pipelined guesses are refused before any hashing
      const wait = this.limiter.admit(p.userID, session.ip);
      if (wait > 0)
        return fail(
          RC.TOO_MANY,
          `Too many failed logins; try again in ${Math.ceil(wait / 1000)} s`,
        );
      let ok: boolean;
      try {
        ok = await verifyPassword(p.password, user?.passwordHash ?? DUMMY_HASH);
      } catch (err) {
        this.limiter.release(p.userID, session.ip);
        throw err;
      }
      if (!ok || !user) {
        this.limiter.fail(p.userID, session.ip);
        return session.closed ? undefined : fail(RC.UNAUTHORIZED, 'Invalid Credentials');
      }
      this.limiter.succeed(p.userID, session.ip);
      if (session.closed) return;
    } else {
      // Token logins are not subject to the password lock-out (a victim's reconnects must work),
      // and a signed token cannot be guessed; the frame rate bounds the attempts.
      const check = this.options.tokens.verify(p.token!, {
        sub: p.userID,
        typ: p.tokenType,
        iid: p.instanceId ?? undefined,
        org: session.origin,
      });
      if (!check.ok || !user) {
        session.log.info('token rejected', { why: check.ok ? 'unknown-user' : check.reason });
        return fail(RC.TOKEN_REJECTED, 'Token rejected');
      }
      claims = check.claims;
    }
    if (service === 'agentservice' && user.profile !== 'agent') {
      return fail(RC.FORBIDDEN, `User ${user.extension} is not an agent`);
    }
    const key = `${user.extension}|${service}`;
    let existing = this.#registry.get(key);
    const takeOver = p.resumeCalls !== undefined || !p.bump; // a bump without resume keeps the §5.5 forced logout
    if (
      existing &&
      existing !== session &&
      !existing.parked &&
      takeOver &&
      p.token !== undefined &&
      p.instanceId !== null &&
      existing.instanceId === p.instanceId
    ) {
      // The same application instance logs in again with its token: its old connection is dead
      // even if the gateway has not noticed yet (a cut without a close). Drop it as a socket loss.
      session.log.info('same instance logged in again: dropping its old connection', {
        user: user.extension,
        old: existing.id,
      });
      this.close(existing, 1006);
      existing.ws.terminate();
      existing = this.#registry.get(key);
    }
    let resumeFrom: Session | null = null;
    if (existing && existing !== session) {
      const sameInstance = existing.parked !== null && existing.instanceId === p.instanceId;
      if (existing.parked && sameInstance && p.token !== undefined && p.resumeCalls !== undefined)
        resumeFrom = existing;
      else if (existing.parked && (sameInstance || p.bump)) {
        session.log.info('call resume: kept calls ended by a new login', {
          user: user.extension,
          calls: existing.parked.callIds.size,
        });
        this.#endParked(existing, 'Far end disconnected');
      } else if (!p.bump) {
        this.loginCounts.inUse++;
        return fail(
          RC.CONFLICT,
          `Extension ${user.extension} is already in use by ${existing.userAgent || 'another client'}`,
        );
      } else this.#bump(existing);
    }
    // accepted: only now does the login change the session
    this.loginCounts.logins++;
    session.service = service;
    session.instanceId = p.instanceId;
    session.callResume = p.callResume;
    session.user = user;
    session.loggedIn = true;
    clearTimeout(session.loginTimer);
    this.#register(session, key);
    session.log.info('logged in', {
      user: user.extension,
      service,
      auth: p.password !== undefined ? 'password' : `token:${p.tokenType ?? 'any'}`,
      ua: session.userAgent,
    });

    if (session.dialect === 'D10')
      return session.respond(id, 'loginResponse', { responseCode: RC.OK, responseString: 'OK' });
    if (session.service === 'relayservice') {
      return session.respond(id, 'loginResponse', {
        responseCode: RC.OK,
        responseString: `OK ${randomInt(100000, 999999)}`,
      });
    }
    if (claims?.typ === 'session') this.options.tokens.revoke(claims); // rotate: a session token is single-use
    const issued = issueToken(
      this.options.tokens,
      session,
      user,
      claims?.typ === 'session' ? claims : null,
    );
    const resumed = resumeFrom ? this.#resume(resumeFrom, session, p.resumeCalls!) : null;
    const askedToResume = p.resumeCalls !== undefined && this.#grace > 0;
    session.respond(id, 'loginResponse', {
      responseCode: RC.OK,
      responseString: 'OK',
      loginSessionData: {
        authToken: { type: 'session', token: issued.token, expiry: issued.expiry },
        haData: SERVICES_WITH_CALLS.has(session.service)
          ? this.haData()
          : { haSupported: false, haEnabled: false },
        ...(askedToResume ? { ext: { resumedCalls: (resumed?.ids ?? []).join(',') } } : {}),
      },
    });
    for (const e of resumed?.events ?? []) session.event(e.msgname, e.params as never);
    if (
      this.options.ha?.role === 'secondary' &&
      this.#haState === 'passive' &&
      this.#haClient(session)
    ) {
      // §8.4 "what the backup does with logins": accepted, then sent back to the primary
      session.event('GatewayHAModeChanged', { mode: 'passive' });
    }
  }

  /**
   * Call resume: the calls the new login asked for and the old session kept move to the new
   * session (calls that ended during the grace count as kept: their CallDisconnected is among the
   * queued events); kept calls not asked for end. Returns the kept ids and their queued events.
   */
  #resume(
    old: Session,
    session: Session,
    resumeCalls: string,
  ): { ids: string[]; events: Array<{ msgname: EventName; params: unknown }> } {
    const parked = old.parked!;
    clearTimeout(parked.timer);
    old.parked = null;
    const asked = new Set(
      resumeCalls
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
    const ids = [...parked.callIds].filter((callId) => asked.has(callId));
    for (const callId of [...old.legs.keys()]) {
      if (!asked.has(callId)) this.router.releaseCall(old, callId, 'Far end disconnected');
    }
    for (const callId of ids) this.router.adopt(old, session, callId);
    this.router.dropSession(old); // nothing left, unless a leg could not move
    const keep = new Set(ids);
    const events = parked.queue.filter((e) =>
      keep.has((e.params as { callId?: string }).callId ?? ''),
    );
    session.log.info('call resume: calls resumed', {
      user: session.extension ?? null,
      asked: asked.size,
      resumed: ids.length,
      queued: events.length,
    });
    return { ids, events };
  }

  /** Forced login elsewhere: the old session is told it is logged out, and its calls end (§5.5). */
  #bump(old: Session): void {
    this.loginCounts.forcedLogouts++;
    old.log.info('forced logout', { user: old.extension });
    old.event('LoginStatusChanged', {
      loginState: LOGGED_OUT,
      reasonCode: '-3010',
      reasonString: 'Logged in elsewhere',
    });
    this.#logout(old, 'Logged in elsewhere');
    const timer = setTimeout(() => {
      if (!old.closed) old.ws.close(1000, 'Logged in elsewhere');
    }, this.options.forcedLogoutCloseMs ?? 10_000);
    timer.unref();
  }

  #logout(session: Session, reason: string): void {
    this.router.dropSession(session);
    this.services?.drop(session);
    this.#unregister(session);
    session.loggedIn = false;
    // every token this session was issued (each family's latest revokes its whole lineage)
    if (session.token) this.options.tokens.revoke(session.token);
    for (const claims of session.issued.values()) this.options.tokens.revoke(claims);
    session.issued.clear();
    session.token = null;
    if (!session.closed) this.#loginDeadline(session);
    session.log.info('logged out', { user: session.extension ?? null, reason });
  }

  /** Registers a logged-in session under `key` (a resumed login replaces its parked session). */
  #register(session: Session, key: string): void {
    const old = this.#registry.get(key);
    if (old && old !== session) this.#index(old, false);
    this.#registry.set(key, session);
    session.registryKey = key;
    this.#index(session, true);
  }

  /** Frees the registration by the key it was made under, whatever changed on the session since. */
  #unregister(session: Session): void {
    const key = session.registryKey;
    if (key === null) return;
    session.registryKey = null;
    if (this.#registry.get(key) === session) this.#registry.delete(key);
    this.#index(session, false);
  }

  #index(session: Session, add: boolean): void {
    const ext = session.extension;
    if (ext === undefined) return;
    let set = this.#byExt.get(ext);
    if (add) {
      if (!set) this.#byExt.set(ext, (set = new Set()));
      set.add(session);
    } else if (set) {
      set.delete(session);
      if (set.size === 0) this.#byExt.delete(ext);
    }
  }

  /** Closes every socket (shutdown). */
  closeAll(code = 1001, reason = 'Gateway shutting down'): void {
    for (const s of this.#all) s.ws.close(code, reason);
  }
}
