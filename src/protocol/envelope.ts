/**
 * Envelope build and parse for dialects D11 (`jsonrpc-3.0.0`) and D10 (`jsonrpc-2.0.0`),
 * gateway-protocol.md §1.2, §3. Pure functions: no DOM, no Node APIs.
 */
import {
  EVENTS,
  LOGIN_D10,
  REQUESTS,
  RESPONSES,
  SERVICES,
  type EventName,
  type EventParams,
  type LoginD10Params,
  type RequestName,
  type RequestParams,
  type ResponseName,
  type ResponseParams,
  type Service,
} from './messages.js';
import { checkShape, DEFAULT_LIMITS, isIdentifier, type Limits, type Shape } from './schema.js';

export type Dialect = 'D11' | 'D10';

/** `protocol` string of each dialect. */
export const PROTOCOL_STRING: Record<Dialect, string> = {
  D11: 'jsonrpc-3.0.0',
  D10: 'jsonrpc-2.0.0',
};

/** WebSocket subprotocols: the client offers both, in this order (§2.2). */
export const SUBPROTOCOL_D10 = 'jsonrpc';
export const SUBPROTOCOL_D11 = 'jsonrpc-3.0';
export const CLIENT_SUBPROTOCOLS = [SUBPROTOCOL_D10, SUBPROTOCOL_D11] as const;
/** Path of the signalling endpoint (§2.1). */
export const SIGNALLING_PATH = '/SignalGateway/connect';
/** Text frame the gateway sends to keep the client's link watchdog quiet (§2.6). */
export const KEEPALIVE_FRAME = 'keepalive';

/** The dialect a connection speaks, from the subprotocol the gateway selected (§1.2). */
export function dialectForSubprotocol(selected: string | null | undefined): Dialect {
  return selected === SUBPROTOCOL_D11 ? 'D11' : 'D10';
}

export interface Envelope<N extends string = string, P = unknown> {
  protocol: string;
  id: string;
  service: Service;
  msgname: N;
  params: P;
}

export type RequestEnvelope = {
  [N in RequestName]: Envelope<N, N extends 'logout' ? RequestParams<N> | null : RequestParams<N>>;
}[RequestName];
export type D10LoginEnvelope = Envelope<'login', LoginD10Params>;
export type ResponseEnvelope = {
  [N in ResponseName]: Envelope<N, ResponseParams<N>>;
}[ResponseName];
export type EventEnvelope = { [N in EventName]: Envelope<N, EventParams<N>> }[EventName];

/** Why an inbound frame was refused. `code` is stable; `message` is precise and safe to log. */
export type FrameErrorCode =
  'not-json' | 'not-object' | 'bad-envelope' | 'wrong-protocol' | 'unknown-msgname' | 'bad-params';

export interface FrameError {
  code: FrameErrorCode;
  message: string;
  /** The request id, when the envelope was readable enough to have one. */
  id?: string;
  msgname?: string;
  /** `params.callId` when it was a readable string. */
  callId?: string;
}

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: FrameError };

/** Builds one frame. `params` is typed by `msgname`. */
export function buildFrame(
  dialect: Dialect,
  service: Service,
  msgname: string,
  params: unknown,
  id: string,
): string {
  const envelope: Envelope<string, unknown> = {
    protocol: PROTOCOL_STRING[dialect],
    id,
    service,
    msgname,
    params,
  };
  return JSON.stringify(envelope);
}

export function buildRequest<N extends RequestName>(
  dialect: Dialect,
  service: Service,
  msgname: N,
  params:
    | RequestParams<N>
    | (N extends 'logout' ? null : never)
    | (N extends 'login' ? LoginD10Params : never),
  id: string,
): string {
  return buildFrame(dialect, service, msgname, params, id);
}

export function buildResponse<N extends ResponseName>(
  dialect: Dialect,
  service: Service,
  msgname: N,
  params: ResponseParams<N>,
  id: string,
): string {
  return buildFrame(dialect, service, msgname, params, id);
}

export function buildEvent<N extends EventName>(
  dialect: Dialect,
  service: Service,
  msgname: N,
  params: EventParams<N>,
  id: string,
): string {
  return buildFrame(dialect, service, msgname, params, id);
}

function fail(
  code: FrameErrorCode,
  message: string,
  raw?: Record<string, unknown>,
): { ok: false; error: FrameError } {
  const error: FrameError = { code, message };
  if (raw) {
    if (typeof raw.id === 'string' && raw.id.length > 0 && raw.id.length <= 128) error.id = raw.id;
    if (typeof raw.msgname === 'string' && raw.msgname.length <= 64) error.msgname = raw.msgname;
    const params = raw.params;
    if (params && typeof params === 'object' && !Array.isArray(params)) {
      const callId = (params as Record<string, unknown>).callId;
      // echoed only when it is a valid call id: an answer must itself pass the receiver's checks
      if (isIdentifier(callId) && callId.length <= 256) error.callId = callId;
    }
  }
  return { ok: false, error };
}

/**
 * Parses the envelope common to both directions (§3.1, §3.2). Stricter than the vendor client:
 * `id` must be a non-empty string and `params` an object (null only where `allowNullParams`).
 */
function parseEnvelope(
  text: string,
  dialect: Dialect,
): Parsed<Record<string, unknown> & { id: string; msgname: string; service: Service }> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail('not-json', 'frame is not valid JSON');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail('not-object', 'frame must be a JSON object');
  }
  const env = raw as Record<string, unknown>;
  for (const field of ['protocol', 'id', 'service', 'msgname', 'params'] as const) {
    if (!(field in env)) return fail('bad-envelope', `envelope member "${field}" is missing`, env);
  }
  if (typeof env.protocol !== 'string')
    return fail('bad-envelope', 'protocol must be a string', env);
  if (env.protocol !== PROTOCOL_STRING[dialect]) {
    return fail(
      'wrong-protocol',
      `protocol must be "${PROTOCOL_STRING[dialect]}" on this connection (got "${env.protocol.slice(0, 32)}")`,
      env,
    );
  }
  if (typeof env.id !== 'string' || env.id.length === 0 || env.id.length > 128) {
    return fail('bad-envelope', 'id must be a string of 1 to 128 characters', env);
  }
  if (typeof env.service !== 'string' || !(SERVICES as readonly string[]).includes(env.service)) {
    return fail('bad-envelope', `service must be one of ${SERVICES.join(', ')}`, env);
  }
  if (typeof env.msgname !== 'string' || env.msgname.length === 0 || env.msgname.length > 64) {
    return fail('bad-envelope', 'msgname must be a string of 1 to 64 characters', env);
  }
  return {
    ok: true,
    message: env as Record<string, unknown> & { id: string; msgname: string; service: Service },
  };
}

function checkParams(
  env: Record<string, unknown> & { msgname: string },
  shape: Shape,
  limits: Limits,
  allowNull: boolean,
): FrameError | null {
  const params = env.params;
  if (params === null && allowNull) return null;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    return fail('bad-params', `${env.msgname}: params must be an object`, env).error;
  }
  const problem = checkShape('params', shape, params as Record<string, unknown>, limits);
  return problem ? fail('bad-params', `${env.msgname}: ${problem}`, env).error : null;
}

function own<T extends object>(table: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(table, key);
}

/**
 * Gateway side: validates a frame from a client into a typed request, or a precise error.
 * D10 `login` is validated against its own shape (§5.3).
 */
export function parseRequest(
  text: string,
  dialect: Dialect,
  limits: Limits = DEFAULT_LIMITS,
): Parsed<RequestEnvelope | D10LoginEnvelope> {
  const parsed = parseEnvelope(text, dialect);
  if (!parsed.ok) return parsed;
  const env = parsed.message;
  if (!own(REQUESTS, env.msgname)) {
    return fail('unknown-msgname', `unknown request msgname "${env.msgname}"`, env);
  }
  const shape: Shape =
    env.msgname === 'login' && dialect === 'D10' ? LOGIN_D10 : REQUESTS[env.msgname];
  const error = checkParams(env, shape, limits, env.msgname === 'logout');
  if (error) return { ok: false, error };
  return { ok: true, message: env as unknown as RequestEnvelope };
}

/** What a client receives: a typed response, a typed event, or the `keepalive` text frame. */
export type Inbound =
  | { kind: 'keepalive' }
  | { kind: 'response'; envelope: ResponseEnvelope }
  | { kind: 'event'; envelope: EventEnvelope };

/** Client side: validates a frame from the gateway (§3.2, plus the field checks of §12). */
export function parseInbound(
  text: string,
  dialect: Dialect,
  limits: Limits = DEFAULT_LIMITS,
): Parsed<Inbound> {
  if (text === KEEPALIVE_FRAME) return { ok: true, message: { kind: 'keepalive' } };
  const parsed = parseEnvelope(text, dialect);
  if (!parsed.ok) return parsed;
  const env = parsed.message;
  if (own(RESPONSES, env.msgname)) {
    const error = checkParams(env, RESPONSES[env.msgname], limits, false);
    if (error) return { ok: false, error };
    return {
      ok: true,
      message: { kind: 'response', envelope: env as unknown as ResponseEnvelope },
    };
  }
  if (own(EVENTS, env.msgname)) {
    const error = checkParams(env, EVENTS[env.msgname], limits, false);
    if (error) return { ok: false, error };
    return { ok: true, message: { kind: 'event', envelope: env as unknown as EventEnvelope } };
  }
  return fail('unknown-msgname', `unknown msgname "${env.msgname}"`, env);
}

/** Interprets the loose boolean forms the vendor client and its apps send (`true`, `"true"`). */
export function isTruthyFlag(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

/** Splits `Name[Subject]` display text (§6.8). */
export function splitFarEndDn(text: string): { name: string; subject: string } {
  const open = text.indexOf('[');
  const close = text.indexOf(']', open + 1);
  if (open < 0 || close < 0) return { name: text, subject: '' };
  return { name: text.slice(0, open), subject: text.slice(open + 1, close) };
}

/** The far-end number in a SIP URI: the text between the first `:` and the first `@` (§6.3). */
export function numberFromSipUri(uri: string | null | undefined): string {
  if (!uri) return '';
  const colon = uri.indexOf(':');
  const at = uri.indexOf('@', colon + 1);
  if (colon < 0) return '';
  return uri.slice(colon + 1, at < 0 ? undefined : at);
}
