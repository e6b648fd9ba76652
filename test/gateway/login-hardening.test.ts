/**
 * Issue 10, login and session rules over real sockets: the lock-out holds against pipelined
 * guesses (2) and does not block token re-logins (8); one login per connection and logout revokes
 * every token (3); a refused login changes nothing (4); tokens keep their instance binding (7);
 * logout and renewToken ignore a stray callId (10); calls are parked only for clients that asked (5).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { connectCall, expectDisconnected, expectResponse } from '../support/calls.js';
import type { Env } from '../support/raw-client.js';
import { useGateway, type Suite } from '../support/suite.js';

function tokenOf(response: Env): string {
  const token = response.params.loginSessionData?.authToken?.token;
  assert.equal(typeof token, 'string', JSON.stringify(response.params));
  return token as string;
}

async function passwordChecks(s: Suite): Promise<number> {
  const n = (await s.gw.health()).passwordChecks;
  assert.equal(typeof n, 'number');
  return n as number;
}

/** A token login of `user` as instance `instance` on a new socket; returns its loginResponse. */
async function tokenLogin(s: Suite, user: string, token: string, instance: number | string) {
  const c = await s.connect();
  const { response } = await c.login(user, {
    token,
    tokenType: 'session',
    applicationInstanceID: instance,
    expect: null,
  });
  return { c, response };
}

describe('lock-out against pipelined guesses (defects 2, 8)', () => {
  const s = useGateway();

  test('60 wrong passwords pipelined over 12 sockets: at most 5 are checked; the right one is then refused; a token re-login works', async () => {
    const victim = await s.connect();
    const { response } = await victim.login('203');
    const token = tokenOf(response);
    const instance = victim.instanceId;
    await victim.terminate(); // the page's socket drops: its token stays good for a re-login
    victim.loggedIn = false;

    const before = await passwordChecks(s);
    const sockets = await Promise.all(Array.from({ length: 12 }, () => s.connect()));
    const ids = sockets.map((c) =>
      Array.from({ length: 5 }, (_, i) =>
        c.send('login', c.loginParams('203', { password: `wrong-Pw-${i}-abcdef` })),
      ),
    );
    const codes: string[] = [];
    for (const [k, c] of sockets.entries()) {
      for (const id of ids[k]!) {
        const r = await c.next('loginResponse', (_p, env) => env.id === id, 8000);
        codes.push(r.params.responseCode);
      }
    }
    const checked = (await passwordChecks(s)) - before;
    assert.ok(checked <= 5, `only the lock-out threshold is hashed: ${checked} checks`);
    assert.equal(codes.filter((c) => c === '401').length, checked);
    assert.equal(codes.filter((c) => c === '200').length, 0);
    assert.ok(
      codes.every((c) => c === '401' || c === '429' || c === '409'),
      `refused at once as locked, rate-limited or in progress: ${codes.join(',')}`,
    );

    const right = await s.connect();
    const locked = await right.login('203', { expect: null });
    assert.equal(locked.response.params.responseCode, '429', 'the right password is locked out');

    const other = await s.login('204'); // another user from the same IP is not starved
    assert.ok(other.loggedIn);

    const again = await tokenLogin(s, '203', token, instance);
    expectResponse(again.response, 'loginResponse', '200');
    again.c.loggedIn = true;
  });
});

describe('one login per connection; logout revokes every token (defect 3)', () => {
  const s = useGateway();

  test('two logins back to back on one socket: the second is refused; after logout the token is dead', async () => {
    const c = await s.connect();
    const first = c.send('login', c.loginParams('201', {}));
    const second = c.send('login', c.loginParams('201', {}));
    const r1 = await c.next('loginResponse', (_p, env) => env.id === first);
    const r2 = await c.next('loginResponse', (_p, env) => env.id === second);
    expectResponse(r1, 'loginResponse', '200');
    expectResponse(r2, 'loginResponse', '409');
    assert.equal(r2.params.loginSessionData, undefined, 'a refused login carries no token');
    const token = tokenOf(r1);
    expectResponse(await c.request('logout', null), 'logoutResponse', '200');
    const after = await tokenLogin(s, '201', token, c.instanceId);
    expectResponse(after.response, 'loginResponse', '-3003');
  });

  test('logout after a renewal: neither the first nor the renewed token logs in', async () => {
    const c = await s.connect();
    const first = tokenOf((await c.login('202')).response);
    const renewed = await c.request('renewToken', {
      userID: '202',
      token: first,
      applicationInstanceID: c.instanceId,
    });
    expectResponse(renewed, 'renewTokenResponse', '200');
    const second = renewed.params.authToken.token as string;
    expectResponse(await c.request('logout', null), 'logoutResponse', '200');
    for (const token of [first, second]) {
      const r = await tokenLogin(s, '202', token, c.instanceId);
      expectResponse(r.response, 'loginResponse', '-3003');
    }
  });
});

describe('a refused login changes nothing (defect 4)', () => {
  const s = useGateway();

  test('a second login with another service is refused and the extension is free after close', async () => {
    const c = await s.login('205');
    const id = c.send('login', c.loginParams('205', {}), { service: 'agentservice' });
    const refused = await c.next('loginResponse', (_p, env) => env.id === id);
    expectResponse(refused, 'loginResponse', '409');
    assert.equal(refused.service, 'agentservice', 'the answer names the service asked for');
    // the connection is still the phone service's
    expectResponse(
      await c.request('getGatewaySettings', { type: 'all' }),
      'gatewaySettingsResponse',
      '200',
    );
    await c.close();
    c.loggedIn = false;
    const next = await s.login('205'); // no bump: the slot must be free
    assert.ok(next.loggedIn);
  });

  test('a refused login does not change the instance id of the connection', async () => {
    const c = await s.connect();
    const { response } = await c.login('206', { applicationInstanceID: 'inst-A' });
    const token = tokenOf(response);
    const id = c.send('login', c.loginParams('206', { applicationInstanceID: 'inst-B' }));
    expectResponse(
      await c.next('loginResponse', (_p, env) => env.id === id),
      'loginResponse',
      '409',
    );
    const renewed = await c.request('renewToken', {
      userID: '206',
      token,
      applicationInstanceID: 'inst-A',
    });
    expectResponse(renewed, 'renewTokenResponse', '200');
  });
});

describe('token instance binding (defect 7) and stray callIds (defect 10)', () => {
  const s = useGateway();

  test('a token bound to an instance is refused when presented without applicationInstanceID', async () => {
    const c = await s.connect();
    const token = tokenOf((await c.login('201')).response);
    await c.terminate();
    c.loggedIn = false;
    const d = await s.connect();
    const params = d.loginParams('201', { token, tokenType: 'session' });
    delete params.applicationInstanceID;
    const id = d.send('login', params);
    const r = await d.next('loginResponse', (_p, env) => env.id === id);
    expectResponse(r, 'loginResponse', '-3003');
    const right = await tokenLogin(s, '201', token, c.instanceId);
    expectResponse(right.response, 'loginResponse', '200');
    right.c.loggedIn = true;
  });

  test('logout and renewToken with a stray callId are handled as themselves', async () => {
    const c = await s.connect();
    const token = tokenOf((await c.login('202')).response);
    const rid = c.send('renewToken', {
      userID: '202',
      token,
      applicationInstanceID: c.instanceId,
      callId: 'stray-1',
    });
    const renewed = await c.next('renewTokenResponse', (_p, env) => env.id === rid);
    expectResponse(renewed, 'renewTokenResponse', '200');
    assert.equal(renewed.params.callId, undefined);
    const id = c.send('logout', { callId: 'stray-2' });
    const out = await c.next('logoutResponse', (_p, env) => env.id === id);
    expectResponse(out, 'logoutResponse', '200');
    const after = await c.request('makeCall', { target: '203', callId: 'c-1', sdp: 'v=0\r\n' });
    expectResponse(after, 'makeCallResponse', '401', 'c-1');
    c.loggedIn = false;
  });
});

describe('calls of clients that never asked for call resume are not parked (defect 5)', () => {
  const s = useGateway(); // call resume on (the default grace)

  async function dropMidCall(kind: 'terminate' | 1000 | 1005) {
    const a = await s.login('201');
    const b = await s.login('202');
    const call = await connectCall(a, b, '202');
    if (kind === 'terminate') await a.terminate();
    else if (kind === 1005) {
      a.ws.close(); // a close frame without a code
      await a.closed;
    } else await a.close(kind);
    a.loggedIn = false;
    await expectDisconnected(b, call.calleeId);
    assert.equal((await s.gw.health()).parked, 0);
    const page = await s.login('201'); // a new page of that user: no 409
    assert.ok(page.loggedIn);
    await page.dispose();
    await b.dispose();
  }

  test('socket loss without a close frame: the far end is told at once, the extension is free', async () => {
    await dropMidCall('terminate');
  });

  test('close 1000 and close 1005 likewise', async () => {
    await dropMidCall(1000);
    await dropMidCall(1005);
  });

  test('a client that asked at login (ext.callResume) has its call kept', async () => {
    const a = await s.connect();
    await a.login('203', { ext: { callResume: true } });
    const b = await s.login('204');
    await connectCall(a, b, '204');
    const mark = s.gw.mark();
    await a.terminate();
    a.loggedIn = false;
    await s.gw.waitForLog((l) => l.msg === 'disconnected, calls kept for resume', { after: mark });
    assert.equal((await s.gw.health()).parked, 1);
    await b.dispose(); // the far end hangs up: the kept call ends
  });
});

describe('login counters in /healthz (issue 13: tabs never force each other out)', () => {
  const s = useGateway();

  type Counts = { logins: number; inUse: number; forcedLogouts: number; sessions: number };
  const counts = async () => (await s.gw.health()) as unknown as Counts;

  test('accepted logins, a login refused as in use and a forced logout (bump) are each counted', async () => {
    const before = await counts();
    const a = await s.connect();
    await a.login('204');
    const b = await s.connect();
    const refused = await b.login('204', { expect: null });
    assert.notEqual(refused.response.params.responseCode, '200');
    let h = await counts();
    assert.equal(h.logins - before.logins, 1);
    assert.equal(h.inUse - before.inUse, 1);
    assert.equal(h.forcedLogouts - before.forcedLogouts, 0);
    const c = await s.connect();
    await c.login('204', { bump: true });
    h = await counts();
    assert.equal(h.logins - before.logins, 2);
    assert.equal(h.forcedLogouts - before.forcedLogouts, 1);
    assert.equal(h.sessions, 1);
  });
});
