/**
 * The microphone level for `audioInputLevel` where the browser's stats have none (Firefox has no
 * `audioLevel` in its `media-source` stats): an AnalyserNode on the call's local audio track, read
 * as the standard stat is defined, the peak absolute sample of the last frame (0–1, linear).
 */
import { noop } from './util.js';

export class InputLevel {
  #ctx?: AudioContext;
  #analyser?: AnalyserNode;
  #buf?: Float32Array<ArrayBuffer>;
  #track?: MediaStreamTrack;

  /** The level of `track` now, or undefined where Web Audio is missing. */
  read(track: MediaStreamTrack | undefined): number | undefined {
    if (!track || track.readyState !== 'live') return undefined;
    const AC = globalThis.AudioContext;
    if (typeof AC !== 'function') return undefined;
    try {
      if (this.#track !== track) {
        this.close();
        const ctx = (this.#ctx = new AC());
        const analyser = (this.#analyser = ctx.createAnalyser());
        analyser.fftSize = 1024;
        ctx.createMediaStreamSource(new MediaStream([track])).connect(analyser);
        this.#buf = new Float32Array(analyser.fftSize);
        this.#track = track;
        void ctx.resume?.().catch(noop);
      }
      this.#analyser!.getFloatTimeDomainData(this.#buf!);
      let peak = 0;
      for (const v of this.#buf!) peak = Math.max(peak, Math.abs(v));
      return Math.min(1, peak);
    } catch {
      return undefined;
    }
  }

  /** Firefox: `audioInputLevel` from the call's microphone when the stats had none. */
  fill(stats: { audio: Record<string, unknown> }, pc: RTCPeerConnection | undefined): void {
    if (stats.audio.audioInputLevel !== undefined || !pc) return;
    const mic = pc.getSenders().find((x) => x.track?.kind === 'audio')?.track ?? undefined;
    const level = this.read(mic);
    if (level !== undefined) stats.audio.audioInputLevel = level;
  }

  close(): void {
    void this.#ctx?.close().catch(noop);
    this.#ctx = this.#analyser = this.#buf = this.#track = undefined;
  }
}
