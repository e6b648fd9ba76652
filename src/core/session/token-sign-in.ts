/**
 * Token sign-in from the site's backend (`tokenUrl`): the session fetches
 * `{ user, token, tokenType, expiresIn? }` from a same-origin URL (the page's cookies go with
 * it, so the site decides who may sign in), and logs in with the engine's `tokenLogIn`.
 *
 *   signIn() ─► fetch ─► about to expire (< 10 s left)? ─► fetch once more
 *                 │
 *                 ▼
 *            tokenLogIn ─► refused? ─► fetch once more ─► tokenLogIn ─► refused: error shown
 *
 * The token lives only in this call's locals: never in the snapshot, an attribute, a URL, a log
 * or storage. A session that was signed in this way and then loses its registration because the
 * gateway no longer knows it (`session-ended`) or refuses its token signs in again by itself,
 * a few times with a pause; never after a take-over (that would take the extension back: the
 * forced-login ping-pong).
 */
import { IpoError } from '../errors.js';
import { isRegistered } from '../snapshot.js';
import { err } from './failures.js';
import type { LoginOptions, SessionSettings, TokenType } from './options.js';
import type { RegistrationPart } from './registration.js';
import type { SnapshotStore } from './store.js';
import type { Timers } from './waiters.js';

/** What a token route answers. */
export interface SiteToken {
  user: string;
  token: string;
  tokenType: TokenType;
  /** Seconds the token stays valid, when the route says. */
  expiresIn?: number;
}

/** A token with less than this left is about to expire: fetch another before using it. */
const FRESH_MS = 10_000;
/** Pauses before signing in again by itself after the registration was lost. */
const AGAIN_MS = [1_000, 5_000, 15_000] as const;

/** The token URL resolved against the page, refused unless it is on the page's own origin. */
export function resolveTokenUrl(url: string, base = globalThis.location?.href): URL {
  let resolved: URL;
  try {
    resolved = new URL(url, base);
  } catch {
    throw err('invalid-config', `"${url}" is not a usable token URL.`);
  }
  const origin = globalThis.location?.origin;
  if (origin && origin !== 'null' && resolved.origin !== origin)
    throw err(
      'invalid-config',
      "The token URL must be on this site's own address (same origin), e.g. /api/ipo-token.",
    );
  if (resolved.username || resolved.password)
    throw err('invalid-config', 'The token URL must not carry a user name or password.');
  return resolved;
}

/** Checks a token route's answer; the message never repeats the token. */
export function readSiteToken(body: unknown): SiteToken {
  const bad = (what: string) =>
    err('login-failed', `The site's sign-in service sent an unusable answer (${what}).`);
  if (typeof body !== 'object' || body === null) throw bad('not a JSON object');
  const o = body as Record<string, unknown>;
  if (typeof o.user !== 'string' || o.user.trim() === '' || o.user.length > 64)
    throw bad('no user');
  if (typeof o.token !== 'string' || o.token === '' || o.token.length > 8192) throw bad('no token');
  const type = typeof o.tokenType === 'string' ? o.tokenType.toUpperCase() : '';
  if (type !== 'ESNA' && type !== 'RESILIENCY') throw bad('tokenType must be ESNA or RESILIENCY');
  const out: SiteToken = { user: o.user.trim(), token: o.token, tokenType: type };
  if (o.expiresIn !== undefined) {
    if (typeof o.expiresIn !== 'number' || !(o.expiresIn > 0)) throw bad('bad expiresIn');
    out.expiresIn = o.expiresIn;
  }
  return out;
}

/** A refusal of the token itself (not an extension in use, not a connection failure). */
const refused = (e: unknown): boolean =>
  e instanceof IpoError && e.code === 'login-failed' && !e.details && /token/i.test(e.reason ?? '');

export class TokenSignIn {
  readonly #settings: SessionSettings;
  readonly #store: SnapshotStore;
  readonly #timers: Timers;
  readonly #registration: RegistrationPart;
  readonly #url: string | null;
  /** The registration came from a token sign-in (so losing it may sign in again). */
  #signedIn = false;
  #again = 0;
  #stopAgain: (() => void) | null = null;
  #running: Promise<void> | null = null;

  constructor(
    settings: SessionSettings,
    store: SnapshotStore,
    timers: Timers,
    registration: RegistrationPart,
  ) {
    this.#settings = settings;
    this.#store = store;
    this.#timers = timers;
    this.#registration = registration;
    const url = settings.options.tokenUrl;
    this.#url = typeof url === 'string' && url.trim() !== '' ? url.trim() : null;
    if (this.#url) resolveTokenUrl(this.#url); // a bad URL is a configuration error, at once
  }

  get enabled(): boolean {
    return this.#url !== null;
  }

  /** Signs in through the token URL (one attempt at a time; a second call joins the first). */
  signIn(options: LoginOptions = {}): Promise<void> {
    this.#stopAgain?.();
    this.#stopAgain = null;
    this.#running ??= this.#store
      .act(() => this.#signIn(options))
      .finally(() => {
        this.#running = null;
      });
    return this.#running;
  }

  /** The user logged out (or the session is going): no sign-in again by itself. */
  stop(): void {
    this.#signedIn = false;
    this.#stopAgain?.();
    this.#stopAgain = null;
  }

  /** After every snapshot change: a lost token registration signs in again by itself. */
  watch(): void {
    if (!this.#signedIn || this.#stopAgain || this.#running) return;
    const { registration, error } = this.#store.parts;
    if (isRegistered(registration.state)) {
      this.#again = 0;
      return;
    }
    if (registration.state !== 'error') return;
    const lost = error?.details?.problem === 'session-ended' || refused(error);
    if (!lost || this.#again >= AGAIN_MS.length) {
      this.#signedIn = false;
      return;
    }
    const ms = AGAIN_MS[this.#again++]!;
    this.#stopAgain = this.#timers.start(ms, () => {
      this.#stopAgain = null;
      this.signIn().catch(() => undefined); // shown in snapshot.error
    });
  }

  async #signIn(options: LoginOptions): Promise<void> {
    if (!this.#url)
      throw err('invalid-state', 'No token URL is configured; log in with a password instead.');
    if (isRegistered(this.#store.parts.registration.state)) return;
    let token = await this.#fetch();
    try {
      await this.#registration.tokenLogin(token.user, token.token, token.tokenType, options);
    } catch (first) {
      if (!refused(first)) throw first;
      token = await this.#fetch();
      await this.#registration.tokenLogin(token.user, token.token, token.tokenType, options);
    }
    this.#signedIn = true;
    this.#again = 0;
  }

  /** A fresh token: fetched again once when the first is about to expire. */
  async #fetch(): Promise<SiteToken> {
    const first = await this.#fetchOnce();
    if (first.expiresIn === undefined || first.expiresIn * 1000 >= FRESH_MS) return first;
    return this.#fetchOnce();
  }

  async #fetchOnce(): Promise<SiteToken> {
    const url = resolveTokenUrl(this.#url!);
    const doFetch = this.#settings.options.fetch ?? globalThis.fetch?.bind(globalThis);
    if (!doFetch) throw err('unsupported', 'This browser cannot fetch a sign-in token.');
    const abort = new AbortController();
    const stop = this.#timers.start(this.#settings.timeouts.login, () => abort.abort());
    let response: Response;
    try {
      response = await doFetch(url.href, {
        method: 'GET',
        credentials: 'include',
        cache: 'no-store',
        redirect: 'error',
        headers: { Accept: 'application/json' },
        signal: abort.signal,
      });
    } catch (cause) {
      throw err(
        'connection-failed',
        abort.signal.aborted
          ? "The site's sign-in service did not answer in time. Try again."
          : "The site's sign-in service could not be reached. Check the connection and try again.",
        { cause },
      );
    } finally {
      stop();
    }
    if (response.status === 401 || response.status === 403)
      throw err(
        'login-failed',
        `This site did not let you sign in to the phone (${response.status}). Sign in to the site first.`,
      );
    if (!response.ok)
      throw err(
        'login-failed',
        `The site's sign-in service failed (${response.status}). Try again later.`,
      );
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw err('login-failed', "The site's sign-in service sent an unusable answer (not JSON).");
    }
    return readSiteToken(body);
  }
}
