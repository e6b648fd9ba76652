/**
 * ESNA token issuing (the one-X part the gateway talks to): `ipo-gateway token issue`, the
 * authenticated `POST /admin/token`, and the demo pages' web-visitor route `GET /api/ipo-token`.
 * Every issued token logs in for real; none appears in the gateway's log.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDuration } from '../../src/gateway/token-routes.js';
import { runCli, TEST_ENV } from '../support/gateway.js';
import { secrets } from '../support/raw-client.js';
import { useGateway } from '../support/suite.js';

const ADMIN = { Authorization: `Bearer ${TEST_ENV.IPO_ADMIN_TOKEN}` };

interface Issued {
  user: string;
  token: string;
  tokenType: string;
  expiresIn: number;
}

function issued(json: unknown): Issued {
  const body = json as Issued;
  assert.equal(typeof body.token, 'string');
  assert.equal(body.tokenType, 'ESNA');
  secrets.add(body.token);
  return body;
}

describe('token issuing', () => {
  const s = useGateway();

  test('durations: 600, 600s, 10m, 2h; out of range or unreadable is refused', () => {
    assert.equal(parseDuration('600'), 600);
    assert.equal(parseDuration('600s'), 600);
    assert.equal(parseDuration('10m'), 600);
    assert.equal(parseDuration('2h'), 7200);
    assert.equal(parseDuration('2'), null, 'below 5 s');
    assert.equal(parseDuration('2d'), null, 'above 24 h');
    assert.equal(parseDuration('10 minutes'), null);
    assert.equal(parseDuration('-5'), null);
  });

  test('`ipo-gateway token issue 207 --ttl 10m` prints an ESNA token that logs 207 in', async () => {
    const result = await runCli(['token', 'issue', '207', '--ttl', '10m']);
    assert.equal(result.code, 0, result.stderr);
    const token = result.stdout.trim();
    secrets.add(token);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      exp: number;
      iat: number;
      typ: string;
    };
    assert.equal(claims.exp - claims.iat, 600);
    assert.equal(claims.typ, 'esna');
    const c = await s.connect();
    await c.login('207', { token, tokenType: 'esna' });
    const bad = await runCli(['token', 'issue', '207', '--ttl', 'soon']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--ttl/);
  });

  test('POST /admin/token: bearer required; a token for a directory user, 404 for anyone else', async () => {
    const body = JSON.stringify({ user: '203', ttl: '10m' });
    const refused = await s.gw.http('POST', '/admin/token', { body });
    assert.equal(refused.status, 401);
    const wrong = await s.gw.http('POST', '/admin/token', {
      body,
      headers: { Authorization: 'Bearer nope' },
    });
    assert.equal(wrong.status, 401);
    const ok = await s.gw.http('POST', '/admin/token', { body, headers: ADMIN });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(ok.headers['cache-control'], 'no-store');
    const t = issued(ok.json);
    assert.equal(t.user, '203');
    assert.equal(t.expiresIn, 600);
    const c = await s.connect();
    await c.login('203', { token: t.token, tokenType: 'esna' });
    // the token is for 203 only
    const other = await s.connect();
    await other.login('204', { token: t.token, tokenType: 'esna', expect: '-3003' });

    const unknown = await s.gw.http('POST', '/admin/token', {
      body: JSON.stringify({ user: '999' }),
      headers: ADMIN,
    });
    assert.equal(unknown.status, 404);
    for (const bad of [
      '{',
      '{"user":5}',
      '{"user":"201","ttl":"forever"}',
      '{"user":"201","ttl":1}',
    ]) {
      const r = await s.gw.http('POST', '/admin/token', { body: bad, headers: ADMIN });
      assert.equal(r.status, 400, `${bad} → ${r.status}`);
    }
    const get = await s.gw.http('GET', '/admin/token', { headers: ADMIN });
    assert.equal(get.status, 405);
  });

  test('GET /api/ipo-token: the web visitor (207 with the demo directory), same origin only', async () => {
    const r = await s.gw.http('GET', '/api/ipo-token', {
      headers: { 'Sec-Fetch-Site': 'same-origin', Origin: s.gw.origin },
    });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['cache-control'], 'no-store');
    const t = issued(r.json);
    assert.equal(t.user, '207');
    assert.ok(t.expiresIn > 0 && t.expiresIn <= 600);
    const c = await s.connect();
    await c.login('207', { token: t.token, tokenType: 'esna' });

    const cross = await s.gw.http('GET', '/api/ipo-token', {
      headers: { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' },
    });
    assert.equal(cross.status, 403);
    assert.ok(!cross.body.includes('v1.'), 'no token to another site');
    const post = await s.gw.http('POST', '/api/ipo-token');
    assert.equal(post.status, 405);
  });
});

describe('token issuing: web visitor off', () => {
  const s = useGateway({ args: ['--web-visitor', ''] });
  test("--web-visitor '' turns the demo route off", async () => {
    const r = await s.gw.http('GET', '/api/ipo-token');
    assert.equal(r.status, 404);
  });
});
