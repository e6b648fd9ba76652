/**
 * Every public `ipo-*` event. All bubble and cross shadow roots (`composed`); the `-request`
 * events are cancelable: `preventDefault()` vetoes the action.
 */
import type { IpoError } from '../core/errors.js';
import type { NetworkSample, NetworkTestResult, NetworkTestState } from '../core/network-test.js';
import type { CallSnapshot, CallState, EndedCall, RegistrationState } from '../core/snapshot.js';

const init = (cancelable = false): EventInit => ({ bubbles: true, composed: true, cancelable });

/** The phone's registration changed (logged in, reconnecting, logged out, failed…). */
export class IpoRegistrationChangeEvent extends Event {
  static readonly type = 'ipo-registration-change';
  constructor(
    readonly state: RegistrationState,
    readonly previous: RegistrationState,
    /** The engine's reason text ('' when none). */
    readonly reason: string,
  ) {
    super(IpoRegistrationChangeEvent.type, init());
  }
}

/** A call appeared or changed state. `previous` is null for a new call. */
export class IpoCallStateChangeEvent extends Event {
  static readonly type = 'ipo-call-state-change';
  readonly state: CallState;
  constructor(
    readonly call: CallSnapshot,
    readonly previous: CallState | null,
  ) {
    super(IpoCallStateChangeEvent.type, init());
    this.state = call.state;
  }
}

/** A call is ringing in. */
export class IpoIncomingCallEvent extends Event {
  static readonly type = 'ipo-incoming-call';
  constructor(readonly call: CallSnapshot) {
    super(IpoIncomingCallEvent.type, init());
  }
}

/** A call ended (hung up here or there, rejected, failed). */
export class IpoCallEndedEvent extends Event {
  static readonly type = 'ipo-call-ended';
  constructor(readonly call: EndedCall) {
    super(IpoCallEndedEvent.type, init());
  }
}

/** The user asked to place a call. Cancelable: `preventDefault()` stops it. */
export class IpoCallRequestEvent extends Event {
  static readonly type = 'ipo-call-request';
  constructor(
    readonly number: string,
    readonly video: boolean,
  ) {
    super(IpoCallRequestEvent.type, init(true));
  }
}

/** The user asked to end (hang up, cancel or reject) a call. Cancelable. */
export class IpoHangupRequestEvent extends Event {
  static readonly type = 'ipo-hangup-request';
  constructor(readonly call: CallSnapshot) {
    super(IpoHangupRequestEvent.type, init(true));
  }
}

/** An action the user started from this element failed. */
export class IpoErrorEvent extends Event {
  static readonly type = 'ipo-error';
  constructor(readonly error: IpoError) {
    super(IpoErrorEvent.type, init());
  }
}

declare global {
  interface HTMLElementEventMap {
    'ipo-registration-change': IpoRegistrationChangeEvent;
    'ipo-call-state-change': IpoCallStateChangeEvent;
    'ipo-incoming-call': IpoIncomingCallEvent;
    'ipo-call-ended': IpoCallEndedEvent;
    'ipo-call-request': IpoCallRequestEvent;
    'ipo-hangup-request': IpoHangupRequestEvent;
    'ipo-error': IpoErrorEvent;
    'ipo-network-test': IpoNetworkTestEvent;
  }
}

/** A network test moved on: every second while it runs, then when it ends or fails. */
export class IpoNetworkTestEvent extends Event {
  static readonly type = 'ipo-network-test';
  constructor(
    readonly state: NetworkTestState,
    readonly samples: readonly NetworkSample[],
    /** set when the test finished */
    readonly result: NetworkTestResult | null,
    /** set when the test could not run or lost its media */
    readonly error: IpoError | null,
  ) {
    super(IpoNetworkTestEvent.type, init());
  }
}
