/** The resiliency state machine (gateway-protocol.md §2.6, §5.6, §8) over a fake WebSocket. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AWL } from '../../src/sdk/awl/index.js';
import { acceptBackup, backoff, failbackMs } from '../../src/sdk/resiliency.js';
import { haOf } from '../../src/sdk/registration.js';
import { FakeSocket, tick } from './fakes.js';

type Res = { result: string; reason: string | number; authToken?: unknown };
const OK = { responseCode: '200', responseString: 'OK' };
const made: Array<InstanceType<typeof AWL.client>> = [];
afterEach(() => made.splice(0).forEach((c) => c.logOut()));
beforeEach(() => (FakeSocket.all = []));

/** Fast timers (seconds) so that every schedule runs in tens of milliseconds. */
const FAST = {
  probeIdle: 0,
  reconnect: 0.01,
  reconnectMax: 0.02,
  failover: 0.08,
  giveUp: 0.3,
  reregister: 0.1,
  renewRetry: 0.05,
};

const backupOf = (serverType: string, port = '9444') => ({
  serverType,
  address: '127.0.0.1',
  domain: '',
  port,
});
const session = (
  token: string,
  serverType = 'secondary',
  expiry = 3600,
  extra: Record<string, unknown> = {},
) => ({
  ...OK,
  loginSessionData: {
    authToken: { type: 'session', token, expiry },
    haData: {
      haSupported: true,
      haEnabled: true,
      backupGateway: backupOf(serverType, serverType === 'primary' ? '9443' : '9444'),
      haFailoverTime: 30,
      haFailbackTime: 0.1,
    },
    ...extra,
  },
});

function client(cfg: Record<string, unknown> = {}) {
  const c = new AWL.client({ WebSocket: FakeSocket as unknown as typeof WebSocket });
  made.push(c);
  const reg: Res[] = [];
  const tok: Res[] = [];
  const lines: string[] = [];
  const sink = (...a: unknown[]) => lines.push(a.map(String).join(' '));
  c.setLogObject({ debug: sink, info: sink, warn: sink, error: sink });
  c.enableLogging();
  c.setConfiguration(
    {
      serviceType: 'phone',
      Gateway: { ip: '127.0.0.1', port: '9443' },
      AppData: { appInstanceID: 'inst-1' },
      resiliencyTimers: FAST,
      ...cfg,
    },
    () => {},
    (r: Res) => reg.push(r),
    {},
    (r: Res) => tok.push(r),
  );
  return { c, reg, tok, lines, results: () => reg.map((r) => r.result.replace('AWL_MSG_', '')) };
}

/** Opens the socket the client just created and answers its login with `resp`. */
async function answer(resp: Record<string, unknown>, settings: Record<string, unknown> = OK) {
  for (let i = 0; i < 50 && FakeSocket.last.readyState !== 0; i++) await tick(2);
  const ws = FakeSocket.last;
  ws.open();
  await tick();
  ws.reply('getGatewaySettings', settings);
  ws.reply('login', resp);
  await tick();
  return ws;
}

async function loggedIn(
  cfg?: Record<string, unknown>,
  resp = session('t1'),
  settings?: Record<string, unknown>,
) {
  const t = client(cfg);
  t.c.logIn('201', 'pw');
  await tick();
  const ws = await answer(resp, settings);
  return { ...t, ws };
}

/** Waits (polling) until a new socket beyond `n` exists. */
async function nextSocket(n: number) {
  for (let i = 0; i < 200 && FakeSocket.all.length <= n; i++) await tick(2);
  assert.ok(FakeSocket.all.length > n, 'a new socket');
  return FakeSocket.last;
}

describe('resiliency: pure rules', () => {
  it('validates haData exactly as §5.4', () => {
    const b = backupOf('secondary');
    const ok = {
      haSupported: true,
      haEnabled: true,
      backupGateway: b,
      haFailoverTime: 30,
      haFailbackTime: 60,
    };
    assert.ok(haOf({ haData: ok }));
    assert.equal(haOf({ haData: { ...ok, haEnabled: 'true' as never } }), null);
    assert.equal(haOf({ haData: { ...ok, haFailbackTime: null } }), null);
    assert.equal(haOf({ haData: { ...ok, backupGateway: { ...b, domain: null as never } } }), null);
    assert.ok(
      haOf({ haData: { ...ok, backupGateway: { ...b, address: '', domain: '' } } }),
      'empty strings are accepted',
    );
  });

  it('accepts a backup only on the configured host or the allow-list, with its advertised port', () => {
    assert.deepEqual(acceptBackup({ address: '127.0.0.1', port: '9555' }, '127.0.0.1', []), {
      host: '127.0.0.1',
      port: 9555,
    });
    assert.match(
      String(acceptBackup({ address: 'evil.example', port: '9443' }, '127.0.0.1', [])),
      /neither/,
    );
    assert.deepEqual(
      acceptBackup({ address: 'gw2.example', port: '' }, 'gw1.example', ['GW2.example']),
      { host: 'gw2.example', port: 9443 },
    );
    assert.match(
      String(
        acceptBackup({ address: 'gw2.example', port: '9444' }, 'gw1.example', ['gw2.example:9443']),
      ),
      /neither/,
    );
    assert.deepEqual(acceptBackup({ address: '::1', port: 1 }, 'x', ['[::1]:1']), {
      host: '[::1]',
      port: 1,
    });
    assert.match(
      String(acceptBackup({ address: '0.0.0.0', port: 1 }, '0.0.0.0', [])),
      /not a valid host/,
    );
  });

  it('backs off and defaults the failback time', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((n) => backoff(n, 250, 1000)),
      [250, 500, 1000, 1000, 1000],
    );
    assert.deepEqual([undefined, 0, 'x', 5].map(failbackMs), [60_000, 60_000, 60_000, 5000]);
  });
});

describe('resiliency: the state machine', () => {
  it('renews the token between 60 and 90 % of its expiry; retries after a failure while it is valid', async () => {
    const t0 = Date.now();
    const { tok, ws } = await loggedIn({}, session('t1', 'secondary', 2));
    for (let i = 0; i < 300 && !ws.sent.some((f) => f.msgname === 'renewToken'); i++) await tick(5);
    const waited = Date.now() - t0;
    assert.ok(waited >= 1000 && waited < 1900, `renewal after ${waited} ms`);
    assert.deepEqual(ws.sent.at(-1)!.params, {
      userID: '201',
      token: 't1',
      applicationInstanceID: 'inst-1',
    });
    ws.reply('renewToken', { responseCode: '-1', responseString: 'Token rejected' });
    await tick();
    assert.deepEqual(tok, [{ result: 'AWL_MSG_TOKEN_RENEW_FAILED', reason: 'Token rejected' }]);
    // retried with back-off (renewRetry 50 ms) while the old token is valid
    for (let i = 0; i < 100 && ws.sent.filter((f) => f.msgname === 'renewToken').length < 2; i++)
      await tick(5);
    ws.reply('renewToken', {
      ...OK,
      responseString: 'Token renewed',
      authToken: { type: 'session', token: 't2', expiry: 3600 },
    });
    await tick();
    assert.deepEqual(tok[1], {
      result: 'AWL_MSG_TOKEN_RENEW_SUCCESS',
      reason: 'Token renewed',
      authToken: { token: 't2', expiry: 3600 },
    });
  });

  it('reports a 200 renewal without a valid token as invalid', async () => {
    const { c, tok, ws } = await loggedIn(
      { resiliencyTimers: { ...FAST, renewRetry: 100 } },
      session('t1', 'secondary', 2),
    );
    for (let i = 0; i < 300 && !ws.sent.some((f) => f.msgname === 'renewToken'); i++) await tick(5);
    ws.reply('renewToken', { ...OK, authToken: { type: 'session', token: '', expiry: 10 } });
    await tick();
    assert.deepEqual(tok, [
      { result: 'AWL_MSG_TOKEN_RENEW_FAILED', reason: 'Token received from the server is invalid' },
    ]);
    assert.equal(c.phone.token!.token, 't1', 'the session keeps its token');
  });

  it('socket loss on the primary: RECONNECTING, token re-login to the same gateway, RELOGGED_IN', async () => {
    const { c, reg, results, ws } = await loggedIn();
    const n = FakeSocket.all.length;
    ws.drop(1006);
    assert.deepEqual(reg.at(-1), {
      result: 'AWL_MSG_RECONNECTING',
      reason: 'Lost Connection to Server. Attempting to reconnect to 127.0.0.1 ...',
    });
    assert.equal(c.phone.status, 'RECONNECTING');
    assert.equal(c.makeCall('202', 'audio'), null, 'makeCall refused while reconnecting');
    const ws2 = await nextSocket(n);
    assert.equal(ws2.url, 'wss://127.0.0.1:9443/SignalGateway/connect');
    await answer(session('t2'));
    const login = ws2.sent.find((f) => f.msgname === 'login')!.params!;
    assert.equal(login.authType, 'token');
    assert.deepEqual(login.authToken, { type: 'session', token: 't1' });
    assert.equal(login.password, ' ');
    assert.deepEqual(reg.at(-1), {
      result: 'AWL_MSG_RELOGGED_IN',
      reason: 'Reconnection to 127.0.0.1 Successful',
      authToken: { token: 't2', expiry: 3600 },
    });
    assert.deepEqual(results(), ['LOGIN_SUCCESS', 'RECONNECTING', 'RELOGGED_IN']);
    assert.equal(c.phone.status, 'NORMAL');
    assert.ok(c.isLoggedIn());
  });

  it('a primary that stays gone: reconnect attempts with back-off, then FAILING_OVER to the advertised backup port', async () => {
    const { c, reg, results, ws } = await loggedIn();
    const t0 = Date.now();
    ws.drop(1006);
    // every reconnect attempt fails at the socket
    let moved: FakeSocket | undefined;
    for (let i = 0; i < 400 && !moved; i++) {
      await tick(2);
      const s = FakeSocket.last;
      if (s.url.includes(':9444/')) moved = s;
      else if (s.readyState === 0 && s !== ws) s.drop(1006);
    }
    assert.ok(moved, 'connects to the backup');
    assert.ok(Date.now() - t0 >= 80, 'after the failover time');
    const attempts = FakeSocket.all.filter((s) => s.url.includes(':9443/')).length - 1;
    assert.ok(attempts >= 2, `${attempts} reconnect attempts first`);
    assert.deepEqual(reg.at(-1), {
      result: 'AWL_MSG_FAILING_OVER',
      reason: 'Trying alternate server [ 127.0.0.1 ] ...',
    });
    await answer(session('t3', 'primary'));
    assert.deepEqual(moved.sent.find((f) => f.msgname === 'login')!.params!.authToken, {
      type: 'session',
      token: 't1',
    });
    assert.deepEqual(results(), [
      'LOGIN_SUCCESS',
      'RECONNECTING',
      'FAILING_OVER',
      'FAIL_OVER_SUCCESS',
    ]);
    assert.deepEqual(reg.at(-1), {
      result: 'AWL_MSG_FAIL_OVER_SUCCESS',
      reason: 'Connected to alternate server [ 127.0.0.1 ]',
      authToken: { token: 't3', expiry: 3600 },
    });
    assert.equal(c.phone.status, 'FAILED OVER');
    assert.equal(c.phone.primary, false);
  });

  it('a reconnect refused with -3003 is final: LOGIN_FAILED', async () => {
    const { c, results, reg, ws } = await loggedIn();
    const n = FakeSocket.all.length;
    ws.drop(1006);
    await nextSocket(n);
    await answer({ responseCode: '-3003', responseString: 'Token rejected' });
    assert.deepEqual(results(), ['LOGIN_SUCCESS', 'RECONNECTING', 'LOGIN_FAILED']);
    assert.equal(reg.at(-1)!.reason, 'Token rejected');
    assert.equal(c.phone.status, 'LOGGED_OUT');
  });

  it('other reconnect refusals retry; with no usable backup it gives up after giveUp', async () => {
    // an advertised backup that is neither the configured gateway nor allowed: none usable
    const resp = session('t1', 'secondary', 3600);
    resp.loginSessionData.haData.backupGateway.address = '192.0.2.99';
    const { lines, results, ws, c } = await loggedIn({}, resp);
    ws.drop(1006);
    for (let i = 0; i < 400 && c.phone.status !== 'LOGGED_OUT'; i++) {
      await tick(2);
      const s = FakeSocket.last;
      if (s.readyState === 0) {
        s.open();
        await tick();
        s.reply('login', { responseCode: '-1', responseString: 'busy' });
      }
    }
    assert.deepEqual(results(), ['LOGIN_SUCCESS', 'RECONNECTING', 'LOGIN_WEBSOCKET_FAILURE']);
    assert.ok(FakeSocket.all.length > 4);
    assert.ok(lines.length > 0);
  });

  it('GatewayHAModeChanged on the primary fails over at once; on the secondary it fails back after haFailbackTime', async () => {
    const { c, reg, results, ws } = await loggedIn();
    const n = FakeSocket.all.length;
    ws.gw('GatewayHAModeChanged', { mode: 'Passive' });
    assert.equal(ws.closed, true);
    assert.equal(c.phone.status, 'FAILING OVER');
    const s2 = await nextSocket(n);
    assert.equal(s2.url, 'wss://127.0.0.1:9444/SignalGateway/connect');
    // an incoming call while failing over is rejected without telling the app
    await answer(session('t2', 'primary'));
    assert.deepEqual(results(), ['LOGIN_SUCCESS', 'FAILING_OVER', 'FAIL_OVER_SUCCESS']);
    // the backup (now: we are on the secondary) goes passive: FAILING BACK without a callback
    const t0 = Date.now();
    s2.gw('GatewayHAModeChanged', { mode: 'passive' });
    assert.equal(c.phone.status, 'FAILING BACK');
    assert.equal(reg.length, 3);
    s2.gw('IncomingCall', { callId: 'in-1', sdp: 'v=0\r\n', sipUri: 'sip:203@x' });
    assert.deepEqual(s2.sent.at(-1)!.msgname, 'rejectCall');
    assert.equal(c.makeCall('202', 'audio'), null);
    const s3 = await nextSocket(n + 1);
    assert.ok(Date.now() - t0 >= 95, 'after haFailbackTime');
    assert.equal(s3.url, 'wss://127.0.0.1:9443/SignalGateway/connect');
    await answer(session('t3'));
    assert.deepEqual(results(), [
      'LOGIN_SUCCESS',
      'FAILING_OVER',
      'FAIL_OVER_SUCCESS',
      'FAILING_BACK',
      'FAIL_BACK_SUCCESS',
    ]);
    assert.deepEqual(reg[3], {
      result: 'AWL_MSG_FAILING_BACK',
      reason: 'Trying alternate server [ 127.0.0.1 ] ...',
    });
    assert.equal(reg[4]!.reason, 'Connected to alternate server [ 127.0.0.1 ]');
    assert.equal(c.phone.status, 'FAILED BACK');
  });

  it('a failover login refused: FAIL_OVER_FAILED, logged out', async () => {
    const { c, results, ws } = await loggedIn();
    const n = FakeSocket.all.length;
    ws.gw('GatewayHAModeChanged', { mode: 'passive' });
    await nextSocket(n);
    await answer({ responseCode: '401', responseString: 'Token rejected' });
    assert.deepEqual(results(), ['LOGIN_SUCCESS', 'FAILING_OVER', 'FAIL_OVER_FAILED']);
    assert.equal(c.phone.status, 'LOGGED_OUT');
  });

  it('a backup outside the allow-list is never used (and the reason is logged)', async () => {
    const resp = session('t1');
    resp.loginSessionData.haData.backupGateway.address = '192.0.2.9';
    const { c, lines, results, ws } = await loggedIn({}, resp);
    assert.ok(lines.some((l) => /no failover target.*192\.0\.2\.9/.test(l)));
    assert.equal(c.phone.backup, null);
    const n = FakeSocket.all.length;
    ws.gw('GatewayHAModeChanged', { mode: 'passive' });
    await tick(20);
    assert.equal(FakeSocket.all.length, n);
    assert.deepEqual(results(), ['LOGIN_SUCCESS']);
    // allowed explicitly: used, with the advertised port
    const ok = await loggedIn({ alternateServers: ['192.0.2.9:9444'] }, resp);
    assert.deepEqual(ok.c.phone.backup, { host: '192.0.2.9', port: 9444 });
    assert.deepEqual(ok.c.getAlternateServerConfig(), {
      serverType: 'secondary',
      address: '192.0.2.9',
      domain: '',
      port: '9444',
    });
    const n2 = FakeSocket.all.length;
    ok.ws.gw('GatewayHAModeChanged', { mode: 'passive' });
    assert.equal((await nextSocket(n2)).url, 'wss://192.0.2.9:9444/SignalGateway/connect');
  });

  it('disableResiliency: no reconnect (WEBSOCKET_FAILURE), no token in the callback, and passive mode logs out', async () => {
    const a = await loggedIn({ disableResiliency: true });
    assert.equal(a.reg[0]!.authToken, undefined);
    a.ws.drop(1006);
    assert.deepEqual(a.results(), ['LOGIN_SUCCESS', 'LOGIN_WEBSOCKET_FAILURE']);
    assert.equal(a.reg[1]!.reason, 'Connection to WebRTC Gateway failed');
    const b = await loggedIn({ disableResiliency: 'true' });
    b.ws.gw('GatewayHAModeChanged', { mode: 'passive' });
    assert.deepEqual(b.reg.at(-1), {
      result: 'AWL_MSG_LOGGEDOUT',
      reason: 'Gateway mode changed. Logging out as resiliency is disabled.',
    });
    assert.equal(b.ws.sent.at(-1)!.msgname, 'logout');
  });

  it('LoginStatusChanged -3013 on the primary: RECONNECTING, socket kept, then RELOGGED_IN; or LOGIN_FAILED after the timer', async () => {
    const a = await loggedIn();
    a.ws.gw('LoginStatusChanged', {
      loginState: 'LOGGED_OUT',
      reasonCode: '-3013',
      reasonString: 'SIP registration lost',
    });
    assert.deepEqual(a.reg.at(-1), {
      result: 'AWL_MSG_RECONNECTING',
      reason: 'Lost Connection to Server. Attempting to reconnect [ 127.0.0.1 ]...',
    });
    assert.equal(a.ws.closed, false);
    assert.equal(a.c.isLoggedIn(), false);
    a.ws.gw('LoginStatusChanged', { loginState: 'LOGGED_IN' });
    assert.deepEqual(a.reg.at(-1), {
      result: 'AWL_MSG_RELOGGED_IN',
      reason: 'Reconnection to 127.0.0.1 Successful',
    });
    assert.equal(a.c.isLoggedIn(), true);
    await tick(150);
    assert.deepEqual(
      a.results(),
      ['LOGIN_SUCCESS', 'RECONNECTING', 'RELOGGED_IN'],
      'the timer was cancelled',
    );
    a.ws.gw('LoginStatusChanged', {
      loginState: 'LOGGED_OUT',
      reasonCode: '-3013',
      reasonString: 'SIP registration lost',
    });
    await tick(150);
    assert.deepEqual(a.results(), [
      'LOGIN_SUCCESS',
      'RECONNECTING',
      'RELOGGED_IN',
      'RECONNECTING',
      'LOGIN_FAILED',
    ]);
    assert.equal(a.reg.at(-1)!.reason, 'SIP registration lost');
    assert.equal(a.ws.closed, true);
    // any other LOGGED_OUT: forced logout, final
    const b = await loggedIn();
    b.ws.gw('LoginStatusChanged', {
      loginState: 'LOGGED_OUT',
      reasonCode: '-3010',
      reasonString: 'Logged in elsewhere',
    });
    assert.deepEqual(b.results(), ['LOGIN_SUCCESS', 'LOGIN_FAILED']);
  });

  it('a quiet link is probed with getGatewaySettings; an unanswered probe → LINK_ISSUE_DETECTED, then reconnect', async () => {
    const { results, ws } = await loggedIn({
      resiliencyTimers: { ...FAST, probeIdle: 0.03, probeTimeout: 0.03 },
    });
    const n = FakeSocket.all.length;
    await tick(40);
    assert.equal(ws.sent.at(-1)!.msgname, 'getGatewaySettings', 'probe sent');
    ws.recv('keepalive'); // any frame answers the probe
    await tick(45);
    assert.deepEqual(results(), ['LOGIN_SUCCESS']);
    await tick(80);
    assert.deepEqual(results(), ['LOGIN_SUCCESS', 'LINK_ISSUE_DETECTED', 'RECONNECTING']);
    assert.equal(ws.closed, true);
    await nextSocket(n);
  });

  it('without resiliency the keep-alive watchdog only reports LINK_ISSUE_DETECTED', async () => {
    const { results, ws } = await loggedIn({ disableResiliency: true, keepaliveTimeout: 0.03 });
    await tick(50);
    assert.deepEqual(results(), ['LOGIN_SUCCESS', 'LINK_ISSUE_DETECTED']);
    assert.equal(ws.closed, false);
  });

  it('call resume: connected calls outlive the reconnect; those the gateway did not keep end with a reason', async () => {
    const settings = { ...OK, ext: { callResume: true, callResumeGraceSeconds: 30 } };
    const { c, ws } = await loggedIn({}, session('t1'), settings);
    assert.equal(c.phone.resume, true);
    const ended: string[] = [];
    const fake = (id: string, established: boolean) => ({
      id,
      established,
      end(reason: string) {
        ended.push(`${id}: ${reason}`);
        (c.phone.calls as Map<string, unknown>).delete(id);
      },
    });
    for (const [id, est] of [
      ['a', true],
      ['b', true],
      ['s', false],
    ] as const)
      (c.phone.calls as Map<string, unknown>).set(id, fake(id, est));
    const n = FakeSocket.all.length;
    ws.drop(1006);
    assert.deepEqual(ended, ['s: GW connection lost'], 'a call in set-up ends at once');
    const s2 = await nextSocket(n);
    await answer(session('t2', 'secondary', 3600, { ext: { resumedCalls: 'a' } }), settings);
    assert.deepEqual(s2.sent.find((f) => f.msgname === 'login')!.params!.ext, {
      callResume: true,
      resumeCalls: 'a,b',
    });
    assert.deepEqual(ended, [
      's: GW connection lost',
      'b: Call lost with the gateway connection (not resumed)',
    ]);
    assert.deepEqual([...c.phone.calls.keys()], ['a']);
    (c.phone.calls as Map<string, unknown>).clear();
  });

  it('a session lost a 4th time within 30 s stops reconnecting (two live copies of one instance would fight forever)', async () => {
    const { results, c } = await loggedIn();
    for (let i = 0; i < 3; i++) {
      const n = FakeSocket.all.length;
      FakeSocket.last.drop(1006);
      await nextSocket(n);
      await answer(session(`t${i + 2}`));
    }
    FakeSocket.last.drop(1006);
    assert.deepEqual(results(), [
      'LOGIN_SUCCESS',
      'RECONNECTING',
      'RELOGGED_IN',
      'RECONNECTING',
      'RELOGGED_IN',
      'RECONNECTING',
      'RELOGGED_IN',
      'LOGIN_WEBSOCKET_FAILURE',
    ]);
    assert.equal(c.phone.status, 'LOGGED_OUT');
  });
});
