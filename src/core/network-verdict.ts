/** The network test's verdict in plain words, from its median RTT and jitter and its total loss. */

/** A network test's overall verdict from its samples. */
export interface Verdict {
  level: 'good' | 'voice-only' | 'poor';
  /** plain-language reason, empty when good */
  reason: string;
}

/** Good for voice and video, voice only, or poor (with why), from median RTT/jitter and total loss. */
export function verdict(rtt: number, jitter: number, lossPercent: number): Verdict {
  const problems: string[] = [];
  if (lossPercent > 5) problems.push(`${lossPercent.toFixed(1)} % of packets were lost`);
  if (rtt > 400) problems.push(`the round trip takes ${Math.round(rtt)} ms`);
  if (jitter > 50) problems.push(`jitter is ${Math.round(jitter)} ms`);
  if (problems.length) return { level: 'poor', reason: problems.join('; ') };
  if (lossPercent > 1 || rtt > 150 || jitter > 20) {
    const why =
      lossPercent > 1
        ? `${lossPercent.toFixed(1)} % packet loss`
        : rtt > 150
          ? `${Math.round(rtt)} ms round trip`
          : `${Math.round(jitter)} ms jitter`;
    return { level: 'voice-only', reason: why };
  }
  return { level: 'good', reason: '' };
}
