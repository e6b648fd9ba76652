/**
 * The session's options and the small types of its public methods: what a page or app passes to
 * `new IpoSession(…)`, the timeouts of each action and the clock they run on.
 */
import type { AwlClient } from '../awl-client.js';
import type { IpoSessionConfig } from '../config.js';

/** Time source and timers; inject one in tests instead of sleeping. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** How long each action waits for the gateway, in ms. */
export interface SessionTimeouts {
  /** `setConfiguration` until `onConfigChanged`. */
  config: number;
  login: number;
  logout: number;
  /** `call()` until ringing, early media or answer (includes the microphone prompt). */
  callSetup: number;
  /** `answer()` until connected (includes the microphone prompt). */
  answer: number;
  /** hold, resume, hangup and reject. */
  control: number;
  transfer: number;
  devices: number;
}

export const DEFAULT_TIMEOUTS: Readonly<SessionTimeouts> = Object.freeze({
  config: 5_000,
  login: 15_000,
  logout: 5_000,
  callSetup: 60_000,
  answer: 30_000,
  control: 10_000,
  transfer: 30_000,
  devices: 10_000,
});

/** Where `devicechange` comes from (normally `navigator.mediaDevices`). */
export interface DeviceChangeSource {
  addEventListener(type: 'devicechange', listener: () => void): void;
  removeEventListener(type: 'devicechange', listener: () => void): void;
}

export interface IpoSessionOptions extends IpoSessionConfig {
  /** An AWL.client-shaped engine to drive. */
  client?: AwlClient;
  /** Or a factory for one, called on first use. */
  clientFactory?: () => AwlClient | Promise<AwlClient>;
  /** Without `client`/`clientFactory`: `bundled` (default) loads our SDK, `global` uses `globalThis.AWL`. */
  sdk?: 'bundled' | 'global';
  timeouts?: Partial<SessionTimeouts>;
  /** Pause between DTMF digits (a tone is 500 ms plus a 50 ms gap on the wire). */
  dtmfGapMs?: number;
  clock?: Clock;
  /** Source of `devicechange`; `null` disables watching. Defaults to `navigator.mediaDevices`. */
  mediaDevices?: DeviceChangeSource | null;
  /**
   * The site's token route (same origin), e.g. `/api/ipo-token`: `signIn()` fetches
   * `{ user, token, tokenType }` from it and logs in with the token (see token-sign-in.ts).
   */
  tokenUrl?: string;
  /**
   * One phone across the tabs of this origin with the same configuration: one tab (a Web Lock
   * leader) holds the registration and media, the others show its state and act through it.
   */
  shared?: boolean;
  /** The fetch the token route is read with (tests inject one); defaults to `globalThis.fetch`. */
  fetch?: typeof fetch;
}

export type TokenType = 'ESNA' | 'RESILIENCY';

export interface LoginOptions {
  /** Log out another client of the same service type on this extension. */
  bump?: boolean;
}

export interface DeviceChoice {
  audioInput?: string;
  videoInput?: string;
  audioOutput?: string;
}

/** The settled options every part reads (validated once, in the IpoSession constructor). */
export interface SessionSettings {
  readonly options: IpoSessionOptions;
  readonly timeouts: SessionTimeouts;
  readonly clock: Clock;
  /** The session was configured with video enabled. */
  readonly video: boolean;
}

/** A timeout as words for messages ("15 s"). */
export const seconds = (settings: SessionSettings, kind: keyof SessionTimeouts): string =>
  `${Math.round(settings.timeouts[kind] / 1000)} s`;
