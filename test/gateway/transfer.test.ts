/** Transfers (§6.7, §13.5, §13.6): three parties, the transferring side drops out, the other two stay joined. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  autoAcceptMediaUpdates,
  connectCall,
  expectDisconnected,
  expectResponse,
  fakeAnswerFor,
  type Call,
} from '../support/calls.js';
import type { RawClient } from '../support/raw-client.js';
import { useGateway } from '../support/suite.js';

/** CallTransferSuccessful {callId} and then CallDisconnected for the transferred call, in that order. */
async function expectTransferred(client: RawClient, callId: string): Promise<void> {
  const success = await client.nextFor('CallTransferSuccessful', callId, 6000);
  assert.equal(success.params.callId, callId);
  await expectDisconnected(client, callId);
  const names = client.received.filter((e) => e.params?.callId === callId).map((e) => e.msgname);
  assert.ok(
    names.indexOf('CallTransferSuccessful') < names.indexOf('CallDisconnected'),
    `order: ${names.join(', ')}`,
  );
}

/** Proves the two remaining parties are joined: when one hangs up, the other is disconnected. */
async function expectJoined(x: RawClient, xId: string, y: RawClient, yId: string): Promise<void> {
  await x.expectNone('CallDisconnected', (p) => p.callId === xId, 300);
  await y.expectNone('CallDisconnected', (p) => p.callId === yId, 10);
  expectResponse(await x.request('endCall', { callId: xId }), 'endCallResponse', '200', xId);
  await expectDisconnected(y, yId);
}

describe('transfer', () => {
  const s = useGateway();

  async function parties(): Promise<[RawClient, RawClient, RawClient]> {
    const a = await s.login('201');
    const b = await s.login('202');
    const t = await s.login('203');
    autoAcceptMediaUpdates(b);
    autoAcceptMediaUpdates(t);
    return [a, b, t];
  }

  test('13.5 blind transfer: A transfers B to 203; A is released, B and T end up joined', async () => {
    const [a, b, t] = await parties();
    const call: Call = await connectCall(a, b, '202');
    const response = await a.request('transferCall', {
      target: '203',
      callId: call.callerId,
      type: 'unAttended',
    });
    expectResponse(response, 'transferCallResponse', '200', call.callerId);
    const incoming = await t.next('IncomingCall', undefined, 6000);
    assert.equal(typeof incoming.params.sdp, 'string');
    assert.ok(incoming.params.sdp.startsWith('v=0'), 'IncomingCall.sdp must be a complete offer');
    assert.equal(typeof incoming.params.sipUri, 'string');
    assert.match(incoming.params.sipUri, /^[^:]*:202@/, 'T is offered the transferred party, 202');
    const tId: string = incoming.params.callId;
    expectResponse(
      await t.request('answerCall', { callId: tId, sdp: fakeAnswerFor(incoming.params.sdp) }),
      'answerCallResponse',
      '200',
      tId,
    );
    const connected = await t.nextFor('CallConnected', tId, 6000);
    assert.equal(connected.params.sdp, undefined);
    await expectTransferred(a, call.callerId);
    await expectJoined(b, call.calleeId, t, tId);
  });

  test('13.6 attended transfer: hold B, consult T, transferCall {target: consultation callId, type: "attended"}', async () => {
    const [a, b, t] = await parties();
    const first = await connectCall(a, b, '202');
    expectResponse(
      await a.request('holdCall', { callId: first.callerId }),
      'holdCallResponse',
      '200',
      first.callerId,
    );
    await a.nextFor('CallHeld', first.callerId);
    await b.nextFor('CallHeld', first.calleeId);
    const consult = await connectCall(a, t, '203');
    const response = await a.request('transferCall', {
      target: consult.callerId,
      callId: first.callerId,
      type: 'attended',
    });
    expectResponse(response, 'transferCallResponse', '200', first.callerId);
    await expectTransferred(a, first.callerId);
    await expectDisconnected(a, consult.callerId);
    await expectJoined(t, consult.calleeId, b, first.calleeId);
  });

  test('blind transfer to an unknown number: CallTransferFailed, and the call stays up', async () => {
    const [a, b] = await parties();
    const call = await connectCall(a, b, '202');
    const response = await a.request('transferCall', {
      target: '999',
      callId: call.callerId,
      type: 'unattended',
    });
    assert.equal(response.params.callId, call.callerId);
    const failed = await a.nextFor('CallTransferFailed', call.callerId, 6000);
    assert.equal(failed.params.callId, call.callerId);
    await a.expectNone('CallDisconnected');
    await b.expectNone('CallDisconnected', undefined, 10);
    expectResponse(
      await a.request('holdCall', { callId: call.callerId }),
      'holdCallResponse',
      '200',
      call.callerId,
    );
    await b.nextFor('CallHeld', call.calleeId);
  });
});
