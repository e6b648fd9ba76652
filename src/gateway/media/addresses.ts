/**
 * Which local addresses the media legs offer as ICE host candidates, from the address signalling
 * listens on.
 */
import { networkInterfaces } from 'node:os';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The host's own IPv4 addresses that are not loopback (what a browser's host candidates use). */
export function ownIPv4Addresses(
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): string[] {
  const out: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal && !out.includes(a.address)) out.push(a.address);
    }
  }
  return out;
}

/**
 * - signalling on loopback: 127.0.0.1 and the host's own IPv4 addresses. Firefox gathers no
 *   loopback candidates and never pairs its host candidates with a remote 127.0.0.1, so a leg
 *   offering only loopback never connects with it (Chromium pairs either). The host's own
 *   addresses reach a browser on the same machine; nothing is opened that signalling did not
 *   already expose to this machine's users, and werift answers only checks with the leg's
 *   ICE credentials.
 * - one address: that address only (a gateway for a LAN serves browsers on that network).
 * - `0.0.0.0`: every IPv4 interface (`[]`, the bridge's "all" setting).
 */
export function mediaAddresses(
  host: string,
  interfaces?: ReturnType<typeof networkInterfaces>,
): string[] {
  if (LOOPBACK.has(host)) return ['127.0.0.1', ...ownIPv4Addresses(interfaces)];
  if (host === '0.0.0.0') return [];
  return [host];
}
