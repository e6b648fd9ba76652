/**
 * What a peer connection owner (a call, the loopback test) needs from the engine around it, as
 * narrow interfaces: `PeerHost` for both, `CallHostOf` for a call (`LoopbackHost` is in
 * loopback.ts). `Phone` implements them, unit tests can fake them, and neither `Call` nor
 * `Loopback` imports `phone.ts` (no import cycle, type imports included).
 */
import type { GatherOptions } from './ice.js';
import type { Log } from './log.js';
import type { Kind, Media } from './media.js';
import type { Transport } from './transport.js';

export interface PeerHost {
  readonly log: Log;
  /** the signalling connection, null when there is none */
  readonly tp: Transport | null;
  /** a new RTCPeerConnection with the ICE servers in use (the app's STUN, else the gateway's; TURN) */
  newPc(): RTCPeerConnection;
  /** what ICE gathering may wait for: the configured server types and the tuning */
  gatherOptions(): GatherOptions;
}

/**
 * What a call needs from the phone that owns it, and nothing more: the signalling connection, the
 * configuration it reads, the shared media sources, and the notifications it gives. Generic in
 * the call and state types so that this file needs nothing of call.ts (`CallHost` there).
 */
export interface CallHostOf<C, S> extends PeerHost {
  /** video calls allowed by the configuration (`enableVideo`) */
  readonly video: boolean;
  /** request timeout (ms) */
  readonly requestMs: number;
  /** telephone-event/8000 payload type for our offers (`codec.dtmfPayLoad`, §7.4) */
  readonly dtmf: string;
  /** the gateway takes a reason code with rejectCall (`ext.rejectReasons`, additive) */
  readonly rejectReasons: boolean;
  readonly media: Pick<Media, 'tracks' | 'ids'>;
  /** auto-hold (§6.1) of the other calls before `me` talks; with `wait`, until they are held */
  autoHold(me: C, cancel: boolean, wait: boolean): Promise<void>;
  /** the call's state changed (undefined: CallTransferSuccessful, §6.7): the app is told */
  state(call: C, state: S | undefined): void;
  /** the talking call may have changed: refresh the fixed video elements */
  show(): void;
  /** the call's streams of `kind` are up */
  streams(call: C, kind: Kind): void;
  /** a local track stopped: devices no call uses any more can be released */
  settle(): void;
  /** the call ended locally (after its resources were released): forget it, tell the app */
  ended(call: C, reason: string | number): void;
}
