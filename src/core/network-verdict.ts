/** The network test's verdict in plain words, from its median RTT and jitter and its total loss. */

/** A network test's overall verdict from its samples. */
export interface Verdict {
  level: 'good' | 'voice-only' | 'poor';
  /** plain-language reason, empty when good */
  reason: string;
}

/**
 * The thresholds behind a network test's verdict (ms, ms, percent): up to `video` is good for
 * voice and video, up to `voice` for voice only, beyond is poor. The chart draws them.
 */
export const VERDICT_LIMITS = {
  video: { rtt: 150, jitter: 20, loss: 1 },
  voice: { rtt: 400, jitter: 50, loss: 5 },
} as const;

/** Good for voice and video, voice only, or poor (with why), from median RTT/jitter and total loss. */
export function verdict(rtt: number, jitter: number, lossPercent: number): Verdict {
  const { video, voice } = VERDICT_LIMITS;
  const problems: string[] = [];
  if (lossPercent > voice.loss) problems.push(`${lossPercent.toFixed(1)} % of packets were lost`);
  if (rtt > voice.rtt) problems.push(`the round trip takes ${Math.round(rtt)} ms`);
  if (jitter > voice.jitter) problems.push(`jitter is ${Math.round(jitter)} ms`);
  if (problems.length) return { level: 'poor', reason: problems.join('; ') };
  if (lossPercent > video.loss || rtt > video.rtt || jitter > video.jitter) {
    const why =
      lossPercent > video.loss
        ? `${lossPercent.toFixed(1)} % packet loss`
        : rtt > video.rtt
          ? `${Math.round(rtt)} ms round trip`
          : `${Math.round(jitter)} ms jitter`;
    return { level: 'voice-only', reason: why };
  }
  return { level: 'good', reason: '' };
}
