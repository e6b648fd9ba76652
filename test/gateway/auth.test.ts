/** Unit tests of tokens and the login limiter, with an injected clock. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoginLimiter, TokenService } from '../../src/gateway/auth.js';

describe('TokenService', () => {
  let now = 1_000_000;
  const tokens = new TokenService('unit-test-secret-123456', 60, () => now);

  it('issues tokens bound to user, instance and origin, and checks each binding', () => {
    const { token, expiry } = tokens.issue({
      sub: '201',
      typ: 'session',
      iid: '42',
      org: 'https://a.example',
    });
    assert.equal(expiry, 60);
    assert.ok(
      tokens.verify(token, { sub: '201', typ: 'session', iid: '42', org: 'https://a.example' }).ok,
    );
    const reasons = [
      tokens.verify(token, { sub: '202', iid: '42', org: 'https://a.example' }),
      tokens.verify(token, { sub: '201', iid: '43', org: 'https://a.example' }),
      tokens.verify(token, { sub: '201', iid: '42', org: 'https://evil.example' }),
      tokens.verify(token, { sub: '201', typ: 'esna', iid: '42', org: 'https://a.example' }),
    ].map((r) => (r.ok ? 'ok' : r.reason));
    assert.deepEqual(reasons, ['wrong-user', 'wrong-instance', 'wrong-origin', 'wrong-type']);
    const unbound = tokens.verify(token, { sub: '201', org: 'https://a.example' });
    assert.deepEqual(
      unbound,
      { ok: false, reason: 'wrong-instance' },
      'no instance is no way round the binding',
    );
  });

  it('refuses tampered, foreign, expired and revoked tokens', () => {
    const { token, claims } = tokens.issue({ sub: '201', typ: 'esna' });
    const [v, body, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: '202' })).toString('base64url');
    assert.deepEqual(tokens.verify(`${v}.${forged}.${mac}`, { sub: '202' }), {
      ok: false,
      reason: 'signature',
    });
    assert.deepEqual(tokens.verify(`${v}.${body}`, { sub: '201' }), {
      ok: false,
      reason: 'malformed',
    });
    const other = new TokenService('another-secret-abcdefgh', 60, () => now);
    assert.deepEqual(other.verify(token, { sub: '201' }), { ok: false, reason: 'signature' });
    tokens.revoke(claims);
    assert.deepEqual(tokens.verify(token, { sub: '201' }), { ok: false, reason: 'revoked' });
    const fresh = tokens.issue({ sub: '201', typ: 'esna' }).token;
    now += 61;
    assert.deepEqual(tokens.verify(fresh, { sub: '201' }), { ok: false, reason: 'expired' });
  });

  it('rotation families: revoking generation n refuses every generation ≤ n; floors travel to a peer (higher generation wins)', () => {
    const fam = TokenService.newFamily();
    const bind = { sub: '201', typ: 'session' as const, iid: '7', fam };
    const t0 = tokens.issue({ ...bind, gen: 0 });
    const t1 = tokens.issue({ ...bind, gen: 1 });
    const expect = { sub: '201', typ: 'session' as const, iid: '7' };
    const seqBefore = tokens.floorSeq;
    tokens.revoke(t0.claims);
    assert.deepEqual(tokens.verify(t0.token, expect), { ok: false, reason: 'revoked' });
    assert.ok(tokens.verify(t1.token, expect).ok, 'the next generation is still valid');
    const floors = tokens.floorsSince(seqBefore);
    assert.deepEqual(floors, [{ fam, gen: 1, exp: t0.claims.exp }]);

    const peer = new TokenService('unit-test-secret-123456', 60, () => now);
    assert.ok(
      peer.verify(t0.token, expect).ok,
      'a peer that has not heard of the rotation accepts the old token',
    );
    assert.equal(peer.mergeFloors(floors), 1);
    assert.equal(peer.mergeFloors(floors), 0, 'merging is idempotent');
    assert.equal(
      peer.mergeFloors([{ fam, gen: 0, exp: now + 60 }]),
      0,
      'a lower floor never lowers it',
    );
    assert.deepEqual(peer.verify(t0.token, expect), { ok: false, reason: 'revoked' });
    assert.ok(peer.verify(t1.token, expect).ok);
    const junk = [
      { fam: 5, gen: 1, exp: now + 60 },
      { fam: 'x', gen: 1.5, exp: now + 60 },
      { fam: 'y', gen: 3, exp: now - 1 },
      null,
    ];
    assert.equal(peer.mergeFloors(junk as never), 0, 'malformed and expired floors are ignored');

    peer.revoke(t1.claims); // rotated again on the peer: the floor comes back with a higher generation
    assert.equal(tokens.mergeFloors(peer.floorsSince(0)), 1);
    assert.deepEqual(tokens.verify(t1.token, expect), { ok: false, reason: 'revoked' });
    const unsignedGen = tokens.issue({ sub: '201', typ: 'session', iid: '7', fam }); // family token without a generation
    assert.deepEqual(tokens.verify(unsignedGen.token, expect), { ok: false, reason: 'revoked' });
  });

  it('refuses a short secret', () => {
    assert.throws(() => new TokenService('short'), /at least 16 bytes/);
  });
});

describe('LoginLimiter', () => {
  it('locks a user after 5 failures within the window and unlocks after the lock time', () => {
    let now = 0;
    const limiter = new LoginLimiter(
      { perUser: 5, perIp: 20, windowMs: 60_000, lockMs: 30_000 },
      () => now,
    );
    for (let i = 0; i < 4; i++) limiter.fail('201', '10.0.0.1');
    assert.equal(limiter.blockedFor('201', '10.0.0.9'), 0);
    limiter.fail('201', '10.0.0.1');
    assert.equal(limiter.blockedFor('201', '10.0.0.9'), 30_000);
    assert.equal(limiter.blockedFor('202', '10.0.0.9'), 0, 'other users are not affected');
    now += 30_001;
    assert.equal(limiter.blockedFor('201', '10.0.0.9'), 0);
  });

  it('forgets failures outside the window and resets a user on success', () => {
    let now = 0;
    const limiter = new LoginLimiter(
      { perUser: 3, perIp: 100, windowMs: 1_000, lockMs: 5_000 },
      () => now,
    );
    limiter.fail('201', 'ip');
    limiter.fail('201', 'ip');
    now += 1_001;
    limiter.fail('201', 'ip');
    assert.equal(limiter.blockedFor('201', 'ip'), 0, 'old failures expired');
    limiter.fail('201', 'ip');
    limiter.succeed('201', 'ip');
    limiter.fail('201', 'ip');
    assert.equal(limiter.blockedFor('201', 'ip'), 0, 'success cleared the count');
  });

  it('admits at most the threshold of checks in flight or failed; the rest wait at once', () => {
    const limiter = new LoginLimiter(
      { perUser: 3, perIp: 5, windowMs: 60_000, lockMs: 10_000 },
      () => 0,
    );
    const admitted = Array.from({ length: 10 }, () => limiter.admit('201', 'ip1'));
    assert.deepEqual(
      admitted.map((w) => w === 0),
      [true, true, true, false, false, false, false, false, false, false],
    );
    assert.equal(limiter.checks, 3);
    limiter.fail('201', 'ip1');
    limiter.fail('201', 'ip1');
    limiter.fail('201', 'ip1');
    assert.equal(limiter.blockedFor('201', 'ip1'), 10_000, 'three failures lock the user');
    assert.equal(limiter.admit('202', 'ip1'), 0);
    assert.equal(limiter.admit('203', 'ip1'), 0, 'the IP has 3 failed + 2 in flight now');
    assert.ok(limiter.admit('204', 'ip1') > 0, 'the IP threshold counts checks in flight');
    limiter.succeed('202', 'ip1');
    assert.equal(limiter.admit('204', 'ip1'), 0, 'a settled check frees its place');
  });

  it('locks an IP that sprays many users', () => {
    const limiter = new LoginLimiter(
      { perUser: 5, perIp: 4, windowMs: 60_000, lockMs: 10_000 },
      () => 0,
    );
    for (const user of ['1', '2', '3', '4']) limiter.fail(user, '192.0.2.7');
    assert.equal(limiter.blockedFor('9', '192.0.2.7'), 10_000);
    assert.equal(limiter.blockedFor('9', '192.0.2.8'), 0);
  });
});
