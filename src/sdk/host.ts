/**
 * What a peer connection owner (a call, the loopback test) needs from the engine around it, as a
 * narrow interface: `Phone` implements it, unit tests can fake it, and neither `Call` nor
 * `Loopback` imports `phone.ts` (no import cycle, type imports included).
 */
import type { GatherOptions } from './ice.js';
import type { Log } from './log.js';
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
