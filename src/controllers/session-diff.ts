/**
 * The pure diff behind the `ipo-*` call events: what changed between two session snapshots, as a
 * list of changes a view can announce and a controller can turn into DOM events. No DOM, no
 * clock except the `now` passed in, so it is unit-tested in Node (test/core/session-diff.test.ts).
 */
import type { IpoError } from '../core/errors.js';
import {
  type CallSnapshot,
  type CallState,
  type EndedCall,
  type FarEnd,
  type RegistrationState,
  type SessionSnapshot,
} from '../core/snapshot.js';
import {
  IpoCallEndedEvent,
  IpoCallStateChangeEvent,
  IpoIncomingCallEvent,
  IpoRegistrationChangeEvent,
} from '../events/index.js';

/** The snapshot fields the diff reads. */
export const DIFF_KEYS = ['registration', 'user', 'calls', 'lastEnded', 'error'] as const;
export type DiffView = Pick<SessionSnapshot, (typeof DIFF_KEYS)[number]>;

/** Registration states between gateways or connections (calls may survive them). */
export const MOVING: ReadonlySet<RegistrationState> = new Set([
  'reconnecting',
  'failing-over',
  'failing-back',
]);

export type SessionChange =
  /** `kept`: calls still up after coming back from a reconnect or a move between gateways */
  | {
      readonly type: 'registration';
      readonly state: RegistrationState;
      readonly previous: RegistrationState;
      readonly reason: string;
      readonly user: string | null;
      readonly kept: number;
    }
  | { readonly type: 'call'; readonly call: CallSnapshot; readonly previous: CallState | null }
  | { readonly type: 'incoming'; readonly call: CallSnapshot }
  | { readonly type: 'muted'; readonly call: CallSnapshot }
  /** the far end's number changed on a live call: the other side transferred it */
  | { readonly type: 'far-end'; readonly call: CallSnapshot; readonly previous: FarEnd }
  /** the call's quality warnings changed (the list may be empty) */
  | { readonly type: 'quality'; readonly call: CallSnapshot }
  | { readonly type: 'ended'; readonly call: EndedCall; readonly last: CallSnapshot }
  | { readonly type: 'error'; readonly error: IpoError };

const LIVE: ReadonlySet<CallState> = new Set(['connected', 'held']);

/** What changed from `prev` to `next`, in the order a person would hear it. */
export function diffSession(
  prev: DiffView | undefined,
  next: DiffView,
  now: number = Date.now(),
): SessionChange[] {
  if (!prev || prev === next) return [];
  const out: SessionChange[] = [];
  const { registration: r, calls } = next;
  if (r.state !== prev.registration.state) {
    const back =
      MOVING.has(prev.registration.state) && (r.state === 'logged-in' || r.state === 'failed-over');
    out.push({
      type: 'registration',
      state: r.state,
      previous: prev.registration.state,
      reason: r.reason,
      user: next.user,
      kept: back ? calls.length : 0,
    });
  }
  for (const c of calls) {
    const old = prev.calls.find((o) => o.id === c.id);
    if (old === c) continue;
    if (old && old.quality?.warnings.join() !== c.quality?.warnings.join())
      out.push({ type: 'quality', call: c });
    if (!old && c.quality?.warnings.length) out.push({ type: 'quality', call: c });
    if (old && old.muted !== c.muted) out.push({ type: 'muted', call: c });
    // a new number on a live call is a transfer; a new name alone is not (DTMF read-back, CTI)
    const moved = old && c.farEnd.number && old.farEnd.number !== c.farEnd.number;
    if (moved && LIVE.has(old.state) && LIVE.has(c.state))
      out.push({ type: 'far-end', call: c, previous: old.farEnd });
    if (old?.state === c.state) continue;
    out.push({ type: 'call', call: c, previous: old?.state ?? null });
    if (!old && c.state === 'incoming') out.push({ type: 'incoming', call: c });
  }
  for (const old of prev.calls) {
    if (calls.some((c) => c.id === old.id)) continue;
    const ended: EndedCall =
      next.lastEnded?.id === old.id
        ? next.lastEnded
        : { id: old.id, direction: old.direction, farEnd: old.farEnd, reason: '', endedAt: now };
    out.push({ type: 'ended', call: ended, last: old });
  }
  if (next.error && next.error !== prev.error) out.push({ type: 'error', error: next.error });
  return out;
}

/** The public `ipo-*` events for a list of changes (registration, call state, incoming, ended). */
export function changeEvents(changes: readonly SessionChange[]): Event[] {
  const events: Event[] = [];
  for (const c of changes) {
    if (c.type === 'registration')
      events.push(new IpoRegistrationChangeEvent(c.state, c.previous, c.reason));
    else if (c.type === 'call') events.push(new IpoCallStateChangeEvent(c.call, c.previous));
    else if (c.type === 'incoming') events.push(new IpoIncomingCallEvent(c.call));
    else if (c.type === 'ended') events.push(new IpoCallEndedEvent(c.call));
  }
  return events;
}
