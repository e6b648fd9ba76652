/**
 * Errors that say what to do: the causes a page can tell apart, and their English wording.
 *
 * A failed WebSocket shows a page nothing but close code 1006, whatever went wrong. What a page
 * can still observe (Chromium):
 *
 * - `fetch(url, {mode: 'no-cors'})` of the gateway's origin: an opaque response means the host
 *   resolves, something listens and its certificate is accepted; a network error means one of
 *   those failed (fetch does not say which); no answer in time means the packets go nowhere.
 * - The dev gateway's `GET /origin-check` (CORS for every origin) answers whether the page's
 *   Origin is on its allow-list. A real gateway has no such endpoint.
 * - WebRTC's `icecandidateerror` with the gateway as STUN and TURN-over-TCP server: a host that
 *   does not resolve is reported as a failed host lookup, a port where nothing listens as a
 *   connection that could not be established, and an open port gives no error at once. So after a
 *   failed fetch: lookup error → host name typo; refused → wrong port or gateway down; open →
 *   the TLS handshake is what failed, i.e. the certificate is not accepted.
 */
import type { IpoErrorDetails, IpoProblem } from './errors.js';

/** English wording of each problem (the `en` translation uses this table). */
export const PROBLEM_TEXT: Readonly<Record<IpoProblem, (d: IpoErrorDetails) => string>> = {
  'host-not-found': (d) =>
    `The gateway host name "${d.host}" was not found. Check the host name for a typo.`,
  unreachable: (d) =>
    `Nothing answers at ${d.url}. Check the port number and that the gateway is running.`,
  certificate: (d) =>
    `This browser does not accept the certificate of ${d.url}. Open ${d.url} once in this browser, accept its certificate, then log in again.`,
  'origin-not-allowed': (d) =>
    `The gateway at ${d.url} does not allow this page. Ask the administrator to allow origin ${d.origin}.`,
  refused: (d) =>
    `${d.url} answers but refused the phone connection. Check that it is the gateway's address and port; if it is, ask the administrator to allow origin ${d.origin}.`,
  'in-use': (d) =>
    `Your extension is already in use${d.where ? ` (${d.where})` : ' elsewhere'}. Choose "Use it here" to move it to this page.`,
  'taken-over': () => 'You were logged out because your extension was logged in elsewhere.',
  'microphone-blocked': () =>
    'The browser did not let this page use the microphone. Allow the microphone for this site (the icon at the left of the address bar) and check that one is connected, then try again.',
  'session-ended': () =>
    'The telephone system restarted and could not keep you logged in. Log in again.',
};

/** The problem's English message. */
export const problemMessage = (d: IpoErrorDetails): string => PROBLEM_TEXT[d.problem](d);

const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bCriOS\/|Chrome\//, 'Chrome'],
  [/\bChromium\//, 'Chromium'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];
const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/\bWindows\b/, 'Windows'],
  [/\bAndroid\b/, 'Android'],
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/**
 * A user-agent string in words: browser and system, e.g. `{browser: 'Chrome', os: 'Linux'}`.
 * Only these fixed names ever come out, never any text of the string itself.
 */
export function describeUserAgent(ua: string): { browser: string; os: string; where: string } {
  const text = String(ua).slice(0, 512);
  const browser = BROWSERS.find(([re]) => re.test(text))?.[1] ?? '';
  const os = SYSTEMS.find(([re]) => re.test(text))?.[1] ?? '';
  const where = browser && os ? `${browser} on ${os}` : browser || (os ? `a browser on ${os}` : '');
  return { browser, os, where };
}

/** Registration states in which the SDK logs in again by itself (reconnect, failover, failback). */
const MOVING = /^(reconnecting|failing-over|failing-back)$/;

/**
 * The known cause of an `AWL_MSG_LOGIN_FAILED` reason, given the state before it; undefined when
 * the reason is not one the kit understands. The dev gateway words a refused second login
 * "Extension 201 is already in use by <user agent>" and a forced logout "Logged in elsewhere".
 */
export function loginFailureDetails(reason: string, before: string): IpoErrorDetails | undefined {
  const inUse = /already in use by (.*)$/i.exec(reason);
  if (inUse) {
    const { where, browser, os } = describeUserAgent(inUse[1]!);
    return { problem: 'in-use', where, ...(browser ? { browser } : {}), ...(os ? { os } : {}) };
  }
  if (/logged in elsewhere/i.test(reason)) return { problem: 'taken-over' };
  if (MOVING.test(before)) return { problem: 'session-ended' };
  return undefined;
}

/** What a probe of the gateway's origin needs (the page's globals by default; tests inject). */
export interface ProbeEnvironment {
  fetch?: typeof fetch;
  RTCPeerConnection?: typeof RTCPeerConnection;
  /** This page's origin. */
  origin?: string;
  /** How long the HTTPS probe may take before the address counts as not answering, ms. */
  timeoutMs?: number;
  /** How long an open port is given to report an error, ms. */
  iceMs?: number;
}

/** Resolves with `run()`'s value, or 'timeout' / 'error'. */
async function settle<T>(run: (signal: AbortSignal) => Promise<T>, ms: number) {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      resolve('timeout'); // first: the aborted fetch rejects at once, and must not win the race
      abort.abort();
    }, ms);
  });
  try {
    return await Promise.race([run(abort.signal), late]);
  } catch {
    return 'error' as const;
  } finally {
    clearTimeout(timer);
  }
}

type IceVerdict = 'lookup' | 'refused' | 'open' | undefined;

/**
 * 'lookup' (host not found), 'refused' (nothing listens), 'open', or undefined (cannot tell).
 * Two connections: Chromium reports a failed host lookup only for a STUN server (a TURN-over-TCP
 * server that does not resolve is just "failed to establish connection", like a refused port),
 * and gathers nothing for TURN while a STUN server is listed beside it.
 */
function iceProbe(
  host: string,
  port: string,
  PC: typeof RTCPeerConnection | undefined,
  ms: number,
): Promise<IceVerdict> {
  if (typeof PC !== 'function') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const pcs: RTCPeerConnection[] = [];
    let refused = false;
    let settled = false;
    const done = (verdict: IceVerdict) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      for (const pc of pcs) {
        pc.onicecandidateerror = null;
        pc.close();
      }
      resolve(verdict);
    };
    const timer = setTimeout(() => done(refused ? 'refused' : 'open'), ms);
    let grace: ReturnType<typeof setTimeout> | undefined;
    const open = (server: RTCIceServer, onError: (text: string) => void) => {
      try {
        const pc = new PC({ iceServers: [server] });
        pcs.push(pc);
        pc.onicecandidateerror = (e) =>
          onError(String((e as RTCPeerConnectionIceErrorEvent).errorText ?? ''));
        pc.createDataChannel('probe');
        pc.createOffer()
          .then((offer) => pc.setLocalDescription(offer))
          .catch(() => done(undefined));
      } catch {
        done(undefined);
      }
    };
    open({ urls: `stun:${host}:${port}` }, (text) => {
      if (/lookup|resolv|dns/i.test(text)) done('lookup');
    });
    // a dummy account: the gateway is no TURN server; only whether TCP connects matters
    open(
      { urls: `turn:${host}:${port}?transport=tcp`, username: 'probe', credential: 'probe' },
      () => {
        refused = true;
        // a name that does not resolve fails here too: give the STUN lookup a moment to say so
        grace ??= setTimeout(() => done('refused'), 500);
      },
    );
  });
}

/**
 * Why the signalling WebSocket to `host:port` failed, as far as this page can tell; undefined
 * when it cannot tell (no fetch, not a browser). Takes up to about `timeoutMs + iceMs`.
 */
export async function diagnoseConnection(
  host: string,
  port: string,
  env: ProbeEnvironment = {},
): Promise<IpoErrorDetails | undefined> {
  const g = globalThis as { fetch?: typeof fetch; location?: { origin?: string } };
  // outside a page (Node, a worker without location) there is no origin to speak of
  const f = env.fetch ?? (g.location ? g.fetch?.bind(globalThis) : undefined);
  if (!f || !host) return undefined;
  const url = `https://${host}:${port || '9443'}/`;
  const base = { url, host, origin: env.origin ?? g.location?.origin ?? '' };
  const ms = env.timeoutMs ?? 4000;
  const opts = { cache: 'no-store', credentials: 'omit' } as const;
  const reached = await settle((signal) => f(url, { ...opts, mode: 'no-cors', signal }), ms);
  if (reached === 'timeout') return { problem: 'unreachable', ...base };
  if (reached !== 'error') {
    const check = await settle(
      (signal) =>
        f(`${url}origin-check`, { ...opts, mode: 'cors', signal }).then(
          (r) => r.json() as Promise<{ allowed?: unknown }>,
        ),
      ms,
    );
    const denied = typeof check === 'object' && check.allowed === false;
    return { problem: denied ? 'origin-not-allowed' : 'refused', ...base };
  }
  const ice = await iceProbe(
    host,
    port || '9443',
    env.RTCPeerConnection ??
      (globalThis as { RTCPeerConnection?: typeof RTCPeerConnection }).RTCPeerConnection,
    env.iceMs ?? 2500,
  );
  const problem: IpoProblem =
    ice === 'lookup' ? 'host-not-found' : ice === 'open' ? 'certificate' : 'unreachable';
  return { problem, ...base };
}
