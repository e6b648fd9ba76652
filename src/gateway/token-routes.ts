/**
 * ESNA-style tokens for directory users, the part of the one-X server the gateway talks to:
 * `POST /admin/token` (bearer-authenticated, for a site's backend or a test) and, for the demo
 * pages only, `GET /api/ipo-token`, which plays a site's backend for one configured "web
 * visitor" extension so a demo page signs in with no typing. Both answer
 * `{ user, token, tokenType: "ESNA", expiresIn }` with `Cache-Control: no-store`; the token never
 * appears in a log line.
 */
import type { Directory } from './directory.js';
import type { TokenService } from './auth.js';

/** Shortest and longest lifetime of an issued ESNA token, in seconds. */
export const TOKEN_TTL_MIN = 5;
export const TOKEN_TTL_MAX = 24 * 3600;
/** Default lifetime of a web-visitor token: short, the page fetches a new one for every sign-in. */
export const VISITOR_TTL = 300;

export interface IssuedToken {
  user: string;
  token: string;
  tokenType: 'ESNA';
  /** seconds */
  expiresIn: number;
}

/**
 * A duration as seconds: `600`, `600s`, `10m`, `2h`, `1d`. Null when unreadable or out of range.
 */
export function parseDuration(
  text: string,
  min = TOKEN_TTL_MIN,
  max = TOKEN_TTL_MAX,
): number | null {
  const m = /^(\d{1,7})\s*([smhd]?)$/i.exec(text.trim());
  if (!m) return null;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]!.toLowerCase() as '' | 's'];
  const seconds = Number(m[1]) * unit;
  return seconds >= min && seconds <= max ? seconds : null;
}

/** Issues an ESNA token for an existing directory user. */
export function issueEsna(
  tokens: TokenService,
  directory: Directory,
  user: string,
  ttlSeconds: number,
): IssuedToken | null {
  const entry = directory.get(user);
  if (!entry) return null;
  const issued = tokens.issue({ sub: entry.extension, typ: 'esna' }, ttlSeconds);
  return { user: entry.extension, token: issued.token, tokenType: 'ESNA', expiresIn: ttlSeconds };
}

/** The answer to an admin token request body (`{"user":"207","ttl":"10m"|600}`). */
export function adminTokenAnswer(
  tokens: TokenService,
  directory: Directory,
  raw: string,
): { status: number; body: IssuedToken | { error: string } } {
  let body: { user?: unknown; ttl?: unknown };
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    return { status: 400, body: { error: 'body must be JSON' } };
  }
  if (typeof body !== 'object' || body === null || typeof body.user !== 'string')
    return { status: 400, body: { error: 'user must be a string' } };
  if (body.user.length === 0 || body.user.length > 64)
    return { status: 400, body: { error: 'user must be 1 to 64 characters' } };
  let ttl = VISITOR_TTL;
  if (body.ttl !== undefined) {
    const parsed =
      typeof body.ttl === 'number' || typeof body.ttl === 'string'
        ? parseDuration(String(body.ttl))
        : null;
    if (parsed === null)
      return {
        status: 400,
        body: { error: `ttl must be ${TOKEN_TTL_MIN} s to ${TOKEN_TTL_MAX / 3600} h (e.g. "10m")` },
      };
    ttl = parsed;
  }
  const issued = issueEsna(tokens, directory, body.user, ttl);
  if (!issued) return { status: 404, body: { error: 'no such user' } };
  return { status: 200, body: issued };
}

/**
 * Whether a browser request for the web-visitor token comes from a page of this server (the
 * demo route is same-origin only: a page elsewhere cannot read the answer anyway, and this keeps
 * other sites from spending the visitor's tokens through a visitor's browser).
 */
export function sameOriginRequest(headers: Record<string, string | string[] | undefined>): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  return headers.origin === undefined; // not a browser fetch (curl, a test): allowed
}
