/**
 * A call's peer-connection helpers that need no call state: transceivers by kind, the DTMF codec
 * preference, hold without renegotiation (§6.6), the DTMF tone queue, and the call's meter (the
 * AWL stats array and
 * the quality readings, §10). `Call` uses them; they never touch the signalling.
 */
import type { Kind } from './media.js';
import {
  counters,
  sample,
  warnings,
  type Counters,
  type Quality,
  type QualityWarning,
} from './quality.js';
import { InputLevel } from './level.js';
import { emptyStats, fillStats, type CallStats } from './stats.js';
import { noop } from './util.js';

/** The transceivers of `kind` that are not stopped. */
export function transceivers(pc: RTCPeerConnection, kind: Kind): RTCRtpTransceiver[] {
  return pc
    .getTransceivers()
    .filter((t) => t.receiver.track.kind === kind && t.currentDirection !== 'stopped');
}

/**
 * Keeps only telephone-event/8000 for DTMF (dropping Chrome's /48000), so tones go out on the
 * payload type the gateway chose (`codec.dtmfPayLoad`, §7.4) rather than the 48 kHz one. With a
 * remote offer, only when that offer has telephone-event/8000.
 */
export function preferDtmf(pc: RTCPeerConnection, remoteOffer?: string): void {
  if (remoteOffer !== undefined && !/telephone-event\/8000/.test(remoteOffer)) return;
  try {
    const codecs = RTCRtpReceiver.getCapabilities('audio')?.codecs.filter(
      (c) => !/telephone-event/i.test(c.mimeType) || c.clockRate === 8000,
    );
    if (codecs) for (const t of transceivers(pc, 'audio')) t.setCodecPreferences(codecs);
  } catch {
    /* not supported here: Chrome's default codec list is fine too */
  }
}

/** The first DTLS fingerprint of an SDP (who the far end is, for DTLS). */
const fingerprint = (sdp: string | undefined): string | undefined =>
  /^a=fingerprint:(.+)$/m.exec(sdp ?? '')?.[1]?.trim();

/** A re-offer from a new far end: another DTLS fingerprint (a transfer re-anchored the media). */
export function newFarEnd(pc: RTCPeerConnection, offer: string): boolean {
  const before = fingerprint(pc.currentRemoteDescription?.sdp);
  return !!before && !!fingerprint(offer) && before !== fingerprint(offer);
}

/** Closes a call's old peer connection and takes its remote tracks out of `streams`. */
export function retire(pc: RTCPeerConnection, ...streams: MediaStream[]): void {
  pc.close();
  for (const s of streams) for (const t of s.getTracks()) s.removeTrack(t);
}

/**
 * Hold / unhold media (§6.6, no SDP travels): every sender of the call stops or resumes sending
 * RTP (its encodings' `active`, and its track taken off into `held` until unhold), with no
 * renegotiation. The far end's client does the same on its CallHeld and the gateway stops its
 * own RTP, so media stops both ways. (The vendor's client installs a locally rewritten SDP
 * instead. Firefox accepts no such answer to its own re-offer, which renumbers payload types,
 * and an answer in its new numbers would change what it sends while the far end still expects
 * the negotiated ones.) Rejects when a sender refuses; the call then ends with a reason.
 */
export async function holdMedia(
  pc: RTCPeerConnection,
  held: Map<RTCRtpSender, MediaStreamTrack>,
  hold: boolean,
): Promise<void> {
  if (pc.signalingState === 'closed') return;
  for (const s of pc.getSenders()) {
    const p = s.getParameters();
    if (p.encodings?.length && p.encodings.some((e) => e.active !== !hold)) {
      for (const e of p.encodings) e.active = !hold;
      await s.setParameters(p);
    }
    // Firefox keeps sending audio with inactive encodings: no track, no RTP
    if (hold && s.track) {
      held.set(s, s.track);
      await s.replaceTrack(null);
    } else if (!hold && !s.track && held.get(s)?.readyState === 'live') {
      await s.replaceTrack(held.get(s)!);
    }
  }
  if (!hold) held.clear();
}

/** A call's statistics for the app; `stop()` when the call ends (its one timer). */
export class CallMeter {
  #stats?: CallStats;
  #poll?: ReturnType<typeof setInterval>;
  #q?: Counters;
  #quiet = 0;
  #level?: InputLevel;

  constructor(private readonly pc: () => RTCPeerConnection | null) {}

  /** The call moved to a new peer connection: the next quality reading starts afresh. */
  reset(): void {
    this.#q = undefined;
  }

  /**
   * The AWL stats array (one per call), refreshed now (`ready` settles when filled) and then every
   * second until `stop()`, so the reference the app holds stays current (§10).
   */
  stats(): CallStats {
    const s = (this.#stats ??= emptyStats());
    const pull = () => {
      const pc = this.pc();
      s.ready = pc
        ? pc.getStats().then((r) => {
            fillStats(s, r);
            (this.#level ??= new InputLevel()).fill(s, pc);
          }, noop)
        : Promise.resolve();
    };
    this.#poll ??= setInterval(pull, 1000);
    pull();
    return s;
  }

  /**
   * Quality since the previous reading (about a second apart when polled each second): RTT,
   * jitter, loss, bitrate, estimated MOS and warnings (none while `held`). Null on the first
   * reading, or while the call is not `talking`.
   */
  async quality(
    talking: boolean,
    held: boolean,
  ): Promise<(Quality & { warnings: QualityWarning[] }) | null> {
    const pc = this.pc();
    if (!pc || !talking) return ((this.#q = undefined), null);
    const now = counters(await pc.getStats(), performance.now());
    const prev = this.#q;
    this.#q = now;
    if (!prev) return null;
    const q = sample(prev, now);
    this.#quiet = q.packets && !q.sound ? this.#quiet + 1 : 0;
    return { ...q, warnings: held ? [] : warnings(q, this.#quiet) };
  }

  stop(): void {
    clearInterval(this.#poll);
    this.#level?.close();
  }
}

/** Tones typed while the media path is still coming up (DTLS) wait for it, in order, up to 5 s. */
export class ToneQueue {
  #tones = '';

  send(d: RTCDTMFSender, tone: string, ended: () => boolean): void {
    this.#tones += tone;
    this.#flush(d, ended, 0);
  }

  #flush(d: RTCDTMFSender, ended: () => boolean, tries: number): void {
    if (!this.#tones || ended()) return;
    if (d.canInsertDTMF) d.insertDTMF(d.toneBuffer + this.#tones, 500, 50);
    else if (tries < 100) return void setTimeout(() => this.#flush(d, ended, tries + 1), 50);
    this.#tones = '';
  }
}
