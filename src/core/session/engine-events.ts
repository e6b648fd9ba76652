/**
 * What the engine tells the session, as one discriminated union. The engine host turns every
 * AWL callback into one of these (after its guard: not disposed, not a replaced engine); the
 * session routes each to the part that owns it, and the parts pass them on to waiting actions.
 */
import type { AwlCall } from '../awl-client.js';
import type { IpoError } from '../errors.js';
import type { Devices } from '../snapshot.js';

export type EngineEvent =
  /** `onConfigChanged`: `AWL_MSG_SETCONFIG_SUCCESS` or `_FAILED`. */
  | { type: 'config'; result: string; reason: string }
  /**
   * `onRegistrationStateChanged` with its `AWL_MSG_*` result. `hasToken`: a session token came
   * with it (the token is a secret and never leaves the engine host). `error` is added by the
   * registration part before waiting actions see the event.
   */
  | { type: 'registration'; result: string; reason: string; hasToken: boolean; error?: IpoError }
  /** `onNewIncomingCall`. */
  | { type: 'incoming-call'; callId: string; call: AwlCall }
  /** `onCallStateChange`: `awlState` is the raw `AWL_MSG_CALL_*` (undefined: a transfer succeeded). */
  | { type: 'call-state'; callId: string; call: AwlCall; awlState: string | undefined }
  /** `onIncomingCallRefused` (additive): an invalid offer the engine refused on the wire. */
  | { type: 'incoming-refused'; callId: string; reason: string }
  /** `onCallTerminate`. */
  | { type: 'call-ended'; callId: string; reason: string }
  /** `onAudioStreamsAvailable` / `onVideoStreamsAvailable`. */
  | { type: 'streams'; callId: string; local: MediaStream; remote: MediaStream; video: boolean }
  /** `onAuthTokenRenewed`: `AWL_MSG_TOKEN_RENEW_SUCCESS` or `_FAILED`. */
  | { type: 'token-renewal'; result: string }
  /** A `getDeviceList` answer, tagged with the request it answers. */
  | { type: 'devices'; request: number; devices: Devices };

export type EngineEventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;
