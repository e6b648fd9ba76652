/** One client connection: its dialect, identity once logged in, and typed send helpers. */
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import {
  buildEvent,
  buildResponse,
  type Dialect,
  type EventName,
  type EventParams,
  type ResponseName,
  type ResponseParams,
  type Service,
} from '../protocol/index.js';
import type { User } from './directory.js';
import type { TokenClaims } from './auth.js';
import type { Logger } from './log.js';
import { LogBudget } from './limits.js';

/** A client that reads nothing while the gateway writes is cut off past this many queued bytes. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface Leg {
  /** the call id as this session knows it */
  readonly callId: string;
  /** the owning session; changes when a resumed login takes the call over (call resume) */
  session: Session;
}

let nextSession = 1;

export class Session {
  readonly id = `s${nextSession++}`;
  service: Service = 'phoneservice';
  user: User | null = null;
  loggedIn = false;
  /** a login of this connection is being checked (one at a time) */
  loginPending = false;
  /** closes an unauthenticated socket at the login deadline */
  loginTimer: NodeJS.Timeout | undefined = undefined;
  /** the registry key this session is logged in under (unregistered by it, whatever happens later) */
  registryKey: string | null = null;
  /** the client asked at login for its calls to be kept across a socket loss (call resume) */
  callResume = false;
  /** the connection is being closed by the gateway: further frames are dropped unanswered */
  closing = false;
  /** frames dropped while closing (reported once, at close) */
  dropped = 0;
  instanceId: string | null = null;
  token: TokenClaims | null = null;
  /** the latest token of each rotation family this session was issued (all revoked at logout) */
  readonly issued = new Map<string, TokenClaims>();
  /** legs of this session, by call id (at most 3) */
  readonly legs = new Map<string, Leg>();
  /** rate limiting: token bucket */
  bucket: number;
  bucketAt = Date.now();
  excess = 0;
  alive = true;
  closed = false;
  /** fault injection for this session: send nothing and ignore every frame (the socket stays open) */
  silentSelf = false;
  /** fault injection shared by every session of the gateway (set by the server) */
  faults: { silent: boolean } = { silent: false };
  /**
   * Call resume: the socket is gone but established calls are kept for a grace period. Events for
   * them are queued here (in order) instead of sent, for a resumed login to receive.
   */
  parked: {
    queue: Array<{ msgname: EventName; params: unknown }>;
    callIds: Set<string>;
    timer: NodeJS.Timeout;
  } | null = null;
  readonly log: Logger;
  /** rate-limited warnings about what this client sends */
  readonly warnings: LogBudget;
  readonly connectedAt = Date.now();

  constructor(
    readonly ws: WebSocket,
    readonly dialect: Dialect,
    readonly ip: string,
    readonly origin: string | undefined,
    readonly userAgent: string,
    log: Logger,
    readonly burst: number,
  ) {
    this.bucket = burst;
    this.log = log.child({ session: this.id });
    this.warnings = new LogBudget(this.log);
  }

  get silent(): boolean {
    return this.silentSelf || this.faults.silent;
  }

  get extension(): string | undefined {
    return this.user?.extension;
  }

  send(text: string): void {
    if (this.closed || this.silent || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.log.warn('client reads nothing: terminating', { buffered: this.ws.bufferedAmount });
      this.closing = true;
      this.ws.terminate();
      return;
    }
    this.ws.send(text);
  }

  /** Closes the socket from the gateway's side; frames still arriving are dropped unanswered. */
  shut(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.ws.close(code, reason);
    // read nothing more: a flooder's further frames cost no CPU (TCP pushes back on it instead)
    this.ws.pause();
    // a peer that never answers the close frame is cut off soon, not after ws's 30 s
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  /** `service`: the envelope's service when it is not yet the connection's (a refused login). */
  respond<N extends ResponseName>(
    id: string,
    msgname: N,
    params: ResponseParams<N>,
    service: Service = this.service,
  ): void {
    this.send(buildResponse(this.dialect, service, msgname, params, id));
    const code = (params as unknown as { responseCode: string }).responseCode;
    this.log.debug('response', {
      msgname,
      responseCode: code,
      callId: (params as { callId?: string }).callId,
    });
  }

  event<N extends EventName>(msgname: N, params: EventParams<N>): void {
    if (this.parked) {
      this.parked.queue.push({ msgname, params });
      this.log.debug('event queued', { msgname, callId: (params as { callId?: string }).callId });
      return;
    }
    this.send(buildEvent(this.dialect, this.service, msgname, params, `gw-${randomUUID()}`));
    this.log.debug('event', { msgname, callId: (params as { callId?: string }).callId });
  }

  /** Token-bucket flood control: false when this frame is over the rate. */
  take(ratePerSecond: number): boolean {
    const now = Date.now();
    this.bucket = Math.min(
      this.burst,
      this.bucket + ((now - this.bucketAt) / 1000) * ratePerSecond,
    );
    this.bucketAt = now;
    if (this.bucket >= 1) {
      this.bucket -= 1;
      this.excess = Math.max(0, this.excess - 1);
      return true;
    }
    this.excess += 1;
    return false;
  }
}
