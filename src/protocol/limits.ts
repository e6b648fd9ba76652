/**
 * Limits and reason texts shared by the SDK, the core and the dev gateway, so that each is said
 * once: the call limit of a registration, and the reason texts an engine gives the app that the
 * layers above recognise (they must also recognise the vendor engine's, hence the patterns).
 */

/** Calls per registration (gateway-protocol.md §6.1): the SDK never offers a 4th, the gateway refuses one. */
export const MAX_CALLS = 3;

/** Reason texts of the SDK (§11.2; the vendor client's where it has one). */
export const REASON = {
  noResponse: 'No response from WebRTC Gateway',
  noMedia: 'Could not get access to audio device',
  maxCalls: 'Max call limit reached',
  notResumed: 'Call lost with the gateway connection (not resumed)',
  gwLost: 'GW connection lost',
  linkIssue: 'link issue detected',
  dropped: 'Call Dropped',
  rejected: 'Call Rejected',
} as const;

/** Recognisers for reasons from any AWL engine (ours or the vendor's). */
export const REASON_RE = {
  /** the engine's own call limit (ours: REASON.maxCalls) */
  maxCalls: /max call limit/i,
  /** the microphone or camera could not be opened (ours: REASON.noMedia) */
  mediaAccess: /access to (audio|video) device/i,
} as const;
