/**
 * Every message of the IP Office WebRTC Gateway protocol (gateway-protocol.md §3.3, §5–§9, §12),
 * described once as data. Types and validators are derived from these tables.
 *
 * Field names and value types follow the wire exactly (they are case-sensitive). Where the
 * vendor client is loose (e.g. `bumpConnection` as boolean or string, `applicationInstanceID`
 * as number or string) the schema accepts both forms, because the gateway must.
 */
import { obj, type Infer, type Shape } from './schema.js';

const CALL = { callId: 'id' } as const;
const CALL_SDP = { callId: 'id', sdp: 'sdp' } as const;

/** Token object carried in a token login (§5.3). */
const LOGIN_TOKEN = obj({ type: 'string?', token: 'string' }, { nullable: true, optional: true });

/**
 * Additive extension of login (dev gateway's call resume): `callResume: true` asks the gateway to
 * keep this session's established calls across a socket loss; `resumeCalls`, sent only to a
 * gateway whose settings advertised `ext.callResume`, names (comma-separated) the calls of this
 * instance to take back after a reconnect. (Kept out of
 * the REQUESTS literal, like LOGIN_TOKEN, so a bundle that never reads REQUESTS can drop it.)
 */
const LOGIN_EXT = obj({ callResume: 'boolean?', resumeCalls: 'string?' }, { optional: true });

/**
 * Additive extension of rejectCall, sent only to a gateway whose settings advertised
 * `ext.rejectReasons`: why the client refused a call it could not take. `reason` is a code, never
 * free text (`no-media`: no microphone could be opened; `invalid-offer`: the IncomingCall failed the
 * client's validation, e.g. an oversize display name or SDP); the gateway words it for the caller.
 */
const REJECT_EXT = obj({ reason: 'string?' }, { optional: true });

/** Requests from the client, by `msgname` (§3.3). */
export const REQUESTS = {
  getGatewaySettings: { type: 'string?' },
  /** D11 login (§5.3). */
  login: {
    applicationID: 'string?',
    applicationUA: 'string?',
    applicationInstanceID: 'string|number?',
    userID: 'string',
    authType: 'string',
    password: 'string?',
    authToken: LOGIN_TOKEN,
    bumpConnection: 'boolean|string|null?',
    ext: LOGIN_EXT,
  },
  logout: {},
  renewToken: { userID: 'string', token: 'string', applicationInstanceID: 'string|number?' },
  makeCall: { target: 'digits', callId: 'id', sdp: 'sdp' },
  answerCall: CALL_SDP,
  answerEarlyMedia: CALL_SDP,
  rejectCall: { callId: 'id', ext: REJECT_EXT },
  abortCall: CALL,
  endCall: CALL,
  holdCall: CALL,
  unholdCall: CALL,
  transferCall: { target: 'string', callId: 'id', type: 'string' },
  updateMedia: CALL_SDP,
  acceptMediaUpdateRequest: CALL_SDP,
  rejectMediaUpdateRequest: CALL,
} as const satisfies Record<string, Shape>;

/** D10 login params (§5.3): the same `login` msgname with another shape. */
export const LOGIN_D10 = {
  extn: 'string',
  password: 'string',
  bumpConnection: 'boolean|string|null?',
  tokAuth: 'boolean|string|null?',
} as const satisfies Shape;

export type RequestName = keyof typeof REQUESTS;
export type RequestParams<N extends RequestName> = Infer<(typeof REQUESTS)[N]>;
export type LoginD10Params = Infer<typeof LOGIN_D10>;

/** The response `msgname` the client listens for, per request (§3.3; note the two irregular ones). */
export const RESPONSE_OF = {
  getGatewaySettings: 'gatewaySettingsResponse',
  login: 'loginResponse',
  logout: 'logoutResponse',
  renewToken: 'renewTokenResponse',
  makeCall: 'makeCallResponse',
  answerCall: 'answerCallResponse',
  answerEarlyMedia: 'answerEarlyMediaResponse',
  rejectCall: 'rejectCallResponse',
  abortCall: 'abortCallResponse',
  endCall: 'endCallResponse',
  holdCall: 'holdCallResponse',
  unholdCall: 'unholdCallResponse',
  transferCall: 'transferCallResponse',
  updateMedia: 'updateMediaResponse',
  acceptMediaUpdateRequest: 'acceptMediaUpdateResponse',
  rejectMediaUpdateRequest: 'rejectMediaUpdateResponse',
} as const satisfies Record<RequestName, string>;

/** Requests that name a call: their responses MUST carry `callId` (§6.5). */
export const CALL_SCOPED_REQUESTS = new Set<RequestName>([
  'makeCall',
  'answerCall',
  'answerEarlyMedia',
  'rejectCall',
  'abortCall',
  'endCall',
  'holdCall',
  'unholdCall',
  'transferCall',
  'updateMedia',
  'acceptMediaUpdateRequest',
  'rejectMediaUpdateRequest',
]);

const RESULT = { responseCode: 'string', responseString: 'string?' } as const;
const CALL_RESULT = { ...RESULT, callId: 'id?' } as const;

const SETTINGS = {
  codec: obj({ dtmfPayLoad: 'string' }, { optional: true }),
  nat: obj(
    {
      stun: obj({ serverAddr: 'string?', serverPort: 'string?' }),
      turn: obj({
        serverAddr: 'string?',
        serverPort: 'string?',
        username: 'string?',
        password: 'string?',
        enforce: 'string?',
      }),
    },
    { optional: true },
  ),
  other: obj({ gatewayVersion: 'string?', dscp: 'string?' }, { optional: true }),
  /** Additive extension of this kit's dev gateway (a real gateway never sends it). */
  ext: obj(
    { callResume: 'boolean?', callResumeGraceSeconds: 'number?', rejectReasons: 'boolean?' },
    { optional: true },
  ),
} as const;

const AUTH_TOKEN = obj({ type: 'string?', token: 'string', expiry: 'number' }, { optional: true });

const HA_DATA = obj(
  {
    haSupported: 'boolean',
    haEnabled: 'boolean',
    backupGateway: obj(
      { serverType: 'string', address: 'string', domain: 'string', port: 'string|number' },
      { nullable: true, optional: true },
    ),
    haFailoverTime: 'number|string|null?',
    haFailbackTime: 'number|string|null?',
  },
  { optional: true, nullable: true },
);

/** Responses from the gateway, by `msgname`. */
export const RESPONSES = {
  gatewaySettingsResponse: { ...RESULT, ...SETTINGS },
  loginResponse: {
    ...RESULT,
    loginSessionData: obj(
      {
        authToken: AUTH_TOKEN,
        haData: HA_DATA,
        /** Additive extension: the ids (comma-separated) of the asked-for calls the gateway kept. */
        ext: obj({ resumedCalls: 'string?' }, { optional: true }),
      },
      { optional: true, nullable: true },
    ),
  },
  logoutResponse: RESULT,
  renewTokenResponse: { ...RESULT, authToken: AUTH_TOKEN },
  makeCallResponse: CALL_RESULT,
  answerCallResponse: CALL_RESULT,
  answerEarlyMediaResponse: CALL_RESULT,
  rejectCallResponse: CALL_RESULT,
  abortCallResponse: CALL_RESULT,
  endCallResponse: CALL_RESULT,
  holdCallResponse: CALL_RESULT,
  unholdCallResponse: CALL_RESULT,
  transferCallResponse: CALL_RESULT,
  updateMediaResponse: { ...CALL_RESULT, sdp: 'sdp?' },
  acceptMediaUpdateResponse: CALL_RESULT,
  rejectMediaUpdateResponse: CALL_RESULT,
  /**
   * Sent by this kit's dev gateway for a frame it cannot attribute to a known request
   * (not JSON, bad envelope, unknown msgname). The vendor client drops it harmlessly.
   */
  errorResponse: { ...RESULT, requestMsgname: 'string?' },
} as const satisfies Record<string, Shape>;

export type ResponseName = keyof typeof RESPONSES;
export type ResponseParams<N extends ResponseName> = Infer<(typeof RESPONSES)[N]>;

/** Events pushed by the gateway (§3.3, §12). */
export const EVENTS = {
  IncomingCall: {
    callId: 'id',
    sdp: 'sdp',
    sipUri: 'string|null',
    FarEndDn: 'string?',
    autoAnswer: 'string|boolean?',
  },
  CallProgressing: { callId: 'id', FarEndDn: 'string?', sipUri: 'string|null?', sdp: 'sdp?' },
  CallConnected: { callId: 'id', sdp: 'sdp?' },
  CallFailed: { callId: 'id', reasonString: 'string?' },
  CallDisconnected: { callId: 'id', reasonString: 'string?' },
  CallHeld: CALL,
  CallUnheld: CALL,
  CallCtiEventReceived: { callId: 'id', ctiEvent: 'string' },
  LoginStatusChanged: { loginState: 'string', reasonCode: 'string?', reasonString: 'string?' },
  CallTransferSuccessful: { callId: 'id', reasonString: 'string?' },
  CallTransferFailed: { callId: 'id', reasonString: 'string?' },
  FarEndChanged: { callId: 'id', FarEndDn: 'string', sipUri: 'string|null' },
  MediaUpdateRequest: CALL_SDP,
  GatewaySettingsChanged: SETTINGS,
  GatewayHAModeChanged: { mode: 'string' },
  Update: {},
} as const satisfies Record<string, Shape>;

export type EventName = keyof typeof EVENTS;
export type EventParams<N extends EventName> = Infer<(typeof EVENTS)[N]>;

export type GatewaySettings = Infer<typeof SETTINGS>;
export type LoginToken = NonNullable<RequestParams<'login'>['authToken']>;
export type AuthToken = NonNullable<ResponseParams<'renewTokenResponse'>['authToken']>;
export type HaData = NonNullable<
  NonNullable<ResponseParams<'loginResponse'>['loginSessionData']>['haData']
>;

/** Wire `service` values (§6.12). */
export const SERVICES = ['phoneservice', 'agentservice', 'relayservice'] as const;
export type Service = (typeof SERVICES)[number];

/** `LoginStatusChanged.loginState` value that logs a client out (§5.6). */
export const LOGGED_OUT = 'LOGGED_OUT';

/** Response codes. Only "200", "-3003" and "-3013" mean anything to the vendor client (§15). */
export const RESPONSE_CODE = {
  OK: '200',
  BAD_REQUEST: '400',
  UNAUTHORIZED: '401',
  FORBIDDEN: '403',
  NOT_FOUND: '404',
  CONFLICT: '409',
  TOO_LARGE: '413',
  TOO_MANY: '429',
  SERVER_ERROR: '500',
  /** Token rejected: a reconnecting client treats it as final (§8.6). */
  TOKEN_REJECTED: '-3003',
  /** LoginStatusChanged code: registration lost, the client may wait for it to come back (§5.6). */
  REGISTRATION_LOST: '-3013',
} as const;
