/**
 * The loopback network test against the dev gateway's relay service (spec §9): the relay login
 * gives a UID, createLoopBackConnection sets up leg A and leg B, both terminated by the gateway,
 * which relays the RTP between them; AWL_MSG_LOOPBACK_CONN_SUCCESSFULL, then getLoopBackStats
 * figures that move, then AWL_MSG_LOOPBACK_CONN_CLOSED on endLoopBackConnection, and nothing stays
 * open. Also the failure paths: no relay tag, a phone session asking for the test.
 */
import { expect } from '@open-wc/testing';
import {
  TestClient,
  cleanup,
  element,
  expectReleased,
  gatewayInfo,
  notificationOf,
  pageErrors,
  pollUntil,
  resourceMark,
  toneUrl,
} from './support.js';

describe('AWL SDK: loopback network test through the gateway relay', function () {
  this.timeout(60_000);
  const errorsAtStart = pageErrors.length;
  afterEach(cleanup);

  it('relay login, createLoopBackConnection → SUCCESSFULL, getLoopBackStats figures move, endLoopBackConnection → CLOSED', async () => {
    const info = await gatewayInfo();
    const tag = element('audio', 'relay-tone');
    tag.src = toneUrl();
    tag.loop = true;
    void tag.play().catch(() => undefined);
    const c = await TestClient.create({ label: 'relay', serviceType: 'relay' });
    const md = c.mark();
    c.client.setDomElements({ relayAudioTagId: 'relay-tone' });
    const dom = await c.waitFor('config', undefined, {
      since: md,
      what: 'the setDomElements result',
    });
    expect(dom.args[0].result).to.equal('AWL_MSG_SETDOM_SUCCESS');
    const m = c.mark();
    c.client.login('201', info.password, 'true');
    const reg = await c.waitFor('reg', undefined, { since: m });
    expect(reg.args[0].result).to.equal('AWL_MSG_LOGIN_SUCCESS');
    expect(reg.args[0].UID, 'relay session UID (spec §9)').to.match(/^\d+$/);

    const mark = resourceMark();
    const ml = c.mark();
    expect(() => c.client.createLoopBackConnection()).to.not.throw();
    const note = await c.waitFor('loopback', undefined, {
      since: ml,
      what: 'onLoopBackNotification',
    });
    expect(notificationOf(note.args[0])).to.equal('AWL_MSG_LOOPBACK_CONN_SUCCESSFULL');

    // the ten documented fields, as numbers (percentages and the average are 2-decimal strings)
    const fields = [
      'nowPloss',
      'totPSent',
      'totPlost',
      'nowRTT',
      'totPlossPercent',
      'maxRTT',
      'minRTT',
      'avgRTT',
      'totJitter',
      'nowPlossPercent',
    ];
    const audio = () =>
      (c.client.getLoopBackStats() as unknown as { audio: Record<string, unknown> }).audio;
    const first = await pollUntil(() => {
      const a = audio();
      return Number(a.totPSent) > 0 && Number(a.nowRTT) > 0 ? { ...a } : null;
    }, 'loopback stats with packets sent and an RTT');
    for (const f of fields) {
      expect(f in first, `stats field ${f}`).to.equal(true);
      expect(Number.isFinite(Number(first[f])), `${f} = ${String(first[f])} is a number`).to.equal(
        true,
      );
    }
    expect(Number(first.nowRTT)).to.be.lessThan(1, 'RTT in seconds on loopback networking');
    expect(
      Number(first.totPReceived),
      'leg B received what leg A sent, through the gateway',
    ).to.be.greaterThan(0);
    const later = await pollUntil(() => {
      const a = audio();
      return Number(a.totPSent) > Number(first.totPSent) ? { ...a } : null;
    }, 'packets sent to keep growing');
    expect(Number(later.totPlossPercent)).to.be.lessThan(5);
    const data = await pollUntil(
      () => Number(audio().dataRTT) || 0,
      'a data-channel round trip through the gateway relay',
    );
    expect(data, 'data channel A → gateway → B → gateway → A, ms').to.be.within(0.01, 1000);

    const me = c.mark();
    expect(() => c.client.endLoopBackConnection()).to.not.throw();
    const closed = await c.waitFor('loopback', undefined, {
      since: me,
      what: 'the CLOSED notification',
    });
    expect(notificationOf(closed.args[0])).to.equal('AWL_MSG_LOOPBACK_CONN_CLOSED');
    expect(
      c.all('loopback', (e) => notificationOf(e.args[0]) === 'AWL_MSG_LOOPBACK_CONN_FAILED'),
    ).to.deep.equal([]);
    await expectReleased(mark, 'after the loopback test');
    expect(
      c.all('incoming').concat(c.all('terminate')),
      'no telephony callbacks for the network test',
    ).to.deep.equal([]);
    expect(c.client.isLoggedIn(), 'still logged in to the relay service').to.equal(true);
  });

  it('relay login without the relay audio tag: AWL_MSG_LOGIN_FAILED (spec §9)', async () => {
    const info = await gatewayInfo();
    const c = await TestClient.create({ label: 'relay-no-tag', serviceType: 'relay' });
    const m = c.mark();
    c.client.login('202', info.password, 'true');
    const reg = await c.waitFor('reg', undefined, { since: m });
    expect(reg.args[0].result).to.equal('AWL_MSG_LOGIN_FAILED');
    expect(reg.args[0].reason).to.equal('Mandate relay audio tag not set');
  });

  it('the network test API on a phone client without a relay session reports a failure instead of throwing', async () => {
    const c = await TestClient.loggedIn('203', { label: 'phone' });
    const mark = resourceMark();
    const ml = c.mark();
    expect(() => c.client.createLoopBackConnection()).to.not.throw();
    const note = await c.waitFor('loopback', undefined, {
      since: ml,
      what: 'onLoopBackNotification',
    });
    expect(notificationOf(note.args[0])).to.equal('AWL_MSG_LOOPBACK_CONN_FAILED');
    expect(Array.isArray(c.client.getLoopBackStats())).to.equal(true);
    expect(() => c.client.endLoopBackConnection()).to.not.throw();
    await expectReleased(mark, 'after the refused loopback test');
  });

  it('no callback path threw into the page during this suite', () => {
    expect(pageErrors.slice(errorsAtStart)).to.deep.equal([]);
  });
});
