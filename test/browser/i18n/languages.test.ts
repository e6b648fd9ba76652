/**
 * End to end: a German page and an Arabic page of the built kit (dist/ipo-webrtc-kit.js), markup
 * only, against the real dev gateway: the translation is fetched on demand (an English page
 * fetches none), every string shows translated, the Arabic page is laid out right to left with
 * the dial pad still 1 2 3 from left to right, and the two phones call each other through the UI.
 * Screenshots: test/screenshots/lang-*.png (360×740 and desktop).
 */
import { expect } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import ar from '../../../src/i18n/locales/ar.js';
import de from '../../../src/i18n/locales/de.js';
import { gatewayInfo } from '../support/phone.js';
import { MarkupPage } from './pages.js';

const kit = (host: string, extra = '') =>
  `<ipo-session gateway="${host}" no-resiliency app-id="i18n-e2e"${extra}>
     <ipo-phone no-ringtone></ipo-phone>
     <ipo-device-select no-remember no-camera></ipo-device-select>
   </ipo-session>`;

const x = (el: Element) => el.getBoundingClientRect().left;

describe('languages end to end (built bundle, real gateway)', function () {
  this.timeout(180_000);
  const pages: MarkupPage[] = [];
  const open = async (...args: Parameters<typeof MarkupPage.open>) => {
    const p = await MarkupPage.open(...args);
    pages.push(p);
    return p;
  };
  before(() => setViewport({ width: 1400, height: 1000 }));
  afterEach(async () => {
    for (const p of pages) {
      const phone = p.phone as unknown as { logout(): Promise<void> };
      await phone.logout().catch(() => undefined);
    }
    while (pages.length) pages.pop()!.close();
  });

  it('an English page fetches no translation; a German one fetches only German', async () => {
    const { host } = await gatewayInfo();
    const english = await open('en', 'lang="en"', kit(host));
    const german = await open('de', 'lang="de-AT"', kit(host));
    expect(english.button(english.phone, 'Log in')).to.exist;
    expect(english.kitFiles()).to.deep.equal([]);
    expect(german.button(german.phone, de.login)).to.exist;
    expect(german.kitFiles()).to.deep.equal(['/dist/ipo-webrtc-kit.de.js']);
  });

  it('demo/languages.html: a German light phone with edited words beside an Arabic dark one, markup only', async () => {
    const page = await MarkupPage.demo('languages.html');
    pages.push(page);
    // served by the gateway the page uses its own host; from the test server, name this run's
    const { host } = await gatewayInfo();
    for (const s of page.doc.querySelectorAll<HTMLElement & { updateComplete: Promise<boolean> }>(
      'ipo-session',
    )) {
      s.setAttribute('gateway', host);
      await s.updateComplete;
    }
    const [dePhone, arPhone] = [...page.doc.querySelectorAll<HTMLElement>('ipo-phone')];
    expect(page.button(dePhone!, de.login)).to.exist;
    expect(page.button(arPhone!, ar.login)).to.exist;
    expect(page.english(dePhone!, de)).to.deep.equal([]);
    expect(page.english(arPhone!, ar)).to.deep.equal([]);
    const base = (el: Element) => el.shadowRoot!.querySelector('[part~="base"]')!;
    expect(getComputedStyle(base(arPhone!)).direction).to.equal('rtl');
    expect(getComputedStyle(base(arPhone!)).backgroundColor).to.equal('rgb(22, 27, 34)');
    expect(getComputedStyle(base(dePhone!)).backgroundColor).to.equal('rgb(255, 255, 255)');
    const t = (dePhone as unknown as { localize: { t: typeof de } }).localize.t;
    expect([t.call, t.callState.held, t.hangup]).to.deep.equal([
      'Jetzt anrufen',
      'In der Warteschleife',
      de.hangup,
    ]);
    expect(page.kitFiles().sort()).to.deep.equal([
      '/dist/ipo-webrtc-kit.ar.js',
      '/dist/ipo-webrtc-kit.de.js',
      '/dist/ipo-webrtc-kit.template-strings.js',
    ]);
    expect(page.errors).to.deep.equal([]);
    await page.screenshot('lang-demo-languages-desktop');
  });

  it('German and Arabic pages: translated, RTL mirrored with the dial pad 1 2 3, and a call between them', async () => {
    const { host, password } = await gatewayInfo();
    const dePage = await open('de', 'lang="de"', kit(host));
    const arPage = await open('ar', 'lang="ar"', kit(host));

    // logged out: every string in the page's language
    for (const [p, t] of [
      [dePage, de],
      [arPage, ar],
    ] as const) {
      for (const tag of ['ipo-phone', 'ipo-device-select'])
        expect(p.english(p.el(tag), t), `${p.label} ${tag}: untranslated`).to.deep.equal([]);
      expect(p.field(p.el('ipo-device-select'), t.microphone)).to.exist;
    }
    expect(dePage.kitFiles()).to.deep.equal(['/dist/ipo-webrtc-kit.de.js']);
    expect(arPage.kitFiles()).to.deep.equal(['/dist/ipo-webrtc-kit.ar.js']);

    // RTL: the Arabic page's elements run right to left (no dir attribute anywhere: from lang)
    const picker = arPage.el('ipo-device-select');
    const base = picker.shadowRoot!.querySelector('[part~="base"]')!;
    expect(getComputedStyle(base).direction).to.equal('rtl');
    const test = arPage.button(picker, ar.testSpeaker);
    const right = (el: Element) => el.getBoundingClientRect().right;
    expect(right(base) - right(test), 'the button starts at the right').to.be.below(20);
    expect(
      getComputedStyle(arPage.phone.shadowRoot!.querySelector('[part~="base"]')!).direction,
    ).to.equal('rtl');
    expect(
      getComputedStyle(dePage.phone.shadowRoot!.querySelector('[part~="base"]')!).direction,
    ).to.equal('ltr');
    await dePage.screenshot('lang-de-logged-out-360');
    await arPage.screenshot('lang-ar-logged-out-360');

    // log in through the forms, typing
    for (const [p, t, user] of [
      [dePage, de, '201'],
      [arPage, ar, '202'],
    ] as const) {
      await p.type(p.field(p.phone, t.user), user);
      await p.type(p.field(p.phone, t.password), password);
      p.button(p.phone, t.login).click();
      await p.until(() => p.phone.matches(':state(logged-in)'), `${p.label} logged in`);
      await p.phone.updateComplete;
      expect(p.english(p.phone, t), `${p.label} logged in: untranslated`).to.deep.equal([]);
    }

    // the Arabic dial pad keeps 1 2 3 left to right, like every phone keypad
    const keys = (p: MarkupPage) => {
      const all = [...p.phone.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')];
      return ['1', '2', '3', '4', '7', '*'].map((d) => {
        const k = all.find((b) => b.textContent!.trim().startsWith(d) && b.checkVisibility());
        if (!k) throw new Error(`${p.label}: no visible key ${d}`);
        return k;
      });
    };
    const [k1, k2, k3, k4, k7, kStar] = keys(arPage);
    expect(x(k1!)).to.be.below(x(k2!));
    expect(x(k2!)).to.be.below(x(k3!));
    expect(x(k4!)).to.equal(x(k1!));
    expect(x(kStar!)).to.equal(x(k7!));
    await dePage.screenshot('lang-de-logged-in-360');
    await arPage.screenshot('lang-ar-logged-in-360');

    // the German phone calls the Arabic one; it rings in Arabic and is answered there
    await dePage.type(dePage.field(dePage.phone, de.number), '202');
    await sendKeys({ press: 'Enter' });
    await arPage.until(() => arPage.phone.matches(':state(ringing)'), 'ringing in Arabic');
    await arPage.phone.updateComplete;
    expect(arPage.texts(arPage.phone)).to.include(ar.callState.incoming);
    expect(arPage.english(arPage.phone, ar), 'ringing: untranslated').to.deep.equal([]);
    await arPage.screenshot('lang-ar-ringing-360');
    arPage.button(arPage.phone, ar.answer).click();
    await dePage.until(() => dePage.phone.matches(':state(in-call)'), 'German side connected');
    await arPage.until(() => arPage.phone.matches(':state(in-call)'), 'Arabic side connected');
    await dePage.until(
      () => dePage.texts(dePage.phone).includes(de.callState.connected),
      `"${de.callState.connected}"`,
    );
    for (const [p, t] of [
      [dePage, de],
      [arPage, ar],
    ] as const) {
      await p.phone.updateComplete;
      expect(p.english(p.phone, t), `${p.label} in a call: untranslated`).to.deep.equal([]);
    }
    expect(arPage.texts(arPage.phone)).to.include(ar.callState.connected);
    await dePage.screenshot('lang-de-connected-360');
    await arPage.screenshot('lang-ar-connected-360');

    // desktop width
    for (const p of [dePage, arPage]) p.frame.style.width = '640px';
    await dePage.screenshot('lang-de-connected-desktop');
    await arPage.screenshot('lang-ar-connected-desktop');

    dePage.button(dePage.phone, de.hangup).click();
    await arPage.until(() => !arPage.phone.matches(':state(in-call)'), 'call ended in Arabic');
  });
});
