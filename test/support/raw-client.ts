/**
 * A raw protocol client written from gateway-protocol.md: one WebSocket, JSON envelopes, every
 * received frame recorded in order and checked against the envelope rules (§3.1, §3.2) both by an
 * independent check here and by the shared `parseInbound`.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import WebSocket from 'ws';
import {
  CLIENT_SUBPROTOCOLS,
  KEEPALIVE_FRAME,
  PROTOCOL_STRING,
  RESPONSE_OF,
  dialectForSubprotocol,
  parseInbound,
  type Dialect,
  type Service,
} from '../../src/protocol/index.js';
import { TEST_ENV } from './gateway.js';
import { Signal, quietPeriod } from './wait.js';

/** A parsed frame; `params` is left loose on purpose: tests assert field types themselves. */
export interface Env {
  protocol: string;
  id: string;
  service: string;
  msgname: string;
  params: any;
}

export interface Frame {
  seq: number;
  text: string;
  binary: boolean;
  env?: Env;
}

/** Every credential a test used or received: the gateway's logs must contain none of them. */
export const secrets = new Set<string>();

/** Pseudo-msgname matching the text frame `keepalive` in `next()`. */
export const KEEPALIVE = KEEPALIVE_FRAME;

export interface ConnectOptions {
  /** Offered subprotocols; default both, like the vendor client (`['jsonrpc','jsonrpc-3.0']`). */
  protocols?: string[];
  /** `Origin` header; null sends none. */
  origin?: string | null;
  userAgent?: string;
  service?: Service;
  timeoutMs?: number;
  /** local address to connect from (another loopback address is another client IP) */
  localAddress?: string;
}

export interface LoginOptions {
  password?: string;
  /** ESNA or session token: makes it a token login (D11 `authType:"token"`, D10 `tokAuth:true`). */
  token?: string;
  tokenType?: string | undefined;
  bump?: boolean | string;
  applicationUA?: string;
  applicationInstanceID?: number | string;
  /** Expected `responseCode`; default "200"; null: do not check. */
  expect?: string | null;
  /** D11 `login.ext` (the dev gateway's call-resume extension), e.g. `{resumeCalls:"id1,id2"}`. */
  ext?: Record<string, unknown>;
  /** Send `getGatewaySettings` back-to-back before `login` (default true for D11, like the vendor). */
  settings?: boolean;
  timeoutMs?: number;
}

export interface LoginResult {
  response: Env;
  settings?: Env;
  loginId: string;
  settingsId?: string;
}

/** The WebSocket upgrade was answered with an HTTP status instead of 101. */
export class UpgradeRefused extends Error {
  constructor(readonly statusCode: number) {
    super(`WebSocket upgrade refused with HTTP ${statusCode}`);
  }
}

const ENVELOPE_KEYS = 'id,msgname,params,protocol,service';

/** Independent check of one inbound frame against §3.1/§3.2 (not using the shared module). */
function envelopeProblems(raw: unknown, protocol: string): string[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return ['frame is not a JSON object'];
  const o = raw as Record<string, unknown>;
  const problems: string[] = [];
  const keys = Object.keys(o).sort().join(',');
  if (keys !== ENVELOPE_KEYS)
    problems.push(`members are [${keys}], expected exactly [${ENVELOPE_KEYS}]`);
  if (o.protocol !== protocol)
    problems.push(`protocol ${JSON.stringify(o.protocol)}, expected "${protocol}"`);
  if (typeof o.id !== 'string' || o.id === '')
    problems.push(`id ${JSON.stringify(o.id)} is not a non-empty string`);
  if (typeof o.service !== 'string' || o.service === '')
    problems.push(`service ${JSON.stringify(o.service)} is not a non-empty string`);
  if (typeof o.msgname !== 'string' || o.msgname === '')
    problems.push(`msgname ${JSON.stringify(o.msgname)} is not a non-empty string`);
  const params = o.params;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    problems.push(`params ${JSON.stringify(params)} is not an object`);
  } else if (typeof o.msgname === 'string' && o.msgname.endsWith('Response')) {
    const p = params as Record<string, unknown>;
    if (typeof p.responseCode !== 'string')
      problems.push(`responseCode ${JSON.stringify(p.responseCode)} is not a string`);
    if (typeof p.responseString !== 'string')
      problems.push(`responseString ${JSON.stringify(p.responseString)} is not a string`);
  }
  return problems;
}

/** Collects every token string found anywhere in a frame (authToken.token) into `secrets`. */
function harvestTokens(value: unknown): void {
  if (!value || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'token' && typeof inner === 'string' && inner.length >= 8) secrets.add(inner);
    else harvestTokens(inner);
  }
}

export class RawClient {
  readonly frames: Frame[] = [];
  /** Envelope-rule breaches by the gateway, one line each; every suite asserts this stays empty. */
  readonly violations: string[] = [];
  readonly dialect: Dialect;
  readonly protocol: string;
  readonly closed: Promise<{ code: number; reason: string }>;
  closeInfo: { code: number; reason: string } | undefined;
  pings = 0;
  loggedIn = false;
  user = '';
  readonly instanceId = randomInt(1, 2 ** 32 - 1);
  private readonly consumed = new Set<number>();
  private readonly signal = new Signal();
  private seq = 0;
  private ids = 0;

  private constructor(
    readonly ws: WebSocket,
    public service: Service,
    public label: string,
  ) {
    this.dialect = dialectForSubprotocol(ws.protocol);
    this.protocol = PROTOCOL_STRING[this.dialect];
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        this.signal.notify();
        resolve(this.closeInfo);
      });
    });
    ws.on('error', () => {});
    ws.on('ping', () => {
      this.pings++;
      this.signal.notify();
    });
    ws.on('message', (data, isBinary) => this.onFrame(data.toString(), isBinary));
  }

  static connect(url: string, opts: ConnectOptions = {}): Promise<RawClient> {
    const headers: Record<string, string> = {};
    if (opts.userAgent) headers['User-Agent'] = opts.userAgent;
    const ws = new WebSocket(url, opts.protocols ?? [...CLIENT_SUBPROTOCOLS], {
      rejectUnauthorized: false,
      headers,
      ...(opts.origin ? { origin: opts.origin } : {}),
      handshakeTimeout: opts.timeoutMs ?? 5000,
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
    });
    return new Promise((resolve, reject) => {
      ws.once('unexpected-response', (req, res) => {
        req.destroy();
        reject(new UpgradeRefused(res.statusCode ?? 0));
      });
      ws.once('error', reject);
      ws.once('open', () => {
        ws.off('error', reject);
        resolve(new RawClient(ws, opts.service ?? 'phoneservice', opts.userAgent ?? 'client'));
      });
    });
  }

  private onFrame(text: string, binary: boolean): void {
    const frame: Frame = { seq: this.seq++, text, binary };
    if (binary)
      this.violations.push(
        `binary frame received (the gateway sends text frames only): ${text.slice(0, 80)}`,
      );
    else if (text !== KEEPALIVE_FRAME) {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        this.violations.push(`frame is neither JSON nor "keepalive": ${text.slice(0, 120)}`);
      }
      if (raw !== undefined) {
        const problems = envelopeProblems(raw, this.protocol);
        const shared = parseInbound(text, this.dialect);
        if (!shared.ok) problems.push(`protocol module: ${shared.error.message}`);
        for (const p of problems)
          this.violations.push(
            `${(raw as { msgname?: string })?.msgname ?? '?'}: ${p} — ${text.slice(0, 200)}`,
          );
        if (raw && typeof raw === 'object' && !Array.isArray(raw)) frame.env = raw as Env;
        harvestTokens(raw);
      }
    }
    this.frames.push(frame);
    this.signal.notify();
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Every JSON frame received, in order. */
  get received(): Env[] {
    return this.frames.flatMap((f) => (f.env ? [f.env] : []));
  }

  /** Short text of everything received (for failure messages). */
  summary(): string {
    return this.frames
      .map((f) =>
        (f.env ? `${f.env.msgname}${JSON.stringify(f.env.params)}` : f.text).slice(0, 160),
      )
      .join('\n  ');
  }

  newId(): string {
    return `rq-${process.pid}-${++this.ids}-${randomInt(1e9)}`;
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** Sends one request in this connection's dialect and service; returns its id. */
  send(
    msgname: string,
    params: unknown,
    opts: { id?: string; service?: string; protocol?: string } = {},
  ): string {
    const id = opts.id ?? this.newId();
    const envelope = {
      protocol: opts.protocol ?? this.protocol,
      id,
      service: opts.service ?? this.service,
      msgname,
      params,
    };
    this.ws.send(JSON.stringify(envelope));
    return id;
  }

  private match(
    msgname: string,
    predicate?: (params: Env['params'], env: Env) => boolean,
  ): Frame | undefined {
    return this.frames.find((f) => {
      if (this.consumed.has(f.seq)) return false;
      if (msgname === KEEPALIVE) return !f.binary && f.text === KEEPALIVE_FRAME;
      return f.env?.msgname === msgname && (!predicate || predicate(f.env.params ?? {}, f.env));
    });
  }

  /**
   * The first not-yet-consumed frame named `msgname` (optionally matching `predicate`), already
   * received or still to come. It is consumed, so the next call returns the next one.
   */
  async next(
    msgname: string,
    predicate?: (params: Env['params'], env: Env) => boolean,
    timeoutMs = 4000,
  ): Promise<Env> {
    const frame = await this.signal.waitFor(
      () => {
        const found = this.match(msgname, predicate);
        if (!found && this.closeInfo) {
          throw new Error(
            `${this.label}: socket closed (${this.closeInfo.code}) while waiting for ${msgname}; received:\n  ${this.summary()}`,
          );
        }
        return found;
      },
      timeoutMs,
      () =>
        `${this.label}: ${msgname}${predicate ? ' (matching)' : ''}; received:\n  ${this.summary()}`,
    );
    this.consumed.add(frame.seq);
    return frame.env ?? { protocol: '', id: '', service: '', msgname: KEEPALIVE, params: {} };
  }

  /** Waits for any received frame (consumed or not) matching `predicate`; returns it. */
  waitForFrame(
    predicate: (frame: Frame) => boolean,
    timeoutMs = 4000,
    what = 'a matching frame',
  ): Promise<Frame> {
    return this.signal.waitFor(
      () => this.frames.find(predicate),
      timeoutMs,
      () => `${this.label}: ${what}; received:\n  ${this.summary()}`,
    );
  }

  /** Waits until at least `count` WebSocket pings have arrived. */
  async waitForPings(count: number, timeoutMs = 4000): Promise<void> {
    await this.signal.waitFor(
      () => (this.pings >= count ? true : undefined),
      timeoutMs,
      () => `${count} pings (got ${this.pings})`,
    );
  }

  /** Waits for the socket to close; returns the close code and reason. */
  async waitClosed(timeoutMs = 4000): Promise<{ code: number; reason: string }> {
    return this.signal.waitFor(
      () => this.closeInfo,
      timeoutMs,
      () => `${this.label}: socket close; received:\n  ${this.summary()}`,
    );
  }

  /** Shorthand: the next event `msgname` for one call id. */
  nextFor(msgname: string, callId: string, timeoutMs?: number): Promise<Env> {
    return this.next(msgname, (p) => p.callId === callId, timeoutMs);
  }

  /** Proves that no (unconsumed) `msgname` matching `predicate` arrives within `ms`. */
  async expectNone(
    msgname: string,
    predicate?: (params: Env['params'], env: Env) => boolean,
    ms = 400,
  ): Promise<void> {
    await quietPeriod(ms);
    const found = this.match(msgname, predicate);
    assert.equal(found, undefined, `${this.label}: unexpected ${msgname}: ${found?.text}`);
  }

  /**
   * Sends a request and awaits its response by msgname (`RESPONSE_OF`), and by `callId` when the
   * request names a call. A response that does not echo the request `id` is recorded as a violation.
   */
  async request(
    msgname: string,
    params: unknown,
    opts: { callId?: string; timeoutMs?: number; responseName?: string } = {},
  ): Promise<Env> {
    const responseName =
      opts.responseName ?? (RESPONSE_OF as Record<string, string>)[msgname] ?? `${msgname}Response`;
    const callId =
      opts.callId ??
      (params && typeof (params as { callId?: unknown }).callId === 'string'
        ? (params as { callId: string }).callId
        : undefined);
    const id = this.send(msgname, params);
    const response = await this.next(
      responseName,
      callId === undefined ? undefined : (p) => p.callId === callId,
      opts.timeoutMs,
    );
    if (response.id !== id)
      this.violations.push(
        `${responseName}: id ${JSON.stringify(response.id)} does not echo the request id "${id}"`,
      );
    return response;
  }

  loginParams(user: string, o: LoginOptions): Record<string, unknown> {
    const password = o.password ?? TEST_ENV.IPO_DEMO_PASSWORD;
    if (this.dialect === 'D10') {
      return {
        extn: user,
        password: o.token ?? password,
        bumpConnection: o.bump ?? false,
        tokAuth: o.token !== undefined,
      };
    }
    return {
      applicationID: 'ipo-kit-tests',
      applicationUA: o.applicationUA ?? `ipo-kit-raw-client/1.0 (${this.label})`,
      applicationInstanceID: o.applicationInstanceID ?? this.instanceId,
      userID: user,
      authType: o.token !== undefined ? 'token' : 'password',
      password: o.token !== undefined ? ' ' : password,
      authToken:
        o.token !== undefined
          ? { ...(o.tokenType === undefined ? {} : { type: o.tokenType }), token: o.token }
          : null,
      bumpConnection: o.bump ?? false,
      ...(o.ext !== undefined ? { ext: o.ext } : {}),
    };
  }

  /** §5.1: `getGatewaySettings` and `login` back-to-back, then both responses (in any order). */
  async login(user: string, o: LoginOptions = {}): Promise<LoginResult> {
    const params = this.loginParams(user, o);
    if (typeof params.password === 'string') secrets.add(params.password);
    if (o.token) secrets.add(o.token);
    const withSettings = o.settings ?? this.dialect === 'D11';
    const settingsId = withSettings ? this.send('getGatewaySettings', { type: 'all' }) : undefined;
    const loginId = this.send('login', params);
    const timeoutMs = o.timeoutMs ?? 5000;
    const [settings, response] = await Promise.all([
      withSettings
        ? this.next('gatewaySettingsResponse', undefined, timeoutMs)
        : Promise.resolve(undefined),
      this.next('loginResponse', undefined, timeoutMs),
    ]);
    if (settings && settings.id !== settingsId)
      this.violations.push(
        `gatewaySettingsResponse: id ${settings.id} does not echo "${settingsId}"`,
      );
    if (response.id !== loginId)
      this.violations.push(`loginResponse: id ${response.id} does not echo "${loginId}"`);
    const expect = o.expect === undefined ? '200' : o.expect;
    if (expect !== null) {
      assert.equal(
        response.params.responseCode,
        expect,
        `login ${user}: ${JSON.stringify(response.params)}`,
      );
    }
    if (response.params.responseCode === '200') {
      this.loggedIn = true;
      this.user = user;
      this.label = `${user}:${this.label}`;
    }
    return { response, loginId, ...(settings ? { settings, settingsId } : {}) };
  }

  /** Closes with a close frame and waits for the close (kills the socket after 2 s). */
  async close(code = 1000): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    if (this.ws.readyState !== WebSocket.CLOSING) this.ws.close(code);
    const timer = setTimeout(() => this.ws.terminate(), 2000);
    await this.closed;
    clearTimeout(timer);
  }

  /** Drops the TCP connection without a close frame (socket loss). */
  async terminate(): Promise<void> {
    this.ws.terminate();
    await this.closed;
  }

  /** Test cleanup: logout (so the gateway has released the session) and close. */
  async dispose(): Promise<void> {
    if (this.open && this.loggedIn) {
      try {
        this.send('logout', null);
        await this.next('logoutResponse', undefined, 1500);
      } catch {
        // a bumped or broken session may not answer; closing is enough
      }
    }
    await this.close();
  }
}
