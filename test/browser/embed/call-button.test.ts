/**
 * `<ipo-call-button>` end to end from demo/click-to-call.html — a page with no script of its
 * own, only the kit bundle and markup — against the real dev gateway: the click signs in through
 * the token route, calls, becomes an in-call bar (far-end name, timer, mute, keypad, hang up),
 * says how the call ended and signs out again. Accessible (axe) before and during the call.
 */
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import '../../../src/all.js';
import type { IpoCallButton } from '../../../src/components/call-button/call-button.component.js';
import type { IpoSessionElement } from '../../../src/components/session/session.component.js';
import type { IpoSession } from '../../../src/core/ipo-session.js';
import { until } from '../../../src/internal/testing/dom.js';
import { gatewayInfo, TestPhone } from '../support/phone.js';

const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** Clicks `button` (in `el`'s session), answers at 201, checks the bar, hangs up. */
async function callFlow(
  el: IpoSessionElement,
  button: IpoCallButton,
  far: TestPhone,
  axe: boolean,
): Promise<void> {
  const session = (await until(() => el.session as IpoSession | null, 'the session'))!;

  await until(() => button.shadowRoot?.querySelector('[part~=call]'), 'the button');
  await button.updateComplete;
  expect(session.snapshot.registration.state, 'not signed in before the click').to.equal(
    'logged-out',
  );
  if (axe) await expect(button).to.be.accessible();
  const root = button.shadowRoot!;
  expect(text(root.querySelector('[part~=call]'))).to.equal('Call dispatch');

  const incoming = far!.next('IncomingCall', undefined, 30_000);
  (root.querySelector('[part~=call]') as HTMLButtonElement).click();
  await far!.answer(await incoming);
  await until(() => root.querySelector('[part~=bar]'), 'the in-call bar', 20_000);
  expect(session.snapshot.user).to.equal('207');
  await until(() => /^\d+:\d\d$/.test(text(root.querySelector('[part~=timer]'))), 'the timer');
  expect(text(root.querySelector('[part~=name]'))).to.contain('Alice Carter');
  if (axe) await expect(button).to.be.accessible();
  const byText = (t: string) =>
    [...root.querySelectorAll('button')].find((b) => text(b) === t) as HTMLButtonElement;
  byText('Mute').click();
  await until(() => session.snapshot.call?.muted, 'muted');
  expect(byText('Mute').getAttribute('aria-pressed')).to.equal('true');
  byText('Dial pad').click();
  await until(() => root.querySelector('[part~=keypad]'), 'the keypad');
  if (axe) await expect(button).to.be.accessible();
  byText('Hang up').click();
  await until(() => root.querySelector('[part~=ended]'), 'how it ended', 20_000);
  expect(text(root.querySelector('[part~=ended]'))).to.contain('Alice Carter');
  expect(root.querySelector('[part~=call]'), 'the button is back').to.exist;
  await until(
    () => session.snapshot.registration.state === 'logged-out',
    'signed out after its call',
  );
}

describe('<ipo-call-button> on a page with no script (real gateway)', function () {
  this.timeout(60_000);
  let frame: HTMLIFrameElement | null = null;
  let far: TestPhone | null = null;
  afterEach(() => {
    frame?.remove();
    frame = null;
    far?.ws.close();
  });

  it('signs in by itself, calls, is an in-call bar, says how it ended, signs out', async () => {
    const info = await gatewayInfo();
    far = await TestPhone.connect(info);
    await far.login('201', info.password);
    frame = document.createElement('iframe');
    frame.allow = 'microphone; autoplay';
    frame.style.cssText = 'width: 900px; height: 700px';
    frame.src = '/demo/click-to-call.html';
    document.body.append(frame);
    await new Promise((r) => frame!.addEventListener('load', r, { once: true }));
    const doc = frame.contentDocument!;
    expect(doc.querySelectorAll('script:not([src])'), 'no script of its own').to.have.length(0);
    const el = await until(
      () => doc.querySelector('ipo-session') as IpoSessionElement | null,
      'the session element',
    );
    // the page's token route lives on the gateway's origin; here the test server plays it
    el!.setAttribute('gateway', info.host);
    el!.setAttribute('token-url', `/__token?user=207&mode=ok&key=button-${Date.now()}`);
    await callFlow(
      el!,
      doc.querySelector('ipo-call-button[number="201"]') as IpoCallButton,
      far,
      false,
    );
  });

  it('accessible (axe) before, during (keypad open) and after the call', async () => {
    const info = await gatewayInfo();
    far = await TestPhone.connect(info);
    await far.login('201', info.password);
    const el = await fixture<IpoSessionElement>(
      html`<ipo-session gateway=${info.host} token-url=${`/__token?user=207&mode=ok&key=axe-${Date.now()}`}
        ><ipo-call-button number="201" label="Call dispatch"></ipo-call-button
      ></ipo-session>`,
    );
    await callFlow(el, el.querySelector('ipo-call-button')!, far, true);
    await expect(el.querySelector('ipo-call-button')).to.be.accessible();
    fixtureCleanup();
  });
});
