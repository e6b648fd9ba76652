/** Agent service (§6.4, §13.3 agent variant): early media, CTI through POST /admin/cti. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectDisconnected, expectResponse, fakeSdp, ring } from '../support/calls.js';
import { TEST_ENV } from '../support/gateway.js';
import type { RawClient } from '../support/raw-client.js';
import { useGateway } from '../support/suite.js';

describe('agent service', () => {
  const s = useGateway();

  const cti = (body: unknown, token: string | null = TEST_ENV.IPO_ADMIN_TOKEN) =>
    s.gw.http('POST', '/admin/cti', {
      headers: {
        'Content-Type': 'application/json',
        ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });

  test('agent-profile users log in to agentservice (frames carry service "agentservice"); phone-profile users cannot', async () => {
    const agent = await s.login('205', { service: 'agentservice' });
    const loginResponse = agent.received.find((e) => e.msgname === 'loginResponse')!;
    assert.equal(
      loginResponse.service,
      'agentservice',
      "responses SHOULD echo the session's service",
    );
    const phoneUser = await s.connect({ service: 'agentservice' });
    const { response } = await phoneUser.login('201', { expect: null });
    assert.notEqual(response.params.responseCode, '200', '201 has the phone profile');
  });

  test('the same extension may be logged in to phoneservice and agentservice at once', async () => {
    await s.login('206', { service: 'agentservice' });
    await s.login('206', { service: 'phoneservice' });
  });

  test('answerEarlyMedia → caller gets CallProgressing with sdp; CTI talk/hold via POST /admin/cti reach the agent', async () => {
    const caller = await s.login('201');
    const agent: RawClient = await s.login('205', { service: 'agentservice' });
    const call = await ring(caller, agent, '205');
    assert.equal(call.incoming.service, 'agentservice');
    const early = fakeSdp('answer');
    expectResponse(
      await agent.request('answerEarlyMedia', { callId: call.calleeId, sdp: early }),
      'answerEarlyMediaResponse',
      '200',
      call.calleeId,
    );
    const progressing = await caller.next(
      'CallProgressing',
      (p) => p.callId === call.callerId && p.sdp !== undefined,
    );
    assert.equal(
      progressing.params.sdp,
      early,
      "early media: the agent's answer reaches the caller unchanged",
    );
    await agent.expectNone('CallConnected');

    const talk = await cti({ extension: '205', ctiEvent: 'talk', callId: call.calleeId });
    assert.ok(
      talk.status >= 200 && talk.status < 300,
      `POST /admin/cti: ${talk.status} ${talk.body}`,
    );
    const talkEvent = await agent.nextFor('CallCtiEventReceived', call.calleeId);
    assert.deepEqual(talkEvent.params, { callId: call.calleeId, ctiEvent: 'talk' });

    expectResponse(
      await agent.request('answerCall', { callId: call.calleeId, sdp: early }),
      'answerCallResponse',
      '200',
      call.calleeId,
    );
    const agentConnected = await agent.nextFor('CallConnected', call.calleeId);
    assert.equal(agentConnected.params.sdp, undefined);
    const callerConnected = await caller.nextFor('CallConnected', call.callerId);
    if (callerConnected.params.sdp !== undefined)
      assert.equal(callerConnected.params.sdp, early, 'the final answer must equal the early one');

    const hold = await cti({ extension: '205', ctiEvent: 'hold', callId: call.calleeId });
    assert.ok(
      hold.status >= 200 && hold.status < 300,
      `POST /admin/cti: ${hold.status} ${hold.body}`,
    );
    assert.equal(
      (await agent.nextFor('CallCtiEventReceived', call.calleeId)).params.ctiEvent,
      'hold',
    );
    expectResponse(
      await agent.request('holdCall', { callId: call.calleeId }),
      'holdCallResponse',
      '200',
      call.calleeId,
    );
    await caller.nextFor('CallHeld', call.callerId);
    expectResponse(
      await caller.request('endCall', { callId: call.callerId }),
      'endCallResponse',
      '200',
      call.callerId,
    );
    await expectDisconnected(agent, call.calleeId);
  });

  test('POST /admin/cti needs the admin bearer token', async () => {
    const agent = await s.login('205', { service: 'agentservice' });
    for (const token of [null, 'wrong-admin-token-123456']) {
      const result = await cti({ extension: '205', ctiEvent: 'talk' }, token);
      assert.ok(
        result.status === 401 || result.status === 403,
        `expected 401/403 without the right token, got ${result.status}`,
      );
    }
    await agent.expectNone('CallCtiEventReceived');
  });

  test('a CTI page on an allowed origin passes the CORS preflight; other origins do not', async () => {
    const preflight = (origin: string) =>
      s.gw.http('OPTIONS', '/admin/cti', {
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight(s.gw.origin);
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers['access-control-allow-origin'], s.gw.origin);
    assert.match(String(allowed.headers['access-control-allow-headers']), /Authorization/);
    const foreign = await preflight('https://evil.example');
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers['access-control-allow-origin'], undefined);
  });
});
