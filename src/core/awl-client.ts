/**
 * The documented `AWL.client` shape (awl-sdk-api.md, gateway-protocol.md §11) that IpoSession
 * drives. Only the public seed API appears here, so any engine with that shape works: our SDK,
 * the vendor's `window.AWL`, or a test fake. Nothing here imports the SDK.
 */

/** `{result, reason}` objects passed to the config, registration and token callbacks (§11.1). */
export interface AwlResponse {
  result: string;
  reason?: string;
  /** Present on successful (re)logins when resiliency is active. A secret: never stored. */
  authToken?: { token: string; expiry: number } | null;
  UID?: string;
}

/** The call object handed to the call callbacks and returned by `makeCall`. */
export interface AwlCall {
  getCallId(): string;
  getCallState(): string;
  getFarEndNumber(): string;
  getFarEndName(): string;
  getSipUri(): string | null;
  getSubject(): string;
  isAutoAnswer(): boolean;
  isVideoCall(): boolean;
  getLocalStream?(): MediaStream | null | undefined;
  getRemoteStream?(): MediaStream | null | undefined;
}

/** The module-reveal call listener passed as `setConfiguration`'s fourth argument. */
export interface AwlCallListener {
  onNewIncomingCall(callId: string, call: AwlCall, autoAnswer: boolean): void;
  onCallStateChange(callId: string, call: AwlCall, state: string | undefined): void;
  onCallTerminate(callId: string, reason: string): void;
  onLoopBackNotification(notification: unknown): void;
  onVideoStreamsAvailable(callId: string, local: MediaStream, remote: MediaStream): void;
  onAudioStreamsAvailable(callId: string, local: MediaStream, remote: MediaStream): void;
  /** additive: an incoming call the engine could not accept was refused on the wire */
  onIncomingCallRefused(callId: string, reason: string): void;
}

/** `setConfiguration` first argument. */
export interface AwlConfig {
  serviceType: 'phone' | 'agent';
  enableVideo: boolean;
  Gateway: { ip: string; port: string };
  Stunserver: { ip: string; port: string };
  Turnserver: { ip: string; port: string; user: string; pwd: string };
  AppData: { applicationID: string; applicationUA: string; appInstanceID: string | number };
  disableResiliency: boolean;
  /** The SDK's own switch: connect to `Gateway.port` as given (the vendor's SDK always uses 9443). */
  useGatewayPort?: boolean;
}

/** `getDeviceList` entries: `[kind, label, deviceId]` (§11.1). */
export type AwlDeviceEntry = [kind: string, label: string, deviceId: string];

export interface AwlDeviceIds {
  audioInputID: string;
  videoInputID: string;
  audioOutputID: string;
  defaultId: boolean;
}

/** The methods IpoSession calls. Optional ones are checked before use. */
export interface AwlClient {
  setConfiguration(
    config: AwlConfig,
    onConfigChanged: (response: AwlResponse) => void,
    onRegistrationStateChanged: (response: AwlResponse) => void,
    callListener: AwlCallListener,
    onAuthTokenRenewed?: (response: AwlResponse) => void,
  ): void;
  logIn(user: string, password: string, bump?: string): void;
  logOut(): void;
  makeCall(number: string, callType: 'audio' | 'video'): AwlCall | null | undefined;
  answerCall(callId: string): void;
  rejectCall(callId: string): void;
  dropCall(callId: string): void;
  cancelCall(callId: string): void;
  doHold(callId: string): void;
  doUnHold(callId: string): void;
  doMute(callId: string): boolean | void;
  doUnMute(callId: string): boolean | void;
  sendDTMF(callId: string, digit: string): void;
  tokenLogIn?(user: string, token: string, type: string, bump?: string): void;
  transferCall?(target: string, callId: string, type: string): void;
  addVideo?(callId: string): boolean | void;
  removeVideo?(callId: string): boolean | void;
  getDeviceList?(callback: (list: AwlDeviceEntry[]) => void): void;
  setDeviceIds?(ids: AwlDeviceIds): void;
  getStats?(callId: string): unknown;
  enableLogging?(): void;
  generateAppInstanceID?(): string | number;
  /** (the kit's SDK) the session token and the instance it is bound to; a secret */
  getRelayGrant?(): { token: string; instanceId: string } | null;
  /** (the kit's SDK) closes without logging out: the session token stays good for another tab */
  handOver?(): void;
  getAlternateServerConfig?(): {
    serverType?: string;
    address?: string;
    domain?: string;
    port?: string;
  } | null;
}

/** Methods without which IpoSession cannot work at all. */
export const REQUIRED_CLIENT_METHODS = [
  'setConfiguration',
  'logIn',
  'logOut',
  'makeCall',
  'answerCall',
  'rejectCall',
  'dropCall',
  'cancelCall',
  'doHold',
  'doUnHold',
  'doMute',
  'doUnMute',
  'sendDTMF',
] as const satisfies readonly (keyof AwlClient)[];

/** Names of the required methods an object lacks (empty when it has the AWL.client shape). */
export function missingClientMethods(candidate: unknown): string[] {
  if (typeof candidate !== 'object' || candidate === null) return [...REQUIRED_CLIENT_METHODS];
  const record = candidate as Record<string, unknown>;
  return REQUIRED_CLIENT_METHODS.filter((name) => typeof record[name] !== 'function');
}

/** The relay-service methods (§9) NetworkTest calls, on top of those IpoSession uses. */
export type RelayClient = AwlClient & {
  setDomElements(elements: { relayAudioTagId: string }): void;
  createLoopBackConnection(): void;
  endLoopBackConnection(): void;
  /** The vendor's shape: an array with an `audio` record of figures (§9). */
  getLoopBackStats(): unknown;
};

/** Attaches the network test's outgoing audio to a relay client; returns the clean-up. */
export type TestTone = (client: RelayClient) => () => void;
