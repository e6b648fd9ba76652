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
  /** told when gathering ends: ms from the start to the first srflx candidate, or null for none */
  report?: (srflxMs: number | null) => void;
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
  const t0 = Date.now();
  let srflx: number | null = null;
  return new Promise((resolve) => {
    let wait: ReturnType<typeof setTimeout> | undefined;
    const finish = (why: GatherEnd) => {
      clearTimeout(wait);
      clearTimeout(cap);
      pc.removeEventListener('icecandidate', onCandidate);
      pc.removeEventListener('icegatheringstatechange', onState);
      o.report?.(srflx);
      resolve(why);
    };
    const onState = () => complete() && finish('complete');
    const seen = (type: string) => {
      if (type === 'srflx') srflx ??= Date.now() - t0;
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

/**
 * What earlier gatherings learnt about the STUN server in use, so that a server that never
 * answers stops costing the full quiet period on every call (and one that answers is waited for
 * about as long as it takes): `quietFor` gives the quiet period for the next gathering, `learn`
 * takes its outcome, `probe` gathers once in the background (at login) to learn before a call.
 * Known silent: the settle period only; answering in `ms`: 3 × ms + 20 (at least 40, at most the
 * default). A short wait that missed the srflx of a server known to answer forgets what was known,
 * so the next call waits fully; a silent one is probed again in the background now and then.
 */
export class StunMemory {
  #url = '';
  /** undefined: unknown; null: silent (a full quiet period saw no srflx); else srflx delay (ms) */
  #ms: number | null | undefined;
  #probing = false;
  #probedAt = 0;

  constructor(
    private readonly dfltQuiet = 300,
    private readonly settle = 40,
  ) {}

  #for(url: string): void {
    if (url !== this.#url) [this.#url, this.#ms, this.#probedAt] = [url, undefined, 0];
  }

  /** The gathering options for `url` (the STUN server in use, '' for none) over `base`. */
  options(url: string, base: GatherOptions): GatherOptions {
    const dflt = base.quietMs ?? this.dfltQuiet;
    if (!url) return base;
    this.#for(url);
    const ms = this.#ms;
    const quietMs =
      ms === undefined
        ? dflt
        : ms === null
          ? (base.settleMs ?? this.settle)
          : Math.min(dflt, Math.max(40, 3 * ms + 20));
    return { ...base, quietMs, report: (r) => this.#learn(url, r, quietMs >= dflt) };
  }

  #learn(url: string, srflxMs: number | null, fullWait: boolean): void {
    if (url !== this.#url) return;
    // no srflx: silent after a full wait (or still silent); a short wait that missed it: unknown
    this.#ms = srflxMs ?? (fullWait || this.#ms === null ? null : undefined);
  }

  /**
   * Gathers once on a throwaway connection to learn about `url` (unknown, or silent and last
   * probed over 30 s ago: it may answer again). Never throws; the connection is closed after.
   */
  async probe(PC: typeof RTCPeerConnection, url: string, base: GatherOptions): Promise<void> {
    this.#for(url);
    const due =
      this.#ms === undefined || (this.#ms === null && Date.now() - this.#probedAt > 30_000);
    if (!url || this.#probing || !due || typeof PC !== 'function') return;
    this.#probing = true;
    this.#probedAt = Date.now();
    let pc: RTCPeerConnection | undefined;
    try {
      pc = new PC({ iceServers: [{ urls: url }] });
      pc.createDataChannel('stun-probe');
      await pc.setLocalDescription(await pc.createOffer());
      const quietMs = base.quietMs ?? this.dfltQuiet;
      await gather(pc, {
        stun: true,
        quietMs,
        capMs: base.capMs,
        report: (r) => this.#learn(url, r, true),
      });
    } catch {
      /* no probe here: calls wait as before */
    } finally {
      pc?.close();
      this.#probing = false;
    }
  }
}
