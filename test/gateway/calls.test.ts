/** Calls (§6, §13.2–13.4, §13.7, §13.10): answered calls, hold, media update, failures, limits, teardown. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CALL_SCOPED_REQUESTS, RESPONSE_OF } from '../../src/protocol/index.js';
import {
  answer,
  connectCall,
  expectDisconnected,
  expectResponse,
  fakeSdp,
  newCallId,
  ring,
} from '../support/calls.js';
import type { RawClient } from '../support/raw-client.js';
import { useGateway } from '../support/suite.js';

/** The far-end number in a SIP URI: between the first ':' and the first '@' (§6.3), parsed here independently. */
function sipNumber(uri: string): string {
  const rest = uri.slice(uri.indexOf(':') + 1);
  return rest.includes('@') ? rest.slice(0, rest.indexOf('@')) : rest;
}

/** makeCall that the gateway must refuse: response with callId, then CallDisconnected with `reason`. */
async function failedCall(
  caller: RawClient,
  target: string,
  reason: string,
  code?: string,
): Promise<void> {
  const callId = newCallId();
  const response = await caller.request('makeCall', { target, callId, sdp: fakeSdp() });
  assert.equal(response.params.callId, callId);
  if (code) expectResponse(response, 'makeCallResponse', code, callId);
  await expectDisconnected(caller, callId, reason);
}

describe('calls', () => {
  // §2.5 exactly: the call-resume extension (on by default, see resume.test.ts) is switched off here
  const s = useGateway({ args: ['--call-resume-grace', '0'] });

  test('13.2/13.3 outgoing call answered: exact sequence on both sides, SDP relayed unchanged', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const callId = newCallId();
    const offer = fakeSdp();
    expectResponse(
      await a.request('makeCall', { target: '202', callId, sdp: offer }),
      'makeCallResponse',
      '200',
      callId,
    );
    const progressing = await a.nextFor('CallProgressing', callId);
    assert.equal(progressing.params.sdp, undefined, 'plain ringing carries no sdp');
    const incoming = await b.next('IncomingCall');
    const p = incoming.params;
    assert.equal(typeof p.callId, 'string');
    assert.ok(p.callId.length > 0);
    assert.equal(p.sdp, offer);
    assert.ok('sipUri' in p, 'IncomingCall must carry sipUri (the client throws without it)');
    assert.equal(typeof p.sipUri, 'string');
    assert.equal(sipNumber(p.sipUri), '201', `sipUri ${p.sipUri} must name the caller`);
    assert.equal(typeof p.FarEndDn, 'string');
    assert.ok(p.FarEndDn.startsWith('Alice Carter'), `FarEndDn ${p.FarEndDn}`);
    assert.equal(p.autoAnswer, 'false', 'autoAnswer is the string "false" for a manual answer');
    const call = await answer(a, b, {
      callerId: callId,
      calleeId: p.callId,
      offer,
      answer: '',
      incoming,
    });
    const order = a.received
      .map((e) => e.msgname)
      .filter((n) => ['makeCallResponse', 'CallProgressing', 'CallConnected'].includes(n));
    assert.deepEqual(order, ['makeCallResponse', 'CallProgressing', 'CallConnected']);
    expectResponse(await a.request('endCall', { callId }), 'endCallResponse', '200', callId);
    await expectDisconnected(a, callId);
    await expectDisconnected(b, call.calleeId);
  });

  test('13.3 the callee hangs up: the caller gets CallDisconnected', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const call = await connectCall(a, b, '202');
    expectResponse(
      await b.request('endCall', { callId: call.calleeId }),
      'endCallResponse',
      '200',
      call.calleeId,
    );
    await expectDisconnected(a, call.callerId);
    await expectDisconnected(b, call.calleeId);
  });

  test('13.4 hold/unhold from either side: both parties get CallHeld/CallUnheld', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const call = await connectCall(a, b, '202');
    for (const [actor, actorId] of [
      [a, call.callerId],
      [b, call.calleeId],
    ] as const) {
      for (const [request, event] of [
        ['holdCall', 'CallHeld'],
        ['unholdCall', 'CallUnheld'],
      ] as const) {
        expectResponse(
          await actor.request(request, { callId: actorId }),
          RESPONSE_OF[request],
          '200',
          actorId,
        );
        const mine = await a.nextFor(event, call.callerId);
        assert.deepEqual(Object.keys(mine.params), ['callId']);
        await b.nextFor(event, call.calleeId);
      }
    }
  });

  test('13.7 updateMedia is relayed as MediaUpdateRequest; accept and reject flow back', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const call = await connectCall(a, b, '202');
    const reoffer = fakeSdp();
    const pending = a.request('updateMedia', { callId: call.callerId, sdp: reoffer });
    const update = await b.nextFor('MediaUpdateRequest', call.calleeId);
    assert.equal(update.params.sdp, reoffer);
    const reanswer = fakeSdp('answer');
    expectResponse(
      await b.request('acceptMediaUpdateRequest', { callId: call.calleeId, sdp: reanswer }),
      'acceptMediaUpdateResponse',
      '200',
      call.calleeId,
    );
    const updated = await pending;
    expectResponse(updated, 'updateMediaResponse', '200', call.callerId);
    assert.equal(updated.params.sdp, reanswer);

    const pendingB = b.request('updateMedia', { callId: call.calleeId, sdp: fakeSdp() });
    await a.nextFor('MediaUpdateRequest', call.callerId);
    expectResponse(
      await a.request('rejectMediaUpdateRequest', { callId: call.callerId }),
      'rejectMediaUpdateResponse',
      '200',
      call.callerId,
    );
    const refused = await pendingB;
    assert.equal(refused.params.callId, call.calleeId);
    assert.notEqual(refused.params.responseCode, '200', 'a rejected media update is not a success');
    await a.expectNone('CallDisconnected');
  });

  test('reject: rejectCallResponse "200", caller gets CallDisconnected "Call rejected"', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const call = await ring(a, b, '202');
    expectResponse(
      await b.request('rejectCall', { callId: call.calleeId }),
      'rejectCallResponse',
      '200',
      call.calleeId,
    );
    await expectDisconnected(a, call.callerId, 'Call rejected');
  });

  test('reject with ext.reason "no-media" (advertised as ext.rejectReasons): the caller is told why; other codes change nothing', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const settings = await b.request('getGatewaySettings', { type: 'all' });
    assert.equal(settings.params.ext?.rejectReasons, true);
    const call = await ring(a, b, '202');
    expectResponse(
      await b.request('rejectCall', { callId: call.calleeId, ext: { reason: 'no-media' } }),
      'rejectCallResponse',
      '200',
      call.calleeId,
    );
    await expectDisconnected(a, call.callerId, 'The called party could not use a microphone');
    const again = await ring(a, b, '202');
    await b.request('rejectCall', { callId: again.calleeId, ext: { reason: '<b>free text</b>' } });
    await expectDisconnected(a, again.callerId, 'Call rejected');
  });

  test('abortCall and endCall before answer: the callee gets CallDisconnected', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    for (const request of ['abortCall', 'endCall'] as const) {
      const call = await ring(a, b, '202');
      expectResponse(
        await a.request(request, { callId: call.callerId }),
        RESPONSE_OF[request],
        '200',
        call.callerId,
      );
      await expectDisconnected(b, call.calleeId);
    }
  });

  test('unknown number: makeCallResponse "404" + CallDisconnected "Number not found"', async () => {
    const a = await s.login('201');
    await failedCall(a, '999', 'Number not found', '404');
  });

  test('logged-out target: CallDisconnected "User not available"', async () => {
    const a = await s.login('201');
    await failedCall(a, '206', 'User not available');
  });

  test('3 calls per session: a 4th makeCall is refused "403", a 4th incoming call is never offered (busy)', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const c = await s.login('203');
    const calls = [];
    for (let i = 0; i < 3; i++) calls.push(await connectCall(a, b, '202'));
    await failedCall(a, '203', 'Maximum of 3 calls per session reached', '403');
    await c.expectNone('IncomingCall');
    await failedCall(c, '202', 'User busy');
    await b.expectNone('IncomingCall');
    expectResponse(
      await a.request('endCall', { callId: calls[0]!.callerId }),
      'endCallResponse',
      '200',
      calls[0]!.callerId,
    );
    await expectDisconnected(b, calls[0]!.calleeId);
    await ring(c, b, '202');
  });

  test('every call-scoped request on an unknown callId: its own …Response "404" Unknown call with callId', async () => {
    const a = await s.login('201');
    for (const request of CALL_SCOPED_REQUESTS) {
      if (request === 'makeCall') continue;
      const callId = newCallId();
      const params: Record<string, unknown> = { callId };
      if (
        ['answerCall', 'answerEarlyMedia', 'updateMedia', 'acceptMediaUpdateRequest'].includes(
          request,
        )
      )
        params.sdp = fakeSdp('answer');
      if (request === 'transferCall') Object.assign(params, { target: '203', type: 'unAttended' });
      const response = await a.request(request, params);
      expectResponse(response, RESPONSE_OF[request], '404', callId);
      assert.equal(response.params.responseString, 'Unknown call');
    }
  });

  test("a wrong-state request is answered with its …Response carrying callId: answerCall on one's own outgoing call", async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const call = await ring(a, b, '202');
    const response = await a.request('answerCall', {
      callId: call.callerId,
      sdp: fakeSdp('answer'),
    });
    assert.equal(response.params.callId, call.callerId);
    assert.notEqual(response.params.responseCode, '200');
    await b.expectNone('CallConnected');
  });

  test('§6.1 a makeCall reusing a callId active in the session is refused (with callId) and offers nothing', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const c = await s.login('203');
    const call = await ring(a, b, '202');
    const response = await a.request('makeCall', {
      target: '203',
      callId: call.callerId,
      sdp: fakeSdp(),
    });
    assert.equal(response.params.callId, call.callerId);
    assert.notEqual(response.params.responseCode, '200');
    await c.expectNone('IncomingCall');
    await b.expectNone('CallDisconnected', undefined, 10);
  });

  test('a callId of another session is refused ("404") and that call is untouched', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const intruder = await s.login('203');
    const call = await connectCall(a, b, '202');
    for (const callId of [call.callerId, call.calleeId]) {
      for (const request of ['holdCall', 'endCall', 'transferCall'] as const) {
        const params =
          request === 'transferCall' ? { callId, target: '203', type: 'unAttended' } : { callId };
        expectResponse(
          await intruder.request(request, params),
          RESPONSE_OF[request],
          '404',
          callId,
        );
      }
    }
    // The far end's id is not valid for the caller either: calls are keyed on (session, callId).
    if (call.calleeId !== call.callerId)
      expectResponse(
        await a.request('holdCall', { callId: call.calleeId }),
        'holdCallResponse',
        '404',
        call.calleeId,
      );
    await a.expectNone('CallHeld');
    await a.expectNone('CallDisconnected', undefined, 50);
    await b.expectNone('CallDisconnected', undefined, 50);
    expectResponse(
      await a.request('holdCall', { callId: call.callerId }),
      'holdCallResponse',
      '200',
      call.callerId,
    );
    await b.nextFor('CallHeld', call.calleeId);
  });

  test('socket loss (no close frame) ends the calls: the far end gets CallDisconnected "Far end disconnected"', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const c = await s.login('203');
    const connected = await connectCall(a, b, '202');
    const ringing = await ring(a, c, '203');
    await a.terminate();
    await expectDisconnected(b, connected.calleeId, 'Far end disconnected');
    await expectDisconnected(c, ringing.calleeId);
  });

  test('13.10 logout: logoutResponse "200", calls end for the far end; later requests "401"', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const call = await connectCall(a, b, '202');
    const response = await a.request('logout', null);
    expectResponse(response, 'logoutResponse', '200');
    a.loggedIn = false;
    await expectDisconnected(b, call.calleeId, 'Far end disconnected');
    if (a.open) {
      const callId = newCallId();
      expectResponse(
        await a.request('makeCall', { target: '202', callId, sdp: fakeSdp() }),
        'makeCallResponse',
        '401',
        callId,
      );
    }
  });

  test('13.10 vendor-style logout: logout then immediate close (1005), the far end gets CallDisconnected', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const call = await connectCall(a, b, '202');
    a.send('logout', null);
    a.loggedIn = false;
    a.ws.close();
    await expectDisconnected(b, call.calleeId, 'Far end disconnected');
    await s.login('201');
  });
});
