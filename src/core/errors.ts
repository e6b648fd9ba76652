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

export interface IpoErrorOptions {
  cause?: unknown;
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

  constructor(code: IpoErrorCode, message: string, options: IpoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.callId = options.callId;
    this.reason = options.reason;
  }
}

/** Wraps anything thrown by an engine call into an IpoError. */
export function toIpoError(error: unknown, code: IpoErrorCode, message: string): IpoError {
  return error instanceof IpoError ? error : new IpoError(code, message, { cause: error });
}
