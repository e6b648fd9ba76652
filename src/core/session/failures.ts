/**
 * The session's error factories and the wording they share, plus the two guards every part uses
 * around engine calls (`quietly`, `readText`). Messages are written for the person at the phone.
 */
import { REASON_RE } from '../../protocol/limits.js';
import { problemMessage } from '../diagnose.js';
import {
  IpoError,
  type IpoErrorCode,
  type IpoErrorDetails,
  type IpoErrorOptions,
} from '../errors.js';
import { MAX_CALLS, type CallSnapshot, type CallState } from '../snapshot.js';

export const err = (code: IpoErrorCode, message: string, options?: IpoErrorOptions): IpoError =>
  new IpoError(code, message, options);

/** `reason` appended to a sentence, without doubling its full stop. */
export const withReason = (text: string, reason: string): string =>
  reason ? `${text} (${reason.replace(/\.$/, '')}).` : `${text}.`;

/** The `onCallTerminate` reason when getUserMedia failed (§11.4). */
export const MEDIA_ACCESS_RE = REASON_RE.mediaAccess;
export const VIDEO_OFF = 'Video is turned off for this phone.';

export const MIC_BLOCKED: IpoErrorDetails = Object.freeze({ problem: 'microphone-blocked' });
/** The microphone (or camera) could not be opened: the message says how to allow it. */
export const mediaBlocked = (options: IpoErrorOptions = {}): IpoError =>
  err('media-failed', problemMessage(MIC_BLOCKED), { ...options, details: MIC_BLOCKED });

const STATE_WORDS: Readonly<Record<CallState, string>> = {
  dialing: 'still dialling',
  incoming: 'ringing in',
  ringing: 'ringing',
  progressing: 'still connecting',
  connected: 'connected',
  held: 'on hold',
  disconnected: 'ending',
  failed: 'failing',
};

export const invalidArgument = (message: string): IpoError => err('invalid-argument', message);
export const disposedError = (): IpoError => err('disposed', 'This phone session has been closed.');
export const notLoggedIn = (message = 'The phone is not logged in.'): IpoError =>
  err('not-logged-in', message);
export const tooManyCalls = (options?: IpoErrorOptions): IpoError =>
  err(
    'too-many-calls',
    `You already have ${MAX_CALLS} calls. End one before making another.`,
    options,
  );
export const invalidState = (call: CallSnapshot, verb: string): IpoError =>
  err('invalid-state', `Cannot ${verb} a call that is ${STATE_WORDS[call.state]}.`, {
    callId: call.id,
  });
export const unsupported = (what: string): IpoError =>
  err('unsupported', `This telephony engine ${what}.`);

/** A predicate: the call is in one of `states`. */
export const inState =
  (...states: CallState[]) =>
  (call: CallSnapshot): boolean =>
    states.includes(call.state);

/** Runs a best-effort engine call whose failure changes nothing for the caller. */
export function quietly<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch {
    return undefined;
  }
}

/** Reads a string from an engine getter that may be missing, throw or return null. */
export const readText = (read: () => unknown): string => String(quietly(read) ?? '');
