/**
 * Resiliency against a real dev-gateway HA pair (gateway-protocol.md §5.4, §8.4, §8.6): kill -9 of
 * the primary while idle and during a call (reconnect, then failover to the advertised backup
 * port), the primary coming back (the secondary goes passive and sends GatewayHAModeChanged: the
 * client fails back after haFailbackTime, never during a call), logins that land on a passive
 * secondary, and disableResiliency.
 */
import { expect } from '@open-wc/testing';
import { cleanup, establish, expectReleased, resourceMark, type TestClient } from './support.js';
import { clientOn, gw, logoutAll, reg, results, type Gw } from './resiliency-support.js';

const FAILBACK_S = 2;

/** An HA pair on two free ports; both name each other as peer. */
async function pair(): Promise<{ p: Gw; s: Gw }> {
  const [pp, sp] = await gw.ports(2);
  const common = ['--ha-failback', String(FAILBACK_S)];
  const [p, s] = await Promise.all([
    gw.start(['--role', 'primary', '--peer', `127.0.0.1:${sp}`, ...common], pp),
    gw.start(['--role', 'secondary', '--peer', `127.0.0.1:${pp}`, ...common], sp),
  ]);
  return { p, s };
}

/** Resolves once the secondary reports `state` on /healthz (polled: no event exists for it). */
async function secondaryState(s: Gw, state: string, timeoutMs = 10_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const h = await gw.health(s).catch(() => null);
    if (h?.state === state || h?.ha?.state === state) return;
    if (performance.now() > end)
      throw new Error(`secondary never became ${state}: ${JSON.stringify(h)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('AWL SDK resiliency: HA pair', function () {
  this.timeout(120_000);
  let gws: Gw[] = [];
  afterEach(async () => {
    logoutAll();
    await cleanup();
    await Promise.all(gws.map((g) => gw.kill(g)));
    gws = [];
  });

  it('kill -9 of the primary while idle: RECONNECTING → FAILING_OVER → FAIL_OVER_SUCCESS on the backup port', async () => {
    const { p, s } = await pair();
    gws = [p, s];
    await secondaryState(s, 'passive');
    const a = await clientOn('201', p.port);
    const login = a.all('reg')[0]!.args[0];
    expect(login.authToken, 'token given with HA').to.have.keys('token', 'expiry');
    expect(a.client.getAlternateServerConfig()).to.deep.equal({
      serverType: 'secondary',
      address: '127.0.0.1',
      domain: '',
      port: String(s.port),
    });
    const m = a.mark();
    const t0 = performance.now();
    await gw.kill(p);
    const ok = await reg(a, 'FAIL_OVER_SUCCESS', m, 15_000);
    const ms = Math.round(ok.at - t0);
    console.log(`[measure] kill -9 of the primary → FAIL_OVER_SUCCESS: ${ms} ms (default timers)`);
    expect(results(a, m)).to.deep.equal(['RECONNECTING', 'FAILING_OVER', 'FAIL_OVER_SUCCESS']);
    const evs = a.all('reg', undefined, m).map((e) => e.args[0]);
    expect(evs[0].reason).to.equal(
      'Lost Connection to Server. Attempting to reconnect to 127.0.0.1 ...',
    );
    expect(evs[1].reason).to.equal('Trying alternate server [ 127.0.0.1 ] ...');
    expect(evs[2].reason).to.equal('Connected to alternate server [ 127.0.0.1 ]');
    expect(evs[2].authToken).to.have.keys('token', 'expiry');
    expect(a.client.isLoggedIn()).to.equal(true);
    expect((a.client as any).phone.status).to.equal('FAILED OVER');
    expect((a.client as any).phone.server.port).to.equal(s.port);
    expect(a.client.getAlternateServerConfig()).to.deep.equal({
      serverType: 'primary',
      address: '127.0.0.1',
      domain: '',
      port: String(p.port),
    });
  });

  it('kill -9 of the primary during a call: the call ends with a clear reason at failover, calls work on the backup; the primary back → failback after haFailbackTime once the call is over', async () => {
    const { p, s } = await pair();
    gws = [p, s];
    await secondaryState(s, 'passive');
    const alice = await clientOn('202', p.port);
    const bob = await clientOn('203', p.port);
    const mark = resourceMark();
    const call = await establish(alice, bob);
    const [ma, mb] = [alice.mark(), bob.mark()];
    await gw.kill(p);
    await Promise.all([
      reg(alice, 'FAIL_OVER_SUCCESS', ma, 15_000),
      reg(bob, 'FAIL_OVER_SUCCESS', mb, 15_000),
    ]);
    const [ea, eb] = await Promise.all([
      alice.waitTerminate(call.aId, ma),
      bob.waitTerminate(call.bId, mb),
    ]);
    expect(ea.args[1]).to.equal('Trying alternate server [ 127.0.0.1 ] ...');
    expect(eb.args[1]).to.equal('Trying alternate server [ 127.0.0.1 ] ...');
    await expectReleased(mark, 'the call lost with the primary');
    // on the backup: a new call, still up when the primary comes back
    const call2 = await establish(alice, bob);
    const [m2, mb2] = [alice.mark(), bob.mark()];
    await gw.restart(p);
    await secondaryState(s, 'passive');
    const passiveAt = performance.now();
    // the client waits for haFailbackTime, then for the call to end (asserting an absence takes a wait)
    await new Promise((r) => setTimeout(r, FAILBACK_S * 1000 + 1000));
    expect(results(alice, m2), 'no failback during a call').to.deep.equal([]);
    expect((alice.client as any).phone.status).to.equal('FAILING BACK');
    expect(alice.client.makeCall('204', 'audio'), 'makeCall refused while failing back').to.equal(
      null,
    );
    alice.client.dropCall(call2.aId);
    const fb = await reg(alice, 'FAILING_BACK', m2);
    expect(fb.at - passiveAt).to.be.at.least(FAILBACK_S * 1000);
    expect(fb.args[0].reason).to.equal('Trying alternate server [ 127.0.0.1 ] ...');
    const ok = await reg(alice, 'FAIL_BACK_SUCCESS', m2);
    expect(ok.args[0].reason).to.equal('Connected to alternate server [ 127.0.0.1 ]');
    expect((alice.client as any).phone.server.port).to.equal(p.port);
    expect((alice.client as any).phone.status).to.equal('FAILED BACK');
    expect(results(alice, m2)).to.deep.equal(['FAILING_BACK', 'FAIL_BACK_SUCCESS']);
    // bob had no call left either: back on the primary too
    await reg(bob, 'FAIL_BACK_SUCCESS', mb2);
    await establish(alice, bob);
  });

  it('a login on the passive secondary is sent back: FAILING_BACK after haFailbackTime → FAIL_BACK_SUCCESS on the primary', async () => {
    const { p, s } = await pair();
    gws = [p, s];
    await secondaryState(s, 'passive');
    const a = await clientOn('204', s.port);
    const t0 = a.all('reg')[0]!.at;
    const fb = await reg(a, 'FAILING_BACK');
    expect(fb.at - t0).to.be.at.least(FAILBACK_S * 1000 - 50);
    await reg(a, 'FAIL_BACK_SUCCESS');
    expect(results(a)).to.deep.equal(['LOGIN_SUCCESS', 'FAILING_BACK', 'FAIL_BACK_SUCCESS']);
    expect((a.client as any).phone.server.port).to.equal(p.port);
  });

  it('disableResiliency with HA data: passive mode logs out (§8.4), and a dead primary is final', async () => {
    const { p, s } = await pair();
    gws = [p, s];
    await secondaryState(s, 'passive');
    const a = await clientOn('205', s.port, { disableResiliency: true });
    expect(a.all('reg')[0]!.args[0].authToken, 'no token without resiliency').to.equal(undefined);
    const out = await reg(a, 'LOGGEDOUT');
    expect(out.args[0].reason).to.equal(
      'Gateway mode changed. Logging out as resiliency is disabled.',
    );
    const b: TestClient = await clientOn('206', p.port, { disableResiliency: true });
    const m = b.mark();
    await gw.kill(p);
    await reg(b, 'LOGIN_WEBSOCKET_FAILURE', m);
    expect(results(b, m)).to.deep.equal(['LOGIN_WEBSOCKET_FAILURE']);
  });
});
