/**
 * Fast ICE gathering for complete (non-trickle) SDP (gateway-protocol.md §7.2; issue: never the
 * vendor's fixed 10 s). The local description is sent as soon as its candidates are enough:
 * - gathering completed (for the current ICE generation: see below), or
 * - every candidate type the configured servers can give has arrived (STUN → srflx, TURN →
 *   relay; with no server, host candidates are all there is), plus a short settle for siblings, or
 * - no new candidate for `quietMs` once some have arrived (a server that does not answer), or
 * - the hard cap `capMs`.
 *
 * After an ICE restart (e.g. a re-offer with new credentials from the gateway) Chromium still
 * reports `iceGatheringState === 'complete'` right after setLocalDescription, with no candidate
 * of the new generation yet; so "complete" also requires candidates of the current ufrag.
 */

export interface GatherOptions {
  /** a STUN server is configured */
  stun?: boolean;
  /** a TURN server is configured */
  turn?: boolean;
  /** no-new-candidate period that ends the wait for a silent server (ms) */
  quietMs?: number;
  /** wait after the last needed candidate type arrived, for its siblings (ms) */
  settleMs?: number;
  /** hard cap (ms) */
  capMs?: number;
}

export type GatherEnd = 'complete' | 'enough' | 'quiet' | 'cap';

/** The subset of RTCPeerConnection gathering needs (unit tests pass a fake). */
export type GatherTarget = Pick<
  RTCPeerConnection,
  'iceGatheringState' | 'localDescription' | 'addEventListener' | 'removeEventListener'
>;

const ufragOf = (sdp: string) => /a=ice-ufrag:(\S+)/.exec(sdp)?.[1];

/** Types (host, srflx, …) of the SDP's candidates of its own (current) ICE generation. */
export function candidateTypes(sdp: string): string[] {
  const uf = ufragOf(sdp);
  return (sdp.match(/a=candidate:[^\r\n]*/g) ?? [])
    .filter((c) => {
      const own = / ufrag (\S+)/.exec(c)?.[1];
      return !own || own === uf;
    })
    .map((c) => / typ (\w+)/.exec(c)?.[1] ?? '');
}

export const hasCandidates = (sdp: string): boolean => candidateTypes(sdp).length > 0;

export function gather(pc: GatherTarget, o: GatherOptions = {}): Promise<GatherEnd> {
  const need = new Set<string>();
  if (o.stun) need.add('srflx');
  if (o.turn) need.add('relay');
  const sdp = () => pc.localDescription?.sdp ?? '';
  const complete = () => pc.iceGatheringState === 'complete' && hasCandidates(sdp());
  return new Promise((resolve) => {
    let wait: ReturnType<typeof setTimeout> | undefined;
    const finish = (why: GatherEnd) => {
      clearTimeout(wait);
      clearTimeout(cap);
      pc.removeEventListener('icecandidate', onCandidate);
      pc.removeEventListener('icegatheringstatechange', onState);
      resolve(why);
    };
    const onState = () => complete() && finish('complete');
    const seen = (type: string) => {
      need.delete(type);
      clearTimeout(wait);
      wait = need.size
        ? setTimeout(() => finish('quiet'), o.quietMs ?? 300)
        : setTimeout(() => finish('enough'), o.settleMs ?? 40);
    };
    const onCandidate = (ev: Event) => {
      const c = (ev as RTCPeerConnectionIceEvent).candidate;
      if (!c?.candidate) return onState(); // end of candidates
      if (c.usernameFragment && c.usernameFragment !== ufragOf(sdp())) return; // older generation
      seen(c.type ?? / typ (\w+)/.exec(c.candidate)?.[1] ?? '');
    };
    const cap = setTimeout(() => finish('cap'), o.capMs ?? 3000);
    pc.addEventListener('icecandidate', onCandidate);
    pc.addEventListener('icegatheringstatechange', onState);
    // candidates gathered before we listened (e.g. during setLocalDescription) count too
    candidateTypes(sdp()).forEach(seen);
    onState();
  });
}
