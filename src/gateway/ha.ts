/**
 * HA pair (gateway-protocol.md §8.4): the secondary health-checks the primary and drives its own
 * active/passive state; both exchange token rotation floors so a rotation on one holds on the
 * other.
 *
 * The check is `POST <peer>/ha/sync`, authenticated both ways with a key derived from the shared
 * `IPO_TOKEN_SECRET` (request: `Authorization: Bearer <key>`; answer: `X-HA-Auth`, an HMAC of its
 * body). A primary answers it; a secondary that gets no good answer `failures` times in a row
 * becomes active, and after `failures` good answers in a row goes passive again (which tells its
 * clients to fail back). The peer's TLS certificate is not verified (dev gateways use
 * self-signed ones); the HMACs are what make the exchange trustworthy.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Floor, TokenService } from './auth.js';
import type { Gateway, HaRole } from './gateway.js';
import type { Logger } from './log.js';

export interface HaMonitorOptions {
  gateway: Gateway;
  tokens: TokenService;
  log: Logger;
  role: HaRole;
  /** where to reach the peer */
  peer: { host: string; port: number; tls: boolean };
  secret: string;
  /** milliseconds between checks (also the timeout of one check) */
  intervalMs: number;
  /** consecutive failed (or good) checks that flip the secondary's state */
  failures: number;
}

interface SyncBody {
  role: HaRole;
  state: string;
  /** random id of the sender's process: a restarted peer has a new one */
  epoch: string;
  /** the sender's floor sequence number at the time of sending */
  seq: number;
  /** (request) the receiver's sequence number the sender has already merged */
  since?: number;
  floors: Floor[];
}

const MAX_SYNC_BYTES = 4 * 1024 * 1024;

/** Derives the pair's authentication key from the shared token secret (never the secret itself). */
export function peerKey(secret: string): string {
  return createHmac('sha256', secret).update('ipo-webrtc-kit/ha-peer/v1').digest('base64url');
}

function mac(key: string, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function isSyncBody(v: unknown): v is SyncBody {
  const b = v as SyncBody;
  return (
    !!b &&
    typeof b === 'object' &&
    (b.role === 'primary' || b.role === 'secondary') &&
    typeof b.state === 'string' &&
    typeof b.epoch === 'string' &&
    Number.isInteger(b.seq) &&
    (b.since === undefined || Number.isInteger(b.since)) &&
    Array.isArray(b.floors)
  );
}

export class HaMonitor {
  readonly epoch = randomBytes(9).toString('base64url');
  readonly #key: string;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #failures = 0;
  #successes = 0;
  /** peer health as last seen: unknown until the first check (or sync request) */
  peer: 'unknown' | 'up' | 'down' = 'unknown';
  #lastHeard = 0;
  // incremental floor exchange (secondary side)
  #peerEpoch = '';
  #since = 0;
  #sentUpTo = 0;

  constructor(private readonly o: HaMonitorOptions) {
    this.#key = peerKey(o.secret);
  }

  /** The secondary starts checking at once; the primary only answers. */
  start(): void {
    if (this.o.role === 'secondary') this.#tick();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Health as reported by /healthz. */
  status(): { role: HaRole; state: string; peer: string } {
    let peer = this.peer;
    if (
      this.o.role === 'primary' &&
      peer === 'up' &&
      Date.now() - this.#lastHeard > this.o.intervalMs * (this.o.failures + 2)
    )
      peer = 'down';
    return { role: this.o.role, state: this.o.gateway.haState, peer };
  }

  /** Whether an `Authorization` header carries the pair key. */
  authorised(authorization: string | undefined): boolean {
    return !!authorization?.startsWith('Bearer ') && safeEqual(authorization.slice(7), this.#key);
  }

  /**
   * `POST /ha/sync` on this gateway (the peer's health check). Returns the HTTP status, body and
   * headers to send; never answers while the gateway is silenced (a hung primary).
   */
  handleSync(
    authorization: string | undefined,
    text: string,
  ): { status: number; body: string; headers: Record<string, string> } {
    if (!this.authorised(authorization)) {
      this.o.log.warn('ha: unauthorised sync');
      return { status: 401, body: JSON.stringify({ error: 'unauthorised' }), headers: {} };
    }
    let req: unknown;
    try {
      req = JSON.parse(text);
    } catch {
      return { status: 400, body: JSON.stringify({ error: 'body must be JSON' }), headers: {} };
    }
    if (!isSyncBody(req) || req.role === this.o.role)
      return { status: 400, body: JSON.stringify({ error: 'bad sync body' }), headers: {} };
    const merged = this.o.tokens.mergeFloors(req.floors);
    if (merged > 0)
      this.o.log.info('ha: rotation floors merged', { from: req.role, count: merged });
    if (this.peer !== 'up')
      this.o.log.info('ha: peer up', { peer: req.role, peerState: req.state });
    this.peer = 'up';
    this.#lastHeard = Date.now();
    const body = JSON.stringify({
      role: this.o.role,
      state: this.o.gateway.haState,
      epoch: this.epoch,
      seq: this.o.tokens.floorSeq,
      floors: this.o.tokens.floorsSince(req.since ?? 0),
    } satisfies SyncBody);
    return { status: 200, body, headers: { 'X-HA-Auth': mac(this.#key, body) } };
  }

  #tick(): void {
    if (this.#stopped) return;
    const started = Date.now();
    this.#check()
      .then(
        (ok) => this.#result(ok),
        () => this.#result(false),
      )
      .finally(() => {
        if (this.#stopped) return;
        this.#timer = setTimeout(
          () => this.#tick(),
          Math.max(0, this.o.intervalMs - (Date.now() - started)),
        );
        this.#timer.unref();
      });
  }

  #result(ok: boolean): void {
    const gw = this.o.gateway;
    if (ok) {
      this.#failures = 0;
      this.#successes++;
      if (this.peer !== 'up') this.o.log.info('ha: primary up', { checks: this.#successes });
      this.peer = 'up';
      if (gw.haState === 'active' && this.#successes >= this.o.failures) gw.setHaState('passive');
    } else {
      this.#successes = 0;
      this.#failures++;
      if (this.#failures >= this.o.failures) {
        if (this.peer !== 'down')
          this.o.log.warn('ha: primary down', { failedChecks: this.#failures });
        this.peer = 'down';
        if (gw.haState === 'passive') gw.setHaState('active');
      }
    }
  }

  /** One sync with the primary; true when it answered correctly. */
  #check(): Promise<boolean> {
    const tokens = this.o.tokens;
    const seq = tokens.floorSeq;
    const sentSince = this.#since;
    const sentUpTo = this.#sentUpTo;
    const body = JSON.stringify({
      role: this.o.role,
      state: this.o.gateway.haState,
      epoch: this.epoch,
      seq,
      since: this.#since,
      floors: tokens.floorsSince(this.#sentUpTo),
    } satisfies SyncBody);
    const { host, port, tls } = this.o.peer;
    const send = tls ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      let settled = false;
      const done = (ok: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(ok);
      };
      const req = send(
        {
          host,
          port,
          path: '/ha/sync',
          method: 'POST',
          rejectUnauthorized: false,
          agent: false,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            Authorization: `Bearer ${this.#key}`,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (text.length > MAX_SYNC_BYTES) req.destroy();
          });
          res.on('end', () => {
            const auth = res.headers['x-ha-auth'];
            if (
              res.statusCode !== 200 ||
              typeof auth !== 'string' ||
              !safeEqual(auth, mac(this.#key, text))
            )
              return done(false);
            let answer: unknown;
            try {
              answer = JSON.parse(text);
            } catch {
              return done(false);
            }
            if (!isSyncBody(answer) || answer.role === this.o.role) return done(false);
            if (answer.epoch !== this.#peerEpoch && (sentSince !== 0 || sentUpTo !== 0)) {
              // a new peer process: it knows nothing we sent before; fetch and send everything again
              if (this.#peerEpoch) this.o.log.info('ha: peer restarted');
              this.#peerEpoch = answer.epoch;
              this.#since = 0;
              this.#sentUpTo = 0;
            } else {
              this.#peerEpoch = answer.epoch;
              this.#since = answer.seq;
              this.#sentUpTo = seq;
            }
            const merged = tokens.mergeFloors(answer.floors);
            if (merged > 0)
              this.o.log.info('ha: rotation floors merged', { from: answer.role, count: merged });
            done(true);
          });
          res.on('error', () => done(false));
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        done(false);
      }, this.o.intervalMs);
      req.on('error', () => done(false));
      req.end(body);
    });
  }
}
