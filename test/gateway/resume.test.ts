/**
 * Call resume (dev-gateway extension): a socket that drops mid-call keeps its established calls
 * for `--call-resume-grace` seconds; a token login of the same user + instance carrying
 * `ext.resumeCalls` takes them back (`loginSessionData.ext.resumedCalls`), then gets the events
 * queued meanwhile, in order. Otherwise the calls end (grace expiry, or a login not asking).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  autoAcceptMediaUpdates,
  connectCall,
  expectDisconnected,
  expectResponse,
  fakeAnswerFor,
  ring,
  type Call,
} from '../support/calls.js';
import type { Env, RawClient } from '../support/raw-client.js';
import { useGateway, type Suite } from '../support/suite.js';

const GRACE = 2;

function tokenOf(response: Env): string {
  const token = response.params.loginSessionData?.authToken?.token;
  assert.equal(typeof token, 'string');
  return token as string;
}

/** Logs `user` in, keeping its session token and instance id for the re-login. */
async function loginKeepingToken(
  s: Suite,
  user: string,
): Promise<{ client: RawClient; token: string }> {
  const client = await s.connect();
  const { response } = await client.login(user, { ext: { callResume: true } }); // asks for call resume
  return { client, token: tokenOf(response) };
}

/** The token re-login of the same instance on a new socket (optionally asking for calls). */
async function relogin(
  s: Suite,
  user: string,
  old: RawClient,
  token: string,
  ext?: Record<string, unknown>,
  expect = '200',
) {
  const client = await s.connect();
  const result = await client.login(user, {
    token,
    tokenType: 'session',
    applicationInstanceID: old.instanceId,
    ext,
    expect,
  });
  return { client, response: result.response };
}

async function dropped(client: RawClient): Promise<void> {
  await client.terminate(); // socket loss: no close frame, no logout
  client.loggedIn = false;
}

/** `user` in a connected call with `peer`; then its socket drops and the gateway keeps the call. */
async function keptCall(s: Suite, user: string, peer: string) {
  const { client: a, token } = await loginKeepingToken(s, user);
  const b = await s.login(peer);
  const call = await connectCall(a, b, peer);
  const mark = s.gw.mark();
  await dropped(a);
  await s.gw.waitForLog((l) => l.msg === 'disconnected, calls kept for resume', { after: mark });
  return { a, b, call, token };
}

describe(`call resume (--call-resume-grace ${GRACE})`, () => {
  const s = useGateway({ args: ['--call-resume-grace', String(GRACE)] });

  test('gatewaySettingsResponse advertises ext {callResume:true, callResumeGraceSeconds}', async () => {
    const c = await s.connect();
    const settings = await c.request('getGatewaySettings', { type: 'all' });
    assert.deepEqual(settings.params.ext, {
      rejectReasons: true,
      callResume: true,
      callResumeGraceSeconds: GRACE,
    });
  });

  test('socket dropped mid-call: the far end stays connected; re-login with resumeCalls takes the call back and it works', async () => {
    const { a, b, call, token } = await keptCall(s, '201', '202');
    assert.deepEqual([(await s.gw.health()).parked, (await s.gw.health()).calls], [1, 1]);
    await b.expectNone('CallDisconnected');
    const { client: a2, response } = await relogin(s, '201', a, token, {
      resumeCalls: `${call.callerId}, not-a-call@x`,
    });
    assert.deepEqual(response.params.loginSessionData.ext, { resumedCalls: call.callerId });
    assert.equal((await s.gw.health()).parked, 0);
    // the call is this socket's now: hold reaches the far end, and the far end's hangup reaches us
    expectResponse(
      await a2.request('holdCall', { callId: call.callerId }),
      'holdCallResponse',
      '200',
      call.callerId,
    );
    await b.nextFor('CallHeld', call.calleeId);
    expectResponse(
      await b.request('endCall', { callId: call.calleeId }),
      'endCallResponse',
      '200',
      call.calleeId,
    );
    await expectDisconnected(a2, call.callerId, 'Far end disconnected');
  });

  test('events during the grace (far end holds, then hangs up) are delivered after the loginResponse, in order', async () => {
    const { a, b, call, token } = await keptCall(s, '203', '204');
    expectResponse(
      await b.request('holdCall', { callId: call.calleeId }),
      'holdCallResponse',
      '200',
      call.calleeId,
    );
    expectResponse(
      await b.request('endCall', { callId: call.calleeId }),
      'endCallResponse',
      '200',
      call.calleeId,
    );
    const { client: a2, response } = await relogin(s, '203', a, token, {
      resumeCalls: call.callerId,
    });
    assert.deepEqual(
      response.params.loginSessionData.ext,
      { resumedCalls: call.callerId },
      'a call that ended during the grace is still reported, with its outcome queued',
    );
    const held = await a2.nextFor('CallHeld', call.callerId);
    const ended = await expectDisconnected(a2, call.callerId, 'Far end disconnected');
    const seq = (env: Env) => a2.frames.find((f) => f.env === env)!.seq;
    const loginSeq = a2.frames.find((f) => f.env?.msgname === 'loginResponse')!.seq;
    assert.ok(
      loginSeq < seq(held) && seq(held) < seq(ended),
      'loginResponse, then CallHeld, then CallDisconnected',
    );
  });

  test('grace expiry ends the call: the far end gets CallDisconnected "The other party lost its connection"; the slot is free again', async () => {
    const { client: a } = await loginKeepingToken(s, '205');
    const b = await s.login('206');
    const call = await connectCall(a, b, '206');
    const started = Date.now();
    await dropped(a);
    await expectDisconnected(
      b,
      call.calleeId,
      'The other party lost its connection',
      (GRACE + 3) * 1000,
    );
    const waited = Date.now() - started;
    assert.ok(
      waited >= GRACE * 1000 - 200,
      `the call must be kept for the grace (${GRACE} s), ended after ${waited} ms`,
    );
    assert.equal((await s.gw.health()).parked, 0);
    await s.login('205'); // another instance, no bump: the registration slot is free
  });

  test('a token login of the same instance WITHOUT resumeCalls ends the kept call (no ext in its loginResponse)', async () => {
    const { a, b, call, token } = await keptCall(s, '201', '202');
    const { client: a2, response } = await relogin(s, '201', a, token);
    assert.equal(response.params.loginSessionData.ext, undefined);
    await expectDisconnected(b, call.calleeId, 'Far end disconnected');
    await a2.expectNone('CallDisconnected');
  });

  test('a password login of the same instance ends the kept call too', async () => {
    const { a, b, call } = await keptCall(s, '203', '204');
    const a2 = await s.connect();
    const { response } = await a2.login('203', {
      applicationInstanceID: a.instanceId,
      ext: { resumeCalls: call.callerId },
    });
    assert.deepEqual(
      response.params.loginSessionData.ext,
      { resumedCalls: '' },
      'only a token login resumes',
    );
    await expectDisconnected(b, call.calleeId, 'Far end disconnected');
  });

  test('kept but not asked for → ended; ringing calls are released at the drop; resumedCalls lists only the asked-for kept ones', async () => {
    const { client: a, token } = await loginKeepingToken(s, '201');
    const b = await s.login('202');
    const c = await s.login('203');
    const d = await s.login('204');
    const one = await connectCall(a, b, '202');
    const two = await connectCall(a, c, '203');
    const ringing: Call = await ring(a, d, '204');
    const mark = s.gw.mark();
    await dropped(a);
    await s.gw.waitForLog((l) => l.msg === 'disconnected, calls kept for resume' && l.calls === 2, {
      after: mark,
    });
    await expectDisconnected(d, ringing.calleeId); // still ringing: released as today
    const { response } = await relogin(s, '201', a, token, {
      resumeCalls: `${two.callerId},${ringing.callerId}`,
    });
    assert.deepEqual(response.params.loginSessionData.ext, { resumedCalls: two.callerId });
    await expectDisconnected(b, one.calleeId, 'Far end disconnected');
    await c.expectNone('CallDisconnected');
  });

  test('while kept, another instance is refused "409" without bump; with bump it wins and the kept calls end', async () => {
    const { b, call } = await keptCall(s, '205', '206');
    const other = await s.connect();
    await other.login('205', { expect: '409' });
    await b.expectNone('CallDisconnected', undefined, 100);
    await s.login('205', { bump: true });
    await expectDisconnected(b, call.calleeId, 'Far end disconnected');
  });

  test('the same instance logging in again while its old socket still looks open: the old one is dropped and its calls resumed', async () => {
    const { client: a, token } = await loginKeepingToken(s, '201');
    const b = await s.login('202');
    const call = await connectCall(a, b, '202');
    a.ws.pause(); // a cut the gateway has not noticed
    const { client: a2, response } = await relogin(s, '201', a, token, {
      resumeCalls: call.callerId,
    });
    assert.deepEqual(response.params.loginSessionData.ext, { resumedCalls: call.callerId });
    a.loggedIn = false;
    await b.expectNone('CallDisconnected', undefined, 100);
    expectResponse(
      await a2.request('endCall', { callId: call.callerId }),
      'endCallResponse',
      '200',
      call.callerId,
    );
    await expectDisconnected(b, call.calleeId, 'Far end disconnected');
  });

  test('a bumping token login of the same instance without resumeCalls keeps the §5.5 forced logout (old socket told, calls end)', async () => {
    const { client: a, token } = await loginKeepingToken(s, '205');
    const b = await s.login('206');
    const call = await connectCall(a, b, '206');
    await relogin(s, '205', a, token);
    // (no bump above: takeover, the old socket is dropped and its call, not asked for, ends)
    assert.equal((await a.waitClosed()).code, 1006);
    a.loggedIn = false;
    await expectDisconnected(b, call.calleeId, 'Far end disconnected');

    const { client: c, token: t2 } = await loginKeepingToken(s, '204');
    const d = await s.login('203');
    const call2 = await connectCall(c, d, '203');
    const again = await s.connect();
    await again.login('204', {
      token: t2,
      tokenType: 'session',
      applicationInstanceID: c.instanceId,
      bump: true,
    });
    const status = await c.next('LoginStatusChanged');
    assert.deepEqual(status.params, {
      loginState: 'LOGGED_OUT',
      reasonCode: '-3010',
      reasonString: 'Logged in elsewhere',
    });
    c.loggedIn = false;
    await expectDisconnected(c, call2.callerId, 'Logged out');
    await expectDisconnected(d, call2.calleeId, 'Far end disconnected');
  });

  test('close code 1001 (page unload) releases the calls at once; resumeCalls after that gets an empty resumedCalls', async () => {
    const { client: a, token } = await loginKeepingToken(s, '203');
    const b = await s.login('204');
    const call = await connectCall(a, b, '204');
    await a.close(1001);
    a.loggedIn = false;
    await expectDisconnected(b, call.calleeId, 'Far end disconnected', 1000);
    const { response } = await relogin(s, '203', a, token, { resumeCalls: call.callerId });
    assert.deepEqual(response.params.loginSessionData.ext, { resumedCalls: '' });
  });

  test('login.ext is validated strictly: a non-string resumeCalls is a "400"', async () => {
    const c = await s.connect();
    const { response } = await c.login('205', { ext: { resumeCalls: 42 }, expect: '400' });
    assert.match(response.params.responseString, /resumeCalls/);
  });
});

describe('call resume across a transfer (--call-resume-grace 10)', () => {
  const s = useGateway({ args: ['--call-resume-grace', '10'] });

  test('the far end transfers a kept call: CallUnheld, MediaUpdateRequest (bridge offer), FarEndChanged are queued; after resume the bridge takes the answer and the parties are joined', async () => {
    const { client: a, token } = await loginKeepingToken(s, '201');
    const b = await s.login('202');
    const t = await s.login('203');
    autoAcceptMediaUpdates(b);
    const call = await connectCall(a, b, '202');
    const mark = s.gw.mark();
    await dropped(a);
    await s.gw.waitForLog((l) => l.msg === 'disconnected, calls kept for resume', { after: mark });
    // B blind-transfers the (kept) call to T: A's leg is re-anchored on the gateway's media bridge
    expectResponse(
      await b.request('transferCall', { target: '203', callId: call.calleeId, type: 'unAttended' }),
      'transferCallResponse',
      '200',
      call.calleeId,
    );
    await b.nextFor('CallTransferSuccessful', call.calleeId);
    const incoming = await t.next('IncomingCall');
    expectResponse(
      await t.request('answerCall', {
        callId: incoming.params.callId,
        sdp: fakeAnswerFor(incoming.params.sdp),
      }),
      'answerCallResponse',
      '200',
      incoming.params.callId,
    );
    await t.nextFor('CallConnected', incoming.params.callId);

    const { client: a2, response } = await relogin(s, '201', a, token, {
      resumeCalls: call.callerId,
    });
    assert.deepEqual(response.params.loginSessionData.ext, { resumedCalls: call.callerId });
    const unheld = await a2.nextFor('CallUnheld', call.callerId);
    const update = await a2.nextFor('MediaUpdateRequest', call.callerId);
    const changed = await a2.nextFor('FarEndChanged', call.callerId);
    assert.equal(changed.params.FarEndDn, 'Carol Evans');
    const order = [unheld, update, changed].map((e) => a2.frames.find((f) => f.env === e)!.seq);
    assert.deepEqual(
      [...order].sort((x, y) => x - y),
      order,
      'queued events keep their order',
    );
    expectResponse(
      await a2.request('acceptMediaUpdateRequest', {
        callId: call.callerId,
        sdp: fakeAnswerFor(update.params.sdp),
      }),
      'acceptMediaUpdateResponse',
      '200',
      call.callerId,
    );
    // joined: A's hangup reaches T
    expectResponse(
      await a2.request('endCall', { callId: call.callerId }),
      'endCallResponse',
      '200',
      call.callerId,
    );
    await expectDisconnected(t, incoming.params.callId, 'Far end disconnected');
  });
});

describe('call resume off (--call-resume-grace 0)', () => {
  const s = useGateway({ args: ['--call-resume-grace', '0'] });
  test('no call resume in the settings; a socket loss ends calls at once (§2.5); resumeCalls is ignored (no ext in loginResponse)', async () => {
    const { client: a, token } = await loginKeepingToken(s, '201');
    assert.deepEqual((await a.request('getGatewaySettings', { type: 'all' })).params.ext, {
      rejectReasons: true,
    });
    const b = await s.login('202');
    const call = await connectCall(a, b, '202');
    await dropped(a);
    await expectDisconnected(b, call.calleeId, 'Far end disconnected', 1000);
    const { response } = await relogin(s, '201', a, token, { resumeCalls: call.callerId });
    assert.equal(response.params.loginSessionData.ext, undefined);
  });
});
