/**
 * SDP text rewrites the client needs (gateway-protocol.md §6.6, §7.4–§7.6). Pure functions over
 * `\r\n`-separated SDP; no DOM.
 */

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
const DIRS: Direction[] = ['inactive', 'sendonly', 'recvonly', 'sendrecv']; // index = send bit | recv bit << 1
const DIR_RE = /^a=(sendrecv|sendonly|recvonly|inactive)$/m;

/** Session part followed by one string per `m=` section. */
export const sections = (sdp: string): string[] => sdp.split(/\r\n(?=m=)/);

/** The first `a=setup:` value, if any. */
export const setupOf = (sdp: string | undefined): string | undefined =>
  /a=setup:(\w+)/.exec(sdp ?? '')?.[1];

/** True when the SDP has a video section that is neither rejected (port 0) nor inactive. */
export function videoActive(sdp: string): boolean {
  return sections(sdp).some((s) => /^m=video [1-9]/.test(s) && DIR_RE.exec(s)?.[1] !== 'inactive');
}

/**
 * Renumbers `telephone-event/8000` in the audio section to `pt` (the gateway's `codec.dtmfPayLoad`),
 * in its rtpmap, fmtp and the `m=audio` format list. Skipped when `pt` is already taken by another
 * codec anywhere in the SDP (a bundled video codec, say), which would make the offer ambiguous.
 */
export function rewriteDtmf(sdp: string, pt: string): string {
  const old = /a=rtpmap:(\d+) telephone-event\/8000/.exec(sdp)?.[1];
  if (!old || old === pt || new RegExp(`a=rtpmap:${pt} `).test(sdp)) return sdp;
  return sections(sdp)
    .map((s) =>
      s.startsWith('m=audio')
        ? s
            .replace(new RegExp(`^(m=audio [^\\r\\n]*? )${old}(?=\\s|$)`, 'm'), `$1${pt}`)
            .replace(new RegExp(`a=(rtpmap|fmtp|rtcp-fb):${old} `, 'g'), `a=$1:${pt} `)
        : s,
    )
    .join('\r\n');
}

/** The answer direction to an offered `offered` when the answerer would like `wanted`. */
export function answerDirection(offered: Direction, wanted: Direction): Direction {
  const o = DIRS.indexOf(offered);
  const w = DIRS.indexOf(wanted);
  // the answerer may send only if the offerer receives, and receive only if it sends
  return DIRS[(w & 1 && o & 2 ? 1 : 0) | (w & 2 && o & 1 ? 2 : 0)]!;
}

/**
 * Turns the last SDP the far end gave us (offer or answer) into an answer to our own new local
 * offer, for hold and unhold (§6.6): each section's direction becomes the answer to what we offer
 * for that `mid` (so `inactive` when we hold), and `a=setup` names the far end's existing DTLS
 * role, so neither ICE nor DTLS restarts.
 */
export function asAnswer(
  remote: string,
  offered: Record<string, Direction>,
  remoteRole: 'active' | 'passive',
): string {
  return sections(remote.trimEnd())
    .map((s, i) => {
      s = s.replace(/a=setup:\w+/g, `a=setup:${remoteRole}`);
      if (i === 0) return s;
      if (!/a=setup:/.test(s)) s += `\r\na=setup:${remoteRole}`;
      const mid = /^a=mid:(\S+)/m.exec(s)?.[1];
      const ours = mid === undefined ? undefined : offered[mid];
      if (!ours) return s;
      const dir = answerDirection(
        ours,
        (DIR_RE.exec(s)?.[1] as Direction | undefined) ?? 'sendrecv',
      );
      return DIR_RE.test(s) ? s.replace(DIR_RE, `a=${dir}`) : `${s}\r\na=${dir}`;
    })
    .join('\r\n')
    .concat('\r\n');
}

/** The far end's DTLS role, from the descriptions of the last completed negotiation. */
export function remoteRole(
  local: string | undefined,
  remote: string | undefined,
): 'active' | 'passive' {
  const mine = setupOf(local);
  if (mine === 'active') return 'passive';
  if (mine === 'passive') return 'active';
  return setupOf(remote) === 'passive' ? 'passive' : 'active';
}
