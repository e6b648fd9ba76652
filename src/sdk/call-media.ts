/**
 * A call's peer-connection helpers that need no call state: transceivers by kind, the DTMF codec
 * preference, hold by local renegotiation (§6.6), the DTMF tone queue, and the call's meter (the AWL stats array and
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
import { asAnswer, remoteRole, type Direction } from './sdp.js';
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

/**
 * Hold / unhold media (§6.6), no SDP on the wire: a local re-offer with every direction
 * `inactive` (or back to what it was, kept in `saved`), answered locally with the far end's last
 * SDP given the same direction change and its current DTLS role. Media stops and resumes both ways.
 */
export async function holdMedia(
  pc: RTCPeerConnection,
  saved: Map<RTCRtpTransceiver, RTCRtpTransceiverDirection>,
  remoteSdp: string,
  hold: boolean,
): Promise<void> {
  if (pc.signalingState !== 'stable' || !remoteSdp) return;
  const role = remoteRole(pc.currentLocalDescription?.sdp, pc.currentRemoteDescription?.sdp);
  const offered: Record<string, Direction> = {};
  for (const t of pc.getTransceivers()) {
    if (t.mid === null || t.currentDirection === 'stopped') continue;
    if (hold) {
      if (!saved.has(t)) saved.set(t, t.direction);
      t.direction = 'inactive';
    } else t.direction = saved.get(t) ?? t.direction;
    offered[t.mid] = t.direction as Direction;
  }
  if (!hold) saved.clear();
  await pc.setLocalDescription(await pc.createOffer());
  await pc.setRemoteDescription({ type: 'answer', sdp: asAnswer(remoteSdp, offered, role) });
}

/** A call's statistics for the app; `stop()` when the call ends (its one timer). */
export class CallMeter {
  #stats?: CallStats;
  #poll?: ReturnType<typeof setInterval>;
  #q?: Counters;
  #quiet = 0;

  constructor(private readonly pc: () => RTCPeerConnection | null) {}

  /**
   * The AWL stats array (one per call), refreshed now (`ready` settles when filled) and then every
   * second until `stop()`, so the reference the app holds stays current (§10).
   */
  stats(): CallStats {
    const s = (this.#stats ??= emptyStats());
    const pull = () => {
      const pc = this.pc();
      s.ready = pc ? pc.getStats().then((r) => void fillStats(s, r), noop) : Promise.resolve();
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
