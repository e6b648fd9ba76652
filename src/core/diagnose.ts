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
import type { ProbeEnvironment } from './diagnose-probe.js';
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

export type { ProbeEnvironment } from './diagnose-probe.js';

/**
 * Why the signalling WebSocket to `host:port` failed, as far as this page can tell; undefined
 * when it cannot tell (no fetch, not a browser, or the probe module could not be loaded). Takes up
 * to about `timeoutMs + iceMs`. The probe (diagnose-probe.ts) is loaded on the first call only.
 */
export async function diagnoseConnection(
  host: string,
  port: string,
  env: ProbeEnvironment = {},
): Promise<IpoErrorDetails | undefined> {
  let probe: typeof import('./diagnose-probe.js');
  try {
    probe = await import('./diagnose-probe.js');
  } catch {
    return undefined;
  }
  return probe.probeConnection(host, port, env);
}
