/** The kit's sounds, generated with Web Audio (no audio files): ringing and the speaker test. */

type Ctx = AudioContext & { setSinkId?(id: string): Promise<void>; sinkId?: unknown };
let ctx: Ctx | undefined;

/** The one AudioContext of the kit, created on first use. */
export const audio = (): Ctx => (ctx ??= new AudioContext());

/** Resolves true when sound can play; false while the browser waits for a user gesture. */
export async function unlock(): Promise<boolean> {
  const c = audio();
  if (c.state !== 'running') {
    await Promise.race([c.resume().catch(() => undefined), new Promise((r) => setTimeout(r, 300))]);
  }
  return c.state === 'running';
}

/** Routes the kit's sounds to an output device where the browser can ('' = default). */
export async function route(sinkId: string): Promise<void> {
  const c = audio();
  if (c.setSinkId && (c.sinkId || '') !== sinkId) await c.setSinkId(sinkId).catch(() => undefined);
}

/** Plays notes `[frequencies, start s, length s]`, relative to now. */
export function play(
  notes: [number[], number, number][],
  out: AudioNode = audio().destination,
): void {
  const c = audio();
  const t0 = c.currentTime + 0.01;
  for (const [freqs, at, len] of notes) {
    const g = c.createGain();
    const [a, b] = [t0 + at, t0 + at + len];
    g.gain.setValueAtTime(0, a);
    g.gain.linearRampToValueAtTime(0.12, a + 0.02);
    g.gain.setValueAtTime(0.12, b - 0.03);
    g.gain.linearRampToValueAtTime(0, b);
    g.connect(out);
    for (const f of freqs) {
      const o = c.createOscillator();
      o.frequency.value = f;
      o.connect(g);
      o.start(a);
      o.stop(b);
    }
  }
}

/** Rings (a double ring every 3 s) until the returned function is called. */
export function ring(): () => void {
  const c = audio();
  const bus = c.createGain();
  bus.connect(c.destination);
  const burst = (): void =>
    play(
      [
        [[400, 450], 0, 0.4],
        [[400, 450], 0.6, 0.4],
      ],
      bus,
    );
  burst();
  const timer = setInterval(burst, 3000);
  return () => {
    clearInterval(timer);
    bus.disconnect();
  };
}
