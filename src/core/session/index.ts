/** The session core's public surface (re-exported by core/index.ts and core/ipo-session.ts). */
export { IpoSession } from './session.js';
export {
  IpoSessionChangeEvent,
  IpoSessionQualityEvent,
  type CallQualityReading,
  type IpoSessionEventMap,
} from './events.js';
export {
  DEFAULT_TIMEOUTS,
  systemClock,
  type Clock,
  type DeviceChangeSource,
  type DeviceChoice,
  type IpoSessionOptions,
  type LoginOptions,
  type SessionTimeouts,
  type TokenType,
} from './options.js';
export { normalizeDialString, normalizeDigits } from './validate.js';
