/**
 * Session and ESNA tokens (HMAC-SHA256 signed, expiring, bound to user + application instance +
 * origin, rotated on renewal) and the login failure limiter.
 *
 * Rotation is encoded in the token: every session token belongs to a *family* (`fam`, made at the
 * password login that started the lineage) and carries a generation (`gen`). Renewal and token
 * login issue generation n+1 and raise the family's *floor* to n+1, so every older token of the
 * family is refused. Floors are small (family id, generation, expiry), and an HA pair exchanges
 * them (`floorsSince` / `mergeFloors`), so a rotation on one gateway holds on the other.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenType = 'session' | 'esna';

export interface TokenClaims {
  /** token id, used for revocation on rotation */
  jti: string;
  /** user (extension) */
  sub: string;
  typ: TokenType;
  /** application instance id the token is bound to (session tokens) */
  iid?: string;
  /** origin the token is bound to (session tokens) */
  org?: string;
  /** rotation family and generation (session tokens) */
  fam?: string;
  gen?: number;
  /** issued at / expires, unix seconds */
  iat: number;
  exp: number;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | {
      ok: false;
      reason:
        | 'malformed'
        | 'signature'
        | 'expired'
        | 'revoked'
        | 'wrong-user'
        | 'wrong-instance'
        | 'wrong-origin'
        | 'wrong-type';
    };

const b64url = (buf: Buffer) => buf.toString('base64url');

/** One rotation floor: tokens of family `fam` with a generation below `gen` are refused. */
export interface Floor {
  fam: string;
  gen: number;
  /** unix seconds after which no token below the floor can be valid any more */
  exp: number;
}

export class TokenService {
  readonly #key: Buffer;
  readonly #revoked = new Map<string, number>(); // jti → exp (tokens without a family)
  readonly #floors = new Map<string, Floor & { seq: number }>();
  #seq = 0;

  constructor(
    secret: string | Buffer,
    readonly ttlSeconds = 3600,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.#key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    if (this.#key.length < 16) throw new Error('token secret must be at least 16 bytes');
  }

  /** A new rotation family id (a password login starts one). */
  static newFamily(): string {
    return b64url(randomBytes(12));
  }

  issue(
    claims: { sub: string; typ: TokenType; iid?: string; org?: string; fam?: string; gen?: number },
    ttlSeconds = this.ttlSeconds,
  ): { token: string; expiry: number; claims: TokenClaims } {
    const iat = this.now();
    const full: TokenClaims = {
      jti: b64url(randomBytes(12)),
      ...claims,
      iat,
      exp: iat + ttlSeconds,
    };
    const body = b64url(Buffer.from(JSON.stringify(full)));
    return { token: `v1.${body}.${this.#sign(body)}`, expiry: ttlSeconds, claims: full };
  }

  verify(
    token: string,
    expect: { sub: string; typ?: TokenType; iid?: string; org?: string },
  ): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== 'v1' || parts[2]!.length !== 43)
      return { ok: false, reason: 'malformed' };
    const mac = Buffer.from(parts[2]!, 'base64url');
    const good = Buffer.from(this.#sign(parts[1]!), 'base64url');
    if (mac.length !== good.length || !timingSafeEqual(mac, good))
      return { ok: false, reason: 'signature' };
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof claims.exp !== 'number' || claims.exp <= this.now())
      return { ok: false, reason: 'expired' };
    this.#prune();
    if (this.#revoked.has(claims.jti)) return { ok: false, reason: 'revoked' };
    if (typeof claims.fam === 'string') {
      const floor = this.#floors.get(claims.fam);
      if (floor && (typeof claims.gen !== 'number' || claims.gen < floor.gen))
        return { ok: false, reason: 'revoked' };
    }
    if (claims.sub !== expect.sub) return { ok: false, reason: 'wrong-user' };
    if (expect.typ && claims.typ !== expect.typ) return { ok: false, reason: 'wrong-type' };
    // a token bound to an instance is only good for that instance: presenting none is no way round it
    if (claims.iid !== undefined && claims.iid !== expect.iid)
      return { ok: false, reason: 'wrong-instance' };
    if (claims.org !== undefined && claims.org !== expect.org)
      return { ok: false, reason: 'wrong-origin' };
    return { ok: true, claims };
  }

  /** Makes a token unusable (rotation, logout): for a family token, every generation up to its own. */
  revoke(claims: TokenClaims): void {
    if (typeof claims.fam === 'string' && typeof claims.gen === 'number') {
      this.#raise({ fam: claims.fam, gen: claims.gen + 1, exp: claims.exp });
    } else this.#revoked.set(claims.jti, claims.exp);
  }

  /** Sequence number of the latest floor change (for incremental exchange with a peer). */
  get floorSeq(): number {
    return this.#seq;
  }

  /** Floors changed after `seq` (all when 0). */
  floorsSince(seq: number): Floor[] {
    this.#prune();
    const out: Floor[] = [];
    for (const f of this.#floors.values())
      if (f.seq > seq) out.push({ fam: f.fam, gen: f.gen, exp: f.exp });
    return out;
  }

  /** Takes a peer's floors (the higher generation wins); returns how many changed anything here. */
  mergeFloors(floors: readonly Floor[]): number {
    let changed = 0;
    for (const f of floors) {
      if (
        typeof f?.fam !== 'string' ||
        f.fam.length > 64 ||
        !Number.isInteger(f.gen) ||
        typeof f.exp !== 'number'
      )
        continue;
      if (this.#raise(f)) changed++;
    }
    return changed;
  }

  #raise(f: Floor): boolean {
    const now = this.now();
    if (f.exp <= now) return false;
    const old = this.#floors.get(f.fam);
    if (old && old.gen >= f.gen) {
      old.exp = Math.max(old.exp, f.exp);
      return false;
    }
    this.#floors.set(f.fam, {
      fam: f.fam,
      gen: f.gen,
      exp: Math.max(f.exp, old?.exp ?? 0),
      seq: ++this.#seq,
    });
    return true;
  }

  #sign(body: string): string {
    return b64url(createHmac('sha256', this.#key).update(body).digest());
  }

  #prunedAt = 0;

  #prune(): void {
    const now = this.now();
    if (now === this.#prunedAt) return; // at most once a second
    this.#prunedAt = now;
    for (const [jti, exp] of this.#revoked) if (exp <= now) this.#revoked.delete(jti);
    for (const [fam, f] of this.#floors) if (f.exp <= now) this.#floors.delete(fam);
  }
}

export interface LimiterOptions {
  perUser: number;
  perIp: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_LIMITER: LimiterOptions = {
  perUser: 5,
  perIp: 20,
  windowMs: 5 * 60_000,
  lockMs: 5 * 60_000,
};

/**
 * Counts failed password logins per user and per IP; a key with too many failures is locked for a
 * while. Checks still running count as failures-to-be: `admit` lets at most the threshold of
 * password checks per user (and per IP) be in flight or failed, so pipelined guesses are refused
 * at once instead of being hashed.
 */
export class LoginLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #lockedUntil = new Map<string, number>();
  readonly #inflight = new Map<string, number>();
  /** password checks admitted since start */
  checks = 0;

  constructor(
    readonly options: LimiterOptions = DEFAULT_LIMITER,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the user or IP may try again, 0 when allowed. */
  blockedFor(user: string, ip: string): number {
    const now = this.now();
    let wait = 0;
    for (const key of [`u:${user}`, `ip:${ip}`]) {
      const until = this.#lockedUntil.get(key) ?? 0;
      if (until > now) wait = Math.max(wait, until - now);
      else if (until) this.#lockedUntil.delete(key);
    }
    return wait;
  }

  /**
   * Reserves one password check for `user` from `ip`: 0 when admitted (settle it with `fail` or
   * `succeed`), otherwise milliseconds to wait (locked, or the threshold already in flight).
   */
  admit(user: string, ip: string): number {
    const wait = this.blockedFor(user, ip);
    if (wait > 0) return wait;
    const keys: Array<[string, number]> = [
      [`u:${user}`, this.options.perUser],
      [`ip:${ip}`, this.options.perIp],
    ];
    const now = this.now();
    for (const [key, limit] of keys) {
      const failed = (this.#failures.get(key) ?? []).filter(
        (t) => now - t < this.options.windowMs,
      ).length;
      if (failed + (this.#inflight.get(key) ?? 0) >= limit) return 1000;
    }
    for (const [key] of keys) this.#inflight.set(key, (this.#inflight.get(key) ?? 0) + 1);
    this.checks++;
    return 0;
  }

  /** Ends an admitted check without counting it (the connection went away meanwhile). */
  release(user: string, ip: string): void {
    for (const key of [`u:${user}`, `ip:${ip}`]) {
      const n = (this.#inflight.get(key) ?? 1) - 1;
      if (n <= 0) this.#inflight.delete(key);
      else this.#inflight.set(key, n);
    }
  }

  fail(user: string, ip: string): void {
    this.release(user, ip);
    this.#count(`u:${user}`, this.options.perUser);
    this.#count(`ip:${ip}`, this.options.perIp);
  }

  succeed(user: string, ip: string): void {
    this.release(user, ip);
    this.#failures.delete(`u:${user}`);
  }

  #count(key: string, limit: number): void {
    const now = this.now();
    const recent = (this.#failures.get(key) ?? []).filter((t) => now - t < this.options.windowMs);
    recent.push(now);
    if (recent.length >= limit) {
      this.#lockedUntil.set(key, now + this.options.lockMs);
      this.#failures.delete(key);
    } else this.#failures.set(key, recent);
    if (this.#failures.size > 10_000) this.#prune(now); // bounded memory under a spray attack
  }

  #prune(now: number): void {
    for (const [key, times] of this.#failures) {
      if (now - times[times.length - 1]! >= this.options.windowMs) this.#failures.delete(key);
    }
    for (const [key, until] of this.#lockedUntil) if (until <= now) this.#lockedUntil.delete(key);
  }
}
