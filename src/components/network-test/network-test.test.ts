/**
 * <ipo-network-test> against the real dev gateway in Chromium: the relay login, the loopback
 * test through the gateway's relay legs, a live chart, the verdict, the figures, the event, and a
 * clear error for bad credentials — axe-clean while running and when done.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../all.js';
import { gatewayInfo } from '../../../test/browser/support/phone.js';
import { IpoNetworkTestEvent } from '../../events/index.js';
import { button, field, part, until } from '../../internal/testing/dom.js';
import { IpoNetworkTest } from './network-test.component.js';

describe('<ipo-network-test>', function () {
  this.timeout(60_000);

  it('upgrades, and has documented defaults', () => {
    const el = document.createElement('ipo-network-test');
    expect(el).to.be.instanceOf(IpoNetworkTest);
    expect([el.gateway, el.duration, el.user, el.credentials, el.state, el.result]).to.deep.equal([
      '',
      10,
      '',
      null,
      'idle',
      null,
    ]);
  });

  it('runs the loopback test from its form: live chart, verdict, figures and events', async () => {
    const info = await gatewayInfo();
    const el = await fixture<IpoNetworkTest>(
      html`<ipo-network-test gateway="127.0.0.1:${info.port}" duration="8" user="206"></ipo-network-test>`,
    );
    await expect(el).to.be.accessible();
    const events: IpoNetworkTestEvent[] = [];
    el.addEventListener(IpoNetworkTestEvent.type, (e) => events.push(e as IpoNetworkTestEvent));
    expect(field(el, 'Extension').value).to.equal('206');
    field(el, 'Password').value = info.password;
    button(el, 'Test network').click();
    await until(() => el.state === 'running' && el.samples.length >= 1, 'the first sample');
    await el.updateComplete;
    expect(part(el, 'chart'), 'live chart').to.not.equal(null);
    expect(part(el, 'progress')).to.not.equal(null);
    expect(el.matches(':state(running)')).to.equal(true);
    await expect(el).to.be.accessible();
    await until(() => el.state === 'done', 'the end of the test');
    await el.updateComplete;
    const r = el.result!;
    expect(r.samples.length).to.be.within(7, 8);
    // Chromium's first audio RTCP sender report comes after a few seconds: 8 s always gives RTTs
    expect(r.rtt).to.be.a('number').and.to.be.greaterThan(0);
    expect(r.sent).to.be.greaterThan(200);
    expect(r.loss).to.be.lessThan(1);
    expect(r.verdict).to.deep.equal({ level: 'good', reason: '' });
    expect(part(el, 'verdict')!.textContent!.trim()).to.equal('Good for voice and video');
    expect(el.matches(':state(good)')).to.equal(true);
    expect(part(el, 'figures')!.textContent).to.match(/Round trip\s*\d+ ms/);
    const points = el
      .shadowRoot!.querySelector('polyline.rtt')!
      .getAttribute('points')!
      .trim()
      .split(' ');
    expect(points.length, 'one RTT point per second').to.equal(
      r.samples.filter((s) => s.rtt !== null).length,
    );
    await executeServerCommand('ipo-screenshot', { name: 'network-test-done' });
    expect(events.at(-1)!.result).to.equal(r);
    expect(
      events.filter((e) => e.state === 'running').length,
      'an event per second',
    ).to.be.greaterThan(1);
    await expect(el).to.be.accessible();
  });

  it('bad credentials give a clear error, and the form stays usable', async () => {
    const info = await gatewayInfo();
    const el = await fixture<IpoNetworkTest>(
      html`<ipo-network-test gateway="127.0.0.1:${info.port}" duration="2"></ipo-network-test>`,
    );
    let error: unknown;
    await el
      .start({ user: '206', password: 'not-the-password' })
      .catch((e: unknown) => (error = e));
    await el.updateComplete;
    expect((error as { code?: string }).code).to.equal('login-failed');
    expect(el.state).to.equal('failed');
    const shown = part(el, 'error')!;
    expect(shown.hidden).to.equal(false);
    expect(shown.textContent).to.match(/could not log in/);
    expect(shown.textContent).to.not.contain('not-the-password');
    expect(button(el, 'Test network').disabled).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('inside a logged-in <ipo-session>: no password asked, the relay login uses the session token; the chart has axes, units and limits', async () => {
    const info = await gatewayInfo();
    const host = await fixture<HTMLElement>(
      html`<ipo-session gateway="127.0.0.1:${info.port}"
        ><ipo-phone user="203"></ipo-phone><ipo-network-test duration="3"></ipo-network-test
      ></ipo-session>`,
    );
    const phone = host.querySelector('ipo-phone')!;
    const el = host.querySelector('ipo-network-test') as IpoNetworkTest;
    await el.updateComplete;
    expect(field(el, 'Password'), 'asked while the session is logged out').to.exist;
    field(phone, 'Password').value = info.password;
    button(phone, 'Log in').click();
    const session = (
      host as unknown as { session: { snapshot: { registration: { state: string } } } }
    ).session;
    await until(() => session.snapshot.registration.state === 'logged-in', 'the phone logged in');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('input'), 'no field at all once logged in').to.equal(null);

    // what the network test's relay login puts on the wire
    const logins: Array<Record<string, unknown>> = [];
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      const frame = typeof data === 'string' ? (JSON.parse(data) as Record<string, unknown>) : {};
      if (frame.msgname === 'login' && frame.service === 'relayservice')
        logins.push(frame.params as Record<string, unknown>);
      return send.call(this, data);
    };
    try {
      button(el, 'Test network').click();
      await until(() => el.state === 'done' || el.state === 'failed', 'the end of the test');
    } finally {
      WebSocket.prototype.send = send;
    }
    expect(el.state, el.shadowRoot!.querySelector('[part~=error]')?.textContent ?? '').to.equal(
      'done',
    );
    expect(logins.length).to.equal(1);
    expect(logins[0]).to.include({ userID: '203', authType: 'token' });
    expect((logins[0]!.authToken as { type: string }).type).to.equal('session');
    expect(session.snapshot.registration.state, 'the phone stays logged in').to.equal('logged-in');
    await el.updateComplete;

    const svg = part(el, 'chart')!;
    const texts = [...svg.querySelectorAll('text')].map((t) => t.textContent!.trim());
    expect(texts, 'axis titles').to.include.members(['ms', 'seconds', 'loss %']);
    expect(texts, 'delay and loss scales').to.include.members(['0', '50', '5', '10']);
    expect(svg.querySelectorAll('.axis line').length, 'three axes').to.equal(3);
    expect(svg.querySelectorAll('.limits line.jit').length, 'the 20 ms jitter limit').to.equal(1);
    expect(svg.querySelectorAll('.limits line.loss').length, 'the 1 % loss limit').to.equal(1);
    expect(part(el, 'limits')!.textContent).to.contain(
      'Good for voice and video up to 150 ms round trip, 20 ms jitter and 1 % loss; voice only up to 400 ms, 50 ms and 5 %.',
    );
    await executeServerCommand('ipo-screenshot', { name: 'network-test-session' });
    await expect(el).to.be.accessible();
    await (host as unknown as { session: { logout(): Promise<void> } }).session.logout();
  });
});
