import type { SessionSnapshot } from '../core/snapshot.js';

/**
 * A snapshot selector for SessionStateController that returns the same object while the picked
 * fields are identical, so the host re-renders only when one of them changed.
 */
export function pick<K extends keyof SessionSnapshot>(
  ...keys: K[]
): (snapshot: SessionSnapshot) => Pick<SessionSnapshot, K> {
  let last: Pick<SessionSnapshot, K> | undefined;
  return (s) =>
    last && keys.every((k) => last![k] === s[k])
      ? last
      : (last = Object.fromEntries(keys.map((k) => [k, s[k]])) as Pick<SessionSnapshot, K>);
}
