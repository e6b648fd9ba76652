/**
 * The types of `Phone`'s configuration, events and state, and its defaults (apart from the
 * class, so that readers of the options need not load the engine).
 */
import type { Service } from '../protocol/index.js';
import type { Call, CallState } from './call.js';
import type { GatherOptions } from './ice.js';
import type { LoopbackNote } from './loopback.js';
import type { Kind } from './media.js';
import type { AppData, Registration } from './registration.js';
import { resiliencyDefaults, type ResiliencyOptions } from './resiliency-rules.js';
import { uuid } from './util.js';

/** Browser objects the engine uses; inject fakes in unit tests. */
export interface PhoneEnv {
  WebSocket?: typeof WebSocket;
  RTCPeerConnection?: typeof RTCPeerConnection;
  mediaDevices?: MediaDevices;
}

export interface PhoneOptions extends ResiliencyOptions {
  /** gateway host ('' = not configured) and port (default 9443; honoured, unlike the vendor's) */
  host: string;
  port: number;
  service: Service;
  /** video allowed at all (`enableVideo`) */
  video: boolean;
  /** app STUN server URL ('' = none: the gateway's is adopted, §5.2) */
  stun: string;
  turn: RTCIceServer | null;
  app: AppData;
  /** resiliency not disabled by the app (§8.1) */
  resiliency: boolean;
  /** link watchdog: no `keepalive` for this long → LINK_ISSUE_DETECTED (§2.6) */
  keepaliveMs: number;
  loginTimeoutMs: number;
  requestTimeoutMs: number;
  /** fast ICE tuning (quiet period, cap) */
  ice: GatherOptions;
}

export interface TokenRenewal {
  result: 'TOKEN_RENEW_SUCCESS' | 'TOKEN_RENEW_FAILED';
  reason: string;
  authToken?: { token: string; expiry: number };
}

export interface PhoneEvents {
  registration: (r: Registration) => void;
  /** token renewal results (resiliency active only, §8.3) */
  token: (r: TokenRenewal) => void;
  incoming: (call: Call) => void;
  /** `state` is undefined for CallTransferSuccessful (as the vendor reports it, §6.7) */
  state: (call: Call, state: CallState | undefined) => void;
  ended: (call: Call, reason: string | number) => void;
  streams: (call: Call, kind: Kind, local: MediaStream, remote: MediaStream) => void;
  loopback: (note: LoopbackNote) => void;
  /** an IncomingCall that failed validation was refused on the wire (`rejectCall` with a reason) */
  refused: (callId: string, reason: string) => void;
}

export const defaultOptions = (): PhoneOptions => ({
  host: '',
  port: 9443,
  service: 'phoneservice',
  video: false,
  stun: '',
  turn: null,
  app: { instanceId: uuid() },
  resiliency: true,
  keepaliveMs: 190_000,
  loginTimeoutMs: 15_000,
  requestTimeoutMs: 10_000,
  ice: {},
  ...resiliencyDefaults(),
});

/** The session token of the last login or renewal; `until`: its local expiry time (ms). */
export interface SessionToken {
  token: string;
  expiry: number;
  type?: string | null;
  until?: number;
}

/** Fixed video elements (setDomElements) and the relay audio tag (§9). */
export interface MediaElements {
  local?: HTMLMediaElement;
  remote?: HTMLMediaElement;
  relay?: HTMLMediaElement;
}
