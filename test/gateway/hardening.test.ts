/**
 * Issue 10: requests that used to crash or confuse the gateway, each over real sockets against the
 * built gateway process. Every test ends by proving the process still serves.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TEST_ENV } from '../support/gateway.js';
import { expectDisconnected, ring } from '../support/calls.js';
import { rawHttp } from '../support/raw-http.js';
import { useGateway, type Suite } from '../support/suite.js';

async function alive(s: Suite): Promise<void> {
  assert.equal(s.gw.running, true, `gateway exited: ${JSON.stringify(s.gw.exit)}\n${s.gw.stderr}`);
  assert.equal((await s.gw.health()).status, 'ok');
}

describe('request targets that are not plain paths (defects 1, 11)', () => {
  const s = useGateway();

  test('GET //, //a:99999/, //[ and absolute-form targets → 4xx, the process keeps serving', async () => {
    for (const target of [
      '//',
      '//a:99999/',
      '//[',
      '//[::1',
      '///x',
      '//a b',
      '//evil.example/index.html',
    ]) {
      const answer = await rawHttp(s.gw.port, `GET ${target.replace(' ', '%20')} HTTP/1.1`);
      assert.ok(
        answer.status >= 400 && answer.status < 500,
        `GET ${target}: HTTP ${answer.status}`,
      );
      await alive(s);
    }
    const star = await rawHttp(s.gw.port, 'OPTIONS * HTTP/1.1');
    assert.equal(star.status, 400);
    await alive(s);
  });

  test('a WebSocket upgrade to // or //[ is refused with a 4xx, the process keeps serving', async () => {
    for (const target of ['//', '//[', '//a:99999/SignalGateway/connect']) {
      const answer = await rawHttp(s.gw.port, `GET ${target} HTTP/1.1`, {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Protocol': 'jsonrpc-3.0',
      });
      assert.ok(answer.status >= 400 && answer.status < 500, `upgrade ${target}: ${answer.status}`);
      await alive(s);
    }
  });

  test('bad percent-encoding in a static path → 400, not 500', async () => {
    for (const target of ['/%E0%A4%A', '/dist/%', '/%ZZ.js', '/dist/%C0%AF']) {
      const answer = await rawHttp(s.gw.port, `GET ${target} HTTP/1.1`);
      assert.equal(answer.status, 400, `GET ${target}: ${answer.status} ${answer.body}`);
    }
    const nul = await rawHttp(s.gw.port, 'GET /index.html%00.js HTTP/1.1');
    assert.equal(nul.status, 400);
    await alive(s);
  });

  test('an admin body over its limit → 413, not 500', async () => {
    const r = await s.gw.http('POST', '/admin/cti', {
      headers: { Authorization: `Bearer ${TEST_ENV.IPO_ADMIN_TOKEN}` },
      body: 'x'.repeat(10_000),
    });
    assert.equal(r.status, 413);
    await alive(s);
  });
});

describe('over-rate answers for prototype msgnames (defect 9)', () => {
  const s = useGateway();

  test('toString, constructor, hasOwnProperty, __proto__ over the rate → errorResponse "429", well formed', async () => {
    for (const msgname of ['toString', 'constructor', 'hasOwnProperty', '__proto__']) {
      const c = await s.connect();
      const ids: string[] = [];
      for (let i = 0; i < 100; i++) ids.push(c.send(msgname, { callId: 'x' }));
      const limited = await c.next('errorResponse', (p) => p.responseCode === '429');
      assert.ok(ids.includes(limited.id), `${msgname}: the 429 echoes the request id`);
      assert.equal(typeof limited.params.responseString, 'string');
      assert.equal(
        c.received.filter((e) => e.msgname !== 'errorResponse').length,
        0,
        `${msgname}: every answer is an errorResponse:\n${c.summary()}`,
      );
      await c.close();
    }
    await alive(s);
  });
});

describe('answers that the client would itself refuse (found by the fuzzer, seed 7)', () => {
  const s = useGateway();

  test('a request whose callId is not an identifier is answered without echoing it', async () => {
    const c = await s.login('201');
    for (const callId of ['bad callid!', '<script>', 'é', 'x'.repeat(300)]) {
      const id = c.send('updateMedia', { callId, sdp: 7 });
      const answer = await c.next('updateMediaResponse', (_p, env) => env.id === id);
      assert.equal(answer.params.responseCode, '400');
      assert.equal(answer.params.callId, undefined, `not echoed: ${callId.slice(0, 20)}`);
    }
    // the suite's envelope check (parseInbound, as the SDK reads it) runs on every frame received
  });
});

describe('rejectCall with ext.reason "invalid-offer" (the SDK refusing an offer it cannot take, item 13)', () => {
  const s = useGateway();

  test("the caller's CallDisconnected says why", async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const call = await ring(a, b, '202');
    const r = await b.request('rejectCall', {
      callId: call.calleeId,
      ext: { reason: 'invalid-offer' },
    });
    assert.equal(r.params.responseCode, '200');
    await expectDisconnected(a, call.callerId, 'The called party could not accept the call offer');
  });
});
