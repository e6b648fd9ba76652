/**
 * HA pair (§5.4 haData, §8.3 token renewal, §8.4 GatewayHAModeChanged): two real gateway processes
 * with `--role primary|secondary --peer`, the secondary health-checking the primary.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { connectCall, expectResponse } from '../support/calls.js';
import { HaPair, runCli, TEST_ENV, type Gateway } from '../support/gateway.js';
import { RawClient, secrets, type Env, type LoginOptions } from '../support/raw-client.js';
import { useGateway } from '../support/suite.js';
import { peerKey } from '../../src/gateway/ha.js';

// the pair key travels on every health check: it must never reach a log
secrets.add(peerKey(TEST_ENV.IPO_TOKEN_SECRET));

const FAILBACK = 7;

/** Clients opened in a test, disposed (and envelope-checked) after it. */
function clientPool() {
  const clients: RawClient[] = [];
  afterEach(async () => {
    const used = clients.splice(0);
    await Promise.all(used.map((c) => c.dispose()));
    const violations = used.flatMap((c) => c.violations.map((v) => `[${c.label}] ${v}`));
    assert.deepEqual(violations, [], 'frames from the gateway broke the envelope rules');
  });
  return {
    /** Connects to `gw` as a page of `origin` (default: the gateway's own). */
    async connect(gw: Gateway, origin = gw.origin): Promise<RawClient> {
      const c = await RawClient.connect(gw.wsUrl, {
        origin,
        userAgent: `ipo-kit-ha-tests/${clients.length + 1}`,
      });
      clients.push(c);
      return c;
    },
    async login(
      gw: Gateway,
      user: string,
      o: LoginOptions & { origin?: string } = {},
    ): Promise<{ client: RawClient; response: Env }> {
      const client = await this.connect(gw, o.origin);
      const { response } = await client.login(user, o);
      return { client, response };
    },
  };
}

function tokenOf(response: Env): string {
  const token = response.params.loginSessionData?.authToken?.token;
  assert.equal(typeof token, 'string', `no session token in ${JSON.stringify(response.params)}`);
  return token as string;
}

function expectHaData(response: Env, serverType: 'primary' | 'secondary', port: number): void {
  assert.deepEqual(response.params.loginSessionData.haData, {
    haSupported: true,
    haEnabled: true,
    backupGateway: { serverType, address: '127.0.0.1', domain: '', port: String(port) },
    haFailoverTime: 30,
    haFailbackTime: FAILBACK,
  });
}

const isHaState = (state: string) => (l: Record<string, unknown>) =>
  l.msg === 'ha state' && l.state === state;

describe('HA pair: haData, passive secondary, rotation across the pair, hung primary', () => {
  let pair: HaPair;
  const pool = clientPool();
  before(async () => {
    pair = await HaPair.start({ args: ['--ha-failback', String(FAILBACK)] });
    // the secondary has found its primary
    await pair.secondary.waitForLog((l) => l.msg === 'ha: primary up', { timeoutMs: 5000 });
  });
  after(async () => {
    await pair.stop(secrets);
  });

  test('/healthz reports role and state: primary active, secondary passive, each sees its peer', async () => {
    const p = await pair.primary.health();
    const s = await pair.secondary.health();
    assert.deepEqual([p.role, p.state, p.peer], ['primary', 'active', 'up']);
    assert.deepEqual([s.role, s.state, s.peer], ['secondary', 'passive', 'up']);
  });

  test('/ha/sync refuses a caller without the pair key (401), and its answer is authenticated (X-HA-Auth)', async () => {
    const refused = await pair.primary.http('POST', '/ha/sync', {
      headers: {
        Authorization: `Bearer ${TEST_ENV.IPO_TOKEN_SECRET}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ role: 'secondary', state: 'passive', epoch: 'x', seq: 0, floors: [] }),
    });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers['x-ha-auth'], undefined);
  });

  test('§5.4 haData on the primary names the secondary as backup (port as a string)', async () => {
    const { client, response } = await pool.login(pair.primary, '201');
    expectHaData(response, 'secondary', pair.secondaryPort);
    await client.expectNone('GatewayHAModeChanged');
  });

  test('§8.4 login on the passive secondary: accepted (haData names the primary), then GatewayHAModeChanged passive', async () => {
    const { client, response } = await pool.login(pair.secondary, '202', {
      origin: pair.primary.origin,
    });
    expectHaData(response, 'primary', pair.primaryPort);
    const changed = await client.next('GatewayHAModeChanged');
    assert.deepEqual(changed.params, { mode: 'passive' });
    const login = client.frames.find((f) => f.env?.msgname === 'loginResponse')!;
    const ha = client.frames.find((f) => f.env?.msgname === 'GatewayHAModeChanged')!;
    assert.ok(ha.seq > login.seq, 'GatewayHAModeChanged comes after the loginResponse');
  });

  test('§8.3 renewToken rotates: the old token is refused on the same gateway and on the peer; the new one works on the peer', async () => {
    const { client, response } = await pool.login(pair.primary, '203');
    const t0 = tokenOf(response);
    const mark = pair.secondary.mark();
    const renewed = await client.request('renewToken', {
      userID: '203',
      token: t0,
      applicationInstanceID: client.instanceId,
    });
    expectResponse(renewed, 'renewTokenResponse', '200');
    const t1: string = renewed.params.authToken.token;
    assert.notEqual(t1, t0);
    const again = {
      applicationInstanceID: client.instanceId,
      tokenType: 'session',
      origin: pair.primary.origin,
    } as const;
    // same gateway: the old token is dead at once
    await pool.login(pair.primary, '203', { ...again, token: t0, expect: '-3003' });
    // the peer learns the rotation within a health-check period
    await pair.secondary.waitForLog(
      (l) => l.msg === 'ha: rotation floors merged' && l.from === 'primary',
      { after: mark, timeoutMs: 3000 },
    );
    await pool.login(pair.secondary, '203', { ...again, token: t0, expect: '-3003' });
    const primaryMark = pair.primary.mark();
    const { response: onSecondary } = await pool.login(pair.secondary, '203', {
      ...again,
      token: t1,
    });
    expectHaData(onSecondary, 'primary', pair.primaryPort);
    // that token login rotated t1 on the secondary: the primary learns it too
    await pair.primary.waitForLog(
      (l) => l.msg === 'ha: rotation floors merged' && l.from === 'secondary',
      { after: primaryMark, timeoutMs: 3000 },
    );
    await pool.login(pair.primary, '203', { ...again, token: t1, bump: true, expect: '-3003' });
    await pool.login(pair.secondary, '204', {
      ...again,
      token: tokenOf(onSecondary),
      expect: '-3003',
    }); // bound to its user
  });

  test('hung primary (globally silent): the secondary goes active; primary answering again → clients on the secondary get GatewayHAModeChanged passive', async () => {
    const mark = pair.secondary.mark();
    const started = Date.now();
    await pair.primary.fault({ silent: true });
    try {
      await pair.secondary.waitForLog(isHaState('active'), { after: mark, timeoutMs: 5000 });
      const detectedMs = Date.now() - started;
      assert.ok(
        detectedMs < 3000,
        `a hung primary must be noticed within ~1–2 s, took ${detectedMs} ms`,
      );
      assert.equal((await pair.secondary.health()).state, 'active');
      const { client } = await pool.login(pair.secondary, '205', { origin: pair.primary.origin });
      await client.expectNone('GatewayHAModeChanged');
      const { client: other } = await pool.login(pair.secondary, '206', {
        origin: pair.primary.origin,
      });
      const back = pair.secondary.mark();
      await pair.primary.fault({ silent: false });
      await pair.secondary.waitForLog(isHaState('passive'), { after: back, timeoutMs: 5000 });
      for (const c of [client, other])
        assert.deepEqual((await c.next('GatewayHAModeChanged')).params, { mode: 'passive' });
      assert.equal((await pair.secondary.health()).state, 'passive');
    } finally {
      await pair.primary.fault({ silent: false });
    }
  });
});

describe('HA failover: kill -9 of the primary, then failback', () => {
  let pair: HaPair;
  const pool = clientPool();
  before(async () => {
    pair = await HaPair.start({ args: ['--ha-failback', String(FAILBACK)] });
    await pair.secondary.waitForLog((l) => l.msg === 'ha: primary up', { timeoutMs: 5000 });
  });
  after(async () => {
    if (pair.primary.running || pair.secondary.running) await pair.stop(secrets);
  });

  test("SIGKILL primary → secondary active within 2 s and accepts a token login with the primary's token; primary restarted → GatewayHAModeChanged passive; failback login works", async () => {
    const page = pair.primary.origin; // the page stays where it is; only its socket moves
    const { client: onPrimary, response } = await pool.login(pair.primary, '201');
    const { client: peer } = await pool.login(pair.primary, '202');
    await connectCall(onPrimary, peer, '202');
    const token = tokenOf(response);
    const mark = pair.secondary.mark();
    const killedAt = Date.now();
    assert.equal((await pair.primary.kill9()).signal, 'SIGKILL');
    assert.equal((await onPrimary.waitClosed()).code, 1006);
    onPrimary.loggedIn = false;
    peer.loggedIn = false;
    await pair.secondary.waitForLog(isHaState('active'), { after: mark, timeoutMs: 5000 });
    const detectedMs = Date.now() - killedAt;
    assert.ok(
      detectedMs < 2500,
      `the secondary must notice a dead primary within ~1–2 s, took ${detectedMs} ms`,
    );
    const health = await pair.secondary.health();
    assert.deepEqual([health.state, health.peer], ['active', 'down']);

    // §8.4 step 2: a token login with the current session token, same instance, same page origin
    const { client: failedOver, response: overResponse } = await pool.login(pair.secondary, '201', {
      token,
      tokenType: 'session',
      applicationInstanceID: onPrimary.instanceId,
      origin: page,
    });
    expectHaData(overResponse, 'primary', pair.primaryPort);
    await failedOver.expectNone('GatewayHAModeChanged');
    const tokenOnSecondary = tokenOf(overResponse);

    // failback: the primary comes back on its port; the secondary tells its clients to go back
    const back = pair.secondary.mark();
    await pair.restartPrimary();
    await pair.secondary.waitForLog(isHaState('passive'), { after: back, timeoutMs: 5000 });
    assert.deepEqual((await failedOver.next('GatewayHAModeChanged')).params, { mode: 'passive' });
    const { response: backResponse } = await pool.login(pair.primary, '201', {
      token: tokenOnSecondary,
      tokenType: 'session',
      applicationInstanceID: onPrimary.instanceId,
      origin: page,
    });
    expectHaData(backResponse, 'secondary', pair.secondaryPort);
  });
});

describe('standalone gateway (no --role)', () => {
  const s = useGateway();
  test('haData {haSupported:false, haEnabled:false}; /healthz role standalone, state active', async () => {
    const c = await s.connect();
    const { response } = await c.login('201');
    assert.deepEqual(response.params.loginSessionData.haData, {
      haSupported: false,
      haEnabled: false,
    });
    const health = await s.gw.health();
    assert.deepEqual([health.role, health.state], ['standalone', 'active']);
  });

  test('POST /ha/sync without a pair is 404; --role needs --peer and IPO_TOKEN_SECRET', async () => {
    assert.equal((await s.gw.http('POST', '/ha/sync', { body: '{}' })).status, 404);
    const noPeer = await runCli(['serve', '--port', '0', '--role', 'primary']);
    assert.equal(noPeer.code, 2, noPeer.stderr);
    assert.match(noPeer.stderr, /--role and --peer/);
    const noSecret = await runCli(
      ['serve', '--port', '0', '--role', 'secondary', '--peer', '127.0.0.1:9'],
      { env: { IPO_TOKEN_SECRET: undefined } },
    );
    assert.equal(noSecret.code, 2, noSecret.stderr);
    assert.match(noSecret.stderr, /IPO_TOKEN_SECRET/);
    const badPeer = await runCli([
      'serve',
      '--port',
      '0',
      '--role',
      'secondary',
      '--peer',
      'nohostport',
    ]);
    assert.equal(badPeer.code, 2, badPeer.stderr);
  });
});
