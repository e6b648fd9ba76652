/**
 * The signalling socket (gateway-protocol.md §2, §3): one WebSocket offering the subprotocols
 * `jsonrpc` and `jsonrpc-3.0`, dialect from the gateway's choice, every inbound frame validated
 * by `parseInbound` (invalid ones logged and dropped, never thrown), request timeouts, responses
 * correlated by `id` first and `msgname` + `callId` second, and the `keepalive` watchdog.
 */
import {
  CLIENT_SUBPROTOCOLS,
  RESPONSE_OF,
  buildRequest,
  dialectForSubprotocol,
  parseInbound,
  type Dialect,
  type EventEnvelope,
  type RequestName,
  type RequestParams,
  type ResponseEnvelope,
  type ResponseParams,
  type Service,
} from '../protocol/index.js';
import type { Log } from './log.js';
import { noop, uuid } from './util.js';

export type ResponseOf<N extends RequestName> = ResponseParams<(typeof RESPONSE_OF)[N]>;

interface Waiter {
  name: string;
  callId: string | undefined;
  ok(p: unknown): void;
  ko(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** The reason text the app gets for a socket close code (§2.5): a number for unlisted codes. */
export function closeReason(code: number): string | number {
  return (
    (
      {
        1006: 'Connection to WebRTC Gateway failed',
        1000: 'CLOSE_NORMAL',
        1001: 'CLOSE_GOING_AWAY',
        1002: 'CLOSE_PROTOCOL_ERROR',
        1003: 'CLOSE_UNSUPPORTED',
        1009: 'CLOSE_TOO_LARGE',
      } as Record<number, string>
    )[code] ?? code
  );
}

export class Transport {
  dialect: Dialect = 'D11';
  /** Gateway events, and responses that no pending request claimed. */
  onEvent: (e: EventEnvelope | ResponseEnvelope) => void = noop;
  /** The socket closed after it had opened (not after `close()`). */
  onClose: (code: number) => void = noop;
  /** No `keepalive` frame for `keepaliveMs` (the vendor's 190 s watchdog, §2.6; not re-armed). */
  onLinkIssue: () => void = noop;
  /**
   * An IncomingCall failed inbound validation (oversize display name, SDP or callId, bad types):
   * logged here; the phone refuses it on the wire (`rejectCall`) and tells the app.
   */
  onRefused: (callId: string, reason: string) => void = noop;
  /** A probe went unanswered: no frame at all for `probeMs` + `probeWaitMs` (once per socket). */
  onDead: () => void = noop;
  #ws: WebSocket | null = null;
  #waiters = new Map<string, Waiter>();
  #dog: ReturnType<typeof setTimeout> | undefined;
  #quiet: ReturnType<typeof setTimeout> | undefined;
  #abort: (code: number) => void = noop;

  /**
   * `probeMs`: after this long without any inbound frame, `getGatewaySettings` goes out as a
   * probe (§5.2); when nothing at all arrives within `probeWaitMs` more, the link is dead. 0: off.
   */
  constructor(
    private readonly WS: typeof WebSocket,
    readonly service: Service,
    private readonly log: Log,
    private readonly keepaliveMs = 190_000,
    private readonly probeMs = 0,
    private readonly probeWaitMs = 2000,
  ) {}

  get open(): boolean {
    return this.#ws?.readyState === 1;
  }

  /** Opens the socket; rejects with the close code when it cannot. */
  connect(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#abort = (code) => reject(code);
      let ws: WebSocket;
      try {
        ws = this.#ws = new this.WS(url, [...CLIENT_SUBPROTOCOLS]);
      } catch {
        return reject(1006);
      }
      ws.onopen = () => {
        this.#abort = noop;
        this.dialect = dialectForSubprotocol(ws.protocol);
        this.log.info(`socket open (${this.dialect})`);
        this.#arm();
        this.#heard();
        resolve();
      };
      ws.onmessage = (ev: MessageEvent) => {
        if (typeof ev.data === 'string') this.#frame(ev.data);
      };
      ws.onclose = (ev: CloseEvent) => {
        this.log.info(`socket closed ${ev.code}`);
        const abort = this.#abort;
        this.#down();
        if (abort === noop) this.onClose(ev.code);
        else abort(ev.code);
      };
    });
  }

  /** Sends a request without waiting; returns its id. */
  send<N extends RequestName>(name: N, params: RequestParams<N> | null): string {
    const id = uuid();
    this.log.debug(`> ${name}`, params);
    if (this.open)
      this.#ws!.send(buildRequest(this.dialect, this.service, name, params as never, id));
    return id;
  }

  /** Sends a request and resolves with its response params; rejects on timeout or socket loss. */
  request<N extends RequestName>(
    name: N,
    params: RequestParams<N>,
    timeoutMs = 10_000,
  ): Promise<ResponseOf<N>> {
    return new Promise((ok, ko) => {
      if (!this.open) return ko(new Error('not connected'));
      const id = this.send(name, params);
      const timer = setTimeout(() => {
        this.#waiters.delete(id);
        ko(new Error(`${name} timed out`));
      }, timeoutMs);
      const callId = (params as { callId?: string }).callId;
      this.#waiters.set(id, {
        name: RESPONSE_OF[name],
        callId,
        ok: ok as (p: unknown) => void,
        ko,
        timer,
      });
    });
  }

  /** Closes the socket (the gateway sees 1005); pending requests fail, no onClose. */
  close(): void {
    const ws = this.#ws;
    this.#abort(1005);
    this.#down();
    if (!ws) return;
    ws.onclose = ws.onmessage = ws.onopen = null;
    try {
      ws.close();
    } catch {
      /* already closing */
    }
  }

  /** Sends the liveness probe now (unless one is out): a silent link is declared dead after `probeWaitMs`. */
  probe(): void {
    if (this.#probing || !this.open) return;
    this.#probing = true;
    this.send('getGatewaySettings', { type: 'all' });
    this.#quiet = setTimeout(() => {
      this.log.warn('link dead: probe unanswered');
      this.onDead();
    }, this.probeWaitMs);
  }

  #probing = false;

  /** Any inbound frame: the link is alive; re-arm the quiet timer. */
  #heard(): void {
    clearTimeout(this.#quiet);
    this.#probing = false;
    if (this.probeMs > 0) this.#quiet = setTimeout(() => this.probe(), this.probeMs);
  }

  #down(): void {
    clearTimeout(this.#dog);
    clearTimeout(this.#quiet);
    this.#ws = null;
    this.#abort = noop;
    for (const w of this.#waiters.values()) {
      clearTimeout(w.timer);
      w.ko(new Error('socket closed'));
    }
    this.#waiters.clear();
  }

  /** Never silence: a call the client cannot take is refused, so the caller does not ring on. */
  #refuseCall(text: string, why: string): void {
    let callId: unknown;
    try {
      callId = (JSON.parse(text) as { params?: { callId?: unknown } }).params?.callId;
    } catch {
      /* unreadable: nothing to refuse */
    }
    if (typeof callId !== 'string' || callId === '' || callId.length > 64 * 1024) return;
    const reason = `Incoming call refused: ${why}`.slice(0, 200);
    this.log.warn(reason);
    this.onRefused(callId, reason); // the phone refuses it on the wire (with a reason code if it can)
  }

  #arm(): void {
    clearTimeout(this.#dog);
    this.#dog = setTimeout(() => this.onLinkIssue(), this.keepaliveMs);
  }

  #frame(text: string): void {
    if (this.#ws) this.#heard();
    let parsed = parseInbound(text, this.dialect);
    if (!parsed.ok && parsed.error.code === 'bad-params') {
      // tolerate a missing sipUri (IncomingCall, FarEndChanged): the vendor client loses the call (§6.3)
      try {
        const raw = JSON.parse(text) as { params: Record<string, unknown> };
        if (!('sipUri' in raw.params))
          parsed = parseInbound(
            JSON.stringify({ ...raw, params: { ...raw.params, sipUri: null } }),
            this.dialect,
          );
      } catch {
        /* reported below */
      }
    }
    if (!parsed.ok) {
      this.log.warn(`dropped frame: ${parsed.error.message}`);
      if (parsed.error.msgname === 'IncomingCall') this.#refuseCall(text, parsed.error.message);
      return;
    }
    const m = parsed.message;
    if (m.kind === 'keepalive') return this.#arm();
    const env = m.envelope;
    this.log.debug(`< ${env.msgname}`, env.params);
    if (m.kind === 'response') {
      let id = env.id;
      let w = this.#waiters.get(id);
      if (w?.name !== env.msgname) {
        // the gateway did not echo our id: fall back to msgname + callId
        const callId = (env.params as { callId?: string }).callId;
        w = undefined;
        for (const [k, v] of this.#waiters) {
          if (v.name === env.msgname && (callId === undefined || v.callId === callId)) {
            [id, w] = [k, v];
            break;
          }
        }
      }
      if (w) {
        this.#waiters.delete(id);
        clearTimeout(w.timer);
        return w.ok(env.params);
      }
    }
    try {
      this.onEvent(env);
    } catch (err) {
      this.log.error(`${env.msgname} handler failed`, String(err));
    }
  }
}
