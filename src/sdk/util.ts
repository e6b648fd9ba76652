/** Small shared helpers: ids, waits, and an emitter whose listeners can never throw into the SDK. */

/** A random UUID (crypto.randomUUID where the context allows it, else crypto.getRandomValues). */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 15) | 64;
  b[8] = (b[8]! & 63) | 128;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves true once `cond()` holds, or false after `ms` (checked every 50 ms). */
export async function until(cond: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; !cond(); await sleep(50)) if (Date.now() > end) return false;
  return true;
}

export const noop = () => {};

type Fn = (...args: never[]) => void;

/** Typed event emitter; a throwing listener is reported to `onError` and never propagates. */
export class Emitter<E extends { [K in keyof E]: Fn }> {
  #l = new Map<keyof E, Set<Fn>>();
  onError: (err: unknown) => void = noop;

  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof E>(type: K, fn: E[K]): () => void {
    const set = this.#l.get(type) ?? new Set();
    this.#l.set(type, set.add(fn));
    return () => set.delete(fn);
  }

  /** @internal */
  emit<K extends keyof E>(type: K, ...args: Parameters<E[K]>): void {
    this.#l.get(type)?.forEach((fn) => {
      try {
        (fn as (...a: unknown[]) => void)(...args);
      } catch (err) {
        this.onError(err);
      }
    });
  }
}
