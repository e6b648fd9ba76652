/**
 * Call quality: while a call is talking, reads every talking call's quality from the engine once
 * a second (engines with `getCallQuality` only). The numbers go out in `quality` events; the
 * snapshot changes only when a call's level or warnings change. Stops by itself when no call is
 * talking (and clears the shown quality of calls that are not on hold).
 */
import type { AwlClient } from '../awl-client.js';
import type { CallQualityReading } from './events.js';
import { IpoSessionQualityEvent } from './events.js';
import type { SnapshotStore } from './store.js';
import type { Timers } from './waiters.js';

type QualityClient = AwlClient & {
  getCallQuality?(callId: string): Promise<CallQualityReading | null>;
};

/** The level a view shows: good without warnings; poor below MOS 3.1 or without audio. */
const levelOf = (reading: CallQualityReading, warnings: readonly string[]) =>
  !warnings.length ? 'good' : reading.mos < 3.1 || warnings.includes('no-audio') ? 'poor' : 'fair';

export class QualityWatch {
  #on = false;

  readonly #store: SnapshotStore;
  readonly #timers: Timers;
  /** The current engine (null before configuration and after dispose). */
  readonly #client: () => AwlClient | null;
  readonly #emit: (event: Event) => void;

  constructor(
    store: SnapshotStore,
    timers: Timers,
    /** The current engine (null before configuration and after dispose). */
    client: () => AwlClient | null,
    emit: (event: Event) => void,
  ) {
    this.#store = store;
    this.#timers = timers;
    this.#client = client;
    this.#emit = emit;
  }

  /** Starts the once-a-second reading unless it runs already or the engine cannot tell. */
  watch(): void {
    const client = this.#client() as QualityClient | null;
    if (this.#on || !client || typeof client.getCallQuality !== 'function') return;
    this.#on = true;
    const store = this.#store;
    const tick = async () => {
      const talking = store.parts.calls.filter((c) => c.state === 'connected');
      if (store.disposed || this.#client() !== client || !talking.length) {
        this.#on = false;
        store.batch(() => {
          for (const c of store.parts.calls)
            if (c.quality && c.state !== 'held') store.patchCall(c.id, { quality: null });
        });
        return;
      }
      for (const c of talking) {
        const reading = await Promise.resolve(client.getCallQuality!(c.id)).catch(() => null);
        if (!reading || !store.findCall(c.id)) continue;
        const warnings = reading.warnings.map((w) => w.code);
        store.batch(() =>
          store.patchCall(c.id, {
            quality: { level: levelOf(reading, warnings), warnings: Object.freeze(warnings) },
          }),
        );
        this.#emit(new IpoSessionQualityEvent(c.id, reading));
      }
      this.#timers.start(1000, () => void tick());
    };
    this.#timers.start(1000, () => void tick());
  }
}
