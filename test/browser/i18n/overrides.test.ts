/**
 * Language, direction and string overrides from markup: the nearest `lang` (element, ancestor,
 * document) chooses the language, `dir` or the language sets the direction, `<template
 * data-ipo-strings>` overrides strings without script (also per language), `strings` wins over
 * all, and changes to any of them re-render the elements.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/all.js';
import type { IpoDeviceSelect } from '../../../src/components/device-select/device-select.component.js';
import type { IpoNetworkTest } from '../../../src/components/network-test/network-test.component.js';
import type { IpoPhone } from '../../../src/components/phone/phone.component.js';
import { verdict } from '../../../src/core/network-verdict.js';
import { loadTranslation, registerTranslation } from '../../../src/i18n/localize.js';
import de from '../../../src/i18n/locales/de.js';
import fr from '../../../src/i18n/locales/fr.js';
import { button, field, part } from '../../../src/internal/testing/dom.js';
import { FakeSession } from '../../../src/internal/testing/fake-session.js';

type Kit = { phone: IpoPhone; picker: IpoDeviceSelect; root: HTMLElement };

const settle = async (...els: { updateComplete: Promise<boolean> }[]) => {
  for (const el of els) await el.updateComplete;
  for (const el of els) await el.updateComplete;
};

async function kit(markup: ReturnType<typeof html>): Promise<Kit> {
  const root = await fixture<HTMLElement>(markup);
  const phone = root.querySelector('ipo-phone')!;
  const picker = root.querySelector('ipo-device-select')!;
  await settle(...[phone, picker].filter(Boolean));
  return { phone, picker, root };
}

const text = (el: Element) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
const dirOf = (el: Element) => getComputedStyle(part(el, 'base')!).direction;

describe('language and direction from markup', () => {
  let fake: FakeSession;
  beforeEach(() => {
    fake = new FakeSession();
    fake.register('logged-in');
  });

  it('the nearest lang wins: element, then ancestor, then <html>', async () => {
    await Promise.all([loadTranslation('de'), loadTranslation('fr')]);
    const { phone, picker, root } = await kit(html`<div lang="fr">
      <ipo-phone .session=${fake} no-ringtone></ipo-phone>
      <ipo-device-select lang="de-CH" .session=${fake} no-remember></ipo-device-select>
    </div>`);
    button(phone, fr.call);
    expect(field(picker, de.microphone)).to.exist;
    root.setAttribute('lang', 'de');
    await settle(phone);
    button(phone, de.call);
    root.removeAttribute('lang');
    await settle(phone);
    button(phone, 'Call');
  });

  it('loads the language on demand and renders it on the first paint', async () => {
    const { phone } = await kit(
      html`<div lang="it"><ipo-phone .session=${fake} no-ringtone></ipo-phone></div>`,
    );
    const it = (await import('../../../src/i18n/locales/it.js')).default;
    button(phone, it.call);
    expect(text(phone)).to.contain(it.registration['logged-in']); // the header: Pronto
  });

  it('direction: from the language, a nearer dir wins, and a nearer lang beats an outer dir', async () => {
    await loadTranslation('ar');
    const { phone, picker } = await kit(html`<div dir="ltr">
      <ipo-phone lang="ar" .session=${fake} no-ringtone></ipo-phone>
      <div lang="ar"><ipo-device-select dir="ltr" .session=${fake} no-remember></ipo-device-select></div>
    </div>`);
    expect(dirOf(phone)).to.equal('rtl');
    expect(dirOf(picker)).to.equal('ltr');
    picker.removeAttribute('dir');
    await settle(picker);
    expect(dirOf(picker)).to.equal('rtl');
  });

  it('the session’s configuration error is in the language and direction of its place', async () => {
    await loadTranslation('ar');
    const root = await fixture<HTMLElement>(
      html`<div lang="ar"><ipo-session sdk="nope"></ipo-session></div>`,
    );
    const s = root.querySelector('ipo-session')!;
    await s.updateComplete;
    const error = part(s, 'error')!;
    const ar = (await import('../../../src/i18n/locales/ar.js')).default;
    expect(error.textContent).to.contain(ar.setupError);
    expect(getComputedStyle(error).direction).to.equal('rtl');
  });

  it('the network test’s verdict and figures are in the page’s language and number format', async () => {
    await loadTranslation('de');
    const el = await fixture<IpoNetworkTest>(
      html`<ipo-network-test lang="de" gateway="127.0.0.1:1"></ipo-network-test>`,
    );
    const figures = { samples: [], rtt: 420, jitter: 12, loss: 7.5, sent: 100 };
    el.result = { ...figures, verdict: verdict(420, 12, 7.5) };
    await settle(el);
    expect(part(el, 'verdict')!.textContent).to.equal(
      'Schlecht: 7,5 % Paketverlust und 420 ms Umlaufzeit',
    );
    expect(part(el, 'figures')!.textContent!.replace(/\s+/g, ' ')).to.contain('7,5 %');
    el.result = { ...figures, loss: 2.5, rtt: 90, verdict: verdict(90, 12, 2.5) };
    await settle(el);
    expect(part(el, 'verdict')!.textContent).to.equal(
      de.verdict['voice-only']('2,5 % Paketverlust'),
    );
  });

  it('a registered translation wins over the shipped one, key by key', async () => {
    registerTranslation({ $code: 'nl', call: 'Nu bellen' });
    const { phone } = await kit(
      html`<div lang="nl"><ipo-phone .session=${fake} no-ringtone></ipo-phone></div>`,
    );
    const nl = (await import('../../../src/i18n/locales/nl.js')).default;
    button(phone, 'Nu bellen');
    button(phone, nl.logout);
  });
});

describe('<template data-ipo-strings> overrides (markup only)', () => {
  let fake: FakeSession;
  beforeEach(() => {
    fake = new FakeSession();
    fake.register('logged-in');
  });

  it('on <ipo-session>: applies to every element inside; records, {0} and plural forms', async () => {
    await loadTranslation('de');
    const { phone, picker } = await kit(html`<div lang="de">
      <ipo-session .session=${fake}>
        <template data-ipo-strings>
          <data value="call">Wählen</data>
          <data value="microphone">Headset-Mikro</data>
          <data value="callState.connected">Im Gespräch</data>
          <data value="loggedInAs">Sie sind {0}</data>
          <data value="callsKept" data-one="Ein Anruf blieb">{0} Anrufe blieben</data>
        </template>
        <ipo-phone no-ringtone></ipo-phone>
        <ipo-device-select no-remember></ipo-device-select>
      </ipo-session>
    </div>`);
    button(phone, 'Wählen');
    button(phone, de.logout); // the rest stays German
    expect(field(picker, 'Headset-Mikro')).to.exist;
    // "Logged in as 201" is announced when the phone logs in (the header says Bereit)
    fake.register('logging-in');
    await settle(phone);
    fake.register('logged-in');
    await settle(phone);
    expect(text(phone)).to.contain('Sie sind 201');
    fake.putCall({ id: 'c1', state: 'connected', farEnd: { ...BOB }, connectedAt: Date.now() });
    await settle(phone);
    expect(text(phone)).to.contain('Im Gespräch');
    expect(text(phone)).not.to.contain(de.callState.connected);
    const t = (phone as unknown as { localize: { t: typeof de } }).localize.t;
    expect(t.callsKept(1)).to.equal('Ein Anruf blieb');
    expect(t.callsKept(1234)).to.equal('1.234 Anrufe blieben');
  });

  it('per language, nearer templates win, the strings property wins over all', async () => {
    const { phone, root } = await kit(html`<div>
      <ipo-session .session=${fake}>
        <template data-ipo-strings><data value="call">Dial</data></template>
        <template data-ipo-strings lang="fr"><data value="call">Composer</data></template>
        <ipo-phone no-ringtone>
          <template data-ipo-strings><data value="logout">Sign out</data></template>
        </ipo-phone>
      </ipo-session>
    </div>`);
    button(phone, 'Dial');
    button(phone, 'Sign out');
    root.setAttribute('lang', 'fr');
    await loadTranslation('fr');
    await settle(phone);
    button(phone, 'Composer');
    button(phone, 'Sign out');
    phone.strings = { call: 'Appel !' };
    await settle(phone);
    button(phone, 'Appel !');
  });

  it('a template added later applies; an unknown key is ignored with one warning', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (m: string) => void warnings.push(String(m));
    try {
      const { phone } = await kit(html`<div>
        <ipo-session .session=${fake}><ipo-phone no-ringtone></ipo-phone></ipo-session>
      </div>`);
      const tpl = document.createElement('template');
      tpl.setAttribute('data-ipo-strings', '');
      tpl.innerHTML = '<data value="call">Ring</data><data value="nope.x">?</data>';
      phone.parentElement!.append(tpl);
      await settle(phone);
      button(phone, 'Ring');
      expect(warnings.filter((w) => w.includes('"nope.x"'))).to.have.length(1);
    } finally {
      console.warn = warn;
    }
  });

  it('text stays text: markup in an override is never rendered as markup', async () => {
    const { phone } = await kit(html`<div>
      <ipo-session .session=${fake}>
        <template data-ipo-strings><data value="call">&lt;img src=x onerror=alert(1)&gt;</data></template>
        <ipo-phone no-ringtone></ipo-phone>
      </ipo-session>
    </div>`);
    button(phone, '<img src=x onerror=alert(1)>');
    expect(phone.shadowRoot!.querySelector('img')).to.equal(null);
  });
});

const BOB = { number: '202', name: 'Bob Dalton', subject: '', sipUri: '' };
