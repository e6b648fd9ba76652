/** Every way an IpoSession action can fail. */
export const IPO_ERROR_CODES = [
  /** An argument is empty or malformed (number, digits, device id, token type…). */
  'invalid-argument',
  /** The session configuration (gateway, STUN, TURN…) is unusable. */
  'invalid-config',
  /** No AWL engine could be loaded, or it lacks the AWL.client shape. */
  'sdk-unavailable',
  /** The engine lacks an optional method this action needs. */
  'unsupported',
  /** The action needs a registered phone. */
  'not-logged-in',
  'already-logged-in',
  /** The gateway refused the credentials or token. */
  'login-failed',
  /** The gateway could not be reached, or the connection was lost for good. */
  'connection-failed',
  'no-such-call',
  /** The call or session is not in a state that allows the action. */
  'invalid-state',
  /** Three calls are already up. */
  'too-many-calls',
  'call-failed',
  /** The far end is busy. */
  'busy',
  /** Microphone, camera or video renegotiation failed. */
  'media-failed',
  'transfer-failed',
  /** The call ended while the action was waiting for the gateway. */
  'call-ended',
  'timeout',
  /** A later action superseded this one (e.g. logout during login). */
  'cancelled',
  /** The session was disposed. */
  'disposed',
] as const;

export type IpoErrorCode = (typeof IPO_ERROR_CODES)[number];

/**
 * What a person can act on, for the errors that have a known cause: `problem` names it, the other
 * fields are the values a message shows. Translations word it (`Translation.problems`).
 */
export interface IpoErrorDetails {
  readonly problem: IpoProblem;
  /** The address that was tried, e.g. `https://gw.example.com:9443/`. */
  readonly url?: string;
  /** The gateway host name as configured. */
  readonly host?: string;
  /** This page's origin, e.g. `https://site.example`. */
  readonly origin?: string;
  /** Where the extension is in use, in words ("Chrome on Linux"); '' when unknown. */
  readonly where?: string;
  /** The browser and system of `where` ("Chrome", "Linux"), for translations to word it. */
  readonly browser?: string;
  readonly os?: string;
}

/** The causes the kit can tell apart; see `IpoErrorDetails`. */
export type IpoProblem =
  /** The gateway's host name does not resolve (a typo?). */
  | 'host-not-found'
  /** Nothing answers at the gateway address (wrong port, gateway down, firewall). */
  | 'unreachable'
  /** Something listens there, but the browser does not accept its certificate. */
  | 'certificate'
  /** The gateway answers but does not allow this page's origin. */
  | 'origin-not-allowed'
  /** The address answers but refused the phone connection (not a gateway, or origin not allowed). */
  | 'refused'
  /** The extension is logged in elsewhere (`where`); a forced login takes it over. */
  | 'in-use'
  /** This phone was logged out because the extension was taken over elsewhere. */
  | 'taken-over'
  /** The browser blocked the microphone (or none can be opened). */
  | 'microphone-blocked'
  /** The gateway no longer knows the session (e.g. it restarted): log in again. */
  | 'session-ended';

export interface IpoErrorOptions {
  cause?: unknown;
  /** The known cause and the values to show with it. */
  details?: IpoErrorDetails;
  /** The call the failure concerns, if any. */
  callId?: string;
  /** The engine's or gateway's own reason text, unmodified, if any. */
  reason?: string;
}

/**
 * The only error type IpoSession actions reject with. `message` is plain English for people;
 * `code` is for programs. Never carries a password or token.
 */
export class IpoError extends Error {
  override readonly name = 'IpoError';
  readonly code: IpoErrorCode;
  readonly callId: string | undefined;
  readonly reason: string | undefined;
  /** The known cause, when there is one (for a message that says what to do). */
  readonly details: IpoErrorDetails | undefined;

  constructor(code: IpoErrorCode, message: string, options: IpoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.callId = options.callId;
    this.reason = options.reason;
    this.details = options.details && Object.freeze({ ...options.details });
  }
}

/** Wraps anything thrown by an engine call into an IpoError. */
export function toIpoError(error: unknown, code: IpoErrorCode, message: string): IpoError {
  return error instanceof IpoError ? error : new IpoError(code, message, { cause: error });
}
