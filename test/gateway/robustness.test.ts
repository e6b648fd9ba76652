/** Hostile and broken input (§3, §16; docs/gateway.md "Protocol behaviour"), size and rate limits, Origin. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RESPONSE_OF } from '../../src/protocol/index.js';
import { expectResponse, fakeSdp, newCallId } from '../support/calls.js';
import { RawClient, UpgradeRefused, type Env } from '../support/raw-client.js';
import { useGateway, type Suite } from '../support/suite.js';

/** An errorResponse "400" (§ docs: bad frames), echoing `id` when given. */
async function expectError(client: RawClient, id?: string, requestMsgname?: string): Promise<Env> {
  const error = await client.next('errorResponse');
  expectResponse(error, 'errorResponse', '400');
  assert.ok(error.params.responseString.length > 0);
  if (id !== undefined) assert.equal(error.id, id, 'errorResponse must echo a readable id');
  if (requestMsgname !== undefined && error.params.requestMsgname !== undefined)
    assert.equal(error.params.requestMsgname, requestMsgname);
  return error;
}

async function healthy(s: Suite): Promise<void> {
  const health = await s.gw.http('GET', '/healthz');
  assert.equal(health.status, 200);
  assert.equal((health.json as { status?: string }).status, 'ok');
}

describe('bad input', () => {
  const s = useGateway();

  test('frames that are not JSON objects → errorResponse "400"; they are logged; the connection survives', async () => {
    const c = await s.connect();
    const mark = s.gw.mark();
    for (const text of ['{not json', '[1,2,3]', '42', '"text"', 'null', '']) {
      c.sendRaw(text);
      await expectError(c);
    }
    await s.gw.waitForLog(
      (l) =>
        (l.level === 'warn' || l.level === 'info') &&
        /frame|json|invalid|bad|malformed/i.test(JSON.stringify(l)),
      { after: mark },
    );
    await c.login('201');
  });

  test('missing envelope members → errorResponse "400" echoing the id when readable', async () => {
    const c = await s.connect();
    for (const member of ['protocol', 'id', 'service', 'msgname', 'params'] as const) {
      const id = c.newId();
      const envelope: Record<string, unknown> = {
        protocol: c.protocol,
        id,
        service: 'phoneservice',
        msgname: 'getGatewaySettings',
        params: { type: 'all' },
      };
      delete envelope[member];
      c.sendRaw(JSON.stringify(envelope));
      await expectError(
        c,
        member === 'id' ? undefined : id,
        member === 'msgname' ? undefined : 'getGatewaySettings',
      );
    }
    for (const [member, value] of [
      ['id', null],
      ['id', 7],
      ['msgname', ''],
      ['service', ''],
      ['service', 42],
    ] as const) {
      const id = c.newId();
      c.sendRaw(
        JSON.stringify({
          protocol: c.protocol,
          id,
          service: 'phoneservice',
          msgname: 'getGatewaySettings',
          params: { type: 'all' },
          [member]: value,
        }),
      );
      await expectError(c, member === 'id' ? undefined : id);
    }
    await c.expectNone('gatewaySettingsResponse', undefined, 100);
  });

  test('wrong protocol string → errorResponse "400" echoing the id (D11 and D10 connections)', async () => {
    const d11 = await s.connect();
    for (const protocol of ['jsonrpc-2.0.0', 'jsonrpc-3.0', '2.0']) {
      const id = d11.send('getGatewaySettings', { type: 'all' }, { protocol });
      await expectError(d11, id);
    }
    const d10 = await s.connect({ protocols: ['jsonrpc'] });
    const id = d10.send('getGatewaySettings', { type: 'all' }, { protocol: 'jsonrpc-3.0.0' });
    const error = await expectError(d10, id);
    assert.equal(error.protocol, 'jsonrpc-2.0.0', "answers use the connection's dialect");
  });

  test('unknown msgname (also prototype names) → errorResponse "400" naming it', async () => {
    const c = await s.connect();
    for (const msgname of [
      'dialNumber',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'CallConnected',
      'loginResponse',
    ]) {
      const id = c.send(msgname, { callId: newCallId() });
      await expectError(c, id, msgname);
    }
  });

  test('requests before login → their own …Response "401" Not logged in (with callId)', async () => {
    const c = await s.connect();
    const cases: Array<[string, unknown]> = [
      ['makeCall', { target: '202', callId: newCallId(), sdp: fakeSdp() }],
      ['holdCall', { callId: newCallId() }],
      ['endCall', { callId: newCallId() }],
      ['renewToken', { userID: '201', token: 'not-a-real-token-0000', applicationInstanceID: 1 }],
      ['logout', null],
    ];
    for (const [request, params] of cases) {
      const response = await c.request(request, params);
      expectResponse(
        response,
        RESPONSE_OF[request as keyof typeof RESPONSE_OF],
        '401',
        (params as { callId?: string } | null)?.callId,
      );
      assert.equal(response.params.responseString, 'Not logged in');
    }
  });

  test('known requests with wrong field types → their own …Response "400" naming the field (callId when readable)', async () => {
    const a = await s.login('201');
    const callId = newCallId();
    const cases: Array<[string, Record<string, unknown>, string, string | undefined]> = [
      ['makeCall', { target: 203, callId, sdp: fakeSdp() }, 'target', callId],
      ['makeCall', { target: '203', callId, sdp: { text: 'v=0' } }, 'sdp', callId],
      ['holdCall', { callId: 42 }, 'callId', undefined],
      ['answerCall', { callId, sdp: 7 }, 'sdp', callId],
      ['transferCall', { callId, target: '203', type: false }, 'type', callId],
      ['getGatewaySettings', { type: ['all'] }, 'type', undefined],
    ];
    for (const [request, params, field, echoed] of cases) {
      const response = await a.request(request, params, { callId: echoed });
      expectResponse(response, RESPONSE_OF[request as keyof typeof RESPONSE_OF], '400', echoed);
      assert.ok(
        response.params.responseString.includes(field),
        `"${response.params.responseString}" must name ${field}`,
      );
      if (echoed === undefined) assert.equal(response.params.callId, undefined);
    }
    const other = await s.connect();
    const id = other.send('login', { ...other.loginParams('202', {}), userID: 202 });
    const loginResponse = await other.next('loginResponse', (_p, env) => env.id === id);
    expectResponse(loginResponse, 'loginResponse', '400');
    assert.ok(loginResponse.params.responseString.includes('userID'));
  });

  test('an SDP over the size limit (inside a frame under --max-frame) is refused with callId and offers nothing', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const callId = newCallId();
    const sdp = fakeSdp() + 'a=x-padding\r\n'.repeat(7000);
    assert.ok(sdp.length > 64 * 1024 && sdp.length < 120_000);
    const response = await a.request('makeCall', { target: '202', callId, sdp });
    assert.equal(response.params.callId, callId);
    assert.notEqual(response.params.responseCode, '200');
    await b.expectNone('IncomingCall');
    assert.ok(a.open);
  });

  test('a frame over --max-frame closes the socket with 1009; other sessions carry on', async () => {
    const big = await s.login('201');
    const other = await s.login('202');
    big.send('makeCall', {
      target: '202',
      callId: newCallId(),
      sdp: `v=0\r\n${'a=x-padding\r\n'.repeat(12_000)}`,
    });
    assert.equal((await big.waitClosed()).code, 1009);
    big.loggedIn = false;
    expectResponse(
      await other.request('getGatewaySettings', { type: 'all' }),
      'gatewaySettingsResponse',
      '200',
    );
    await other.expectNone('IncomingCall', undefined, 100);
  });

  test('a flood gets "429" responses; other sessions and /healthz are unaffected', async () => {
    const flooder = await s.login('203');
    const other = await s.login('204');
    for (let i = 0; i < 200; i++) flooder.send('getGatewaySettings', { type: 'all' });
    const limited = await flooder.next('gatewaySettingsResponse', (p) => p.responseCode === '429');
    assert.equal(typeof limited.params.responseString, 'string');
    expectResponse(
      await other.request('getGatewaySettings', { type: 'all' }),
      'gatewaySettingsResponse',
      '200',
    );
    await healthy(s);
  });

  test('a sustained flood is closed with 1008; the gateway still answers afterwards', async () => {
    const flooder = await s.login('203');
    const timer = setInterval(() => {
      if (!flooder.open) return;
      for (let i = 0; i < 20; i++) flooder.send('getGatewaySettings', { type: 'all' });
    }, 20);
    try {
      assert.equal((await flooder.waitClosed(10_000)).code, 1008);
    } finally {
      clearInterval(timer);
    }
    flooder.loggedIn = false;
    await healthy(s);
    await s.login('203', { bump: true });
  });
});

describe("Origin check at upgrade (default allow-list: the gateway's own origins)", () => {
  const s = useGateway();

  test('a foreign Origin is refused with a 4xx before any WebSocket exists; the own origin is accepted', async () => {
    for (const origin of [
      'https://evil.example',
      'null',
      `https://127.0.0.1.evil.example:${s.gw.port}`,
      `http://127.0.0.1:${s.gw.port}`,
    ]) {
      await assert.rejects(RawClient.connect(s.gw.wsUrl, { origin }), (error: unknown) => {
        assert.ok(error instanceof UpgradeRefused, `Origin ${origin}: ${String(error)}`);
        assert.ok(
          error.statusCode >= 400 && error.statusCode < 500,
          `Origin ${origin}: HTTP ${error.statusCode}`,
        );
        return true;
      });
    }
    const own = await s.connect();
    expectResponse(
      await own.request('getGatewaySettings', { type: 'all' }),
      'gatewaySettingsResponse',
      '200',
    );
  });
});

describe('--allow-origin', () => {
  const s = useGateway({
    args: ['--allow-origin', 'https://app.example,https://other.example:8443'],
  });

  test('listed origins are accepted, others refused', async () => {
    for (const origin of ['https://app.example', 'https://other.example:8443'])
      await s.login('201', { origin, bump: true });
    await assert.rejects(
      RawClient.connect(s.gw.wsUrl, { origin: 'https://evil.example' }),
      UpgradeRefused,
    );
  });
});
