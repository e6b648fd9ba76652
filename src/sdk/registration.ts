/**
 * Registration rules as pure functions (gateway-protocol.md §2.1, §5, §8.1, §11.2): address
 * checks, the local login checks and their results, the D11/D10 login parameters, gateway
 * settings, the session token and HA data of a login response.
 */
import { REASON } from '../protocol/index.js';
import type {
  Dialect,
  GatewaySettings,
  LoginD10Params,
  RequestParams,
  ResponseParams,
  Service,
} from '../protocol/index.js';

/** Registration results; the AWL facade prefixes them with `AWL_MSG_`. */
export type RegResult =
  | 'LOGIN_SUCCESS'
  | 'LOGIN_FAILED'
  | 'DUPLICATE_LOGIN'
  | 'LOGIN_EMPTYUSERNAME'
  | 'LOGIN_EMPTYPASSWORD'
  | 'LOGIN_EMPTYTOKEN'
  | 'LOGIN_GW_NOTCONFIGURED'
  | 'LOGIN_INVALID_TOKENTYPE'
  | 'LOGGEDOUT'
  | 'LOGIN_WEBSOCKET_FAILURE'
  | 'LINK_ISSUE_DETECTED'
  | 'RECONNECTING'
  | 'RELOGGED_IN'
  | 'FAILING_OVER'
  | 'FAILING_BACK'
  | 'FAIL_OVER_SUCCESS'
  | 'FAIL_OVER_FAILED'
  | 'FAIL_BACK_SUCCESS'
  | 'FAIL_BACK_FAILED';

export interface Registration {
  result: RegResult;
  /** reason text; a close code number for unlisted socket close codes (§2.5) */
  reason: string | number;
  /** the session token, when resiliency is active */
  authToken?: { token: string; expiry: number };
  /** relay service: the session UID (second word of the login response text) */
  UID?: string;
}

export interface Credentials {
  user: string;
  /** the password, or the token when `tokenType` is given */
  secret: string;
  /** token login: "ESNA" or "RESILIENCY" (any letter case), as the API takes it */
  tokenType?: string;
  /** log out another client of the same service on this extension */
  bump?: boolean;
  /** legacy logIn(…, tokAuth = true): an ESNA token that also travels as the password */
  legacyToken?: boolean;
  /** automatic re-login (§5.3, §8): the wire token type as the gateway issued it (undefined: no type) */
  wire?: { type?: string };
  /** call-resume extension: ids of the calls to take back (sent only when non-empty) */
  resume?: string;
}

export interface AppData {
  id?: string;
  ua?: string;
  instanceId: string | number;
}

type LoginResponse = ResponseParams<'loginResponse'>;
type SessionData = NonNullable<LoginResponse['loginSessionData']>;

/**
 * A gateway host as the URL needs it, or '' when unusable: IPv4 other than 0.0.0.0, a DNS or
 * single-label name, or an IPv6 literal (bracketed; the vendor client refuses those).
 */
export function normHost(ip: unknown): string {
  const h = typeof ip === 'string' ? ip.trim() : '';
  if (/^\[?[0-9a-f]*:[0-9a-f:.]*\]?$/i.test(h)) return `[${h.replace(/^\[|\]$/g, '')}]`;
  if (/^[\d.]+$/.test(h))
    return /^(\d{1,3}\.){3}\d{1,3}$/.test(h) &&
      h !== '0.0.0.0' &&
      h.split('.').every((n) => +n < 256)
      ? h
      : '';
  return /^(?=.{1,253}$)([a-z\d]([a-z\d-]{0,61}[a-z\d])?\.)*[a-z\d]([a-z\d-]{0,61}[a-z\d])?\.?$/i.test(
    h,
  )
    ? h
    : '';
}

/** A TCP/UDP port from a string or number, else `dflt`. */
export function normPort(p: unknown, dflt: number): number {
  const n = typeof p === 'string' && p.trim() ? Number(p) : typeof p === 'number' ? p : NaN;
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : dflt;
}

/** The wire token type for an API token type (§5.3), or undefined when it is not one. */
export function wireTokenType(t: unknown): 'esna' | 'session' | undefined {
  const v = typeof t === 'string' ? t.toLowerCase() : '';
  return v === 'esna' ? 'esna' : v === 'resiliency' ? 'session' : undefined;
}

/** Local checks before any network use (§11.2): when several apply, the last one wins. */
export function checkLogin(c: Credentials, host: string): RegResult | null {
  let r: RegResult | null = null;
  if (!String(c.user ?? '').trim()) r = 'LOGIN_EMPTYUSERNAME';
  if (!c.secret) r = c.tokenType === undefined ? 'LOGIN_EMPTYPASSWORD' : 'LOGIN_EMPTYTOKEN';
  if (c.tokenType !== undefined && !wireTokenType(c.tokenType)) r = 'LOGIN_INVALID_TOKENTYPE';
  if (!host) r = 'LOGIN_GW_NOTCONFIGURED';
  return r;
}

/**
 * `login` params with all eight D11 fields (§5.3), or the D10 form. `resilient`: a phone or agent
 * login also asks for call resume (`ext.callResume`, additive; the dev gateway keeps calls across
 * a socket loss only for a client that asked).
 */
export function loginParams(
  dialect: Dialect,
  service: Service,
  app: AppData,
  c: Credentials,
  resilient = false,
): RequestParams<'login'> | LoginD10Params {
  const type = c.legacyToken ? 'esna' : c.wire ? c.wire.type : wireTokenType(c.tokenType);
  const bumpConnection = !!c.bump;
  const tok = !!type || !!c.wire;
  if (dialect === 'D10') return { extn: c.user, password: c.secret, bumpConnection, tokAuth: tok };
  return {
    applicationID: app.id || `${service}-11.0`,
    applicationUA: app.ua || 'AWLTestClient-3.0.0',
    applicationInstanceID: app.instanceId,
    userID: c.user,
    authType: tok ? 'token' : 'password',
    password: tok && !c.legacyToken ? ' ' : c.secret,
    authToken: tok ? (type === undefined ? { token: c.secret } : { type, token: c.secret }) : null,
    bumpConnection,
    ...(resilient && service !== 'relayservice'
      ? { ext: { callResume: true, ...(c.resume ? { resumeCalls: c.resume } : {}) } }
      : c.resume
        ? { ext: { resumeCalls: c.resume } }
        : {}),
  };
}

/** What the client takes from gateway settings (§5.2): the DTMF payload type and, in D11, STUN. */
export function readSettings(s: GatewaySettings, d11: boolean): { dtmf?: string; stun?: string } {
  const out: { dtmf?: string; stun?: string } = {};
  const pt = s.codec?.dtmfPayLoad;
  if (pt && /^\d+$/.test(pt) && +pt >= 96 && +pt <= 127) out.dtmf = pt;
  const host = d11 ? normHost(s.nat?.stun.serverAddr) : '';
  if (host) out.stun = `stun:${host}:${normPort(s.nat?.stun.serverPort, 3478)}`;
  return out;
}

/** A usable session token from the login response (§5.4): non-empty, expiry > 0. */
export function tokenOf(d: SessionData | null | undefined) {
  const t = d?.authToken;
  return t?.token && t.expiry > 0 ? t : null;
}

/**
 * Valid HA data (§5.4): both flags the boolean true, `backupGateway`, `haFailoverTime` and
 * `haFailbackTime` non-null, and `serverType`, `address`, `domain`, `port` non-null (empty allowed).
 */
export function haOf(d: SessionData | null | undefined) {
  const h = d?.haData;
  const b = h?.backupGateway;
  return h?.haSupported === true &&
    h.haEnabled === true &&
    b &&
    h.haFailoverTime != null &&
    h.haFailbackTime != null &&
    [b.serverType, b.address, b.domain, b.port].every((v) => v != null)
    ? (h as typeof h & { backupGateway: NonNullable<typeof b> })
    : null;
}

/** Token renewal delay: a random whole number of seconds in 60–90 % of the expiry (§8.3). */
export const renewDelay = (expirySec: number, rnd = Math.random()): number =>
  Math.floor(expirySec * (0.6 + 0.3 * rnd)) * 1000;

/** HA data that passed `haOf`: its backup gateway is there. */
export type ValidHa = NonNullable<ReturnType<typeof haOf>>;

/** A `renewToken` answer (null: none came): the new token when usable, and what the app is told (§8.3). */
export function renewal(r: ResponseParams<'renewTokenResponse'> | null) {
  const token = r?.responseCode === '200' ? tokenOf(r) : null;
  const note = token
    ? {
        result: 'TOKEN_RENEW_SUCCESS' as const,
        reason: r!.responseString ?? '',
        authToken: { token: token.token, expiry: token.expiry },
      }
    : {
        result: 'TOKEN_RENEW_FAILED' as const,
        reason: r
          ? r.responseCode === '200'
            ? 'Token received from the server is invalid'
            : r.responseString || r.responseCode
          : REASON.noResponse,
      };
  return { token, note };
}
