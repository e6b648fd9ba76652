/** Session configuration as page authors write it, and its translation to the AWL `cfg` object. */
import type { AwlConfig } from './awl-client.js';
import { IpoError } from './errors.js';

export interface IpoSessionConfig {
  /** The gateway as `host`, `host:port` or `[v6]:port`; the port defaults to 9443. */
  gateway: string;
  /** `phone` (default) or `agent` (CTI-controlled early media). */
  serviceType?: 'phone' | 'agent';
  /** Allows video calls. */
  video?: boolean;
  /** A STUN server as `stun:host[:port]`. */
  stun?: string;
  /** A TURN server as `turn:host[:port]`, with its credentials (kept out of every snapshot). */
  turn?: { url: string; username?: string; credential?: string };
  /** Turns off automatic failover/failback and token renewal. */
  noResiliency?: boolean;
  appId?: string;
  appUa?: string;
  /** Reuse an application instance id (the AWL docs ask apps to persist it). */
  appInstanceId?: string | number;
  /** Turns on the engine's own console logging (which must not print secrets). */
  log?: boolean;
}

const HOST_RE =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6_RE = /^[0-9A-Fa-f:.]+$/;

/** Splits `host`, `host:port` or `[v6]:port`; null when malformed. */
export function parseHostPort(
  text: string,
  defaultPort: string,
): { ip: string; port: string } | null {
  const value = text.trim();
  let host: string;
  let port: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (v6) {
    host = v6[1] ?? '';
    port = v6[2];
    if (!IPV6_RE.test(host) || !host.includes(':')) return null;
  } else {
    const m = /^([^:]+)(?::(\d+))?$/.exec(value);
    if (!m) return null;
    host = m[1] ?? '';
    port = m[2];
    if (!HOST_RE.test(host)) return null;
  }
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535) return null;
  }
  return { ip: host, port: port ?? defaultPort };
}

/** Parses `scheme:host[:port][?query]` for one of the given schemes. */
function parseIceUrl(
  url: string,
  scheme: string,
  defaultPort: string,
): { ip: string; port: string } | null {
  const prefix = `${scheme}:`;
  const value = url.trim();
  if (value.slice(0, prefix.length).toLowerCase() !== prefix) return null;
  return parseHostPort(value.slice(prefix.length).split('?')[0] ?? '', defaultPort);
}

const invalid = (message: string): IpoError => new IpoError('invalid-config', message);

/** Validates the configuration and builds the AWL `cfg` object. Throws IpoError('invalid-config'). */
export function toAwlConfig(config: IpoSessionConfig, appInstanceId: string | number): AwlConfig {
  if (typeof config.gateway !== 'string' || config.gateway.trim() === '') {
    throw invalid('No gateway is configured. Set it to the host name of the WebRTC gateway.');
  }
  const gateway = parseHostPort(config.gateway, '9443');
  if (!gateway) {
    throw invalid(
      `"${config.gateway}" is not a valid gateway. Use host, host:port or [IPv6]:port.`,
    );
  }
  const serviceType = config.serviceType ?? 'phone';
  if (serviceType !== 'phone' && serviceType !== 'agent') {
    throw invalid(`"${String(serviceType)}" is not a service type. Use "phone" or "agent".`);
  }
  let stun = { ip: '', port: '3478' };
  if (config.stun) {
    const parsed = parseIceUrl(config.stun, 'stun', '3478');
    if (!parsed)
      throw invalid(`"${config.stun}" is not a STUN URL. Use stun:host or stun:host:port.`);
    stun = parsed;
  }
  let turn = { ip: '', port: '3478', user: '', pwd: '' };
  if (config.turn) {
    const parsed = parseIceUrl(config.turn.url, 'turn', '3478');
    // The URL is not secret; the credentials are never echoed.
    if (!parsed)
      throw invalid(`"${config.turn.url}" is not a TURN URL. Use turn:host or turn:host:port.`);
    turn = { ...parsed, user: config.turn.username ?? '', pwd: config.turn.credential ?? '' };
  }
  return {
    serviceType,
    enableVideo: config.video === true,
    Gateway: gateway,
    Stunserver: stun,
    Turnserver: turn,
    AppData: {
      applicationID: config.appId ?? '',
      applicationUA: config.appUa ?? '',
      appInstanceID: appInstanceId,
    },
    disableResiliency: config.noResiliency === true,
    // gateway="host:port" means that port (an AWL app's Gateway.port is ignored, as by the vendor)
    useGatewayPort: true,
  };
}
