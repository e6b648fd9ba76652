/** Framework-agnostic session core: use it directly from any app, or through the elements. */
export {
  IpoSession,
  IpoSessionChangeEvent,
  IpoSessionQualityEvent,
  DEFAULT_TIMEOUTS,
  systemClock,
  normalizeDialString,
  normalizeDigits,
  type CallQualityReading,
  type Clock,
  type DeviceChangeSource,
  type DeviceChoice,
  type IpoSessionEventMap,
  type IpoSessionOptions,
  type LoginOptions,
  type SessionTimeouts,
  type TokenType,
} from './ipo-session.js';
export {
  IpoError,
  IPO_ERROR_CODES,
  type IpoErrorCode,
  type IpoErrorDetails,
  type IpoErrorOptions,
  type IpoProblem,
} from './errors.js';
export { describeUserAgent, diagnoseConnection, type ProbeEnvironment } from './diagnose.js';
export { parseHostPort, type IpoSessionConfig } from './config.js';
export {
  CALL_STATES,
  DEVICE_KINDS,
  MAX_CALLS,
  REGISTRATION_STATES,
  type CallDirection,
  type CallPending,
  type CallSnapshot,
  type CallState,
  type CallStreams,
  type DeviceInfo,
  type DeviceKind,
  type DeviceSelection,
  type Devices,
  type EndedCall,
  type FarEnd,
  type Registration,
  type RegistrationState,
  type Resiliency,
  type SessionSnapshot,
} from './snapshot.js';
export type {
  AwlCall,
  AwlCallListener,
  AwlClient,
  AwlConfig,
  AwlDeviceEntry,
  AwlDeviceIds,
  AwlResponse,
} from './awl-client.js';
export {
  NetworkTest,
  sessionCredentials,
  type NetworkCredentials,
  type NetworkSample,
  type NetworkTestOptions,
  type NetworkTestResult,
  type NetworkTestState,
} from './network-test.js';
