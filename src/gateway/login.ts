/**
 * Login helpers of the gateway: login parameters of both dialects brought to one form (§5.3;
 * pure: nothing about the session changes until the gateway has accepted the login), the
 * settings and haData a login is answered with, and session-token issue and renewal.
 */
import {
  isTruthyFlag,
  RESPONSE_CODE as RC,
  type Dialect,
  type GatewaySettings,
  type LoginD10Params,
  type RequestParams,
} from '../protocol/index.js';
import { TokenService, type TokenClaims, type TokenType } from './auth.js';
import type { User } from './directory.js';
import type { HaConfig } from './ha-config.js';
import type { Session } from './session.js';

export type NormalisedLogin =
  | {
      userID: string;
      password?: string;
      token?: string;
      tokenType?: TokenType;
      bump: boolean;
      /** `applicationInstanceID` as text (D11), null when absent */
      instanceId: string | null;
      /** the client asked for call resume (`ext.callResume`, or `ext.resumeCalls` on a re-login) */
      callResume: boolean;
      resumeCalls?: string;
    }
  | { error: string };

export function normaliseLogin(
  dialect: Dialect,
  raw: RequestParams<'login'> | LoginD10Params,
): NormalisedLogin {
  if (dialect === 'D10') {
    const p = raw as LoginD10Params;
    if (!p.extn) return { error: 'extn must not be empty' };
    const bump = isTruthyFlag(p.bumpConnection);
    const base = { userID: p.extn, bump, instanceId: null, callResume: false };
    if (isTruthyFlag(p.tokAuth)) return { ...base, token: p.password, tokenType: 'esna' };
    return { ...base, password: p.password };
  }
  const p = raw as RequestParams<'login'>;
  if (!p.userID) return { error: 'userID must not be empty' };
  const instanceId =
    p.applicationInstanceID !== undefined ? String(p.applicationInstanceID).slice(0, 64) : null;
  const bump = isTruthyFlag(p.bumpConnection);
  // call resume (dev-gateway extension): only a token login can resume; any login may ask
  const resume =
    typeof p.ext?.resumeCalls === 'string' ? { resumeCalls: p.ext.resumeCalls.slice(0, 4096) } : {};
  const callResume = p.ext?.callResume === true || resume.resumeCalls !== undefined;
  const base = { userID: p.userID, bump, instanceId, callResume, ...resume };
  if (p.authType === 'password') {
    if (!p.password) return { error: 'password must not be empty' };
    return { ...base, password: p.password };
  }
  if (p.authType === 'token') {
    if (!p.authToken || !p.authToken.token)
      return { error: 'authToken.token must not be empty for a token login' };
    const type = p.authToken.type?.toLowerCase();
    if (type !== undefined && type !== 'session' && type !== 'esna')
      return { error: 'authToken.type must be "session" or "esna"' };
    return { ...base, token: p.authToken.token, tokenType: type as TokenType | undefined };
  }
  return { error: 'authType must be "password" or "token"' };
}

export interface HaData {
  haSupported: boolean;
  haEnabled: boolean;
  backupGateway?: { serverType: string; address: string; domain: string; port: string };
  haFailoverTime?: number;
  haFailbackTime?: number;
}

/** `gatewaySettingsResponse` params; `grace` > 0 advertises call resume. */
export function gatewaySettings(version: string | undefined, grace: number): GatewaySettings {
  return {
    codec: { dtmfPayLoad: '101' },
    nat: {
      stun: { serverAddr: '0.0.0.0', serverPort: '3478' },
      turn: { serverAddr: '', serverPort: '', username: '', password: '', enforce: 'false' },
    },
    other: { gatewayVersion: `ipo-dev-gw ${version ?? '0.1'}`, dscp: '46' },
    ext: {
      rejectReasons: true,
      ...(grace > 0 ? { callResume: true, callResumeGraceSeconds: grace } : {}),
    },
  };
}

/** §5.4 haData: the backup is the peer; its serverType is the role this gateway does not have. */
export function haDataOf(ha: HaConfig | undefined): HaData {
  if (!ha) return { haSupported: false, haEnabled: false };
  return {
    haSupported: true,
    haEnabled: true,
    backupGateway: {
      serverType: ha.role === 'primary' ? 'secondary' : 'primary',
      address: ha.backup.address,
      domain: '',
      port: String(ha.backup.port),
    },
    haFailoverTime: ha.failoverSeconds,
    haFailbackTime: ha.failbackSeconds,
  };
}

export function issueToken(
  tokens: TokenService,
  session: Session,
  user: User,
  rotated: TokenClaims | null = null,
): { token: string; expiry: number } {
  const issued = tokens.issue({
    sub: user.extension,
    typ: 'session',
    ...(session.instanceId !== null ? { iid: session.instanceId } : {}),
    ...(session.origin ? { org: session.origin } : {}),
    // rotation lineage: a token login or renewal continues the family with the next generation
    fam: rotated?.fam ?? TokenService.newFamily(),
    gen: typeof rotated?.gen === 'number' ? rotated.gen + 1 : 0,
  });
  session.token = issued.claims;
  if (issued.claims.fam) session.issued.set(issued.claims.fam, issued.claims);
  return issued;
}

export function renewToken(
  tokens: TokenService,
  session: Session,
  id: string,
  p: RequestParams<'renewToken'>,
): void {
  const user = session.user!;
  const fail = (reason: string) =>
    session.respond(id, 'renewTokenResponse', {
      responseCode: RC.UNAUTHORIZED,
      responseString: reason,
    });
  if (p.userID !== user.extension) return fail('userID does not match the logged-in user');
  if (
    p.applicationInstanceID !== undefined &&
    String(p.applicationInstanceID) !== session.instanceId
  ) {
    return fail('applicationInstanceID does not match this session');
  }
  const check = tokens.verify(p.token, {
    sub: user.extension,
    typ: 'session',
    iid: session.instanceId ?? undefined,
    org: session.origin,
  });
  if (!check.ok) return fail('Token rejected');
  tokens.revoke(check.claims);
  const issued = issueToken(tokens, session, user, check.claims);
  session.log.info('token renewed', { user: user.extension });
  session.respond(id, 'renewTokenResponse', {
    responseCode: RC.OK,
    responseString: 'Token renewed',
    authToken: { type: 'session', token: issued.token, expiry: issued.expiry },
  });
}
