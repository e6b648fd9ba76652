/**
 * FakeSession: a SessionHandle for element tests. Actions are recorded in `actions` and resolve
 * at once (or reject with `failWith`); the test drives the state with `update`, `register`,
 * `putCall` and `endCall`, each emitting one `change` like IpoSession does.
 */
import type { SessionHandle } from '../../context/session-context.js';
import type { IpoError } from '../../core/errors.js';
import { IpoSessionChangeEvent, type DeviceChoice } from '../../core/ipo-session.js';
import {
  EMPTY_FAR_END,
  buildCall,
  isRegistered,
  type CallFacts,
  type CallSnapshot,
  type Devices,
  type RegistrationState,
  type SessionSnapshot,
} from '../../core/snapshot.js';

export type FakeParts = Omit<
  SessionSnapshot,
  'call' | 'registered' | 'canLogin' | 'canLogout' | 'canCall'
>;

const NO_DEVICES: Devices = {
  loaded: false,
  audioInput: [],
  videoInput: [],
  audioOutput: [],
  selected: { audioInput: '', videoInput: '', audioOutput: '' },
};

function build(p: FakeParts): SessionSnapshot {
  const registered = isRegistered(p.registration.state);
  const out = p.registration.state === 'logged-out' || p.registration.state === 'error';
  return Object.freeze({
    ...p,
    call: p.calls.find((c) => c.id === p.activeCallId) ?? null,
    registered,
    canLogin: out,
    canLogout: !out,
    canCall: registered && p.calls.length < 3,
  });
}

export class FakeSession extends EventTarget implements SessionHandle {
  /** Every action called, with its arguments. */
  readonly actions: [string, ...unknown[]][] = [];
  /** When set, every action rejects with it (and records it in `snapshot.error`). */
  failWith: IpoError | null = null;
  /** How many `change` listeners are attached (leak checks). */
  listeners = 0;
  /** Devices `refreshDevices()` reports. */
  deviceList: Devices = NO_DEVICES;
  #parts: FakeParts;
  #snapshot: SessionSnapshot;
  #next = 0;

  constructor(parts: Partial<FakeParts> = {}) {
    super();
    this.#parts = {
      registration: { state: 'logged-out', reason: '' },
      user: null,
      calls: [],
      activeCallId: null,
      lastEnded: null,
      devices: NO_DEVICES,
      streams: {},
      resiliency: {
        enabled: true,
        active: false,
        linkIssue: false,
        tokenRenewal: null,
        alternate: null,
      },
      error: null,
      videoEnabled: false,
      ...parts,
    };
    this.#snapshot = build(this.#parts);
  }

  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void {
    if (args[0] === 'change' && args[1]) this.listeners++;
    super.addEventListener(...args);
  }

  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void {
    if (args[0] === 'change' && args[1]) this.listeners--;
    super.removeEventListener(...args);
  }

  get snapshot(): SessionSnapshot {
    return this.#snapshot;
  }

  /** Replaces parts of the state and emits `change`. */
  update(patch: Partial<FakeParts>): void {
    this.#parts = { ...this.#parts, ...patch };
    const previous = this.#snapshot;
    this.#snapshot = build(this.#parts);
    this.dispatchEvent(new IpoSessionChangeEvent(this.#snapshot, previous));
  }

  /** Sets the registration state (and the user when logging in). */
  register(state: RegistrationState, user: string | null = '201', reason = ''): void {
    this.update({ registration: { state, reason }, user: state === 'logged-out' ? null : user });
  }

  /** Adds a call or patches it; a new call becomes active when none is. */
  putCall(facts: Partial<CallFacts> & { id: string }): CallSnapshot {
    const calls = [...this.#parts.calls];
    const i = calls.findIndex((c) => c.id === facts.id);
    const old: CallFacts = calls[i] ?? {
      id: facts.id,
      state: 'incoming',
      direction: facts.state && facts.state !== 'incoming' ? 'outgoing' : 'incoming',
      farEnd: EMPTY_FAR_END,
      video: false,
      muted: false,
      pending: null,
      startedAt: Date.now(),
      connectedAt: null,
      quality: null,
    };
    const { id, state, direction, farEnd, video, muted, pending, startedAt, connectedAt, quality } =
      {
        ...old,
        ...facts,
      };
    const call = buildCall(
      { id, state, direction, farEnd, video, muted, pending, startedAt, connectedAt, quality },
      this.#parts.videoEnabled,
    );
    if (i < 0) calls.push(call);
    else calls[i] = call;
    this.update({ calls, activeCallId: this.#parts.activeCallId ?? call.id });
    return call;
  }

  /** Removes a call as the engine's onCallTerminate does. */
  endCall(id: string, reason = ''): void {
    const call = this.#parts.calls.find((c) => c.id === id);
    if (!call) return;
    const calls = this.#parts.calls.filter((c) => c !== call);
    const { [id]: _gone, ...streams } = this.#parts.streams;
    this.update({
      calls,
      streams,
      activeCallId:
        this.#parts.activeCallId === id ? (calls[0]?.id ?? null) : this.#parts.activeCallId,
      lastEnded: {
        id,
        direction: call.direction,
        farEnd: call.farEnd,
        reason,
        endedAt: Date.now(),
      },
    });
  }

  async #act<T>(name: string, args: unknown[], value: T): Promise<T> {
    this.actions.push([name, ...args]);
    await Promise.resolve();
    if (this.failWith) {
      this.update({ error: this.failWith });
      throw this.failWith;
    }
    return value;
  }

  login(user: string, password: string): Promise<void> {
    return this.#act('login', [user, password], undefined);
  }
  tokenLogin(user: string, token: string, type: 'ESNA' | 'RESILIENCY'): Promise<void> {
    return this.#act('tokenLogin', [user, token, type], undefined);
  }
  logout(): Promise<void> {
    return this.#act('logout', [], undefined);
  }
  call(number: string, options: { video?: boolean } = {}): Promise<string> {
    return this.#act('call', [number, options], `c${++this.#next}`);
  }
  answer(callId: string): Promise<void> {
    return this.#act('answer', [callId], undefined);
  }
  reject(callId: string): Promise<void> {
    return this.#act('reject', [callId], undefined);
  }
  hangup(callId: string): Promise<void> {
    return this.#act('hangup', [callId], undefined);
  }
  hold(callId: string): Promise<void> {
    return this.#act('hold', [callId], undefined);
  }
  resume(callId: string): Promise<void> {
    return this.#act('resume', [callId], undefined);
  }
  mute(callId: string): Promise<void> {
    return this.#act('mute', [callId], undefined);
  }
  unmute(callId: string): Promise<void> {
    return this.#act('unmute', [callId], undefined);
  }
  sendDigits(callId: string, digits: string): Promise<void> {
    return this.#act('sendDigits', [callId, digits], undefined);
  }
  transfer(callId: string, target: string, options: { attended?: boolean } = {}): Promise<void> {
    return this.#act('transfer', [callId, target, options], undefined);
  }
  addVideo(callId: string): Promise<void> {
    return this.#act('addVideo', [callId], undefined);
  }
  removeVideo(callId: string): Promise<void> {
    return this.#act('removeVideo', [callId], undefined);
  }
  setActiveCall(callId: string): void {
    this.actions.push(['setActiveCall', callId]);
    this.update({ activeCallId: callId });
  }
  async refreshDevices(): Promise<Devices> {
    const devices = await this.#act('refreshDevices', [], this.deviceList);
    this.update({ devices: { ...devices, selected: this.#parts.devices.selected } });
    return this.#parts.devices;
  }
  async selectDevices(choice: DeviceChoice): Promise<void> {
    await this.#act('selectDevices', [choice], undefined);
    const d = this.#parts.devices;
    this.update({ devices: { ...d, selected: { ...d.selected, ...choice } } });
  }
  getStats(callId: string): Promise<unknown> {
    return this.#act('getStats', [callId], {});
  }
  clearError(): void {
    this.actions.push(['clearError']);
    this.update({ error: null });
  }
}
