/**
 * One phone across tabs (`shared`): among the tabs of one origin with the same configuration,
 * exactly one — the *leader*, holder of a Web Lock — runs the engine: registration and media.
 * Every other tab is a *follower*: its session shows the leader's snapshot and sends its actions
 * to the leader; the public API is the same in every tab.
 *
 *   tab A (leader: lock held)            BroadcastChannel "ipo-webrtc-kit:<key>"
 *     engine, registration, media  ── {t:'snap'} on every change ─────────► tabs B, C: mirror
 *     runs the action, answers     ◄──── {t:'cmd', id, m, a} ─────────────── B: session.answer(id)
 *                                  ── {t:'res', id, ok, v|e} ───────────────► B: promise settles
 *                                  ── {t:'grant', g} when registered ──────► B, C: kept in memory
 *   A closes ─► the lock passes to B ─► B is leader: signs in with the token URL, or without one
 *               with A's grant (A's session token as a RESILIENCY token, A's instance id): no typing
 *
 * The grant is a secret: it travels only over this same-origin channel and stays in memory (never
 * in the snapshot, storage, a URL or a log). A leaving leader that is idle hands its session over
 * (closes without logging out, which would revoke the token); a follower forgets the grant when
 * the leader's snapshot is no longer registered (a logout revoked it).
 *
 * Only the leader ever logs in, so tabs never force each other out. The leader asks before its
 * tab closes during a call (beforeunload). Media streams stay in the leader (a follower's
 * `streams` is empty), and `quality` events are the leader's own.
 */
import { IpoError, IPO_ERROR_CODES, type IpoErrorCode } from '../errors.js';
import { isRegistered, type SessionSnapshot } from '../snapshot.js';
import { err } from './failures.js';
import type { IpoSessionOptions } from './options.js';

/** The actions a follower may ask the leader for (nothing else is ever run). */
export const SHARED_ACTIONS = [
  'login',
  'tokenLogin',
  'signIn',
  'logout',
  'call',
  'answer',
  'reject',
  'hangup',
  'hold',
  'resume',
  'mute',
  'unmute',
  'sendDigits',
  'transfer',
  'addVideo',
  'removeVideo',
  'setActiveCall',
  'refreshDevices',
  'selectDevices',
  'clearError',
  'getStats',
] as const;
export type SharedAction = (typeof SHARED_ACTIONS)[number];

/** How long a follower waits for the leader's answer (a call may wait for the microphone). */
const ANSWER_MS = 90_000;
/** Take-over retries while the old tab's registration is still closing at the gateway. */
const TAKEOVER_TRIES = 8;
const TAKEOVER_PAUSE_MS = 250;

/** A leader's session, for a follower to take over with (a secret: memory only). */
export interface ShareGrant {
  user: string;
  token: string;
  instanceId: string;
}

function grantFromWire(w: unknown): ShareGrant | null {
  if (typeof w !== 'object' || w === null) return null;
  const o = w as Record<string, unknown>;
  const ok = (v: unknown, max: number): v is string =>
    typeof v === 'string' && v !== '' && v.length <= max;
  if (!ok(o.user, 64) || !ok(o.token, 8192) || !ok(o.instanceId, 128)) return null;
  return { user: o.user, token: o.token, instanceId: o.instanceId };
}

/** What the tabs share: the settings that make two sessions "the same phone". */
export function shareKey(o: IpoSessionOptions): string {
  const keyOf = [
    o.gateway,
    o.serviceType ?? 'phone',
    !!o.video,
    o.stun ?? '',
    o.turn?.url ?? '',
    !!o.noResiliency,
    o.appId ?? '',
    o.tokenUrl ?? '',
    o.sdk ?? 'bundled',
  ];
  return `ipo-webrtc-kit:${JSON.stringify(keyOf)}`;
}

interface ErrorWire {
  code: IpoErrorCode;
  message: string;
  reason?: string;
  callId?: string;
  details?: IpoError['details'];
}

const toWire = (e: unknown): ErrorWire => {
  const x = e instanceof IpoError ? e : err('call-failed', 'Something went wrong.');
  return {
    code: x.code,
    message: x.message,
    ...(x.reason !== undefined ? { reason: x.reason } : {}),
    ...(x.callId !== undefined ? { callId: x.callId } : {}),
    ...(x.details ? { details: { ...x.details } } : {}),
  };
};

const fromWire = (w: unknown): IpoError => {
  const o = (typeof w === 'object' && w !== null ? w : {}) as Partial<ErrorWire>;
  const code = IPO_ERROR_CODES.includes(o.code as IpoErrorCode)
    ? (o.code as IpoErrorCode)
    : 'call-failed';
  return new IpoError(code, typeof o.message === 'string' ? o.message : 'Something went wrong.', {
    ...(typeof o.reason === 'string' ? { reason: o.reason } : {}),
    ...(typeof o.callId === 'string' ? { callId: o.callId } : {}),
    ...(o.details && typeof o.details.problem === 'string' ? { details: o.details } : {}),
  });
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A snapshot as it travels: no media streams, the error as plain data. */
function snapshotToWire(s: SessionSnapshot): unknown {
  return { ...s, streams: {}, error: s.error ? toWire(s.error) : null };
}

/** A leader's snapshot, checked; null when it does not look like one. */
function snapshotFromWire(w: unknown): SessionSnapshot | null {
  if (typeof w !== 'object' || w === null) return null;
  const o = w as Record<string, unknown>;
  const reg = o.registration as { state?: unknown } | null;
  if (!reg || typeof reg.state !== 'string' || !Array.isArray(o.calls)) return null;
  const calls = o.calls as Array<{ id?: unknown }>;
  if (calls.some((c) => typeof c?.id !== 'string')) return null;
  const active = calls.find((c) => c.id === o.activeCallId) ?? null;
  return deepFreeze({
    ...(o as unknown as SessionSnapshot),
    call: active as SessionSnapshot['call'],
    streams: {},
    error: o.error ? fromWire(o.error) : null,
  });
}

export interface ShareHost {
  /** The session's own snapshot (the engine's, meaningful in the leader). */
  local(): SessionSnapshot;
  /** Runs an action on this tab's engine. */
  run(action: SharedAction, args: unknown[]): unknown;
  /** The snapshot the session shows changed (a follower's mirror, or back to local). */
  changed(snapshot: SessionSnapshot, previous: SessionSnapshot): void;
  /** Signs in without typing (token URL, else the old leader's grant); null when it cannot. */
  signIn(grant: ShareGrant | null): Promise<void> | null;
  /** This leader's session to hand over (registered, with a session token), or null. */
  grant(): ShareGrant | null;
  /** The leader leaves while idle: close without logging out (the grant stays good). */
  handOver(): void;
}

type Msg =
  | { t: 'hello' }
  | { t: 'snap'; snap: unknown }
  | { t: 'grant'; g: unknown }
  | { t: 'cmd'; id: string; m: string; a: unknown[] }
  | { t: 'res'; id: string; ok: boolean; v?: unknown; e?: unknown };

export class TabShare {
  readonly #host: ShareHost;
  readonly #channel: BroadcastChannel;
  readonly #abort = new AbortController();
  #leader = false;
  #mirror: SessionSnapshot | null = null;
  #pending = new Map<
    string,
    { resolve(v: unknown): void; reject(e: unknown): void; timer: unknown }
  >();
  #release: (() => void) | null = null;
  /** A follower: the leader's last grant. The leader: the token it last sent. */
  #grant: ShareGrant | null = null;
  #sentToken: string | null = null;
  #closed = false;
  /** Actions asked before this tab knows whether it leads (run or sent once it knows). */
  #early: Array<{
    action: SharedAction;
    args: unknown[];
    resolve(v: unknown): void;
    reject(e: unknown): void;
  }> = [];
  /** ms from getting the lock to registered after a take-over (bench, diagnostics). */
  lastTakeoverMs: number | null = null;

  /** Null when this browser has no Web Locks or BroadcastChannel (the session is then not shared). */
  static create(key: string, host: ShareHost): TabShare | null {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (!locks || typeof BroadcastChannel !== 'function') return null;
    return new TabShare(key, host, locks);
  }

  private constructor(
    readonly key: string,
    host: ShareHost,
    locks: LockManager,
  ) {
    this.#host = host;
    this.#channel = new BroadcastChannel(key);
    this.#channel.onmessage = (e: MessageEvent) => this.#receive(e.data);
    this.#post({ t: 'hello' });
    locks
      .request(key, { signal: this.#abort.signal }, () =>
        this.#closed
          ? undefined
          : new Promise<void>((release) => {
              this.#release = release;
              this.#becomeLeader();
            }),
      )
      .catch(() => undefined); // aborted on dispose
    globalThis.addEventListener?.('beforeunload', this.#beforeUnload);
    // Before the engine's own pagehide logout (added later, so it runs after this): the other
    // tabs keep the last registered snapshot, so the next leader knows to take over.
    globalThis.addEventListener?.('pagehide', this.#pageHide);
  }

  get leader(): boolean {
    return this.#leader;
  }

  /** What a follower shows: the leader's snapshot, or null (show the local one). */
  get mirror(): SessionSnapshot | null {
    return this.#leader ? null : this.#mirror;
  }

  /** A follower sends the action to the leader; the leader (or a lone tab) runs it here. */
  run(action: SharedAction, args: unknown[]): unknown {
    if (this.#leader) return this.#host.run(action, args);
    if (!this.#mirror)
      return new Promise((resolve, reject) => this.#early.push({ action, args, resolve, reject }));
    if (action === 'setActiveCall' || action === 'clearError') {
      this.#post({ t: 'cmd', id: '', m: action, a: args }); // fire and forget (sync API)
      return undefined;
    }
    const id = `${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(err('timeout', 'The tab that holds the phone did not answer.'));
      }, ANSWER_MS);
      this.#pending.set(id, { resolve, reject, timer });
      this.#post({ t: 'cmd', id, m: action, a: args });
    });
  }

  /** After a change of the local snapshot: the leader tells the followers. */
  publish(snapshot: SessionSnapshot): void {
    if (!this.#leader || this.#leaving) return;
    // the grant first: a follower that shows the registration already holds it
    if (isRegistered(snapshot.registration.state)) this.shareGrant();
    else this.#sentToken = null;
    this.#post({ t: 'snap', snap: snapshotToWire(snapshot) });
  }

  /** The leader tells the followers its session (again after a renewal or a new login). */
  shareGrant(force = false): void {
    if (!this.#leader || this.#leaving) return;
    const g = this.#host.grant();
    if (!g || (!force && g.token === this.#sentToken)) return;
    this.#sentToken = g.token;
    this.#post({ t: 'grant', g });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    globalThis.removeEventListener?.('beforeunload', this.#beforeUnload);
    globalThis.removeEventListener?.('pagehide', this.#pageHide);
    this.#abort.abort();
    this.#release?.();
    this.#channel.close();
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer as ReturnType<typeof setTimeout>);
      p.reject(err('disposed', 'The session was disposed.'));
    }
    this.#pending.clear();
    this.#grant = null;
    for (const e of this.#early.splice(0)) e.reject(err('disposed', 'The session was disposed.'));
  }

  #leaving = false;
  readonly #pageHide = (e: Event): void => {
    if (this.#leaving) return;
    this.#leaving = true;
    const local = this.#host.local();
    // an idle leader hands its session to the next tab (a logout would revoke the grant); a page
    // kept in the back-forward cache, or one with calls, logs out as before
    if (
      this.#leader &&
      !(e as PageTransitionEvent).persisted &&
      isRegistered(local.registration.state) &&
      local.calls.length === 0
    )
      this.#host.handOver();
  };

  readonly #beforeUnload = (e: BeforeUnloadEvent): void => {
    // closing the tab that carries the calls ends them: ask first
    if (this.#leader && this.#host.local().calls.length > 0) {
      e.preventDefault();
      e.returnValue = '';
    }
  };

  #post(msg: Msg): void {
    if (!this.#closed) this.#channel.postMessage(msg);
  }

  #becomeLeader(): void {
    const previous = this.#mirror;
    const wasRegistered = !!previous && isRegistered(previous.registration.state);
    this.#leader = true;
    this.#mirror = null;
    const grant = this.#grant;
    this.#grant = null;
    const local = this.#host.local();
    this.#host.changed(local, previous ?? local);
    this.publish(local);
    for (const e of this.#early.splice(0)) {
      try {
        Promise.resolve(this.#host.run(e.action, e.args)).then(e.resolve, e.reject);
      } catch (thrown) {
        e.reject(thrown);
      }
    }
    if (wasRegistered) void this.#takeOver(grant);
  }

  /** The old leader is gone: register here, retrying while its registration is still closing. */
  async #takeOver(grant: ShareGrant | null): Promise<void> {
    const started = performance.now();
    for (let i = 0; i < TAKEOVER_TRIES && !this.#closed; i++) {
      const signIn = this.#host.signIn(grant);
      if (!signIn) return;
      try {
        await signIn;
        this.lastTakeoverMs = performance.now() - started;
        return;
      } catch (e) {
        if (!(e instanceof IpoError) || e.details?.problem !== 'in-use') return;
        await new Promise((r) => setTimeout(r, TAKEOVER_PAUSE_MS));
        if (!this.#closed) this.#host.run('clearError', []);
      }
    }
  }

  #receive(data: unknown): void {
    if (this.#closed || typeof data !== 'object' || data === null) return;
    const msg = data as Msg;
    switch (msg.t) {
      case 'hello':
        this.#sentToken = null; // a new tab: it gets the grant too
        return this.publish(this.#host.local());
      case 'grant':
        if (!this.#leader) this.#grant = grantFromWire(msg.g);
        return;
      case 'snap': {
        if (this.#leader) return;
        const snap = snapshotFromWire(msg.snap);
        if (!snap) return;
        const previous = this.#mirror ?? this.#host.local();
        this.#mirror = snap;
        if (!isRegistered(snap.registration.state)) this.#grant = null; // a logout revoked it
        this.#host.changed(snap, previous);
        for (const e of this.#early.splice(0))
          Promise.resolve(this.run(e.action, e.args)).then(e.resolve, e.reject);
        return;
      }
      case 'cmd':
        return void this.#command(msg);
      case 'res': {
        if (this.#leader || typeof msg.id !== 'string') return;
        const p = this.#pending.get(msg.id);
        if (!p) return;
        this.#pending.delete(msg.id);
        clearTimeout(p.timer as ReturnType<typeof setTimeout>);
        if (msg.ok) p.resolve(msg.v);
        else p.reject(fromWire(msg.e));
        return;
      }
    }
  }

  async #command(msg: Extract<Msg, { t: 'cmd' }>): Promise<void> {
    if (!this.#leader || typeof msg.id !== 'string' || !Array.isArray(msg.a)) return;
    if (!(SHARED_ACTIONS as readonly string[]).includes(msg.m)) {
      if (msg.id) this.#post({ t: 'res', id: msg.id, ok: false, e: toWire(null) });
      return;
    }
    try {
      const value = await this.#host.run(msg.m as SharedAction, msg.a);
      if (msg.id) this.#post({ t: 'res', id: msg.id, ok: true, v: plain(value) });
    } catch (e) {
      if (msg.id) this.#post({ t: 'res', id: msg.id, ok: false, e: toWire(e) });
    }
  }
}

/** A value that survives structured cloning (an RTCStatsReport becomes an array of stats). */
function plain(value: unknown): unknown {
  if (value === undefined || value === null || typeof value !== 'object') return value;
  if (typeof (value as { forEach?: unknown }).forEach === 'function' && 'size' in value) {
    const out: unknown[] = [];
    (value as Map<unknown, unknown>).forEach((v) => out.push(v));
    return out;
  }
  try {
    return structuredClone(value);
  } catch {
    return undefined;
  }
}
