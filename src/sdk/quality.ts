/**
 * Call quality from the standard `getStats()`: one sample per second gives RTT, jitter, loss,
 * bitrate and an estimated MOS (a reduced ITU-T G.107 E-model), plus warnings with a cause in
 * plain words. Pure functions over plain numbers, so they are unit-tested without a browser.
 */

/** What one second of a call looked like. Times in ms, loss in percent of the interval. */
export interface Quality {
  /** round-trip time from RTCP (remote-inbound-rtp), ms; null before the first report */
  rtt: number | null;
  /** receive jitter, ms */
  jitter: number;
  /** packets lost in the interval, percent of those expected */
  loss: number;
  /** received and sent audio bitrate, kbit/s */
  inKbps: number;
  outKbps: number;
  /** estimated mean opinion score, 1 (bad) to 4.5 (best narrow/wideband voice) */
  mos: number;
  /** packets received in the interval */
  packets: number;
  /** the far end's audio level rose in the interval (not constant silence) */
  sound: boolean;
}

export type WarningCode =
  'high-rtt' | 'high-jitter' | 'high-loss' | 'low-mos' | 'no-audio' | 'silence';

export interface QualityWarning {
  code: WarningCode;
  /** plain-language cause and what to try */
  cause: string;
}

/** Cumulative counters read from one standard stats report (audio only). */
export interface Counters {
  at: number;
  received: number;
  lost: number;
  bytesIn: number;
  bytesOut: number;
  energy: number;
  jitter: number;
  rtt: number | null;
}

type Entry = Record<string, unknown> & { type: string; kind?: string };

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Audio counters from a standard `RTCStatsReport` (or anything with its `forEach`). */
export function counters(report: { forEach(cb: (s: Entry) => void): void }, at: number): Counters {
  const c: Counters = {
    at,
    received: 0,
    lost: 0,
    bytesIn: 0,
    bytesOut: 0,
    energy: 0,
    jitter: 0,
    rtt: null,
  };
  report.forEach((s) => {
    if (s.kind !== 'audio') return;
    if (s.type === 'inbound-rtp') {
      c.received += num(s.packetsReceived);
      c.lost += num(s.packetsLost);
      c.bytesIn += num(s.bytesReceived);
      c.energy += num(s.totalAudioEnergy);
      c.jitter = Math.max(c.jitter, num(s.jitter) * 1000);
    } else if (s.type === 'outbound-rtp') {
      c.bytesOut += num(s.bytesSent);
    } else if (s.type === 'remote-inbound-rtp' && typeof s.roundTripTime === 'number') {
      c.rtt = s.roundTripTime * 1000;
    }
  });
  return c;
}

/**
 * Estimated MOS for a voice call (E-model, G.107, reduced): R = 93.2 − Id − Ie,eff with the
 * mouth-to-ear delay taken as half the RTT plus a jitter buffer of twice the jitter plus 20 ms of
 * packetisation, and random loss with packet-loss concealment (Bpl 25.1, Ie 0, as for G.711 with
 * PLC and close to Opus at voice bitrates).
 */
export function mos(rtt: number, jitter: number, lossPercent: number): number {
  const d = rtt / 2 + 2 * jitter + 20;
  const id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
  const ppl = Math.min(Math.max(lossPercent, 0), 100);
  const ie = (95 * ppl) / (ppl + 25.1);
  const r = 93.2 - id - ie;
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return Math.min(4.5, 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r));
}

/** The quality of the interval between two counter readings. */
export function sample(prev: Counters, now: Counters): Quality {
  const secs = Math.max((now.at - prev.at) / 1000, 0.001);
  const packets = Math.max(now.received - prev.received, 0);
  const lost = Math.max(now.lost - prev.lost, 0);
  const loss = packets + lost > 0 ? (lost / (packets + lost)) * 100 : 0;
  const rtt = now.rtt;
  return {
    rtt,
    jitter: now.jitter,
    loss,
    inKbps: (Math.max(now.bytesIn - prev.bytesIn, 0) * 8) / 1000 / secs,
    outKbps: (Math.max(now.bytesOut - prev.bytesOut, 0) * 8) / 1000 / secs,
    mos: mos(rtt ?? 0, now.jitter, loss),
    packets,
    sound: now.energy > prev.energy,
  };
}

/** Thresholds behind the warnings (ms, percent, MOS). */
export const LIMITS = { rtt: 300, jitter: 30, loss: 3, mos: 3.5 } as const;

/** Warnings for one sample; `quietFor` is how many samples in a row had packets but no sound. */
export function warnings(q: Quality, quietFor = 0): QualityWarning[] {
  const out: QualityWarning[] = [];
  const add = (code: WarningCode, cause: string) => out.push({ code, cause });
  if (q.packets === 0) {
    add(
      'no-audio',
      'No audio is arriving from the other party. Their microphone may be off, or a firewall is blocking media.',
    );
    return out;
  }
  if (q.rtt !== null && q.rtt > LIMITS.rtt)
    add(
      'high-rtt',
      `Sound takes long to travel (round trip ${Math.round(q.rtt)} ms): expect talking over each other. A wired or closer network helps.`,
    );
  if (q.jitter > LIMITS.jitter)
    add(
      'high-jitter',
      `Packets arrive unevenly (jitter ${Math.round(q.jitter)} ms): voice may sound choppy. Other traffic on the network is a common cause.`,
    );
  if (q.loss > LIMITS.loss)
    add(
      'high-loss',
      `${q.loss.toFixed(1)} % of the audio is lost on the way: words may drop out. Wi-Fi signal or a busy connection is a common cause.`,
    );
  if (q.mos < LIMITS.mos)
    add('low-mos', `Call quality is poor (estimated MOS ${q.mos.toFixed(1)} of 4.5).`);
  if (quietFor >= 5)
    add('silence', 'Audio arrives but it is silent: the other party may be muted.');
  return out;
}
