/**
 * Resiliency as page users see it: the whole kit (<ipo-session> + <ipo-phone>) in a call through a
 * TCP proxy to a gateway process of its own; the proxy resets the socket mid-call. The phone says
 * "Reconnecting…", then that the call was kept, the call stays on screen (its media is the SDK's
 * resumed call, checked in resiliency.test.ts), and a
 * later hang-up by the far end is shown with its reason.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/all.js';
import type { IpoPhone } from '../../../src/components/phone/phone.component.js';
import type { IpoSessionElement } from '../../../src/components/session/session.component.js';
import { button, field, part, until } from '../../../src/internal/testing/dom.js';
import { clientOn, gw, proxy, type Gw } from './resiliency-support.js';
import { cleanup, gatewayInfo } from './support.js';

describe('<ipo-phone> through a signalling reconnect (real gateway, real media)', function () {
  this.timeout(90_000);
  let g: Gw | undefined;
  afterEach(async () => {
    await cleanup();
    if (g) await gw.stop(g);
  });

  it('says Reconnecting…, then that the call was kept; the call stays; a later end shows its reason', async () => {
    g = await gw.start();
    const px = await proxy.start(g.port);
    const info = await gatewayInfo();
    const bob = await clientOn('202', g.port);
    const el = await fixture<IpoSessionElement>(
      html`<ipo-session gateway="127.0.0.1:${px.port}"><ipo-phone user="201"></ipo-phone></ipo-session>`,
    );
    const phone = el.querySelector('ipo-phone') as IpoPhone;
    await phone.updateComplete;
    field(phone, 'Password').value = info.password;
    button(phone, 'Log in').click();
    await until(() => el.session?.snapshot.registration.state === 'logged-in', 'logged in');
    const mb = bob.mark();
    await phone.call('202');
    const incoming = await bob.waitFor('incoming', undefined, {
      since: mb,
      what: 'the call at Bob',
    });
    bob.client.answerCall(incoming.args[0] as string);
    await until(() => el.session?.snapshot.call?.state === 'connected', 'connected');
    const session = el.session!;
    const callId = session.snapshot.call!.id;
    const live = () => phone.shadowRoot!.querySelector('[role=status]')!.textContent!;
    const heard: string[] = [];
    const observer = new MutationObserver(() => heard.push(live()));
    observer.observe(phone.shadowRoot!.querySelector('[role=status]')!, {
      childList: true,
      subtree: true,
      characterData: true,
    });

    await proxy.reset(px.id);
    await until(() => session.snapshot.registration.state === 'reconnecting', 'reconnecting');
    await until(() => session.snapshot.registration.state === 'logged-in', 'back');
    await phone.updateComplete;
    observer.disconnect();
    expect(
      heard.some((t) => t.includes('Reconnecting…')),
      heard.join(' | '),
    ).to.equal(true);
    expect(
      heard.some((t) => t.includes('Your call was kept')),
      heard.join(' | '),
    ).to.equal(true);
    expect(session.snapshot.call?.id, 'the same call').to.equal(callId);
    expect(session.snapshot.call?.state).to.equal('connected');
    expect(part(phone, 'call')).to.not.equal(null);

    const mb2 = bob.mark();
    bob.client.dropCall(incoming.args[0] as string);
    await bob.waitFor('terminate', undefined, { since: mb2 });
    await until(() => part(phone, 'ended'), 'the ended line');
    expect(part(phone, 'ended')!.textContent!.replace(/\s+/g, ' ').trim()).to.match(
      /^Call with Bob Dalton ended: .+/,
    );
    await expect(phone).to.be.accessible();
    await proxy.stop(px.id);
  });
});
