import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { IpoError } from '../../src/core/errors.js';
import { IpoSession } from '../../src/core/ipo-session.js';
import { FakeAwlClient, ManualClock, flush } from './fake-awl.js';
import { PASSWORD, TOKEN, loggedIn, rejection, setup, type Rig } from './support.js';

/** Asserts an IpoError with the given code and returns it. */
function assertIpoError(error: unknown, code: string): IpoError {
  assert.ok(error instanceof IpoError, `expected IpoError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  return error;
}

describe('IpoSession configuration', () => {
  it('rejects unusable gateway, STUN and TURN settings at construction', () => {
    const bad: Array<Record<string, unknown>> = [
      { gateway: '' },
      { gateway: 'two words' },
      { gateway: 'gw.example.com:99999' },
      { gateway: '-gw.example.com' },
      { gateway: 'gw.example.com', stun: 'http://stun.example.com' },
      { gateway: 'gw.example.com', turn: { url: 'stun:turn.example.com' } },
      { gateway: 'gw.example.com', serviceType: 'relay' },
    ];
    for (const options of bad) {
      assert.throws(
        () => new IpoSession(options as never),
        (error: unknown) => error instanceof IpoError && error.code === 'invalid-config',
        JSON.stringify(options),
      );
    }
  });

  it('passes the parsed configuration to setConfiguration on first use, never before', async () => {
    const fake = new FakeAwlClient({ users: { '201': PASSWORD } });
    const session = new IpoSession({
      gateway: '[2001:db8::1]:8443',
      client: fake,
      clock: new ManualClock(),
      video: true,
      serviceType: 'agent',
      stun: 'stun:stun.example.com',
      turn: {
        url: 'turn:turn.example.com:3479?transport=udp',
        username: 'alice',
        credential: 'TURN-SECRET',
      },
      noResiliency: true,
      appId: 'acme',
      appUa: 'acme/1',
      mediaDevices: null,
    });
    assert.equal(fake.requests.length, 0, 'the engine is untouched until an action needs it');
    await session.login('201', PASSWORD);
    assert.deepEqual(fake.config, {
      serviceType: 'agent',
      enableVideo: true,
      Gateway: { ip: '2001:db8::1', port: '8443' },
      Stunserver: { ip: 'stun.example.com', port: '3478' },
      Turnserver: { ip: 'turn.example.com', port: '3479', user: 'alice', pwd: 'TURN-SECRET' },
      AppData: { applicationID: 'acme', applicationUA: 'acme/1', appInstanceID: 245919480 },
      disableResiliency: true,
      useGatewayPort: true,
    });
    assert.equal(session.snapshot.videoEnabled, true);
    assert.equal(session.snapshot.resiliency.enabled, false);
    assert.ok(!JSON.stringify(session.snapshot).includes('TURN-SECRET'));
  });

  it('defaults the gateway port to 9443 and keeps a given appInstanceId', async () => {
    const { fake, session } = setup({ session: { appInstanceId: 'persisted-7' } });
    await session.login('201', PASSWORD);
    assert.deepEqual(fake.config?.Gateway, { ip: 'gw.example.com', port: '9443' });
    assert.equal(fake.config?.AppData.appInstanceID, 'persisted-7');
  });

  it('fails login with invalid-config when the engine rejects the configuration', async () => {
    const { session, fake } = setup({ session: { appInstanceId: '' } });
    const error = assertIpoError(await rejection(session.login('201', PASSWORD)), 'invalid-config');
    assert.match(error.message, /config object literal notation incorrect/);
    assert.equal(session.snapshot.registration.state, 'error');
    assert.ok(!fake.methods().includes('logIn'));
  });

  it('times out when the engine never confirms the configuration', async () => {
    const { session, fake, clock } = setup();
    fake.silent.add('setConfiguration');
    const pending = rejection(session.login('201', PASSWORD));
    await clock.advance(5_000);
    assertIpoError(await pending, 'timeout');
    assert.equal(clock.pending, 0);
  });

  it('reports sdk-unavailable for an object without the AWL.client shape', async () => {
    const session = new IpoSession({
      gateway: 'gw.example.com',
      clientFactory: () => ({ logIn() {} }) as never,
      mediaDevices: null,
    });
    const error = assertIpoError(
      await rejection(session.login('201', PASSWORD)),
      'sdk-unavailable',
    );
    assert.match(error.message, /setConfiguration/);
    session.dispose();
  });

  it('creates the engine lazily through the factory, once', async () => {
    let made = 0;
    const fake = new FakeAwlClient({ users: { '201': PASSWORD } });
    const session = new IpoSession({
      gateway: 'gw.example.com',
      clientFactory: () => {
        made++;
        return fake;
      },
      clock: new ManualClock(),
      mediaDevices: null,
    });
    assert.equal(made, 0);
    await session.login('201', PASSWORD);
    await session.refreshDevices();
    assert.equal(made, 1);
    session.dispose();
  });

  describe('with sdk: "global"', () => {
    const globals = globalThis as { AWL?: unknown };
    afterEach(() => {
      delete globals.AWL;
    });

    it('fails with sdk-unavailable while window.AWL is missing, then works once it is loaded', async () => {
      const session = new IpoSession({
        gateway: 'gw.example.com',
        sdk: 'global',
        clock: new ManualClock(),
        mediaDevices: null,
      });
      const error = assertIpoError(
        await rejection(session.login('201', PASSWORD)),
        'sdk-unavailable',
      );
      assert.match(error.message, /window\.AWL/);
      globals.AWL = {
        client: class extends FakeAwlClient {
          constructor() {
            super({ users: { '201': PASSWORD } });
          }
        },
      };
      await session.login('201', PASSWORD);
      assert.equal(session.snapshot.registration.state, 'logged-in');
      session.dispose();
    });
  });
});

describe('IpoSession login', () => {
  let rig: Rig;
  beforeEach(() => {
    rig = setup();
  });
  afterEach(() => rig.session.dispose());

  it('goes logging-in → logged-in with one change each, and resolves on LOGIN_SUCCESS', async () => {
    const { session, fake, events } = rig;
    const pending = session.login(' 201 ', PASSWORD);
    assert.equal(session.snapshot.registration.state, 'logging-in');
    await pending;
    assert.deepEqual(
      events.map((e) => e.snapshot.registration.state),
      ['logging-in', 'logged-in'],
    );
    assert.equal(session.snapshot.registration.reason, 'SIP registration success');
    assert.equal(session.snapshot.user, '201');
    assert.equal(session.snapshot.canCall, true);
    assert.equal(session.snapshot.canLogin, false);
    assert.deepEqual(fake.requests.find((r) => r.method === 'logIn')?.args, [
      '201',
      PASSWORD,
      'false',
    ]);
  });

  it('passes bump as the string "true"', async () => {
    await rig.session.login('201', PASSWORD, { bump: true });
    assert.equal(rig.fake.requests.find((r) => r.method === 'logIn')?.args[2], 'true');
  });

  it('validates arguments before touching the engine', async () => {
    for (const [user, password] of [
      ['', PASSWORD],
      ['  ', PASSWORD],
      ['201', ''],
    ] as const) {
      assertIpoError(await rejection(rig.session.login(user, password)), 'invalid-argument');
    }
    assert.equal(rig.fake.requests.length, 0);
    assert.equal(rig.session.snapshot.registration.state, 'logged-out');
  });

  it('rejects with login-failed and the gateway reason on wrong credentials; snapshot.error is the same error', async () => {
    const error = assertIpoError(
      await rejection(rig.session.login('201', 'wrong')),
      'login-failed',
    );
    assert.equal(error.reason, 'Invalid Credentials');
    assert.match(error.message, /^Login failed \(Invalid Credentials\)\.$/);
    assert.equal(rig.session.snapshot.registration.state, 'error');
    assert.equal(rig.session.snapshot.error, error);
    assert.equal(rig.session.snapshot.canLogin, true);
  });

  it('rejects a second login with already-logged-in without calling the engine', async () => {
    await rig.session.login('201', PASSWORD);
    const count = rig.fake.requests.length;
    assertIpoError(await rejection(rig.session.login('201', PASSWORD)), 'already-logged-in');
    assert.equal(rig.fake.requests.length, count);
  });

  it('rejects a concurrent login with invalid-state', async () => {
    const first = rig.session.login('201', PASSWORD);
    assertIpoError(await rejection(rig.session.login('201', PASSWORD)), 'invalid-state');
    await first;
    assert.equal(rig.fake.methods().filter((m) => m === 'logIn').length, 1);
  });

  it('times out after the login timeout, abandons the attempt and leaves no timer', async () => {
    rig.fake.silent.add('logIn');
    const pending = rejection(rig.session.login('201', PASSWORD));
    await rig.clock.advance(14_999);
    assert.equal(rig.session.snapshot.registration.state, 'logging-in');
    await rig.clock.advance(1);
    const error = assertIpoError(await pending, 'timeout');
    assert.match(error.message, /15 s/);
    assert.equal(rig.session.snapshot.registration.state, 'error');
    assert.ok(rig.fake.methods().includes('logOut'), 'the engine is told to give up');
    assert.equal(rig.clock.pending, 0);
  });

  it('maps a websocket failure to connection-failed', async () => {
    rig.fake.silent.add('logIn');
    const pending = rejection(rig.session.login('201', PASSWORD));
    await flush();
    rig.fake.registration('AWL_MSG_LOGIN_WEBSOCKET_FAILURE', 'Connection to WebRTC Gateway failed');
    const error = assertIpoError(await pending, 'connection-failed');
    assert.match(error.message, /Connection to WebRTC Gateway failed/);
  });

  it("maps the engine's own GW_NOTCONFIGURED check to invalid-config", async () => {
    await rig.session.refreshDevices(); // configures the engine
    rig.fake.config = null; // as if the engine had lost its gateway
    const error = assertIpoError(
      await rejection(rig.session.login('201', PASSWORD)),
      'invalid-config',
    );
    assert.equal(error.message, 'No gateway address is configured.');
  });

  it('never puts the password or token into snapshots or error messages', async () => {
    await rejection(rig.session.login('201', `${PASSWORD}x`));
    await rig.session.login('201', PASSWORD);
    await rig.session.logout();
    await rig.session.tokenLogin('201', TOKEN, 'ESNA');
    const seen =
      JSON.stringify(rig.events.map((e) => e.snapshot)) +
      String(rig.session.snapshot.error?.message);
    assert.ok(!seen.includes(PASSWORD) && !seen.includes(TOKEN));
    assert.ok(rig.events.length > 4);
  });
});

describe('IpoSession tokenLogin', () => {
  it('logs in with a token, accepting the type in any case', async () => {
    const { session, fake } = setup();
    await session.tokenLogin('201', TOKEN, 'esna' as 'ESNA');
    assert.equal(session.snapshot.registration.state, 'logged-in');
    assert.deepEqual(fake.requests.find((r) => r.method === 'tokenLogIn')?.args, [
      '201',
      TOKEN,
      'ESNA',
      'false',
    ]);
    session.dispose();
  });

  it('refuses an unknown token type or an empty token without touching the engine', async () => {
    const { session, fake } = setup();
    assertIpoError(
      await rejection(session.tokenLogin('201', TOKEN, 'OAUTH' as 'ESNA')),
      'invalid-argument',
    );
    assertIpoError(await rejection(session.tokenLogin('201', '', 'ESNA')), 'invalid-argument');
    assert.equal(fake.requests.length, 0);
  });

  it('rejects with login-failed for a token the gateway does not accept', async () => {
    const { session } = setup();
    assertIpoError(
      await rejection(session.tokenLogin('201', 'stale', 'RESILIENCY')),
      'login-failed',
    );
  });

  it('reports unsupported when the engine has no tokenLogIn', async () => {
    const fake = new FakeAwlClient();
    Object.defineProperty(fake, 'tokenLogIn', { value: undefined });
    const session = new IpoSession({ gateway: 'gw.example.com', client: fake, mediaDevices: null });
    assertIpoError(await rejection(session.tokenLogin('201', TOKEN, 'ESNA')), 'unsupported');
    assert.equal(session.snapshot.registration.state, 'error');
  });
});

describe('IpoSession logout', () => {
  it('resolves on LOGGEDOUT, ends calls locally and clears the user', async () => {
    const rig = await loggedIn();
    await rig.session.call('202');
    await rig.session.logout();
    const snap = rig.session.snapshot;
    assert.equal(snap.registration.state, 'logged-out');
    assert.equal(snap.registration.reason, 'Logout successful');
    assert.equal(snap.user, null);
    assert.equal(snap.calls.length, 0);
    assert.equal(snap.lastEnded?.reason, 'manual logout');
  });

  it('is a no-op (no event, no engine call) when already logged out', async () => {
    const { session, fake, events } = setup();
    await session.logout();
    assert.equal(events.length, 0);
    assert.equal(fake.requests.length, 0);
  });

  it('cancels a pending login: login rejects with cancelled, which is not recorded as an error', async () => {
    const rig = setup();
    rig.fake.silent.add('logIn');
    const login = rejection(rig.session.login('201', PASSWORD));
    await flush();
    await rig.session.logout();
    assertIpoError(await login, 'cancelled');
    assert.equal(rig.session.snapshot.registration.state, 'logged-out');
    assert.equal(rig.session.snapshot.error, null);
  });

  it('times out but still logs out locally when the engine never confirms', async () => {
    const rig = await loggedIn();
    rig.fake.silent.add('logOut');
    const pending = rejection(rig.session.logout());
    await rig.clock.advance(5_000);
    assertIpoError(await pending, 'timeout');
    assert.equal(rig.session.snapshot.registration.state, 'logged-out');
    assert.equal(rig.clock.pending, 0);
  });
});

describe('IpoSession registration events (resiliency, §8/§11.2)', () => {
  it('follows reconnect, failover and failback, and blocks calls in between', async () => {
    const rig = await loggedIn({ fake: { resiliency: true } });
    const { session, fake } = rig;
    assert.equal(session.snapshot.resiliency.active, true);
    assert.deepEqual(session.snapshot.resiliency.alternate, {
      address: '203.0.113.20',
      port: '9443',
      serverType: 'secondary',
    });
    const states: string[] = [];
    const step = async (result: string, reason: string, extra = {}): Promise<void> => {
      fake.registration(result, reason, extra);
      await flush();
      states.push(`${session.snapshot.registration.state}:${session.snapshot.canCall}`);
    };
    await step(
      'AWL_MSG_RECONNECTING',
      'Lost Connection to Server. Attempting to reconnect to gw ...',
    );
    assertIpoError(await rejection(session.call('202')), 'not-logged-in');
    await step('AWL_MSG_RELOGGED_IN', 'Reconnection to gw Successful', {
      authToken: { token: 't', expiry: 60 },
    });
    await step('AWL_MSG_FAILING_OVER', 'Trying alternate server [ 203.0.113.20 ] ...');
    await step('AWL_MSG_FAIL_OVER_SUCCESS', 'Connected to alternate server [ 203.0.113.20 ]', {
      authToken: { token: 't', expiry: 60 },
    });
    await step('AWL_MSG_FAILING_BACK', 'Trying alternate server [ gw ] ...');
    await step('AWL_MSG_FAIL_BACK_SUCCESS', 'Connected to alternate server [ gw ]', {
      authToken: { token: 't', expiry: 60 },
    });
    assert.deepEqual(states, [
      'reconnecting:false',
      'logged-in:true',
      'failing-over:false',
      'failed-over:true',
      'failing-back:false',
      'logged-in:true',
    ]);
    assert.ok(!JSON.stringify(session.snapshot).includes('sess-SECRET'));
  });

  it('turns a forced logout into an error with the gateway reason', async () => {
    const rig = await loggedIn();
    await rig.session.call('202');
    rig.fake.registration('AWL_MSG_LOGIN_FAILED', 'Logged in elsewhere');
    await flush();
    const snap = rig.session.snapshot;
    assert.equal(snap.registration.state, 'error');
    assert.equal(snap.error?.code, 'login-failed');
    assert.equal(snap.error?.reason, 'Logged in elsewhere');
    assert.equal(snap.calls.length, 0, 'no call survives the registration');
  });

  it('flags a link issue and clears it on the next successful login result', async () => {
    const rig = await loggedIn();
    rig.fake.registration('AWL_MSG_LINK_ISSUE_DETECTED', 'link issue detected');
    await flush();
    assert.equal(rig.session.snapshot.resiliency.linkIssue, true);
    assert.equal(rig.session.snapshot.registration.state, 'logged-in');
    rig.fake.registration('AWL_MSG_RELOGGED_IN', 'Reconnection to gw Successful');
    await flush();
    assert.equal(rig.session.snapshot.resiliency.linkIssue, false);
  });

  it('records token renewal results without keeping the token', async () => {
    const rig = await loggedIn({ fake: { resiliency: true } });
    rig.fake.tokenRenewed(true);
    await flush();
    assert.equal(rig.session.snapshot.resiliency.tokenRenewal, 'ok');
    rig.fake.tokenRenewed(false);
    await flush();
    assert.equal(rig.session.snapshot.resiliency.tokenRenewal, 'failed');
    assert.ok(!JSON.stringify(rig.session.snapshot).includes('SECRET'));
  });
});
