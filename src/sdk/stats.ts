/**
 * Call statistics in the AWL shape (gateway-protocol.md §10): an array whose `.audio` and
 * `.video` objects carry the vendor's key names, filled with CURRENT values from the standard
 * promise-based `getStats()` each time they are asked for (no polling interval to leak).
 */

const KEYS = [
  'audioInputLevel',
  'audioOutputLevel',
  'googCodecName',
  'googJitterReceived',
  'packetsSent',
  'bytesSent',
  'packetsReceived',
  'bytesReceived',
  'packetsLost',
] as const;

export type StatsKey = (typeof KEYS)[number];
export type KindStats = Partial<Record<StatsKey, number | string>>;
/** What `getStats(callId)` returns. `ready` settles when this refresh has filled the values. */
export type CallStats = unknown[] & { audio: KindStats; video: KindStats; ready?: Promise<void> };

export const emptyStats = (): CallStats => Object.assign([], { audio: {}, video: {} });

type Entry = Record<string, unknown> & { type: string; kind?: string; id: string };

/** Writes the current values of one standard stats report into `out` (replacing older ones). */
export function fillStats(
  out: CallStats,
  report: { forEach(cb: (s: Entry) => void): void },
): CallStats {
  const all: Entry[] = [];
  report.forEach((s) => all.push(s));
  const byId = (id: unknown) => all.find((s) => s.id === id);
  for (const kind of ['audio', 'video'] as const) {
    const o: Record<string, number | string> = {};
    const add = (k: StatsKey, v: unknown) => {
      if (typeof v === 'number') o[k] = ((o[k] as number | undefined) ?? 0) + v;
    };
    for (const s of all) {
      if (s.kind !== kind) continue;
      const codec = byId(s.codecId)?.mimeType;
      if (typeof codec === 'string' && (s.type === 'inbound-rtp' || !o.googCodecName))
        o.googCodecName = codec.split('/')[1]!;
      if (s.type === 'outbound-rtp') {
        add('packetsSent', s.packetsSent);
        add('bytesSent', s.bytesSent);
      } else if (s.type === 'inbound-rtp') {
        add('packetsReceived', s.packetsReceived);
        add('bytesReceived', s.bytesReceived);
        add('packetsLost', s.packetsLost);
        if (typeof s.jitter === 'number') o.googJitterReceived = Math.round(s.jitter * 1000); // ms, as the legacy key
        if (kind === 'audio' && typeof s.audioLevel === 'number') o.audioOutputLevel = s.audioLevel;
      } else if (
        s.type === 'media-source' &&
        kind === 'audio' &&
        typeof s.audioLevel === 'number'
      ) {
        o.audioInputLevel = s.audioLevel;
      }
    }
    // replace in place: the app may hold on to the objects
    const target = out[kind];
    for (const k of KEYS) delete target[k];
    Object.assign(target, o);
  }
  return out;
}
