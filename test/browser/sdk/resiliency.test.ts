/**
 * Resiliency against one real gateway process per test (gateway-protocol.md §2.6, §5.5, §8.3,
 * §8.6 and the dev gateway's call-resume extension): token renewal with a short token lifetime,
 * renewal failure and retry, forced logout, a silent link (TCP proxy that stops forwarding), a
 * gateway that stops sending keep-alives, a reset connection with call resume (media keeps
 * flowing), and kill -9 + restart of the gateway on the same port.
 */
import { expect } from '@open-wc/testing';
import {
  cleanup,
  establish,
  expectAudioFlowing,
  expectReleased,
  pollUntil,
  resourceMark,
} from './support.js';
import { clientOn, gw, logoutAll, proxy, reg, results, watchRtp } from './resiliency-support.js';

const NOT_RESUMED = 'Call lost with the gateway connection (not resumed)';

describe('AWL SDK resiliency: one gateway', function () {
  this.timeout(90_000);
  afterEach(async () => {
    logoutAll();
    await cleanup();
  });

  it('renews the token between 60 and 90 % of its expiry (--token-ttl 6) through onAuthTokenRenewed, again and again', async () => {
    const g = await gw.start(['--token-ttl', '6']);
    const t0 = performance.now();
    const a = await clientOn('201', g.port);
    const first = (a.client as any).phone.token.token as string;
    const r1 = await a.waitFor('token', undefined, { timeout: 8000, what: 'the first renewal' });
    const after = performance.now() - t0;
    expect(after, 'renewed within 60–90 % of 6 s').to.be.within(3000, 5600);
    expect(r1.args[0].result).to.equal('AWL_MSG_TOKEN_RENEW_SUCCESS');
    expect(r1.args[0].reason).to.be.a('string');
    expect(r1.args[0].authToken.expiry).to.equal(6);
    expect(r1.args[0].authToken.token).to.be.a('string').and.not.equal(first);
    const r2 = await a.waitFor('token', undefined, {
      since: a.events.indexOf(r1) + 1,
      timeout: 8000,
      what: 'the second renewal',
    });
    expect(r2.args[0].result).to.equal('AWL_MSG_TOKEN_RENEW_SUCCESS');
    expect(r2.args[0].authToken.token).to.not.equal(r1.args[0].authToken.token);
    expect(results(a)).to.deep.equal(['LOGIN_SUCCESS']);
    await gw.stop(g);
  });

  it('a refused renewal: TOKEN_RENEW_FAILED with the gateway reason, retried with back-off while the token is valid', async () => {
    const g = await gw.start(['--token-ttl', '8']);
    const a = await clientOn('202', g.port, { resiliencyTimers: { renewRetry: 0.4 } });
    const phone = (a.client as any).phone;
    const good = phone.token.token as string;
    phone.token.token = good.slice(0, -4) + 'AAAA'; // a token the gateway will not accept
    const f = await a.waitFor('token', undefined, { timeout: 8000, what: 'the failed renewal' });
    expect(f.args[0]).to.deep.equal({
      result: 'AWL_MSG_TOKEN_RENEW_FAILED',
      reason: 'Token rejected',
    });
    phone.token.token = good; // the next retry presents the valid token
    const ok = await a.waitFor('token', (e) => e.args[0].result === 'AWL_MSG_TOKEN_RENEW_SUCCESS', {
      timeout: 5000,
      what: 'the retried renewal',
    });
    expect(ok.at - f.at, 'retried after the back-off').to.be.within(350, 3000);
    expect(a.client.isLoggedIn()).to.equal(true);
    await gw.stop(g);
  });

  it('forced logout from the gateway (same extension logged in elsewhere): LOGIN_FAILED, no reconnect', async () => {
    const g = await gw.start();
    const a = await clientOn('203', g.port, {}, { label: 'first' });
    const m = a.mark();
    await clientOn('203', g.port, {}, { label: 'second' });
    const ev = await reg(a, 'LOGIN_FAILED', m);
    expect(ev.args[0].reason).to.equal('Logged in elsewhere');
    expect(a.client.isLoggedIn()).to.equal(false);
    expect((a.client as any).phone.status).to.equal('LOGGED_OUT');
    expect(results(a, m)).to.deep.equal(['LOGIN_FAILED']);
    await gw.stop(g);
  });

  it('a silent link (proxy stops forwarding), resiliency disabled: LINK_ISSUE_DETECTED within 10 s, socket kept (§2.6)', async () => {
    const g = await gw.start();
    const px = await proxy.start(g.port);
    const a = await clientOn('204', px.port, { disableResiliency: true });
    const m = a.mark();
    const t0 = performance.now();
    await proxy.cut(px.id);
    const ev = await reg(a, 'LINK_ISSUE_DETECTED', m, 12_000);
    const ms = Math.round(ev.at - t0);
    console.log(`[measure] silent cut → LINK_ISSUE_DETECTED: ${ms} ms (default timers)`);
    expect(ev.args[0].reason).to.equal('link issue detected');
    expect(results(a, m)).to.deep.equal(['LINK_ISSUE_DETECTED']);
    expect(a.client.isLoggedIn()).to.equal(true);
    await proxy.stop(px.id);
    await gw.stop(g);
  });

  it('a silent link with resiliency: LINK_ISSUE_DETECTED → RECONNECTING → token re-login → RELOGGED_IN', async () => {
    const g = await gw.start();
    const px = await proxy.start(g.port);
    const a = await clientOn('205', px.port);
    const m = a.mark();
    const t0 = performance.now();
    await proxy.cut(px.id);
    const link = await reg(a, 'LINK_ISSUE_DETECTED', m, 12_000);
    const back = await reg(a, 'RELOGGED_IN', m, 10_000);
    console.log(
      `[measure] silent cut → LINK_ISSUE_DETECTED ${Math.round(link.at - t0)} ms → RELOGGED_IN ${Math.round(back.at - t0)} ms`,
    );
    expect(results(a, m)).to.deep.equal(['LINK_ISSUE_DETECTED', 'RECONNECTING', 'RELOGGED_IN']);
    expect(a.all('reg', undefined, m)[1]!.args[0].reason).to.equal(
      `Lost Connection to Server. Attempting to reconnect to 127.0.0.1 ...`,
    );
    expect(back.args[0].reason).to.equal('Reconnection to 127.0.0.1 Successful');
    expect(a.client.isLoggedIn()).to.equal(true);
    await proxy.stop(px.id);
    await gw.stop(g);
  });

  it('a gateway that stops sending keep-alives and answering (admin fault): probe → LINK_ISSUE_DETECTED, reconnect once it answers again', async () => {
    const g = await gw.start(['--keepalive', '1']);
    const a = await clientOn('206', g.port);
    (a.client as any).phone.configure({ loginTimeoutMs: 1500 });
    const m = a.mark();
    const t0 = performance.now();
    const f = await gw.fault(g, { silent: true });
    expect(f.status).to.equal(200);
    const link = await reg(a, 'LINK_ISSUE_DETECTED', m, 12_000);
    console.log(`[measure] silent gateway → LINK_ISSUE_DETECTED: ${Math.round(link.at - t0)} ms`);
    await reg(a, 'RECONNECTING', m);
    await gw.fault(g, { silent: false });
    await reg(a, 'RELOGGED_IN', m, 15_000);
    expect(results(a, m)).to.deep.equal(['LINK_ISSUE_DETECTED', 'RECONNECTING', 'RELOGGED_IN']);
    await gw.stop(g);
  });

  it('call resume: a reset connection reconnects, the call is kept and its media never stops (packet counters keep rising)', async () => {
    const g = await gw.start();
    const px = await proxy.start(g.port);
    const alice = await clientOn('201', px.port);
    const bob = await clientOn('202', g.port);
    const call = await establish(alice, bob);
    const pc = await alice.pcFor(call.aId);
    await expectAudioFlowing(pc, 'before the reconnect');
    const m = alice.mark();
    const watch = watchRtp(pc);
    const t0 = performance.now();
    await proxy.reset(px.id);
    const back = await reg(alice, 'RELOGGED_IN', m);
    await expectAudioFlowing(pc, 'after the reconnect');
    const { maxGapMs, gained } = await watch.stop();
    console.log(
      `[measure] reconnect with call resume: RELOGGED_IN after ${Math.round(back.at - t0)} ms; longest gap without received audio packets ${maxGapMs} ms (${gained} packets)`,
    );
    expect(results(alice, m)).to.deep.equal(['RECONNECTING', 'RELOGGED_IN']);
    expect(alice.all('terminate', undefined, m), 'no call ended').to.have.length(0);
    expect(
      gained,
      'audio packets kept arriving across the reconnect (the gap is measured by npm run bench)',
    ).to.be.greaterThan(25);
    expect(alice.client.isLoggedIn()).to.equal(true);
    // the resumed call is controlled as usual: the far end hangs up, the client hears of it
    const mark = resourceMark();
    bob.client.dropCall(call.bId);
    await alice.waitTerminate(call.aId, m);
    await proxy.stop(px.id);
    await gw.stop(g);
    void mark;
  });

  it('call resume through a silent cut: LINK_ISSUE_DETECTED → RECONNECTING → RELOGGED_IN, the call stays up and its audio never stops', async () => {
    const g = await gw.start();
    const px = await proxy.start(g.port);
    const alice = await clientOn('205', px.port);
    const bob = await clientOn('206', g.port);
    const call = await establish(alice, bob);
    const pc = await alice.pcFor(call.aId);
    await expectAudioFlowing(pc, 'before the cut');
    const m = alice.mark();
    const watch = watchRtp(pc);
    await proxy.cut(px.id);
    await reg(alice, 'RELOGGED_IN', m, 15_000);
    await expectAudioFlowing(pc, 'after the re-login');
    const { maxGapMs, gained } = await watch.stop();
    console.log(
      `[measure] silent cut during a call: longest gap without received audio packets ${maxGapMs} ms`,
    );
    expect(results(alice, m)).to.deep.equal(['LINK_ISSUE_DETECTED', 'RECONNECTING', 'RELOGGED_IN']);
    expect(alice.all('terminate', undefined, m), 'no call ended').to.have.length(0);
    expect(gained, 'audio packets kept arriving through the cut').to.be.greaterThan(25);
    // still a working call on the gateway: hold from the resumed side is confirmed
    alice.client.doHold(call.aId);
    await alice.waitState(call.aId, 'AWL_MSG_CALL_HELD', m);
    await proxy.stop(px.id);
    await gw.stop(g);
  });

  it('call resume: a far-end hang-up during the gap is delivered after the re-login', async () => {
    const g = await gw.start();
    const px = await proxy.start(g.port);
    const alice = await clientOn('203', px.port, { resiliencyTimers: { reconnect: 1.5 } });
    const bob = await clientOn('204', g.port);
    const call = await establish(alice, bob);
    const m = alice.mark();
    await proxy.reset(px.id);
    await reg(alice, 'RECONNECTING', m);
    // the far end must hang up inside the gap, i.e. once the gateway has noticed the lost socket
    // and parked the call (a hang-up racing the socket close ends it normally, "not resumed")
    await pollUntil(
      async () => (await gw.health(g)).parked >= 1,
      'the gateway to keep the call for resume',
    );
    bob.client.dropCall(call.bId);
    await bob.waitTerminate(call.bId);
    expect(alice.all('terminate', undefined, m), 'still up while reconnecting').to.have.length(0);
    await reg(alice, 'RELOGGED_IN', m);
    const end = await alice.waitTerminate(call.aId, m);
    expect(end.args[1]).to.not.equal(NOT_RESUMED);
    await alice.waitState(call.aId, 'AWL_MSG_CALL_DISCONNECTED', m);
    await proxy.stop(px.id);
    await gw.stop(g);
  });

  it('kill -9 and restart on the same port during a call: RECONNECTING → RELOGGED_IN; calls the new process lost end with a reason', async () => {
    const g = await gw.start();
    const alice = await clientOn('205', g.port);
    const bob = await clientOn('206', g.port);
    const mark = resourceMark();
    const call = await establish(alice, bob);
    const [ma, mb] = [alice.mark(), bob.mark()];
    await gw.kill(g);
    await Promise.all([reg(alice, 'RECONNECTING', ma), reg(bob, 'RECONNECTING', mb)]);
    expect(alice.all('terminate', undefined, ma), 'kept while reconnecting').to.have.length(0);
    await gw.restart(g);
    await Promise.all([reg(alice, 'RELOGGED_IN', ma), reg(bob, 'RELOGGED_IN', mb)]);
    const [ea, eb] = await Promise.all([
      alice.waitTerminate(call.aId, ma),
      bob.waitTerminate(call.bId, mb),
    ]);
    expect(ea.args[1]).to.equal(NOT_RESUMED);
    expect(eb.args[1]).to.equal(NOT_RESUMED);
    await expectReleased(mark, 'the lost call');
    // and the session works: a new call on the restarted gateway
    await establish(alice, bob);
    await gw.stop(g);
  });

  it('without call resume (--call-resume-grace 0) and resiliency disabled: the spec path, WEBSOCKET_FAILURE and calls end with "GW connection lost"', async () => {
    const g = await gw.start(['--call-resume-grace', '0']);
    const alice = await clientOn('201', g.port, { disableResiliency: true });
    const bob = await clientOn('202', g.port, { disableResiliency: true });
    const call = await establish(alice, bob);
    const m = alice.mark();
    await gw.kill(g);
    const ev = await reg(alice, 'LOGIN_WEBSOCKET_FAILURE', m);
    expect(ev.args[0].reason).to.equal('Connection to WebRTC Gateway failed');
    const end = await alice.waitTerminate(call.aId, m);
    expect(end.args[1]).to.equal('GW connection lost');
    expect(results(alice, m)).to.deep.equal(['LOGIN_WEBSOCKET_FAILURE']);
  });
});
