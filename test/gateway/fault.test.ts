/**
 * Fault injection for link-loss tests: `POST /admin/fault {"silent":bool,"extension"?}` (admin
 * token) makes a session, or the whole gateway, go silent — no keep-alives, no pings, no answers,
 * no events — while its sockets stay open.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TEST_ENV } from '../support/gateway.js';
import { KEEPALIVE } from '../support/raw-client.js';
import { useGateway } from '../support/suite.js';

const auth = {
  Authorization: `Bearer ${TEST_ENV.IPO_ADMIN_TOKEN}`,
  'Content-Type': 'application/json',
};

describe('fault switch (--keepalive 1)', () => {
  const s = useGateway({ args: ['--keepalive', '1'] });

  test('guarded by the admin token; the body is validated', async () => {
    const body = JSON.stringify({ silent: true });
    assert.equal((await s.gw.http('POST', '/admin/fault', { body })).status, 401);
    assert.equal(
      (
        await s.gw.http('POST', '/admin/fault', {
          body,
          headers: { ...auth, Authorization: 'Bearer nope' },
        })
      ).status,
      401,
    );
    assert.equal((await s.gw.http('GET', '/admin/fault', { headers: auth })).status, 405);
    for (const bad of ['not json', '{}', '{"silent":"yes"}', '{"silent":true,"extension":201}']) {
      assert.equal(
        (await s.gw.http('POST', '/admin/fault', { body: bad, headers: auth })).status,
        400,
        bad,
      );
    }
    assert.equal((await s.gw.health()).silent, false, 'refused requests changed nothing');
    const preflight = await s.gw.http('OPTIONS', '/admin/fault', {
      headers: { Origin: s.gw.origin },
    });
    assert.equal(preflight.status, 204, 'a page on an allowed origin may call it (CORS preflight)');
    assert.equal(preflight.headers['access-control-allow-origin'], s.gw.origin);
    assert.equal(
      (await s.gw.http('OPTIONS', '/admin/fault', { headers: { Origin: 'https://evil.example' } }))
        .status,
      403,
    );
  });

  test('one extension silent: no keep-alives, pings or answers for it (socket open, not dropped); others unaffected; then back', async () => {
    const quiet = await s.login('201');
    const other = await s.login('202');
    await quiet.next(KEEPALIVE, undefined, 2500); // the link works
    assert.deepEqual(await s.gw.fault({ silent: true, extension: '201' }), {
      silent: false,
      sessions: 1,
    });
    const before = quiet.frames.length;
    const pings = quiet.pings;
    quiet.send('getGatewaySettings', { type: 'all' });
    await other.next(KEEPALIVE, undefined, 2500);
    await other.next(KEEPALIVE, undefined, 2500); // two periods for the other session
    assert.equal(quiet.frames.length, before, `a silent session gets nothing: ${quiet.summary()}`);
    assert.equal(quiet.pings, pings, 'no pings either');
    assert.ok(quiet.open, 'the socket stays open (no ping-timeout drop while silent)');
    expectOk(await other.request('getGatewaySettings', { type: 'all' }));
    await s.gw.fault({ silent: false, extension: '201' });
    expectOk(await quiet.request('getGatewaySettings', { type: 'all' }));
    await quiet.waitForFrame(
      (f) => f.seq >= before && f.text === KEEPALIVE,
      2500,
      'a keep-alive after the fault ended',
    );
    await quiet.waitForPings(pings + 1, 2500);
  });

  test('whole gateway silent: every session goes quiet, /healthz says so; {"silent":false} restores it', async () => {
    const a = await s.login('203');
    await s.gw.fault({ silent: true });
    try {
      assert.equal((await s.gw.health()).silent, true);
      const before = a.frames.length;
      a.send('getGatewaySettings', { type: 'all' });
      await a.expectNone('gatewaySettingsResponse', undefined, 1500);
      assert.equal(a.frames.length, before, 'no keep-alive and no answer while silent');
      assert.ok(a.open);
    } finally {
      await s.gw.fault({ silent: false });
    }
    assert.equal((await s.gw.health()).silent, false);
    expectOk(await a.request('getGatewaySettings', { type: 'all' }));
  });
});

function expectOk(env: { msgname: string; params: { responseCode: string } }): void {
  assert.equal(env.params.responseCode, '200', JSON.stringify(env));
}
