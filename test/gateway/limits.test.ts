/**
 * Issue 10, connection and logging limits over real sockets: a login deadline for unauthenticated
 * sockets, a per-IP connection cap and a per-IP frame budget (12); a flood writes a bounded number
 * of log lines (6). Other loopback addresses (127.0.0.2 …) stand for other client IPs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectResponse } from '../support/calls.js';
import { RawClient, UpgradeRefused } from '../support/raw-client.js';
import { useGateway } from '../support/suite.js';

describe('login deadline (--login-timeout 1)', () => {
  const s = useGateway({ args: ['--login-timeout', '1'] });

  test('a socket that does not log in is closed with 1008; a logged-in one stays; after logout the deadline runs again', async () => {
    const idle = await s.connect();
    const user = await s.login('201');
    const closed = await idle.waitClosed(5000);
    assert.equal(closed.code, 1008);
    assert.match(closed.reason, /login/i);
    assert.ok(user.open, 'a logged-in socket is not closed');
    expectResponse(
      await user.request('getGatewaySettings', { type: 'all' }),
      'gatewaySettingsResponse',
      '200',
    );
    expectResponse(await user.request('logout', null), 'logoutResponse', '200');
    user.loggedIn = false;
    assert.equal((await user.waitClosed(5000)).code, 1008);
  });
});

describe('per-IP connection cap (--max-connections-per-ip 3)', () => {
  const s = useGateway({ args: ['--max-connections-per-ip', '3'] });

  test('the 4th socket from one IP is refused with HTTP 429; another IP is not; a closed one frees its slot', async () => {
    const three = [await s.connect(), await s.connect(), await s.connect()];
    await assert.rejects(s.connect(), (error: unknown) => {
      assert.ok(error instanceof UpgradeRefused, String(error));
      assert.equal(error.statusCode, 429);
      return true;
    });
    const elsewhere = await s.connect({ localAddress: '127.0.0.2' });
    expectResponse(
      await elsewhere.request('getGatewaySettings', { type: 'all' }),
      'gatewaySettingsResponse',
      '200',
    );
    await three[0]!.close();
    const again = await s.connect();
    assert.ok(again.open);
    assert.equal((await s.gw.health()).connections, 4);
  });
});

describe('per-IP frame budget (--max-ip-rate 20: burst 400 frames per IP)', () => {
  const s = useGateway({ args: ['--max-ip-rate', '20', '--max-rate', '100000'] });

  test('six connections of one IP share its budget; another IP is served meanwhile', async () => {
    const clients = await Promise.all(Array.from({ length: 6 }, () => s.connect()));
    for (const c of clients)
      for (let i = 0; i < 100; i++) c.send('getGatewaySettings', { type: 'all' });
    const other = await s.connect({ localAddress: '127.0.0.3' });
    expectResponse(
      await other.request('getGatewaySettings', { type: 'all' }),
      'gatewaySettingsResponse',
      '200',
    );
    const answers = await Promise.all(
      clients.map(async (c) => {
        await c.waitForFrame(() => c.received.length >= 100, 8000, '100 answers');
        return c.received.map((e) => e.params.responseCode as string);
      }),
    );
    const all = answers.flat();
    const ok = all.filter((code) => code === '200').length;
    const limited = all.filter((code) => code === '429').length;
    assert.equal(ok + limited, 600);
    assert.ok(ok >= 400 && ok < 500, `about the burst of 400 was served: ${ok}`);
    assert.ok(limited > 150, `the rest was refused: ${limited}`);
  });
});

describe('a flood writes bounded logs (defect 6)', () => {
  const s = useGateway({ args: ['--max-ip-rate', '0'] });

  test('frames after the flood close are dropped without a log line each; bad frames are summarised', async () => {
    const flooder = await RawClient.connect(s.gw.wsUrl, { origin: s.gw.origin });
    const mark = s.gw.mark();
    let sent = 0;
    // keeps sending while the gateway closes (it reads until the socket is gone)
    while (flooder.open && sent < 20_000) {
      flooder.sendRaw('{not json');
      sent++;
      if (sent % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    const closed = await flooder.waitClosed(8000);
    assert.equal(closed.code, 1008);
    await s.gw.waitForLog((l) => l.msg === 'frames dropped while closing', { after: mark });
    const flood = s.gw.logs.slice(mark).find((l) => l.msg === 'flood: closing');
    assert.ok(flood, 'the flood close is logged');
    const own = s.gw.logs.slice(mark).filter((l) => l.session === flood.session);
    assert.ok(sent > 1000, `sent ${sent}`);
    assert.ok(own.length < 60, `${own.length} log lines for ${sent} frames`);
    const bad = own.filter((l) => l.msg === 'bad frame').length;
    assert.ok(bad >= 1 && bad <= 25, `bad-frame warnings are rate-limited: ${bad}`);
    assert.equal((await s.gw.health()).status, 'ok');
  });
});
