/** Fake SDP and call-flow helpers shared by the suites (gateway-protocol.md §6, §13). */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Env, RawClient } from './raw-client.js';

let sdpCount = 0;

/**
 * A syntactically valid, complete (non-trickled) audio SDP. Its `s=` line and ICE password carry a
 * unique `fakesdp-` marker, so relaying can be checked byte for byte and logs can be searched for it.
 */
export function fakeSdp(kind: 'offer' | 'answer' = 'offer', mid = '0'): string {
  const n = ++sdpCount;
  const tag = `fakesdp-${kind}-${process.pid}-${n}`;
  const fingerprint = Array.from({ length: 32 }, (_, i) =>
    ((i * 37 + n * 11) & 255).toString(16).padStart(2, '0').toUpperCase(),
  ).join(':');
  return [
    'v=0',
    `o=- ${4_000_000 + n} 2 IN IP4 127.0.0.1`,
    `s=${tag}`,
    't=0 0',
    `a=group:BUNDLE ${mid}`,
    'a=msid-semantic: WMS',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 0 101',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    `a=candidate:1 1 udp 2130706431 127.0.0.1 9 typ host`,
    `a=ice-ufrag:ufrag${n}`,
    `a=ice-pwd:${tag}-0123456789abcdef`,
    `a=fingerprint:sha-256 ${fingerprint}`,
    `a=setup:${kind === 'offer' ? 'actpass' : 'active'}`,
    `a=mid:${mid}`,
    'a=sendrecv',
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    'a=end-of-candidates',
    '',
  ].join('\r\n');
}

/** A fake answer whose audio `mid` matches the offer's (for offers made by the gateway itself). */
export function fakeAnswerFor(offer: string): string {
  const mid = /\r?\na=mid:([^\r\n]+)/.exec(offer)?.[1] ?? '0';
  return fakeSdp('answer', mid);
}

export function newCallId(): string {
  return `${randomUUID().replace(/-/g, '')}@tests.local`;
}

/** Asserts msgname, the STRING responseCode, a string responseString and (if given) the callId. */
export function expectResponse(env: Env, msgname: string, code: string, callId?: string): void {
  assert.equal(env.msgname, msgname);
  assert.equal(env.params.responseCode, code, `${msgname}: ${JSON.stringify(env.params)}`);
  assert.equal(
    typeof env.params.responseString,
    'string',
    `${msgname}.responseString must be a string`,
  );
  if (callId !== undefined) assert.equal(env.params.callId, callId, `${msgname} must carry callId`);
}

/** Asserts a CallDisconnected for `callId` with a string reason (exactly `reason` when given). */
export async function expectDisconnected(
  client: RawClient,
  callId: string,
  reason?: string,
  timeoutMs?: number,
): Promise<Env> {
  const env = await client.nextFor('CallDisconnected', callId, timeoutMs);
  assert.equal(
    typeof env.params.reasonString,
    'string',
    'CallDisconnected.reasonString must be a string',
  );
  if (reason !== undefined) assert.equal(env.params.reasonString, reason);
  return env;
}

export interface Call {
  callerId: string;
  calleeId: string;
  offer: string;
  answer: string;
  incoming: Env;
}

/** makeCall → makeCallResponse 200 + the callee's IncomingCall carrying the caller's SDP unchanged. */
export async function ring(caller: RawClient, callee: RawClient, target: string): Promise<Call> {
  const callerId = newCallId();
  const offer = fakeSdp('offer');
  const response = await caller.request('makeCall', { target, callId: callerId, sdp: offer });
  expectResponse(response, 'makeCallResponse', '200', callerId);
  const incoming = await callee.next('IncomingCall');
  assert.equal(
    incoming.params.sdp,
    offer,
    "IncomingCall.sdp must be the caller's offer, unchanged",
  );
  assert.equal(typeof incoming.params.callId, 'string');
  return { callerId, calleeId: incoming.params.callId, offer, answer: '', incoming };
}

/** answerCall → answerCallResponse 200, CallConnected (no sdp) to the callee, CallConnected{sdp} to the caller. */
export async function answer(caller: RawClient, callee: RawClient, call: Call): Promise<Call> {
  const sdp = fakeSdp('answer');
  expectResponse(
    await callee.request('answerCall', { callId: call.calleeId, sdp }),
    'answerCallResponse',
    '200',
    call.calleeId,
  );
  const calleeConnected = await callee.nextFor('CallConnected', call.calleeId);
  assert.equal(
    calleeConnected.params.sdp,
    undefined,
    "the answering side's CallConnected must carry no sdp",
  );
  const callerConnected = await caller.nextFor('CallConnected', call.callerId);
  assert.equal(
    callerConnected.params.sdp,
    sdp,
    "the caller's CallConnected must carry the callee's answer unchanged",
  );
  return { ...call, answer: sdp };
}

export async function connectCall(
  caller: RawClient,
  callee: RawClient,
  target: string,
): Promise<Call> {
  return answer(caller, callee, await ring(caller, callee, target));
}

/** Replies to every MediaUpdateRequest the gateway sends this client with an accept + fake answer. */
export function autoAcceptMediaUpdates(client: RawClient): void {
  client.ws.on('message', (data) => {
    let env: Env | undefined;
    try {
      env = JSON.parse(data.toString()) as Env;
    } catch {
      return;
    }
    if (env?.msgname === 'MediaUpdateRequest' && client.open) {
      client.send('acceptMediaUpdateRequest', {
        callId: env.params.callId,
        sdp: fakeAnswerFor(env.params.sdp ?? ''),
      });
    }
  });
}
