/**
 * The browser SDK engine: `Phone` (registration, calls, media) over the gateway protocol. The
 * AWL-compatible facade is `./awl/index.js`.
 */
export {
  Phone,
  MAX_CALLS,
  defaultOptions,
  type PhoneEnv,
  type PhoneEvents,
  type PhoneOptions,
  type TokenRenewal,
} from './phone.js';
export { Call, type CallState } from './call.js';
export { Media, attach, sink, type DeviceEntry, type DeviceIds, type Kind } from './media.js';
export { Transport, closeReason } from './transport.js';
export { Loopback, type LoopbackNote, type LoopbackStats } from './loopback.js';
export { Log, redact, type LogSink } from './log.js';
export { gather, hasCandidates, type GatherEnd, type GatherOptions } from './ice.js';
export { fillStats, emptyStats, type CallStats } from './stats.js';
export type { Credentials, Registration, RegResult, AppData } from './registration.js';
