/**
 * The network test under faults, against gateway processes of its own (the wtr fault kit):
 * a gateway whose media legs drop 10 % of packets (`--media-loss 10`) shows that loss in the
 * loopback stats and gets a "poor" verdict from <ipo-network-test>; killing the gateway's media
 * legs mid-test gives AWL_MSG_LOOPBACK_CONN_LINK_ISSUE or _FAILED.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/all.js';
import type { IpoNetworkTest } from '../../../src/components/network-test/network-test.component.js';
import { gw, type Gw } from './resiliency-support.js';
import {
  TestClient,
  cleanup,
  element,
  gatewayInfo,
  notificationOf,
  pollUntil,
  toneUrl,
} from './support.js';

/** A relay-service client on `port`, logged in, with a looping tone as its relay tag. */
async function relayClient(port: number, user: string): Promise<TestClient> {
  const info = await gatewayInfo();
  const tag = element('audio', `tone-${user}`);
  tag.src = toneUrl();
  tag.loop = true;
  void tag.play().catch(() => undefined);
  const c = await TestClient.create({
    label: `relay-${user}`,
    serviceType: 'relay',
    extra: { Gateway: { ip: '127.0.0.1', port: String(port) } } as never,
  });
  c.client.setDomElements({ relayAudioTagId: tag.id });
  const m = c.mark();
  c.client.login(user, info.password, 'true');
  const reg = await c.waitFor('reg', undefined, { since: m });
  expect(reg.args[0].result).to.equal('AWL_MSG_LOGIN_SUCCESS');
  return c;
}

async function loopbackUp(c: TestClient): Promise<void> {
  const m = c.mark();
  c.client.createLoopBackConnection();
  const up = await c.waitFor('loopback', undefined, { since: m, what: 'the loopback connection' });
  expect(notificationOf(up.args[0])).to.equal('AWL_MSG_LOOPBACK_CONN_SUCCESSFULL');
}

describe('network test under faults (gateway processes of its own)', function () {
  this.timeout(90_000);
  const started: Gw[] = [];
  afterEach(async () => {
    await cleanup();
    for (const g of started.splice(0)) await gw.stop(g);
  });

  it('10 % packet loss at the gateway shows in the loopback stats and turns the verdict to poor', async () => {
    const g = await gw.start(['--media-loss', '10']);
    started.push(g);
    const c = await relayClient(g.port, '201');
    await loopbackUp(c);
    const audio = () =>
      (c.client.getLoopBackStats() as unknown as { audio: Record<string, unknown> }).audio;
    const end = await pollUntil(
      () => (Number(audio().totPSent) >= 250 ? { ...audio() } : null),
      '250 packets through the lossy relay',
      20_000,
    );
    const loss = Number(end.totPlossPercent);
    expect(loss, `loss ${loss} % with 10 % dropped at the gateway`).to.be.within(4, 20);
    expect(Number(end.totPlost)).to.be.greaterThan(0);
    c.client.endLoopBackConnection();

    const info = await gatewayInfo();
    const el = await fixture<IpoNetworkTest>(
      html`<ipo-network-test gateway="127.0.0.1:${g.port}" duration="6"></ipo-network-test>`,
    );
    const result = await el.start({ user: '202', password: info.password });
    expect(result.loss).to.be.greaterThan(4);
    expect(result.verdict.level, JSON.stringify(result.verdict)).to.not.equal('good');
    if (result.loss > 5)
      expect(result.verdict).to.deep.equal({
        level: 'poor',
        reason: `${result.loss.toFixed(1)} % of packets were lost`,
      });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~=verdict]')!.textContent).to.match(
      /^(Poor|Good for voice only)/,
    );
  });

  it('killing the gateway’s media legs gives LINK_ISSUE or FAILED', async () => {
    const g = await gw.start([]);
    started.push(g);
    const c = await relayClient(g.port, '203');
    await loopbackUp(c);
    const m = c.mark();
    const killed = await gw.fault(g, { media: 'kill' });
    expect(JSON.parse(killed.body)).to.deep.equal({ killed: 1 });
    const note = await c.waitFor('loopback', undefined, {
      since: m,
      timeout: 45_000,
      what: 'a notification after the media legs died',
    });
    expect(['AWL_MSG_LOOPBACK_CONN_LINK_ISSUE', 'AWL_MSG_LOOPBACK_CONN_FAILED']).to.include(
      notificationOf(note.args[0]),
    );
  });
});
