/**
 * Network test API against a gateway that offers no relay (loopback) service: the relay login
 * works (spec §9), createLoopBackConnection reports AWL_MSG_LOOPBACK_CONN_FAILED through
 * onLoopBackNotification, getLoopBackStats returns its array, endLoopBackConnection is harmless,
 * nothing stays open and nothing throws into the page.
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
  resourceMark,
} from './support.js';

/** A looping 440 Hz tone as a WAV blob URL, for the relay audio tag. */
function toneUrl(): string {
  const rate = 8000;
  const n = rate; // one second
  const buf = new ArrayBuffer(44 + n * 2);
  const v = new DataView(buf);
  const str = (o: number, s: string) => [...s].forEach((ch, i) => v.setUint8(o + i, ch.charCodeAt(0)));
  str(0, 'RIFF');
  v.setUint32(4, 36 + n * 2, true);
  str(8, 'WAVEfmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  str(36, 'data');
  v.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i++) v.setInt16(44 + i * 2, Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), true);
  return URL.createObjectURL(new Blob([buf], { type: 'audio/wav' }));
}

describe('AWL SDK: loopback network test (gateway without relay service)', function () {
  this.timeout(60_000);
  const errorsAtStart = pageErrors.length;
  afterEach(cleanup);

  it('relay login, then createLoopBackConnection → AWL_MSG_LOOPBACK_CONN_FAILED; getLoopBackStats and endLoopBackConnection behave', async () => {
    const info = await gatewayInfo();
    const tag = element('audio', 'relay-tone');
    tag.src = toneUrl();
    tag.loop = true;
    void tag.play().catch(() => undefined);
    const c = await TestClient.create({ label: 'relay', serviceType: 'relay' });
    const md = c.mark();
    c.client.setDomElements({ relayAudioTagId: 'relay-tone' });
    const dom = await c.waitFor('config', undefined, { since: md, what: 'the setDomElements result' });
    expect(dom.args[0].result).to.equal('AWL_MSG_SETDOM_SUCCESS');
    const m = c.mark();
    c.client.login('201', info.password, 'true');
    const reg = await c.waitFor('reg', undefined, { since: m });
    expect(reg.args[0].result).to.equal('AWL_MSG_LOGIN_SUCCESS');
    expect(reg.args[0].UID, 'relay session UID (spec §9)').to.match(/^\d+$/);

    const mark = resourceMark();
    const ml = c.mark();
    expect(() => c.client.createLoopBackConnection()).to.not.throw();
    const note = await c.waitFor('loopback', undefined, { since: ml, what: 'onLoopBackNotification' });
    expect(notificationOf(note.args[0])).to.equal('AWL_MSG_LOOPBACK_CONN_FAILED');
    expect(c.all('loopback', (e) => notificationOf(e.args[0]) === 'AWL_MSG_LOOPBACK_CONN_SUCCESSFULL')).to.deep.equal([]);

    const stats = c.client.getLoopBackStats();
    expect(Array.isArray(stats), 'getLoopBackStats: "Return type: Array"').to.equal(true);
    expect(() => c.client.endLoopBackConnection()).to.not.throw();
    await expectReleased(mark, 'after the refused loopback test');
    expect(c.all('incoming').concat(c.all('terminate')), 'no telephony callbacks for the network test').to.deep.equal([]);
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
    const note = await c.waitFor('loopback', undefined, { since: ml, what: 'onLoopBackNotification' });
    expect(notificationOf(note.args[0])).to.equal('AWL_MSG_LOOPBACK_CONN_FAILED');
    expect(Array.isArray(c.client.getLoopBackStats())).to.equal(true);
    expect(() => c.client.endLoopBackConnection()).to.not.throw();
    await expectReleased(mark, 'after the refused loopback test');
  });

  it('no callback path threw into the page during this suite', () => {
    expect(pageErrors.slice(errorsAtStart)).to.deep.equal([]);
  });
});
