/**
 * Login rate limit and lock-out (§16.3; docs/gateway.md): 5 failures for one user within 5 minutes,
 * or 20 from one IP, give "429" for 5 minutes, even with the right password. Own gateway: the IP
 * lock-out would poison every other suite.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useGateway } from '../support/suite.js';

describe('login rate limit and lock-out', () => {
  const s = useGateway();
  /** Refusals with "401" so far: the gateway counts at least these (and maybe the "429" ones). */
  let refused = 0;

  async function attempt(user: string, password?: string): Promise<string> {
    const c = await s.connect();
    const { response } = await c.login(user, { expect: null, ...(password ? { password } : {}) });
    if (response.params.responseCode === '401') refused++;
    await c.dispose();
    return response.params.responseCode;
  }

  test('5 failed logins for one user → "429" even with the right password; other users unaffected', async () => {
    for (let i = 1; i <= 5; i++)
      assert.equal(await attempt('203', `wrong-Pw-${i}-abcdef`), '401', `failure ${i}`);
    assert.equal(await attempt('203'), '429', 'locked out: the right password must not help');
    assert.equal(await attempt('203', 'wrong-Pw-6-abcdef'), '429');
    assert.equal(await attempt('204'), '200', 'another user is not locked');
  });

  test('20 failed logins from one IP → "429" for every user, and no session is created', async () => {
    // 2 of the earlier attempts were answered "429"; if the gateway counts those, the IP locks 2 sooner.
    for (let n = 0; refused < 20; n++) {
      const before = refused;
      const code = await attempt(`90${n}`, 'wrong-Pw-ip-abcdef');
      if (before < 18) assert.equal(code, '401', `IP failure ${before + 1} is below the limit`);
      else if (code === '429') break;
      else assert.equal(code, '401');
    }
    assert.equal(
      await attempt('205'),
      '429',
      'the IP is locked out: even a correct login of another user is refused',
    );
    const health = await s.gw.http('GET', '/healthz');
    assert.equal((health.json as { sessions?: number }).sessions, 0);
  });
});
