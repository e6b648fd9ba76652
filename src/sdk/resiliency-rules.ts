/**
 * Resiliency rules as pure functions and data (gateway-protocol.md §2.6, §5.6, §8): the client
 * status values, the reason texts the app is given, the timer defaults, the reconnect back-off
 * and the check of an advertised backup gateway against the configured ones. The state machine
 * that uses them is `resiliency.ts`.
 */
import { normHost, normPort } from './registration.js';

/** Client status values, in their `CLIENT_STATUS` spellings (§8.2). */
export type Status =
  | 'NORMAL'
  | 'RECONNECTING'
  | 'FAILING OVER'
  | 'FAILED OVER'
  | 'FAILING BACK'
  | 'FAILED BACK'
  | 'LOGGED_OUT';

/** A gateway address as the client connects to it. */
export interface Server {
  host: string;
  port: number;
}

/** Resiliency timers (ms) and the backup allow-list; the engine options carry them. */
export interface ResiliencyOptions {
  /** backup gateways the client may move to besides the configured one: "host" or "host:port" */
  alternateServers: string[];
  /** quiet link (no inbound frame) for this long → `getGatewaySettings` probe; 0: no probing */
  probeIdleMs: number;
  /** unanswered probe for this long → `LINK_ISSUE_DETECTED`, and with resiliency a reconnect */
  probeTimeoutMs: number;
  /** first reconnect attempt after a loss; doubles per attempt up to `reconnectMaxMs` */
  reconnectMs: number;
  reconnectMaxMs: number;
  /** reconnect attempts to the lost gateway for this long, then failover to the backup (vendor: 180 s) */
  failoverMs: number;
  /** with no usable backup: stop retrying after this long (`LOGIN_WEBSOCKET_FAILURE`) */
  giveUpMs: number;
  /** `LoginStatusChanged` -3013: wait this long for re-registration (§5.6, vendor 180 s) */
  reregisterMs: number;
  /** first retry after a failed token renewal; doubles, while the old token is valid */
  renewRetryMs: number;
}

export const resiliencyDefaults = (): ResiliencyOptions => ({
  alternateServers: [],
  probeIdleMs: 4000,
  probeTimeoutMs: 2500,
  reconnectMs: 250,
  reconnectMaxMs: 1000,
  failoverMs: 2500,
  giveUpMs: 120_000,
  reregisterMs: 180_000,
  renewRetryMs: 5000,
});

/** Reason texts of §8 and §11.2 (`<host>` is the gateway address). */
export const why = {
  lost: (h: string) => `Lost Connection to Server. Attempting to reconnect to ${h} ...`,
  lost3013: (h: string) => `Lost Connection to Server. Attempting to reconnect [ ${h} ]...`,
  back: (h: string) => `Reconnection to ${h} Successful`,
  trying: (h: string) => `Trying alternate server [ ${h} ] ...`,
  moved: (h: string) => `Connected to alternate server [ ${h} ]`,
};

/** Reconnect delay for attempt `n` (0-based): `first` doubled per attempt, at most `max`. */
export const backoff = (n: number, first: number, max: number): number =>
  Math.min(first * 2 ** n, max);

/** `haFailbackTime` in ms: 60 s when missing, 0 or not a number (§8.4). */
export const failbackMs = (t: unknown): number =>
  +(t as number) > 0 ? +(t as number) * 1000 : 60_000;

/**
 * The advertised backup as a connectable server, or a text saying why it is not used: its
 * address must be a valid host equal to the configured gateway's, or match an allow-list entry
 * ("host", or "host:port" for that port only). The advertised port is used (9443 when absent).
 */
export function acceptBackup(
  b: { address: string; port: string | number },
  home: string,
  allow: string[],
): Server | string {
  const host = normHost(b.address);
  const port = normPort(b.port, 9443);
  if (!host) return `backup address "${b.address}" is not a valid host`;
  const ok = [home, ...allow].some((a) => {
    const t = String(a).trim();
    const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(t) ?? [t, t];
    return normHost(m[1]).toLowerCase() === host.toLowerCase() && (!m[2] || +m[2] === port);
  });
  return ok
    ? { host, port }
    : `backup ${host}:${port} is neither the configured gateway nor in alternateServers`;
}
