/**
 * IpoSession: drives any object with the AWL.client shape and turns its callbacks into immutable
 * snapshots, one `change` event per observable change, and promise-based actions that settle
 * when the gateway confirms. No DOM, no lit: usable from any framework or none.
 *
 * This class is a facade: each public method is one call into the part that owns the concern.
 *
 *   store.ts         snapshot parts, batches, one `change` per engine callback or action step
 *   waiters.ts       actions waiting for a confirming engine event, timeouts, the session's timers
 *   engine-host.ts   loads and configures the engine; its callbacks → EngineEvent (engine-events.ts)
 *   registration.ts  login, token login, logout; the registration state table
 *   resiliency.ts    HA facts: token, link issue, renewal, backup gateway
 *   calls.ts         the call list from engine events; active call; ended-call memory
 *   call-actions.ts  call(), CALL_ACTIONS (answer … transfer), mute/video, DTMF, stats
 *   devices.ts       device list, devicechange, device choice
 *   quality.ts       once-a-second quality of talking calls
 *   token-sign-in.ts signIn(): a token from the site's token route, then tokenLogIn
 *
 * `#route` is where every engine event goes to its part; the parts call each other explicitly
 * (registration ends the calls and resets resiliency when it leaves the registered states).
 */
import { toAwlConfig } from '../config.js';
import { relayGrants } from '../grants.js';
import { isRegistered, type Devices, type SessionSnapshot } from '../snapshot.js';
import { CallActions } from './call-actions.js';
import { CallList } from './calls.js';
import { DevicesPart, EMPTY_DEVICES } from './devices.js';
import type { EngineEvent } from './engine-events.js';
import { EngineHost } from './engine-host.js';
import { IpoSessionChangeEvent, type IpoSessionEventMap } from './events.js';
import { disposedError, quietly } from './failures.js';
import {
  DEFAULT_TIMEOUTS,
  systemClock,
  type DeviceChoice,
  type IpoSessionOptions,
  type LoginOptions,
  type SessionSettings,
  type TokenType,
} from './options.js';
import { QualityWatch } from './quality.js';
import { RegistrationPart } from './registration.js';
import { ResiliencyPart, initialResiliency } from './resiliency.js';
import { SnapshotStore, canLogin } from './store.js';
import { shareKey, TabShare, type SharedAction } from './sharing.js';
import { TokenSignIn } from './token-sign-in.js';
import { Timers, Waiters } from './waiters.js';

/** Typed `change` listeners (declaration merging: no run-time cost). */
export interface IpoSession {
  addEventListener<K extends keyof IpoSessionEventMap>(
    type: K,
    listener: ((event: IpoSessionEventMap[K]) => void) | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof IpoSessionEventMap>(
    type: K,
    listener: ((event: IpoSessionEventMap[K]) => void) | null,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
}

/**
 * A phone session. Construct with a gateway (and optionally an engine), then call `login()`.
 * Read `snapshot`; listen for `change`. Every action returns a promise that rejects with
 * IpoError.
 */
export class IpoSession extends EventTarget {
  readonly #store: SnapshotStore;
  readonly #timers: Timers;
  readonly #waiters: Waiters;
  readonly #engine: EngineHost;
  readonly #registration: RegistrationPart;
  readonly #resiliency: ResiliencyPart;
  readonly #calls: CallList;
  readonly #actions: CallActions;
  readonly #devices: DevicesPart;
  readonly #tokenSignIn: TokenSignIn;
  /** `shared`: the tab group this session belongs to (null when not shared). */
  readonly #share: TabShare | null = null;

  /** Throws IpoError('invalid-config') when the gateway, STUN or TURN setting is unusable. */
  constructor(options: IpoSessionOptions) {
    super();
    const copy = { ...options };
    const config = toAwlConfig(copy, 0);
    const settings: SessionSettings = {
      options: copy,
      timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
      clock: options.clock ?? systemClock,
      video: config.enableVideo,
    };
    const store = (this.#store = new SnapshotStore(
      {
        registration: Object.freeze({ state: 'logged-out', reason: '' }),
        user: null,
        calls: Object.freeze([]),
        activeCallId: null,
        lastEnded: null,
        devices: EMPTY_DEVICES,
        streams: Object.freeze({}),
        resiliency: initialResiliency(options.noResiliency !== true),
        error: null,
      },
      settings.video,
      () => settings.clock.now(),
      (snapshot, previous) => {
        this.#share?.publish(snapshot);
        if (this.#follows) return; // a follower shows the leader's snapshot, not its own
        this.dispatchEvent(new IpoSessionChangeEvent(snapshot, previous));
        this.#tokenSignIn?.watch(); // (undefined only while the constructor runs)
      },
    ));
    const timers = (this.#timers = new Timers(settings.clock));
    const waiters = (this.#waiters = new Waiters(timers, (run) => store.batch(run)));
    const engine = (this.#engine = new EngineHost(settings, config, store, waiters, (event) =>
      this.#route(event),
    ));
    const quality = new QualityWatch(
      store,
      timers,
      () => engine.client,
      (event) => this.dispatchEvent(event),
    );
    this.#calls = new CallList(store, waiters, quality);
    this.#resiliency = new ResiliencyPart(store);
    this.#registration = new RegistrationPart(
      settings,
      store,
      waiters,
      engine,
      this.#calls,
      this.#resiliency,
    );
    this.#actions = new CallActions(settings, store, waiters, engine, this.#calls);
    this.#devices = new DevicesPart(settings, store, waiters, engine);
    this.#tokenSignIn = new TokenSignIn(settings, store, timers, this.#registration);
    // the network test's password-free login (core only: a secret, never on the public API)
    const sessionGrant = () => {
      const client = engine.client;
      const { user, registration } = store.parts;
      if (!user || !isRegistered(registration.state) || !client?.getRelayGrant) return null;
      const grant = quietly(() => client.getRelayGrant!());
      return grant ? { user, token: grant.token, instanceId: grant.instanceId } : null;
    };
    relayGrants.set(this, sessionGrant);
    if (options.shared === true) {
      this.#share = TabShare.create(shareKey(copy), {
        local: () => store.snapshot,
        run: (action: SharedAction, args: unknown[]) =>
          (this[action] as (...a: unknown[]) => unknown).apply(this, args),
        changed: (snapshot, previous) =>
          this.dispatchEvent(new IpoSessionChangeEvent(snapshot, previous)),
        signIn: (grant) => {
          // the old leader's instance: the gateway then treats this login as that instance's own
          // (it drops the old connection if it is still closing) instead of an extension in use
          const same = !!grant && engine.adoptInstanceId(grant.instanceId);
          if (this.#tokenSignIn.enabled) return this.#tokenSignIn.signIn();
          // no token URL: the old leader's session token as a RESILIENCY token
          if (!grant || !same) return null;
          return this.#registration.tokenLogin(grant.user, grant.token, 'RESILIENCY', {});
        },
        grant: sessionGrant,
        handOver: () => {
          const client = engine.client;
          if (client?.handOver) quietly(() => client.handOver!());
        },
      });
    }
  }

  /** The current state. Frozen; replaced (not mutated) on every change. */
  get snapshot(): SessionSnapshot {
    return this.#share?.mirror ?? this.#store.snapshot;
  }

  /**
   * With `shared`: whether this tab holds the phone (registration and media); false in the
   * other tabs, which show its state and act through it. Null when the session is not shared.
   */
  get leader(): boolean | null {
    return this.#share ? this.#share.leader : null;
  }

  /** A shared session's follower tab: actions go to the leader tab. */
  get #follows(): boolean {
    return this.#share !== null && !this.#share.leader;
  }

  // ----- registration ------------------------------------------------------------------------

  /** Logs in with extension (or user name) and password; resolves on `AWL_MSG_LOGIN_SUCCESS`. */
  login(user: string, password: string, options: LoginOptions = {}): Promise<void> {
    if (this.#follows) return this.#share!.run('login', [...arguments]) as Promise<void>;
    return this.#registration.login(user, password, options);
  }

  /** Logs in with an ESNA or RESILIENCY token; resolves on `AWL_MSG_LOGIN_SUCCESS`. */
  tokenLogin(
    user: string,
    token: string,
    type: TokenType,
    options: LoginOptions = {},
  ): Promise<void> {
    if (this.#follows) return this.#share!.run('tokenLogin', [...arguments]) as Promise<void>;
    return this.#registration.tokenLogin(user, token, type, options);
  }

  /**
   * Signs in through the configured `tokenUrl` (the site's token route): fetches a token, logs in
   * with it, and fetches another when it is about to expire or is refused. Resolves when logged
   * in; rejects with IpoError (also shown in `snapshot.error`). `bump`: take the extension over
   * from where it is in use ("Use it here").
   */
  signIn(options: LoginOptions = {}): Promise<void> {
    if (this.#follows) return this.#share!.run('signIn', [...arguments]) as Promise<void>;
    return this.#tokenSignIn.signIn(options);
  }

  /** True when a `tokenUrl` is configured: sign in with `signIn()`, no password form needed. */
  get tokenSignIn(): boolean {
    return this.#tokenSignIn.enabled;
  }

  /** Logs out (ending every call); resolves on `AWL_MSG_LOGGEDOUT`. No-op when logged out. */
  logout(): Promise<void> {
    if (this.#follows) return this.#share!.run('logout', [...arguments]) as Promise<void>;
    this.#tokenSignIn.stop();
    return this.#registration.logout();
  }

  // ----- calls -------------------------------------------------------------------------------

  /** Places a call; resolves with its id once the gateway reports it ringing (or answered). */
  call(number: string, options: { video?: boolean } = {}): Promise<string> {
    if (this.#follows) return this.#share!.run('call', [...arguments]) as Promise<string>;
    return this.#store.act(() => this.#actions.call(number, options));
  }

  /** Answers an incoming call; resolves when it is connected. */
  answer(callId: string): Promise<void> {
    if (this.#follows) return this.#share!.run('answer', [...arguments]) as Promise<void>;
    return this.#actions.run(callId, 'answer');
  }

  /** Rejects an incoming call; resolves when the engine has ended it. */
  reject(callId: string): Promise<void> {
    if (this.#follows) return this.#share!.run('reject', [...arguments]) as Promise<void>;
    return this.#actions.run(callId, 'reject');
  }

  /** Ends a call in any state: reject (incoming), cancel (not yet answered) or drop (connected/held). */
  hangup(callId: string): Promise<void> {
    if (this.#follows) return this.#share!.run('hangup', [...arguments]) as Promise<void>;
    return this.#actions.hangup(callId);
  }

  /** Puts a connected call on hold; resolves on `AWL_MSG_CALL_HELD`. No-op when already held. */
  hold(callId: string): Promise<void> {
    if (this.#follows) return this.#share!.run('hold', [...arguments]) as Promise<void>;
    return this.#actions.run(callId, 'hold');
  }

  /** Takes a call off hold; resolves on `AWL_MSG_CALL_CONNECTED`. No-op when connected. */
  resume(callId: string): Promise<void> {
    if (this.#follows) return this.#share!.run('resume', [...arguments]) as Promise<void>;
    return this.#actions.run(callId, 'resume');
  }

  /** Mutes the microphone on a call (local; no gateway round trip). No-op when muted. */
  mute(callId: string): Promise<void> {
    if (this.#follows) return this.#share!.run('mute', [...arguments]) as Promise<void>;
    return this.#actions.toggle(callId, 'mute');
  }

  /** Unmutes the microphone on a call (local). No-op when not muted. */
  unmute(callId: string): Promise<void> {
    if (this.#follows) return this.#share!.run('unmute', [...arguments]) as Promise<void>;
    return this.#actions.toggle(callId, 'unmute');
  }

  /** Sends DTMF digits (0-9 * # A-D), one at a time; resolves after the last was sent. */
  sendDigits(callId: string, digits: string): Promise<void> {
    if (this.#follows) return this.#share!.run('sendDigits', [...arguments]) as Promise<void>;
    return this.#actions.sendDigits(callId, digits);
  }

  /**
   * Transfers a call. Blind: `target` is a number. Attended: `target` is the id of the
   * consultation call. Resolves when the gateway reports the transfer successful.
   */
  transfer(callId: string, target: string, options: { attended?: boolean } = {}): Promise<void> {
    if (this.#follows) return this.#share!.run('transfer', [...arguments]) as Promise<void>;
    return this.#actions.transfer(callId, target, options.attended === true);
  }

  /** Adds video to a connected audio call. The AWL API has no confirmation for media updates. */
  addVideo(callId: string): Promise<void> {
    if (this.#follows) return this.#share!.run('addVideo', [...arguments]) as Promise<void>;
    return this.#actions.toggle(callId, 'addVideo');
  }

  /** Removes video from a connected video call (local camera stops). */
  removeVideo(callId: string): Promise<void> {
    if (this.#follows) return this.#share!.run('removeVideo', [...arguments]) as Promise<void>;
    return this.#actions.toggle(callId, 'removeVideo');
  }

  /** Makes another call the active one (the one views show first). */
  setActiveCall(callId: string): void {
    if (this.#follows) return void this.#share!.run('setActiveCall', [...arguments]);
    const call = this.#actions.require(callId);
    this.#store.batch(() => this.#store.set({ activeCallId: call.id }));
  }

  /** Call statistics straight from the engine; never part of the snapshot. */
  getStats(callId: string): Promise<unknown> {
    if (this.#follows) return this.#share!.run('getStats', [...arguments]) as Promise<unknown>;
    return this.#actions.getStats(callId);
  }

  // ----- devices -----------------------------------------------------------------------------

  /** Asks the engine for the device list; later `devicechange`s refresh it automatically. */
  refreshDevices(): Promise<Devices> {
    if (this.#follows)
      return this.#share!.run('refreshDevices', [...arguments]) as Promise<Devices>;
    return this.#store.act(() => this.#devices.refresh());
  }

  /** Chooses microphone, camera and/or speaker ('' = browser default). Works during calls. */
  selectDevices(choice: DeviceChoice): Promise<void> {
    if (this.#follows) return this.#share!.run('selectDevices', [...arguments]) as Promise<void>;
    return this.#store.act(() => this.#devices.select(choice));
  }

  /** Clears `snapshot.error`. */
  clearError(): void {
    if (this.#follows) return void this.#share!.run('clearError', [...arguments]);
    this.#store.batch(() => this.#store.set({ error: null }));
  }

  /**
   * Logs out if needed, rejects pending actions with 'disposed', stops every timer and listener.
   * Emits one last change (logged out, no calls); nothing after that.
   */
  dispose(): void {
    const store = this.#store;
    if (store.disposed) return;
    // first: the other tabs take over (this tab's logout below is not theirs)
    this.#share?.close();
    const client = this.#engine.client;
    const state = store.parts.registration.state;
    const error = disposedError();
    store.batch(() => {
      this.#waiters.failAll(error);
      this.#registration.enter('logged-out', '');
    });
    store.disposed = true;
    this.#tokenSignIn.stop();
    this.#timers.clearAll();
    this.#devices.stop();
    this.#engine.release();
    if (client && !canLogin(state)) quietly(() => client.logOut());
  }

  /** Every engine event to the part that owns it (already in one snapshot batch). */
  #route(event: EngineEvent): void {
    switch (event.type) {
      case 'config':
      case 'devices':
        return this.#waiters.notify(event);
      case 'registration':
        return this.#registration.onEngine(this.#engine.require(), event);
      case 'incoming-call':
        return this.#calls.onIncoming(event);
      case 'call-state':
        return this.#calls.onState(event);
      case 'call-ended':
        return this.#calls.onEnded(event);
      case 'incoming-refused':
        return this.#calls.onRefused(event);
      case 'streams':
        return this.#calls.onStreams(event);
      case 'token-renewal':
        this.#resiliency.tokenRenewal(event);
        return this.#share?.shareGrant(); // the renewed token replaces the followers' grant
    }
  }
}
