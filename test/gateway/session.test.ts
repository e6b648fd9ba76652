/** Session: D11/D10 login (§5, §13.1), gateway settings, tokens, renewal, forced and duplicate login. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { connectCall, expectDisconnected, expectResponse } from '../support/calls.js';
import { runCli, TEST_ENV } from '../support/gateway.js';
import type { Env } from '../support/raw-client.js';
import { useGateway } from '../support/suite.js';

/** §5.2 types, checked field by field on the raw JSON. */
function assertSettings(params: Env['params']): void {
  assert.equal(params.responseCode, '200');
  assert.equal(typeof params.responseString, 'string');
  assert.equal(typeof params.codec, 'object', 'codec must be present');
  assert.equal(typeof params.codec.dtmfPayLoad, 'string', 'codec.dtmfPayLoad must be a STRING');
  assert.match(params.codec.dtmfPayLoad, /^\d{2,3}$/);
  assert.ok(
    params.nat && typeof params.nat === 'object',
    'nat must be present (the D11 client throws without it)',
  );
  assert.ok(params.nat.stun && typeof params.nat.stun === 'object', 'nat.stun must be an object');
  assert.ok(params.nat.turn && typeof params.nat.turn === 'object', 'nat.turn must be an object');
  assert.equal(
    typeof params.nat.turn.enforce,
    'string',
    'nat.turn.enforce must be a STRING (a boolean throws in the client)',
  );
  assert.match(params.nat.turn.enforce, /^(true|false)$/);
  for (const group of [params.nat.stun, params.nat.turn]) {
    for (const [key, value] of Object.entries(group))
      assert.equal(typeof value, 'string', `nat.*.${key} must be a string`);
  }
  if (params.other !== undefined) {
    for (const [key, value] of Object.entries(params.other))
      assert.equal(typeof value, 'string', `other.${key} must be a string`);
  }
}

/** A session token from a D11 loginResponse (§5.4): {type:"session", token, expiry seconds}. */
function sessionToken(response: Env): string {
  const data = response.params.loginSessionData;
  assert.ok(
    data && typeof data === 'object',
    `loginSessionData missing: ${JSON.stringify(response.params)}`,
  );
  const { authToken } = data;
  assert.equal(authToken.type, 'session');
  assert.equal(typeof authToken.token, 'string');
  assert.ok(authToken.token.length >= 16, 'session token too short to be unguessable');
  assert.equal(authToken.expiry, 3600, 'expiry is the --token-ttl default (3600 s), as a number');
  return authToken.token;
}

async function esnaToken(user: string, env: Record<string, string> = {}): Promise<string> {
  const result = await runCli(['token', user, '--type', 'esna'], { env });
  assert.equal(result.code, 0, `ipo-gateway token failed: ${result.stderr}`);
  const text = result.stdout.trim().split('\n').pop()!.trim();
  assert.ok(text.length >= 16, `no token printed: ${JSON.stringify(result.stdout)}`);
  return text;
}

describe('session', () => {
  const s = useGateway();

  test('13.1 D11: jsonrpc-3.0 is selected, getGatewaySettings + login back-to-back both answered', async () => {
    const c = await s.connect();
    assert.equal(
      c.ws.protocol,
      'jsonrpc-3.0',
      'offered [jsonrpc, jsonrpc-3.0]: the gateway must select jsonrpc-3.0',
    );
    const { response, settings, settingsId, loginId } = await c.login('201');
    assert.ok(settings, 'gatewaySettingsResponse');
    assert.equal(settings.id, settingsId);
    assert.equal(response.id, loginId);
    assert.equal(response.protocol, 'jsonrpc-3.0.0');
    assert.equal(response.service, 'phoneservice');
    assertSettings(settings.params);
    assert.equal(response.params.responseCode, '200');
    assert.equal(typeof response.params.responseString, 'string');
    sessionToken(response);
    const ha = response.params.loginSessionData.haData;
    if (ha !== undefined && ha !== null) {
      assert.equal(typeof ha.haSupported, 'boolean');
      assert.equal(typeof ha.haEnabled, 'boolean');
    }
  });

  test('gatewaySettingsResponse before login: codec.dtmfPayLoad string, nat present, nat.turn.enforce string', async () => {
    const c = await s.connect();
    const response = await c.request('getGatewaySettings', { type: 'all' });
    assert.equal(response.msgname, 'gatewaySettingsResponse');
    assertSettings(response.params);
  });

  test('D10: subprotocol jsonrpc, protocol "jsonrpc-2.0.0", login {extn,password,bumpConnection,tokAuth}; calls with a D11 party', async () => {
    const d10 = await s.connect({ protocols: ['jsonrpc'] });
    assert.equal(d10.ws.protocol, 'jsonrpc');
    assert.equal(d10.dialect, 'D10');
    assert.deepEqual(Object.keys(d10.loginParams('202', {})).sort(), [
      'bumpConnection',
      'extn',
      'password',
      'tokAuth',
    ]);
    const { response } = await d10.login('202');
    assert.equal(response.protocol, 'jsonrpc-2.0.0');
    assert.equal(response.params.responseCode, '200');
    const d11 = await s.login('201');
    const call = await connectCall(d11, d10, '202');
    assert.equal(call.incoming.protocol, 'jsonrpc-2.0.0');
    expectResponse(
      await d10.request('endCall', { callId: call.calleeId }),
      'endCallResponse',
      '200',
      call.calleeId,
    );
    await expectDisconnected(d11, call.callerId);
    await expectDisconnected(d10, call.calleeId);
  });

  test('wrong password and unknown user: loginResponse "401" Invalid Credentials (D11 and D10)', async () => {
    for (const [user, password, protocols] of [
      ['203', 'wrong-Pw-91ab', undefined],
      ['999', TEST_ENV.IPO_DEMO_PASSWORD, undefined],
      ['203', 'wrong-Pw-91ac', ['jsonrpc']],
    ] as const) {
      const c = await s.connect(protocols ? { protocols: [...protocols] } : {});
      const { response } = await c.login(user, { password, expect: '401' });
      assert.equal(response.params.responseString, 'Invalid Credentials');
      assert.equal(response.params.loginSessionData, undefined, 'no session data on failure');
    }
  });

  test('token login (authType "token") with the session token from loginSessionData', async () => {
    const first = await s.connect();
    const token = sessionToken((await first.login('201')).response);
    const again = await s.connect();
    assert.equal(again.loginParams('201', { token, tokenType: 'session' }).authType, 'token');
    const { response } = await again.login('201', {
      token,
      tokenType: 'session',
      bump: true,
      applicationInstanceID: first.instanceId,
    });
    sessionToken(response);
  });

  test('ESNA token from `ipo-gateway token 201 --type esna` logs in (D11 esna, D10 tokAuth)', async () => {
    const token = await esnaToken('201');
    const d11 = await s.connect();
    await d11.login('201', { token, tokenType: 'esna' });
    const d10 = await s.connect({ protocols: ['jsonrpc'] });
    const { response } = await d10.login('201', { token, bump: true });
    assert.equal(response.protocol, 'jsonrpc-2.0.0');
    assert.equal((await d11.next('LoginStatusChanged')).params.loginState, 'LOGGED_OUT');
    d11.loggedIn = false;
    const d10again = await s.connect({ protocols: ['jsonrpc'] });
    await d10again.login('201', { bump: 'true' });
    const bumped = await d10.next('LoginStatusChanged');
    assert.equal(bumped.protocol, 'jsonrpc-2.0.0');
    assert.equal(bumped.params.loginState, 'LOGGED_OUT');
    d10.loggedIn = false;
  });

  test('bad tokens: loginResponse "-3003" Token rejected', async () => {
    const foreign = await esnaToken('201', { IPO_TOKEN_SECRET: 'another-secret-0f9e8d7c6b5a' });
    const for201 = await esnaToken('201');
    const cases: Array<[string, string, string]> = [
      ['201', 'garbage-token-not-issued-by-gw', 'esna'],
      ['201', foreign, 'esna'],
      ['202', for201, 'esna'],
      ['202', 'garbage-session-token-abcdefgh', 'session'],
    ];
    for (const [user, token, tokenType] of cases) {
      const c = await s.connect();
      const { response } = await c.login(user, { token, tokenType, expect: '-3003' });
      assert.equal(response.params.responseString, 'Token rejected');
    }
  });

  test('renewToken returns a new session token, which logs in', async () => {
    const a = await s.connect();
    const token = sessionToken((await a.login('202')).response);
    const renewed = await a.request('renewToken', {
      userID: '202',
      token,
      applicationInstanceID: a.instanceId,
    });
    expectResponse(renewed, 'renewTokenResponse', '200');
    const fresh = renewed.params.authToken;
    assert.equal(fresh.type, 'session');
    assert.equal(typeof fresh.token, 'string');
    assert.notEqual(fresh.token, token, 'renewal must issue a new token');
    assert.equal(typeof fresh.expiry, 'number');
    assert.ok(fresh.expiry > 0);
    const bad = await a.request('renewToken', {
      userID: '202',
      token: 'not-a-token-0123456789',
      applicationInstanceID: a.instanceId,
    });
    assert.equal(bad.msgname, 'renewTokenResponse');
    assert.notEqual(bad.params.responseCode, '200', 'renewing an unknown token must fail');
    const b = await s.connect();
    await b.login('202', {
      token: fresh.token,
      tokenType: 'session',
      bump: true,
      applicationInstanceID: a.instanceId,
    });
  });

  test('forced login (bumpConnection true and "true"): old session gets LoginStatusChanged LOGGED_OUT, its calls end', async () => {
    const peer = await s.login('203');
    let old = await s.login('201');
    for (const bump of [true, 'true'] as const) {
      const call = await connectCall(old, peer, '203');
      const next = await s.login('201', { bump });
      const status = await old.next('LoginStatusChanged');
      assert.deepEqual(status.params, {
        loginState: 'LOGGED_OUT',
        reasonCode: '-3010',
        reasonString: 'Logged in elsewhere',
      });
      await expectDisconnected(peer, call.calleeId);
      old.loggedIn = false;
      old = next;
    }
  });

  test('second login without bump is refused "409" naming the other client\'s user agent; "false" is no bump', async () => {
    const ua = 'acme-softphone/2.4-first';
    const header = 'UA-Header-first/1.0';
    const first = await s.login('204', { applicationUA: ua, userAgent: header });
    for (const bump of [false, 'false'] as const) {
      const c = await s.connect();
      const { response } = await c.login('204', { bump, expect: '409' });
      const reason: string = response.params.responseString;
      assert.ok(
        reason.includes(ua) || reason.includes(header),
        `reason must name the other client's user agent: ${reason}`,
      );
    }
    await first.expectNone('LoginStatusChanged');
    expectResponse(
      await first.request('getGatewaySettings', { type: 'all' }),
      'gatewaySettingsResponse',
      '200',
    );
  });
});
