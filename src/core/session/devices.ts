/**
 * Devices: the engine's device list in the snapshot (refreshed on `devicechange`, identity kept
 * when nothing changed) and the choice of microphone, camera and speaker.
 */
import { DEVICE_KINDS, type DeviceInfo, type DeviceKind, type Devices } from '../snapshot.js';
import type { EngineHost } from './engine-host.js';
import { err, invalidArgument, unsupported } from './failures.js';
import type { DeviceChangeSource, DeviceChoice, SessionSettings } from './options.js';
import type { SnapshotStore } from './store.js';
import { KEEP_WAITING, type Waiters } from './waiters.js';

/** Snapshot device fields, in DEVICE_KINDS order, and their names for messages. */
const DEVICE_FIELDS = ['audioInput', 'videoInput', 'audioOutput'] as const;
const DEVICE_NAMES = ['microphone', 'camera', 'speaker'];
const NO_DEVICES = Object.freeze([]);

export const EMPTY_DEVICES: Devices = Object.freeze({
  loaded: false,
  audioInput: NO_DEVICES,
  videoInput: NO_DEVICES,
  audioOutput: NO_DEVICES,
  selected: Object.freeze({ audioInput: '', videoInput: '', audioOutput: '' }),
});

const sameDevices = (a: readonly DeviceInfo[], b: readonly DeviceInfo[]): boolean =>
  a.length === b.length && a.every((d, i) => d.id === b[i]?.id && d.label === b[i]?.label);

export class DevicesPart {
  /** Numbers the list requests, so an answer is matched to its own request. */
  #request = 0;
  #source: DeviceChangeSource | null = null;

  readonly #settings: SessionSettings;
  readonly #store: SnapshotStore;
  readonly #waiters: Waiters;
  readonly #engine: EngineHost;

  constructor(
    settings: SessionSettings,
    store: SnapshotStore,
    waiters: Waiters,
    engine: EngineHost,
  ) {
    this.#settings = settings;
    this.#store = store;
    this.#waiters = waiters;
    this.#engine = engine;
  }

  /** Asks the engine for the list; the first success starts watching `devicechange`. */
  async refresh(): Promise<Devices> {
    const client = await this.#engine.ensure();
    if (typeof client.getDeviceList !== 'function') throw unsupported('cannot list devices');
    const request = ++this.#request;
    const waiter = this.#waiters.wait<Devices>({
      ms: this.#settings.timeouts.devices,
      match: (event) =>
        event.type === 'devices' && event.request === request
          ? { value: event.devices }
          : KEEP_WAITING,
      onTimeout: () => err('timeout', 'The list of devices did not arrive.'),
    });
    waiter.start(
      () =>
        client.getDeviceList?.((list) => {
          if (this.#store.disposed || this.#engine.client !== client) return;
          this.#store.batch(() =>
            this.#waiters.notify({ type: 'devices', request, devices: this.#apply(list) }),
          );
        }),
      'media-failed',
      'The devices could not be listed.',
    );
    const devices = await waiter.promise;
    this.#watch();
    return devices;
  }

  async select(choice: DeviceChoice): Promise<void> {
    if (typeof choice !== 'object' || choice === null)
      throw invalidArgument('Choose at least one device.');
    const devices = this.#store.parts.devices;
    const next: { -readonly [K in keyof DeviceChoice]-?: string } = { ...devices.selected };
    DEVICE_FIELDS.forEach((field, i) => {
      const id = choice[field];
      if (id === undefined) return;
      const name = DEVICE_NAMES[i];
      if (typeof id !== 'string') throw invalidArgument(`The ${name} id must be text.`);
      if (id !== '' && devices.loaded && !devices[field].some((d) => d.id === id))
        throw invalidArgument(`That ${name} is not connected.`);
      next[field] = id;
    });
    const client = await this.#engine.ensure();
    const current = this.#store.parts.devices.selected;
    if (DEVICE_FIELDS.every((field) => next[field] === current[field])) return;
    if (typeof client.setDeviceIds !== 'function') throw unsupported('cannot switch devices');
    try {
      client.setDeviceIds({
        audioInputID: next.audioInput,
        videoInputID: next.videoInput,
        audioOutputID: next.audioOutput,
        defaultId: next.audioInput === '' && next.videoInput === '' && next.audioOutput === '',
      });
    } catch (cause) {
      throw err('media-failed', 'The device could not be switched.', { cause });
    }
    this.#store.batch(() =>
      this.#store.set({
        devices: Object.freeze({ ...this.#store.parts.devices, selected: Object.freeze(next) }),
      }),
    );
  }

  /** Stops watching `devicechange` (dispose). */
  stop(): void {
    this.#source?.removeEventListener('devicechange', this.#onDeviceChange);
    this.#source = null;
  }

  readonly #onDeviceChange = (): void => {
    this.refresh().catch(() => undefined); // background refresh: no error surfaces
  };

  #watch(): void {
    if (this.#source || this.#store.disposed) return;
    const option = this.#settings.options.mediaDevices;
    const source =
      option === undefined
        ? ((globalThis as { navigator?: { mediaDevices?: DeviceChangeSource } }).navigator
            ?.mediaDevices ?? null)
        : option;
    if (!source) return;
    source.addEventListener('devicechange', this.#onDeviceChange);
    this.#source = source;
  }

  /** The engine's `[kind, label, id]` entries → the snapshot's lists (unchanged lists kept). */
  #apply(list: unknown): Devices {
    const previous = this.#store.parts.devices;
    const lists: DeviceInfo[][] = [[], [], []];
    for (const entry of Array.isArray(list) ? (list as unknown[]) : []) {
      if (!Array.isArray(entry)) continue;
      const [kind, label, id] = entry as [DeviceKind, unknown, unknown];
      const found = lists[DEVICE_KINDS.indexOf(kind)];
      if (!found || typeof id !== 'string' || found.some((d) => d.id === id)) continue;
      found.push(Object.freeze({ id, label: typeof label === 'string' ? label : '', kind }));
    }
    // Unchanged lists keep their identity, so a `devicechange` that changes nothing is silent.
    let changed = !previous.loaded;
    const [audioInput, videoInput, audioOutput] = DEVICE_FIELDS.map((field, i) => {
      const old = previous[field];
      if (sameDevices(old, lists[i]!)) return old;
      changed = true;
      return Object.freeze(lists[i]!);
    });
    if (!changed) return previous;
    const devices: Devices = Object.freeze({
      loaded: true,
      audioInput: audioInput!,
      videoInput: videoInput!,
      audioOutput: audioOutput!,
      selected: previous.selected,
    });
    this.#store.set({ devices });
    return devices;
  }
}
