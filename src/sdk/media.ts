/**
 * Local media: the chosen devices, one live source track per kind shared by every call (each call
 * sends its own clone, so mute and stop are per call), device switching that swaps the source
 * under live calls (`onSwap` → `RTCRtpSender.replaceTrack`, no renegotiation), `devicechange`
 * handling, audio output (`setSinkId`), attaching streams to elements, and release of every track.
 */
import type { Log } from './log.js';
import { noop } from './util.js';

export type Kind = 'audio' | 'video';
/** Device choice, as the AWL `setDeviceIds` takes it. Empty means the system default. */
export interface DeviceIds {
  audioInputID?: string;
  videoInputID?: string;
  audioOutputID?: string;
}
/** `[kind, label, deviceId]` per device, as the AWL device-list callback gets it. */
export type DeviceEntry = [MediaDeviceKind, string, string];

const idKey = (k: Kind) => (k === 'audio' ? 'audioInputID' : 'videoInputID');

/** Shows `stream` in a media element (muted for local video and for remote video: the SDK plays audio itself). */
export function attach(
  el: HTMLMediaElement | null | undefined,
  stream: MediaStream | null,
  muted = false,
): void {
  if (!el) return;
  if (el.srcObject !== stream) el.srcObject = stream;
  if (muted) el.muted = true;
  if (stream) el.play?.()?.catch?.(noop);
}

/** Routes an element's audio to an output device ('' = default), where the browser can. */
export function sink(el: HTMLMediaElement | undefined, id: string | undefined): void {
  const e = el as (HTMLMediaElement & { setSinkId?(id: string): Promise<void> }) | undefined;
  e?.setSinkId?.(id ?? '').catch(noop);
}

export class Media {
  ids: DeviceIds = {};
  /** live source tracks (never sent themselves; calls send clones) */
  readonly src: Partial<Record<Kind, MediaStreamTrack>> = {};
  /** a source track was replaced (device switch): calls must swap their clones */
  onSwap: (kind: Kind, track: MediaStreamTrack) => void = noop;
  /** the audio output device changed */
  onSink: (id: string) => void = noop;
  #queue: Promise<unknown> = Promise.resolve();
  #watching = false;

  constructor(
    private readonly md: MediaDevices | undefined,
    private readonly log: Log,
  ) {}

  /** Runs media operations one at a time, so concurrent calls never open a device twice. */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.#queue.then(fn);
    this.#queue = p.catch(noop);
    return p;
  }

  /**
   * Clones of live source tracks for `kinds`, opening missing devices in one prompt. Video is
   * best effort (no camera → audio only); rejects when the microphone cannot be opened.
   */
  tracks(kinds: Kind[]): Promise<MediaStreamTrack[]> {
    return this.#serial(async () => {
      const missing = kinds.filter((k) => this.src[k]?.readyState !== 'live');
      if (missing.length) {
        try {
          await this.#open(missing);
        } catch (err) {
          if (!missing.includes('video') || missing.length < 2) throw err;
          this.log.warn('camera unavailable, audio only', String(err));
          await this.#open(['audio']);
        }
      }
      return kinds.flatMap((k) => {
        const t = this.src[k];
        return t ? [t.clone()] : [];
      });
    });
  }

  async #open(kinds: Kind[]): Promise<void> {
    if (!this.md) throw new Error('no mediaDevices');
    const want = (k: Kind, exact: boolean): boolean | MediaTrackConstraints => {
      const id = exact && this.ids[idKey(k)];
      return kinds.includes(k) && (id ? { deviceId: { exact: id } } : true);
    };
    const gum = (exact: boolean) =>
      this.md!.getUserMedia({ audio: want('audio', exact), video: want('video', exact) });
    // the chosen device, else (gone, or refused) the default one
    const stream = await gum(true).catch(() => gum(false));
    for (const t of stream.getTracks()) {
      const k = t.kind as Kind;
      const old = this.src[k];
      this.src[k] = t;
      t.addEventListener('ended', this.#ended); // unplugged
      if (old) {
        this.onSwap(k, t);
        this.#stop(old);
      }
    }
    if (!this.#watching && this.md.addEventListener) {
      this.md.addEventListener('devicechange', this.#devicechange);
      this.#watching = true;
    }
  }

  #devicechange = () => void this.refresh();
  #ended = () => void this.refresh();

  /**
   * Stops a source track and drops our listener: Chromium keeps getUserMedia results alive for a
   * while after they are stopped, and a listener there would count as left behind.
   */
  #stop(t: MediaStreamTrack | undefined): void {
    t?.removeEventListener('ended', this.#ended);
    t?.stop();
  }

  /** Applies a new device choice; live calls switch devices without renegotiation. */
  setIds(ids: DeviceIds): Promise<void> {
    const before = { ...this.ids };
    this.ids = { ...this.ids, ...ids };
    if (this.ids.audioOutputID !== before.audioOutputID) this.onSink(this.ids.audioOutputID ?? '');
    const changed = (['audio', 'video'] as Kind[]).filter(
      (k) => this.src[k] && this.ids[idKey(k)] !== before[idKey(k)],
    );
    return changed.length
      ? this.#serial(() => this.#open(changed)).catch((e) =>
          this.log.error('device switch failed', String(e)),
        )
      : Promise.resolve();
  }

  /**
   * After a device change: reopens a source whose device is gone (or ended), or whose chosen
   * device came back; falls back to the default output when the chosen one is gone.
   */
  refresh(): Promise<void> {
    return this.#serial(async () => {
      const present = new Set((await this.list()).map((d) => d[2]));
      const reopen = (['audio', 'video'] as Kind[]).filter((k) => {
        const t = this.src[k];
        if (!t) return false;
        const want = this.ids[idKey(k)];
        const now = t.getSettings?.().deviceId;
        return (
          t.readyState !== 'live' ||
          (now && !present.has(now)) ||
          (want && want !== now && present.has(want))
        );
      });
      if (this.ids.audioOutputID && !present.has(this.ids.audioOutputID)) this.onSink('');
      if (reopen.length) await this.#open(reopen);
    }).catch((e) => this.log.error('device refresh failed', String(e)));
  }

  /** The available devices. */
  async list(): Promise<DeviceEntry[]> {
    const devices = (await this.md?.enumerateDevices()) ?? [];
    return devices.map((d) => [d.kind, d.label, d.deviceId]);
  }

  /** Stops every source track (the calls stop their own clones): microphone and camera released. */
  release(): void {
    for (const k of ['audio', 'video'] as Kind[]) {
      this.#stop(this.src[k]);
      delete this.src[k];
    }
    if (this.#watching) this.md?.removeEventListener?.('devicechange', this.#devicechange);
    this.#watching = false;
  }

  /** Stops the source of one kind when no call uses it any more (e.g. the last camera clone ended). */
  releaseKind(k: Kind): void {
    this.#stop(this.src[k]);
    delete this.src[k];
  }
}
