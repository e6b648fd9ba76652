/** Process and link lifecycle: /healthz, SIGTERM shutdown, kill -9, keep-alive frames and pings (§2.6). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { connectCall, expectDisconnected, expectResponse } from '../support/calls.js';
import { Gateway } from '../support/gateway.js';
import { KEEPALIVE, RawClient } from '../support/raw-client.js';
import { useGateway, type Suite } from '../support/suite.js';

/** The documented members of GET /healthz (additional members are tolerated). */
async function health(s: Suite): Promise<{ status: unknown; sessions: unknown; calls: unknown }> {
  const result = await s.gw.http('GET', '/healthz');
  assert.equal(result.status, 200);
  assert.match(String(result.headers['content-type']), /application\/json/);
  const { status, sessions, calls } = result.json as Record<string, unknown>;
  return { status, sessions, calls };
}

describe('healthz and shutdown', () => {
  const s = useGateway();

  test('GET /healthz → {"status":"ok","sessions":N,"calls":N}, counting logged-in sessions and calls', async () => {
    assert.deepEqual(await health(s), { status: 'ok', sessions: 0, calls: 0 });
    const a = await s.login('201');
    const b = await s.login('202');
    await s.connect(); // not logged in: not a session
    assert.deepEqual(await health(s), { status: 'ok', sessions: 2, calls: 0 });
    const call = await connectCall(a, b, '202');
    assert.deepEqual(await health(s), { status: 'ok', sessions: 2, calls: 1 });
    expectResponse(
      await a.request('endCall', { callId: call.callerId }),
      'endCallResponse',
      '200',
      call.callerId,
    );
    await expectDisconnected(b, call.calleeId);
    assert.deepEqual(await health(s), { status: 'ok', sessions: 2, calls: 0 });
  });

  test('SIGTERM closes every socket with 1001 and exits 0', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const idle = await s.connect();
    await connectCall(a, b, '202');
    await s.gw.stop();
    for (const client of [a, b, idle]) {
      assert.equal(
        (await client.waitClosed()).code,
        1001,
        `${client.label} must see close code 1001`,
      );
      client.loggedIn = false;
    }
  });
});

describe('kill -9', () => {
  test('a killed gateway drops its sockets (1006) and a new one starts on a fresh port', async () => {
    const gw = await Gateway.start();
    try {
      const c = await RawClient.connect(gw.wsUrl, { origin: gw.origin });
      await c.login('201');
      assert.equal((await gw.kill9()).signal, 'SIGKILL');
      assert.equal((await c.waitClosed()).code, 1006);
    } finally {
      await gw.kill9();
    }
    const again = await Gateway.start();
    const c = await RawClient.connect(again.wsUrl, { origin: again.origin });
    await c.login('201');
    await c.dispose();
    await again.stop();
  });
});

describe('keep-alive (--keepalive 1)', () => {
  // §2.5 exactly on a dead client: the call-resume extension is switched off here
  const s = useGateway({ args: ['--keepalive', '1', '--call-resume-grace', '0'] });

  test('the text frame "keepalive" and WebSocket pings arrive every second', async () => {
    const c = await s.login('201');
    const started = Date.now();
    await c.next(KEEPALIVE, undefined, 2500);
    await c.next(KEEPALIVE, undefined, 2500);
    assert.ok(Date.now() - started >= 900, 'two keepalives are about a period apart');
    const frames = c.frames.filter((f) => f.text === 'keepalive');
    assert.ok(
      frames.length >= 2 && frames.every((f) => !f.binary),
      'keepalive is a TEXT frame with exactly "keepalive"',
    );
    await c.waitForPings(1, 2500);
  });

  test('a client that stops answering pings is dropped and its calls end for the far end', async () => {
    const a = await s.login('201');
    const b = await s.login('202');
    const call = await connectCall(a, b, '202');
    a.ws.pause();
    await expectDisconnected(b, call.calleeId, 'Far end disconnected', 8000);
    a.loggedIn = false;
    await a.terminate();
  });
});
