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

interface Codec {
  name: string;
  rate: string;
  channels: string;
  fmtp: string;
}

/** `pt → codec` of one media section (rtpmap + fmtp). */
function codecs(section: string): Map<string, Codec> {
  const out = new Map<string, Codec>();
  for (const m of section.matchAll(/^a=rtpmap:(\d+) ([^/\r\n]+)\/(\d+)(?:\/(\d+))?/gm)) {
    const fmtp = new RegExp(`^a=fmtp:${m[1]} (.*)$`, 'm').exec(section)?.[1]?.trim() ?? '';
    out.set(m[1]!, { name: m[2]!.toLowerCase(), rate: m[3]!, channels: m[4] ?? '1', fmtp });
  }
  return out;
}

const fmtpParam = (fmtp: string, key: string): string | undefined =>
  new RegExp(`(?:^|;)\\s*${key}=([^;]*)`, 'i').exec(fmtp)?.[1]?.trim().toLowerCase();

/** The same codec: name, clock rate, channels, and for H.264 the mode and profile. */
function sameCodec(a: Codec, b: Codec): boolean {
  if (a.name !== b.name || a.rate !== b.rate || a.channels !== b.channels) return false;
  if (a.name !== 'h264') return true;
  const mode = (f: string) => fmtpParam(f, 'packetization-mode') ?? '0';
  const profile = (f: string) => fmtpParam(f, 'profile-level-id')?.slice(0, 4) ?? '42e0';
  return mode(a.fmtp) === mode(b.fmtp) && profile(a.fmtp) === profile(b.fmtp);
}

/**
 * Payload type map `far-end PT → PT of our offer` for the codecs both sections have (RTX by the
 * codec it repairs), in the far end's order.
 */
function mapPayloads(offerSec: string, remoteSec: string): Map<string, string> {
  const ours = codecs(offerSec);
  const theirs = codecs(remoteSec);
  const fmts = /^m=\S+ \d+ \S+ ?(.*)$/m.exec(remoteSec)?.[1]?.split(' ').filter(Boolean) ?? [];
  const map = new Map<string, string>();
  const taken = new Set<string>();
  for (const rtx of [false, true]) {
    for (const pt of fmts) {
      const c = theirs.get(pt);
      if (!c || (c.name === 'rtx') !== rtx) continue;
      for (const [opt, oc] of ours) {
        if (taken.has(opt)) continue;
        const match = rtx
          ? oc.name === 'rtx' &&
            fmtpParam(oc.fmtp, 'apt') === map.get(fmtpParam(c.fmtp, 'apt') ?? '')
          : sameCodec(c, oc);
        if (match) {
          map.set(pt, opt);
          taken.add(opt);
          break;
        }
      }
    }
  }
  return map;
}

const TRANSPORT =
  /^(c=|a=(ice-ufrag|ice-pwd|ice-options|fingerprint|candidate|end-of-candidates|rtcp:|rtcp-mux|msid|ssrc|ssrc-group|ice-lite|sctp-port|max-message-size|sctpmap))/;

/**
 * A valid answer to our new local offer `offer` from the far end's last SDP `remote` (hold and
 * unhold, §6.6, no SDP on the wire): for each of our sections, the far end's transport (ICE
 * credentials and candidates, fingerprint, its SSRCs), `a=setup` its current DTLS role, the
 * direction that answers ours, and only codecs and header extensions our offer has, under our
 * offer's payload types and extension ids (Firefox re-offers opus as 109 where Chromium said
 * 111, and rejects an answer with an extension its offer lacks). A section the far end never
 * accepted is rejected (port 0). `version` is the `o=` session version to write.
 */
export function answerTo(
  offer: string,
  remote: string,
  offered: Record<string, Direction>,
  role: 'active' | 'passive',
  version: number,
): string {
  const [offerSession = '', ...offerSecs] = sections(offer.trimEnd());
  const [remoteSession = '', ...remoteSecs] = sections(remote.trimEnd());
  const byMid = new Map(remoteSecs.map((r) => [/^a=mid:(\S+)/m.exec(r)?.[1] ?? '', r]));
  const accepted: string[] = [];
  const out = offerSecs.map((o) => {
    const mid = /^a=mid:(\S+)/m.exec(o)?.[1] ?? '';
    const r = byMid.get(mid);
    const [, kind = 'audio', proto = ''] = /^m=(\S+) \d+ (\S+)/.exec(o) ?? [];
    const map = r && !/^m=\S+ 0 /.test(r) ? mapPayloads(o, r) : new Map<string, string>();
    const data = kind === 'application';
    if (!r || /^m=\S+ 0 /.test(r) || (!data && map.size === 0)) {
      const fmt = /^m=\S+ \d+ \S+ (\S+)/.exec(o)?.[1] ?? '0';
      return `m=${kind} 0 ${proto} ${fmt}\r\na=mid:${mid}`;
    }
    accepted.push(mid);
    const rLines = r.split('\r\n');
    const port = /^m=\S+ (\d+)/.exec(r)?.[1] ?? '9';
    const fmts = data ? /^m=\S+ \d+ \S+ (.*)$/m.exec(r)?.[1] : [...map.values()].join(' ');
    const lines = [`m=${kind} ${port} ${proto} ${fmts}`];
    lines.push(...rLines.slice(1).filter((l) => TRANSPORT.test(l)));
    lines.push(`a=mid:${mid}`, `a=setup:${role}`);
    if (!data) {
      const wanted = (DIR_RE.exec(r)?.[1] as Direction | undefined) ?? 'sendrecv';
      lines.push(`a=${answerDirection(offered[mid] ?? 'sendrecv', wanted)}`);
      // extensions both sides know, under our offer's ids
      for (const m of r.matchAll(/^a=extmap:\d+(?:\/\w+)? (\S+)/gm)) {
        const ours = new RegExp(
          `^a=extmap:(\\d+)(?:/\\w+)? ${m[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
          'm',
        ).exec(o);
        if (ours) lines.push(`a=extmap:${ours[1]} ${m[1]}`);
      }
      if (/^a=extmap-allow-mixed/m.test(o) && /^a=extmap-allow-mixed/m.test(r))
        lines.push('a=extmap-allow-mixed');
      if (/^a=rtcp-rsize/m.test(o) && /^a=rtcp-rsize/m.test(r)) lines.push('a=rtcp-rsize');
      for (const [theirs, ours] of map) {
        const rtpmap = new RegExp(`^a=rtpmap:${ours} .*$`, 'm').exec(o)?.[0];
        if (rtpmap) lines.push(rtpmap);
        const fmtp = new RegExp(`^a=fmtp:${theirs} (.*)$`, 'm').exec(r)?.[1];
        // RTX names the codec it repairs by PT: ours
        if (fmtp)
          lines.push(
            `a=fmtp:${ours} ${fmtp.replace(/apt=(\d+)/, (_, p: string) => `apt=${map.get(p) ?? p}`)}`,
          );
        for (const fb of r.matchAll(new RegExp(`^a=rtcp-fb:${theirs} (.*)$`, 'gm'))) {
          if (
            new RegExp(
              `^a=rtcp-fb:(${ours}|\\*) ${fb[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
              'm',
            ).test(o)
          )
            lines.push(`a=rtcp-fb:${ours} ${fb[1]}`);
        }
      }
    }
    return lines.join('\r\n');
  });
  const session = remoteSession
    .split('\r\n')
    .filter((l) => !/^a=(group:BUNDLE|extmap-allow-mixed|setup)/.test(l))
    .map((l) => l.replace(/^(o=\S+ \S+ )\d+/, `$1${version}`));
  if (
    accepted.length &&
    /^a=group:BUNDLE/m.test(offerSession) &&
    /^a=group:BUNDLE/m.test(remoteSession)
  )
    session.push(`a=group:BUNDLE ${accepted.join(' ')}`);
  if (/^a=extmap-allow-mixed/m.test(offerSession) && /^a=extmap-allow-mixed/m.test(remoteSession))
    session.push('a=extmap-allow-mixed');
  return [...session, ...out].join('\r\n').concat('\r\n');
}

/** The `o=` session version of an SDP (0 when there is none). */
export const sessionVersion = (sdp: string | undefined): number =>
  Number(/^o=\S+ \S+ (\d+)/m.exec(sdp ?? '')?.[1] ?? 0);

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
