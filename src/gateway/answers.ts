/** How the gateway answers a request it refuses: as precisely as the frame can be attributed. */
import {
  CALL_SCOPED_REQUESTS,
  isIdentifier,
  RESPONSE_OF,
  type RequestName,
  type ResponseName,
} from '../protocol/index.js';
import type { Session } from './session.js';

/** Answers a refused frame as precisely as it can be attributed. */
export function refuse(session: Session, text: string, code: string, reason: string): void {
  let id = 'unknown';
  let msgname: string | undefined;
  let callId: string | undefined;
  try {
    if (text.length > 16 * 1024) throw new Error('not parsed: too long to spend time on');
    const raw = JSON.parse(text) as {
      id?: unknown;
      msgname?: unknown;
      params?: { callId?: unknown };
    };
    if (typeof raw.id === 'string' && raw.id.length <= 128) id = raw.id;
    if (typeof raw.msgname === 'string') msgname = raw.msgname;
    if (isIdentifier(raw.params?.callId) && raw.params.callId.length <= 256)
      callId = raw.params.callId;
  } catch {
    /* not JSON: answered generically */
  }
  if (msgname && Object.hasOwn(RESPONSE_OF, msgname))
    return respond(session, id, msgname as RequestName, code, reason, callId, true);
  session.respond(id, 'errorResponse', { responseCode: code, responseString: reason });
}

/**
 * Answers a request with its own `…Response`. A refused `makeCall` (`failCall`) also gets
 * `CallDisconnected`, because clients ignore makeCallResponse codes (§6.2) and would otherwise
 * wait for ever — unless the id names a call the session already has.
 */
export function respond(
  session: Session,
  id: string,
  msgname: RequestName,
  code: string,
  reason: string,
  callId?: string,
  failCall = false,
): void {
  const name: ResponseName = RESPONSE_OF[msgname];
  const params: { responseCode: string; responseString: string; callId?: string } = {
    responseCode: code,
    responseString: reason,
  };
  if (callId !== undefined && CALL_SCOPED_REQUESTS.has(msgname)) params.callId = callId;
  session.respond(id, name as 'makeCallResponse', params);
  if (failCall && msgname === 'makeCall' && callId !== undefined && !session.legs.has(callId)) {
    session.event('CallDisconnected', { callId, reasonString: reason });
  }
}
