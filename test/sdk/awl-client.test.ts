/** The AWL facade and engine registration over a fake WebSocket (no browser). */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AWL, CONST } from '../../src/sdk/awl/index.js';
import { FakeSocket, tick } from './fakes.js';

type Res = { result: string; reason: string | number; authToken?: unknown; UID?: string };

const made: Array<InstanceType<typeof AWL.client>> = [];
// every client logs out after each test, so no socket timer keeps the process alive
afterEach(() => made.splice(0).forEach((c) => c.logOut()));

function client(cfg: Record<string, unknown> = {}, listener: Record<string, unknown> = {}) {
  const c = new AWL.client({ WebSocket: FakeSocket as unknown as typeof WebSocket });
  made.push(c);
  const config: Res[] = [];
  const reg: Res[] = [];
  const lines: unknown[][] = [];
  const sink = (...a: unknown[]) => lines.push(a);
  c.setLogObject({ debug: sink, info: sink, warn: sink, error: sink });
  c.setConfiguration(
    {
      serviceType: 'phone',
      enableVideo: false,
      Gateway: { ip: '127.0.0.1', port: '8443' },
      AppData: { appInstanceID: 'inst-1' },
      ...cfg,
    },
    (r: Res) => config.push(r),
    (r: Res) => reg.push(r),
    listener,
  );
  return { c, config, reg, lines };
}

const OK = { responseCode: '200', responseString: 'OK' };

async function loggedIn(cfg?: Record<string, unknown>, listener?: Record<string, unknown>) {
  const t = client(cfg, listener);
  t.c.logIn('201', 's3cret');
  await tick();
  FakeSocket.last.open();
  await tick();
  FakeSocket.last.reply('login', {
    ...OK,
    loginSessionData: {
      authToken: { type: 'session', token: 'tok', expiry: 3600 },
      haData: { haSupported: false, haEnabled: false },
    },
  });
  await tick();
  return { ...t, ws: FakeSocket.last };
}

describe('AWL facade: configuration', () => {
  beforeEach(() => (FakeSocket.all = []));

  it('exposes the constants as their own names, and the documented spellings', () => {
    assert.equal(CONST.AWL_MSG_LOGIN_SUCCESS, 'AWL_MSG_LOGIN_SUCCESS');
    assert.equal(CONST.AWL_MSG_LOOPBACK_CONN_SUCCESSFULL, 'AWL_MSG_LOOPBACK_CONN_SUCCESSFULL');
    assert.equal(CONST.RESILIENCY, 'RESILIENCY');
    assert.equal(Object.keys(CONST).filter((k) => k.startsWith('AWL_MSG_')).length, 46);
    const c = new AWL.client();
    for (const m of [
      'logIn',
      'login',
      'logOut',
      'logout',
      'isLoggedIn',
      'isloggedIn',
      'tokenLogIn',
      'tokenLogin',
    ]) {
      assert.equal(typeof (c as unknown as Record<string, unknown>)[m], 'function', m);
    }
  });

  it('reports setConfiguration results', () => {
    const { config } = client();
    assert.deepEqual(config, [{ result: 'AWL_MSG_SETCONFIG_SUCCESS', reason: 'none' }]);
    const bad = client({ Gateway: 'x' });
    assert.deepEqual(bad.config, [
      { result: 'AWL_MSG_SETCONFIG_FAILED', reason: 'config object literal notation incorrect' },
    ]);
    const iid = client({ AppData: { appInstanceID: { no: 1 } } });
    assert.deepEqual(iid.config, [
      { result: 'AWL_MSG_SETCONFIG_FAILED', reason: 'appInstanceID is invalid' },
    ]);
  });

  it("refuses a configuration without AppData ('appInstanceID not set'), as the vendor's SDK", () => {
    const { config } = client({ AppData: undefined });
    assert.deepEqual(config, [
      { result: 'AWL_MSG_SETCONFIG_FAILED', reason: 'appInstanceID not set' },
    ]);
    // the document's own example: AppData with an empty applInstanceID is accepted
    const empty = client({ AppData: { applicationID: '', applicationUA: '', applInstanceID: '' } });
    assert.deepEqual(empty.config, [{ result: 'AWL_MSG_SETCONFIG_SUCCESS', reason: 'none' }]);
    assert.ok(String(empty.c.phone.opts.app.instanceId).length > 0, 'an id of its own');
  });

  it("connects to 9443 whatever Gateway.port says (7070 excepted), as the vendor's SDK; useGatewayPort honours it", async () => {
    const cases: Array<[Record<string, unknown>, number]> = [
      [{ Gateway: { ip: '127.0.0.1', port: '8443' } }, 9443],
      [{ Gateway: { ip: '127.0.0.1', port: '' } }, 9443],
      [{ Gateway: { ip: '127.0.0.1', port: '7070' } }, 7070],
      [{ Gateway: { ip: '127.0.0.1', port: 7070 } }, 7070],
      [{ Gateway: { ip: '127.0.0.1', port: '8443' }, useGatewayPort: true }, 8443],
      [{ Gateway: { ip: '127.0.0.1', port: '8443' }, useGatewayPort: 'true' }, 8443],
      [{ Gateway: { ip: '127.0.0.1', port: '' }, useGatewayPort: true }, 9443],
    ];
    for (const [cfg, port] of cases) {
      const { c } = client(cfg);
      c.logIn('201', 's3cret');
      await tick();
      assert.equal(
        new URL(FakeSocket.last.url).port,
        String(port),
        `${JSON.stringify(cfg)} → ${port}`,
      );
      c.logOut();
    }
  });

  it('sets and reads STUN; refuses bad values', () => {
    const { c } = client({ Stunserver: { ip: 'stun.example.org', port: '3479' } });
    assert.deepEqual(c.getStunConfiguration(), { ip: 'stun.example.org', port: '3479' });
    assert.equal(
      c.setStunConfiguration({ ip: '0.0.0.0', port: '3478' }),
      CONST.AWL_MSG_SET_STUN_CONFIG_FAILED,
    );
    assert.equal(
      c.setStunConfiguration({ ip: '192.0.2.1', port: 'x' }),
      CONST.AWL_MSG_SET_STUN_CONFIG_FAILED,
    );
    assert.equal(
      c.setStunConfiguration({ ip: '192.0.2.1' }),
      CONST.AWL_MSG_SET_STUN_CONFIG_SUCCESS,
    );
    assert.deepEqual(c.getStunConfiguration(), { ip: '192.0.2.1', port: '3478' });
    assert.deepEqual(c.phone.iceServers(), [{ urls: 'stun:192.0.2.1:3478' }]);
  });
});

describe('AWL facade: login over the wire (D11)', () => {
  beforeEach(() => (FakeSocket.all = []));

  it('local checks: the last failing one wins, and nothing touches the network', async () => {
    const { c, reg } = client({ Gateway: { ip: '0.0.0.0' } });
    c.logIn('', '');
    c.tokenLogIn('201', 'tok', 'kerberos');
    await tick();
    assert.deepEqual(reg, [
      { result: 'AWL_MSG_LOGIN_GW_NOTCONFIGURED', reason: 'Login parameters incorrect' },
      { result: 'AWL_MSG_LOGIN_GW_NOTCONFIGURED', reason: 'Login parameters incorrect' },
    ]);
    const ok = client();
    ok.c.logIn('', 'pw');
    ok.c.logIn('201', '');
    ok.c.tokenLogIn('201', '', 'ESNA');
    ok.c.tokenLogIn('201', 'tok', 'kerberos');
    await tick();
    assert.deepEqual(
      ok.reg.map((r) => r.result),
      [
        'AWL_MSG_LOGIN_EMPTYUSERNAME',
        'AWL_MSG_LOGIN_EMPTYPASSWORD',
        'AWL_MSG_LOGIN_EMPTYTOKEN',
        'AWL_MSG_LOGIN_INVALID_TOKENTYPE',
      ],
    );
    assert.equal(FakeSocket.all.length, 0);
  });

  it('connects to 9443 (the vendor rule), sends settings and the eight-field login (plus ext.callResume) back to back', async () => {
    const { c, reg, ws, lines } = await loggedIn();
    assert.equal(ws.url, 'wss://127.0.0.1:9443/SignalGateway/connect');
    assert.deepEqual(ws.protocols, ['jsonrpc', 'jsonrpc-3.0']);
    assert.deepEqual(
      ws.sent.map((f) => f.msgname),
      ['getGatewaySettings', 'login'],
    );
    assert.deepEqual(ws.sent[0]!.params, { type: 'all' });
    assert.equal(ws.sent[1]!.protocol, 'jsonrpc-3.0.0');
    assert.deepEqual(ws.sent[1]!.params, {
      applicationID: 'phoneservice-11.0',
      applicationUA: 'AWLTestClient-3.0.0',
      applicationInstanceID: 'inst-1',
      userID: '201',
      authType: 'password',
      password: 's3cret',
      authToken: null,
      bumpConnection: false,
      ext: { callResume: true }, // resiliency on: asks the gateway to keep calls across a socket loss
    });
    assert.notEqual(ws.sent[0]!.id, ws.sent[1]!.id);
    assert.deepEqual(reg, [
      { result: 'AWL_MSG_LOGIN_SUCCESS', reason: 'SIP registration success' },
    ]);
    assert.equal(c.isLoggedIn(), true);
    assert.equal(c.isloggedIn(), true);
    // HA not offered: no token for the app, no alternate server
    assert.equal(c.getAlternateServerConfig(), null);
    assert.equal(lines.length, 0, 'nothing logged unless enabled');
    c.logIn('201', 's3cret');
    assert.equal(reg[1]!.result, 'AWL_MSG_DUPLICATE_LOGIN');
    c.logOut();
    assert.equal(ws.sent.at(-1)!.msgname, 'logout');
    assert.equal(ws.sent.at(-1)!.params, null);
    assert.equal(ws.closed, true);
    assert.deepEqual(reg[2], { result: 'AWL_MSG_LOGGEDOUT', reason: 'Logout successful' });
  });

  it('token logins carry the wire token type; a number-free port falls back to 9443', async () => {
    const { c } = client({ Gateway: { ip: 'gw.example.org', port: '' } });
    c.tokenLogIn('201', 'tok-1', 'resiliency', 'true');
    await tick();
    const ws = FakeSocket.last;
    assert.equal(ws.url, 'wss://gw.example.org:9443/SignalGateway/connect');
    ws.open();
    await tick();
    assert.deepEqual(
      { ...ws.sent[1]!.params, applicationInstanceID: 0 },
      {
        applicationID: 'phoneservice-11.0',
        applicationUA: 'AWLTestClient-3.0.0',
        applicationInstanceID: 0,
        userID: '201',
        authType: 'token',
        password: ' ',
        authToken: { type: 'session', token: 'tok-1' },
        bumpConnection: true,
        ext: { callResume: true },
      },
    );
  });

  it('gives the app the token and the backup gateway when HA is on; renews nothing when disabled', async () => {
    const { c, reg } = client({ disableResiliency: false });
    c.logIn('201', 'pw');
    await tick();
    const ws = FakeSocket.last;
    ws.open();
    await tick();
    const backupGateway = {
      serverType: 'secondary',
      address: '192.0.2.20',
      domain: '',
      port: '9443',
    };
    ws.reply('login', {
      ...OK,
      loginSessionData: {
        authToken: { type: 'session', token: 'tok', expiry: 3600 },
        haData: {
          haSupported: true,
          haEnabled: true,
          backupGateway,
          haFailoverTime: 30,
          haFailbackTime: 60,
        },
      },
    });
    await tick();
    assert.deepEqual(reg[0], {
      result: 'AWL_MSG_LOGIN_SUCCESS',
      reason: 'SIP registration success',
      authToken: { token: 'tok', expiry: 3600 },
    });
    assert.deepEqual(c.getAlternateServerConfig(), backupGateway);
    // HA data present but resiliency disabled by the app: the gateway's passive mode logs out
    const d = client({ disableResiliency: true });
    d.c.logIn('201', 'pw');
    await tick();
    const dws = FakeSocket.last;
    dws.open();
    await tick();
    dws.reply('login', {
      ...OK,
      loginSessionData: {
        authToken: { type: 'session', token: 'tok', expiry: 3600 },
        haData: {
          haSupported: true,
          haEnabled: true,
          backupGateway,
          haFailoverTime: 30,
          haFailbackTime: 60,
        },
      },
    });
    await tick();
    dws.gw('GatewayHAModeChanged', { mode: 'PASSIVE' });
    assert.deepEqual(d.reg.at(-1), {
      result: 'AWL_MSG_LOGGEDOUT',
      reason: 'Gateway mode changed. Logging out as resiliency is disabled.',
    });
  });

  it('applies gateway settings: DTMF payload type, and STUN only when the app set none', async () => {
    const { c, ws } = await loggedIn();
    const nat = (addr: string) => ({
      stun: { serverAddr: addr, serverPort: '3478' },
      turn: { serverAddr: '', serverPort: '', username: '', password: '', enforce: 'false' },
    });
    ws.reply('getGatewaySettings', { ...OK, codec: { dtmfPayLoad: '100' }, nat: nat('0.0.0.0') });
    await tick();
    assert.equal(c.phone.dtmf, '100');
    assert.deepEqual(c.phone.iceServers(), []);
    ws.gw('GatewaySettingsChanged', {
      codec: { dtmfPayLoad: '102' },
      nat: nat('stun.example.org'),
    });
    assert.equal(c.phone.dtmf, '102');
    assert.deepEqual(c.phone.iceServers(), [{ urls: 'stun:stun.example.org:3478' }]);
    c.setStunConfiguration({ ip: '192.0.2.9', port: '3478' });
    assert.deepEqual(c.phone.iceServers(), [{ urls: 'stun:192.0.2.9:3478' }]);
  });

  it('login failure, socket failure and forced logout; the close-code texts', async () => {
    const f = client();
    f.c.logIn('201', 'bad');
    await tick();
    FakeSocket.last.open();
    await tick();
    FakeSocket.last.reply('login', { responseCode: '401', responseString: 'Invalid Credentials' });
    await tick();
    assert.deepEqual(f.reg, [{ result: 'AWL_MSG_LOGIN_FAILED', reason: 'Invalid Credentials' }]);
    assert.equal(FakeSocket.last.closed, true);

    const s = client();
    s.c.logIn('201', 'pw');
    await tick();
    FakeSocket.last.drop(1006);
    await tick();
    assert.deepEqual(s.reg, [
      { result: 'AWL_MSG_LOGIN_WEBSOCKET_FAILURE', reason: 'Connection to WebRTC Gateway failed' },
    ]);

    for (const [code, reason] of [
      [1001, 'CLOSE_GOING_AWAY'],
      [4000, 4000],
    ] as const) {
      const l = await loggedIn();
      l.ws.drop(code);
      assert.deepEqual(l.reg.at(-1), { result: 'AWL_MSG_LOGIN_WEBSOCKET_FAILURE', reason });
      assert.equal(l.c.isLoggedIn(), false);
    }

    const b = await loggedIn();
    b.ws.gw('LoginStatusChanged', {
      loginState: 'LOGGED_OUT',
      reasonCode: '-3010',
      reasonString: 'Logged in elsewhere',
    });
    assert.deepEqual(b.reg.at(-1), {
      result: 'AWL_MSG_LOGIN_FAILED',
      reason: 'Logged in elsewhere',
    });
    assert.equal(b.ws.closed, true);
  });

  it('drops invalid frames without throwing, logging only when enabled, never secrets', async () => {
    const { c, ws, lines } = await loggedIn();
    c.enableLogging();
    ws.recv('not json');
    ws.recv({
      protocol: 'jsonrpc-2.0.0',
      id: 'x',
      service: 'phoneservice',
      msgname: 'CallHeld',
      params: { callId: 'a' },
    });
    ws.gw('IncomingCall', { callId: 'c1', sdp: 'nope' });
    const text = JSON.stringify(lines);
    assert.match(text, /dropped frame/);
    assert.equal(lines.filter((l) => /dropped frame/.test(String(l[0]))).length, 3);
    c.logOut();
    c.logIn('201', 'pw-secret-42');
    await tick();
    FakeSocket.last.open();
    await tick();
    assert.doesNotMatch(JSON.stringify(lines), /pw-secret-42/);
    assert.match(JSON.stringify(lines), /\[redacted\]/);
    c.disableLogging();
    const n = lines.length;
    FakeSocket.last.recv('junk');
    assert.equal(lines.length, n);
  });

  it('times the login out', async () => {
    const { c, reg } = client();
    c.phone.configure({ loginTimeoutMs: 30 });
    c.logIn('201', 'pw');
    await tick();
    FakeSocket.last.open();
    await tick(60);
    assert.deepEqual(reg, [
      { result: 'AWL_MSG_LOGIN_FAILED', reason: 'No response from WebRTC Gateway' },
    ]);
    assert.equal(c.isLoggedIn(), false);
  });

  it('reports a link issue when no keepalive comes, and re-arms on keepalive', async () => {
    const { reg, ws } = await loggedIn({ keepaliveTimeout: 0.05 });
    await tick(30);
    ws.recv('keepalive');
    await tick(30);
    assert.equal(reg.length, 1);
    await tick(40);
    assert.deepEqual(reg.at(-1), {
      result: 'AWL_MSG_LINK_ISSUE_DETECTED',
      reason: 'link issue detected',
    });
  });

  it('an app callback that throws does not break the SDK', async () => {
    const c = new AWL.client({ WebSocket: FakeSocket as unknown as typeof WebSocket });
    c.setConfiguration(
      { Gateway: { ip: 'localhost' } },
      () => {
        throw new Error('app');
      },
      () => {
        throw new Error('app');
      },
      {},
    );
    c.logIn('', '');
    await tick();
    assert.equal(c.isLoggedIn(), false);
  });
});

describe('transport: tolerance', () => {
  beforeEach(() => (FakeSocket.all = []));

  it('passes an IncomingCall without sipUri on (as null) instead of dropping the call', async () => {
    const { c, ws } = await loggedIn();
    const seen: unknown[] = [];
    c.phone.tp!.onEvent = (e) => seen.push(e.params);
    ws.gw('IncomingCall', { callId: 'gw-1', sdp: 'v=0\r\n', FarEndDn: 'Reception' });
    ws.gw('IncomingCall', { callId: 'gw-2', sdp: 'bad' });
    assert.deepEqual(seen, [
      { callId: 'gw-1', sdp: 'v=0\r\n', FarEndDn: 'Reception', sipUri: null },
    ]);
  });
});

describe('inbound validation: an IncomingCall the SDK cannot take (issue 10 item 13)', () => {
  beforeEach(() => (FakeSocket.all = []));

  it('oversize display name, SDP or callId: refused on the wire with a reason, the app told, never offered', async () => {
    const offered: string[] = [];
    const refused: Array<[string, string]> = [];
    const { c, ws, lines } = await loggedIn(undefined, {
      onNewIncomingCall: (id: string) => offered.push(id),
      onIncomingCallRefused: (id: string, why: string) => refused.push([id, why]),
    });
    c.enableLogging();
    const told: string[] = [];
    c.phone.on('refused', (id) => told.push(id));
    const sipUri = 'sip:203@ipo-dev.local';
    const sdp = 'v=0\r\n';
    ws.gw('IncomingCall', { callId: 'big-name', sdp, sipUri, FarEndDn: 'N'.repeat(2500) });
    ws.gw('IncomingCall', { callId: 'big-sdp', sdp: sdp + 'a=x\r\n'.repeat(15_000), sipUri });
    const longId = `L${'l'.repeat(3000)}`;
    ws.gw('IncomingCall', { callId: longId, sdp, sipUri });
    await tick();
    for (const id of ['big-name', 'big-sdp', longId])
      assert.ok(!offered.includes(id), 'a refused call is never offered as a call');
    const rejects = ws.sent.filter((f) => f.msgname === 'rejectCall');
    assert.deepEqual(
      rejects.map((f) => f.params!.callId),
      ['big-name', 'big-sdp', longId],
    );
    for (const r of rejects)
      assert.equal(r.params!.ext, undefined, 'no reason code unless advertised');
    assert.deepEqual(
      refused.map(([id]) => id),
      ['big-name', 'big-sdp', longId],
    );
    assert.deepEqual(told, ['big-name', 'big-sdp', longId]);
    assert.match(refused[0]![1], /FarEndDn/);
    assert.match(refused[1]![1], /sdp/);
    assert.ok(
      lines.some((l) => /Incoming call refused/.test(String(l.join(' ')))),
      'and the refusal is logged',
    );
  });
});

describe('transport: response correlation and timeouts', () => {
  beforeEach(() => (FakeSocket.all = []));

  it('matches by id first, then by msgname + callId; times out otherwise', async () => {
    const { c, ws } = await loggedIn();
    const tp = c.phone.tp!;
    const a = tp.request('holdCall', { callId: 'A' });
    const b = tp.request('holdCall', { callId: 'B' });
    const t = tp.request('unholdCall', { callId: 'C' }, 30);
    const idB = ws.sent.find((f) => f.msgname === 'holdCall' && f.params!.callId === 'B')!.id;
    ws.gw('holdCallResponse', { ...OK, callId: 'B', responseString: 'by id' }, idB);
    ws.gw('holdCallResponse', { ...OK, callId: 'A', responseString: 'by callId' }, 'unrelated');
    assert.equal((await b).responseString, 'by id');
    assert.equal((await a).responseString, 'by callId');
    await assert.rejects(t, /timed out/);
  });
});
