/**
 * SDP text rewrites the client needs (gateway-protocol.md §7.4–§7.6; hold needs none, see `Call`). Pure functions over
 * `\r\n`-separated SDP; no DOM.
 */

const DIR_RE = /^a=(sendrecv|sendonly|recvonly|inactive)$/m;

/** Session part followed by one string per `m=` section. */
export const sections = (sdp: string): string[] => sdp.split(/\r\n(?=m=)/);

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
