/**
 * Connection and frame limits of the dev gateway that span connections: a per-IP connection cap
 * and a per-IP frame budget (token bucket), plus a log budget that keeps one connection from
 * writing unbounded log lines. Per-connection rate limiting lives in Session.take().
 */
import type { Logger } from './log.js';

export interface ConnectionLimits {
  /** open WebSockets one IP may hold; 0: no cap */
  maxConnectionsPerIp: number;
  /** frames per second one IP may send over all its connections (sustained); 0: no budget */
  ipFrameRate: number;
  /** seconds an unauthenticated socket may stay open before it logs in; 0: no deadline */
  loginTimeoutSeconds: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnectionsPerIp: 100,
  ipFrameRate: 200,
  loginTimeoutSeconds: 30,
};

/** A token bucket: `rate` per second, holding at most `burst`. */
export class Bucket {
  #tokens: number;
  #at = Date.now();
  constructor(
    readonly rate: number,
    readonly burst: number,
  ) {
    this.#tokens = burst;
  }

  take(): boolean {
    const now = Date.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.rate);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Full again (nothing spent for long enough): the entry can be forgotten. */
  get idle(): boolean {
    return this.#tokens + ((Date.now() - this.#at) / 1000) * this.rate >= this.burst;
  }
}

/** Per-IP connection counts and frame budgets. */
export class IpLimits {
  readonly #connections = new Map<string, number>();
  readonly #frames = new Map<string, Bucket>();

  constructor(readonly limits: ConnectionLimits) {}

  /** Takes a connection slot for `ip`; false when the IP is at its cap. */
  open(ip: string): boolean {
    const n = this.#connections.get(ip) ?? 0;
    if (this.limits.maxConnectionsPerIp > 0 && n >= this.limits.maxConnectionsPerIp) return false;
    this.#connections.set(ip, n + 1);
    return true;
  }

  close(ip: string): void {
    const n = (this.#connections.get(ip) ?? 1) - 1;
    if (n <= 0) {
      this.#connections.delete(ip);
      const bucket = this.#frames.get(ip);
      if (bucket?.idle) this.#frames.delete(ip);
    } else this.#connections.set(ip, n);
  }

  connectionsOf(ip: string): number {
    return this.#connections.get(ip) ?? 0;
  }

  /** One frame from `ip`: false when the IP's budget is spent. */
  frame(ip: string): boolean {
    const rate = this.limits.ipFrameRate;
    if (rate <= 0) return true;
    let bucket = this.#frames.get(ip);
    if (!bucket) {
      bucket = new Bucket(rate, Math.max(2 * rate, 400));
      this.#frames.set(ip, bucket);
    }
    return bucket.take();
  }
}

/**
 * At most `burst` log lines per connection at once, refilled at `perSecond`; lines over it are
 * counted, and the count goes out with the next line written (or at close) as `suppressed`.
 */
export class LogBudget {
  readonly #bucket: Bucket;
  suppressed = 0;

  constructor(
    readonly log: Logger,
    perSecond = 1,
    burst = 20,
  ) {
    this.#bucket = new Bucket(perSecond, burst);
  }

  warn(msg: string, fields: Record<string, unknown> = {}): void {
    if (!this.#bucket.take()) {
      this.suppressed++;
      return;
    }
    const extra = this.suppressed > 0 ? { suppressed: this.suppressed } : {};
    this.suppressed = 0;
    this.log.warn(msg, { ...fields, ...extra });
  }
}
