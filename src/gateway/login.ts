/**
 * Login parameters of both dialects brought to one form (§5.3). Pure: nothing about the session
 * changes until the gateway has accepted the login.
 */
import {
  isTruthyFlag,
  type Dialect,
  type LoginD10Params,
  type RequestParams,
} from '../protocol/index.js';
import type { TokenType } from './auth.js';

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
