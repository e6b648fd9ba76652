/**
 * The immutable state IpoSession publishes. Every object is frozen; an update replaces only the
 * objects that changed, so `Object.is` on any slice tells whether that slice changed.
 */
import type { IpoError } from './errors.js';

export const REGISTRATION_STATES = [
  'logged-out',
  'logging-in',
  'logged-in',
  'reconnecting',
  'failing-over',
  'failed-over',
  'failing-back',
  'error',
] as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[number];

export interface Registration {
  readonly state: RegistrationState;
  /** The engine's reason text for the last transition ('' when there is none). */
  readonly reason: string;
}

/**
 * Call states, mapped from `AWL_MSG_CALL_*`: `dialing` is an outgoing call the gateway has not
 * reported on yet; `progressing` is early media (`AWL_MSG_CALL_PROGRESSING`).
 */
export const CALL_STATES = [
  'dialing',
  'incoming',
  'ringing',
  'progressing',
  'connected',
  'held',
  'disconnected',
  'failed',
] as const;
export type CallState = (typeof CALL_STATES)[number];

export type CallDirection = 'incoming' | 'outgoing';

/** What the session is waiting for the gateway to confirm on a call. */
export type CallPending = 'answer' | 'reject' | 'hangup' | 'hold' | 'resume' | 'transfer';

export interface FarEnd {
  readonly number: string;
  readonly name: string;
  readonly subject: string;
  readonly sipUri: string;
}

export interface CallSnapshot {
  readonly id: string;
  readonly state: CallState;
  readonly direction: CallDirection;
  readonly farEnd: FarEnd;
  readonly video: boolean;
  readonly held: boolean;
  readonly muted: boolean;
  readonly pending: CallPending | null;
  /** `clock.now()` when the session first saw the call. */
  readonly startedAt: number;
  /** `clock.now()` when the call first connected (kept through hold); null before. */
  readonly connectedAt: number | null;
  /**
   * How the call sounds, from once-a-second stats; null until known (or with an engine that
   * cannot tell). Changes only when the level or the warnings change, never on every reading:
   * the numbers travel in the session's `quality` event.
   */
  readonly quality: CallQuality | null;
  // Decisions, so views stay dumb:
  readonly canAnswer: boolean;
  readonly canReject: boolean;
  readonly canHangup: boolean;
  readonly canHold: boolean;
  readonly canResume: boolean;
  readonly canMute: boolean;
  readonly canUnmute: boolean;
  readonly canSendDigits: boolean;
  readonly canTransfer: boolean;
  readonly canAddVideo: boolean;
  readonly canRemoveVideo: boolean;
}

/** A call's quality in words a view can show: a level and the current warnings. */
export interface CallQuality {
  /** good: no warning; fair: a warning, MOS still 3.1 or more; poor: worse, or no audio */
  readonly level: 'good' | 'fair' | 'poor';
  /** codes of the current warnings (`high-rtt`, `high-jitter`, `high-loss`, `low-mos`, `no-audio`, `silence`) */
  readonly warnings: readonly string[];
}

/** The facts a call is built from; the `can*` decisions are derived from these. */
export type CallFacts = Pick<
  CallSnapshot,
  | 'id'
  | 'state'
  | 'direction'
  | 'farEnd'
  | 'video'
  | 'muted'
  | 'pending'
  | 'startedAt'
  | 'connectedAt'
  | 'quality'
>;

/** A call that has just ended, so views can say why. */
export interface EndedCall {
  readonly id: string;
  readonly direction: CallDirection;
  readonly farEnd: FarEnd;
  readonly reason: string;
  readonly endedAt: number;
}

export const DEVICE_KINDS = ['audioinput', 'videoinput', 'audiooutput'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export interface DeviceInfo {
  readonly id: string;
  /** As the browser reports it; empty before media permission is granted. */
  readonly label: string;
  readonly kind: DeviceKind;
}

export interface DeviceSelection {
  /** Device ids; '' means the browser default. */
  readonly audioInput: string;
  readonly videoInput: string;
  readonly audioOutput: string;
}

export interface Devices {
  /** True once a device list has been received. */
  readonly loaded: boolean;
  readonly audioInput: readonly DeviceInfo[];
  readonly videoInput: readonly DeviceInfo[];
  readonly audioOutput: readonly DeviceInfo[];
  readonly selected: DeviceSelection;
}

export interface CallStreams {
  readonly local: MediaStream | null;
  readonly remote: MediaStream | null;
  /** True when the streams came from `onVideoStreamsAvailable`. */
  readonly video: boolean;
}

export interface Resiliency {
  /** False when the session was configured with `noResiliency`. */
  readonly enabled: boolean;
  /** True while the gateway provides HA and the engine holds a session token. */
  readonly active: boolean;
  /** The gateway stopped sending keep-alives (`AWL_MSG_LINK_ISSUE_DETECTED`). */
  readonly linkIssue: boolean;
  /** Result of the last token renewal, or null before any. */
  readonly tokenRenewal: 'ok' | 'failed' | null;
  /** The backup gateway the engine knows about, if any. */
  readonly alternate: {
    readonly address: string;
    readonly port: string;
    readonly serverType: string;
  } | null;
}

export interface SessionSnapshot {
  readonly registration: Registration;
  /** The extension or user name of the last login; null when logged out. */
  readonly user: string | null;
  /** Live calls, oldest first (at most 3). */
  readonly calls: readonly CallSnapshot[];
  readonly activeCallId: string | null;
  /** The active call (same object as in `calls`), or null. */
  readonly call: CallSnapshot | null;
  readonly lastEnded: EndedCall | null;
  readonly devices: Devices;
  /** Local and remote streams by call id. */
  readonly streams: Readonly<Record<string, CallStreams>>;
  readonly resiliency: Resiliency;
  /** The last failure (action rejection or unsolicited), until cleared. */
  readonly error: IpoError | null;
  /** The session was configured with video enabled. */
  readonly videoEnabled: boolean;
  // Decisions:
  readonly registered: boolean;
  readonly canLogin: boolean;
  readonly canLogout: boolean;
  readonly canCall: boolean;
}

/** Calls per registration: one source for the SDK, the core and the dev gateway. */
export { MAX_CALLS } from '../protocol/limits.js';

/** Registration states in which calls can be made and controlled. */
export function isRegistered(state: RegistrationState): boolean {
  return state === 'logged-in' || state === 'failed-over';
}

/** `AWL_MSG_CALL_*` → CallState; `null` keeps the previous state (IDLE, FAREND_UPDATE). */
export function mapCallState(awl: string | undefined): CallState | null {
  switch (awl) {
    case 'AWL_MSG_CALL_INCOMING':
      return 'incoming';
    case 'AWL_MSG_CALL_RINGING':
      return 'ringing';
    case 'AWL_MSG_CALL_PROGRESSING':
      return 'progressing';
    case 'AWL_MSG_CALL_CONNECTED':
    case 'AWL_MSG_CALL_TRANSFER_FAILED': // "same as CONNECTED except the failure notice"
      return 'connected';
    case 'AWL_MSG_CALL_HELD':
      return 'held';
    case 'AWL_MSG_CALL_DISCONNECTED':
      return 'disconnected';
    case 'AWL_MSG_CALL_FAILED':
    case 'AWL_MSG_CALL_MAXCAP_REACHED':
      return 'failed';
    default:
      return null;
  }
}

const LIVE_MEDIA: ReadonlySet<CallState> = new Set(['progressing', 'connected', 'held']);
const ENDED: ReadonlySet<CallState> = new Set(['disconnected', 'failed']);

/** Builds a frozen call snapshot with its decisions, from facts and the session's video flag. */
export function buildCall(facts: CallFacts, videoEnabled: boolean): CallSnapshot {
  const { state, pending, muted, video } = facts;
  const idle = pending === null;
  const media = LIVE_MEDIA.has(state);
  return Object.freeze({
    ...facts,
    held: state === 'held',
    canAnswer: idle && state === 'incoming',
    canReject: idle && state === 'incoming',
    // Hanging up stays possible while other actions wait, so a stuck hold can still be ended.
    canHangup: !ENDED.has(state) && pending !== 'hangup' && pending !== 'reject',
    canHold: idle && state === 'connected',
    canResume: idle && state === 'held',
    canMute: media && !muted,
    canUnmute: media && muted,
    canSendDigits: state === 'connected' || state === 'progressing',
    canTransfer: idle && (state === 'connected' || state === 'held'),
    canAddVideo: idle && videoEnabled && state === 'connected' && !video,
    canRemoveVideo: idle && state === 'connected' && video,
  });
}

/** True when two fact sets are equal field by field (farEnd compared by value). */
export function sameFacts(a: CallFacts, b: CallFacts): boolean {
  return (
    a.id === b.id &&
    a.state === b.state &&
    a.direction === b.direction &&
    sameFarEnd(a.farEnd, b.farEnd) &&
    a.video === b.video &&
    a.muted === b.muted &&
    a.pending === b.pending &&
    a.startedAt === b.startedAt &&
    a.connectedAt === b.connectedAt &&
    sameQuality(a.quality, b.quality)
  );
}

export function sameQuality(a: CallQuality | null, b: CallQuality | null): boolean {
  return a === b || (!!a && !!b && a.level === b.level && a.warnings.join() === b.warnings.join());
}

export function sameFarEnd(a: FarEnd, b: FarEnd): boolean {
  return (
    a.number === b.number && a.name === b.name && a.subject === b.subject && a.sipUri === b.sipUri
  );
}

export const EMPTY_FAR_END: FarEnd = Object.freeze({
  number: '',
  name: '',
  subject: '',
  sipUri: '',
});
