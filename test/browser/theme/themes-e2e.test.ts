/**
 * End to end: pages of the built kit themed by markup alone (`theme` on <ipo-session>), two phones
 * logged in on the real dev gateway calling each other, axe (colour contrast included) and an
 * explicit contrast ratio for every text in every element, in light, dark, auto (system dark) and
 * forced colours. Screenshots: test/screenshots/theme-e2e-*.png at 360×740 and desktop width.
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand, sendKeys, setViewport } from '@web/test-runner-commands';
import { MarkupPage } from '../i18n/pages.js';
import { gatewayInfo } from '../support/phone.js';
import { backdrop, contrast, rgb, transitionsDone } from './contrast.js';

type Axe = {
  run(
    context: Element | Document,
    options: object,
  ): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
};

const kit = (host: string, theme: string) =>
  `<ipo-session gateway="${host}" no-resiliency app-id="theme-e2e" theme="${theme}">
     <ipo-phone no-ringtone></ipo-phone>
     <ipo-device-select no-remember no-camera></ipo-device-select>
     <ipo-network-test></ipo-network-test>
     <ipo-video-pair></ipo-video-pair>
   </ipo-session>`;
const TAGS = ['ipo-phone', 'ipo-device-select', 'ipo-network-test', 'ipo-video-pair'];

/** axe-core inside the page's frame (the elements live in its document). */
async function axeIn(page: MarkupPage): Promise<Axe> {
  const w = page.win as unknown as { axe?: Axe };
  if (!w.axe) {
    const script = page.doc.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    const loaded = new Promise((r) => script.addEventListener('load', r, { once: true }));
    page.doc.head.append(script);
    await loaded;
  }
  return w.axe!;
}

async function expectReadable(page: MarkupPage, what: string): Promise<void> {
  const axe = await axeIn(page);
  await transitionsDone(page.doc);
  for (const tag of TAGS) {
    const el = page.el(tag);
    await el.updateComplete;
    const { violations } = await axe.run(el, { resultTypes: ['violations'] });
    expect(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      `${page.label} ${what} ${tag}: axe`,
    ).to.deep.equal([]);
    for (const node of page.textElements(el)) {
      const under = backdrop(node);
      const ratio = contrast(rgb(getComputedStyle(node).color, under), under);
      expect(ratio, `${page.label} ${what} ${tag} "${node.textContent!.trim()}"`).to.be.at.least(
        4.5,
      );
    }
  }
}

const media = (features: { name: string; value: string }[]) =>
  executeServerCommand('ipo-media', { features });

describe('themes end to end (built bundle, real gateway)', function () {
  this.timeout(240_000);
  const pages: MarkupPage[] = [];
  before(() => setViewport({ width: 1400, height: 1000 }));
  afterEach(async () => {
    await media([]);
    for (const p of pages)
      await (p.phone as unknown as { logout(): Promise<void> }).logout().catch(() => undefined);
    while (pages.length) pages.pop()!.close();
  });

  for (const [theme, features] of [
    ['light', []],
    ['dark', []],
    ['auto', [{ name: 'prefers-color-scheme', value: 'dark' }]],
    ['dark', [{ name: 'forced-colors', value: 'active' }]],
  ] as const) {
    const name = features.length ? `${theme}+${features[0]!.name}` : theme;
    it(`theme="${theme}"${features.length ? ` with ${features[0]!.name}: ${features[0]!.value}` : ''}: readable logged out, ringing and in a call`, async () => {
      await media([...features]);
      const { host, password } = await gatewayInfo();
      const alice = await MarkupPage.open(`${name} alice`, 'lang="en"', kit(host, theme));
      const bob = await MarkupPage.open(`${name} bob`, 'lang="en"', kit(host, theme));
      pages.push(alice, bob);
      await expectReadable(alice, 'logged out');

      for (const [p, user] of [
        [alice, '201'],
        [bob, '202'],
      ] as const) {
        await p.type(p.field(p.phone, 'Extension'), user);
        await p.type(p.field(p.phone, 'Password'), password);
        p.button(p.phone, 'Log in').click();
        await p.until(() => p.phone.matches(':state(logged-in)'), `${p.label} logged in`);
      }
      await expectReadable(alice, 'logged in');

      await alice.type(alice.field(alice.phone, 'Number'), '202');
      await sendKeys({ press: 'Enter' });
      await bob.until(() => bob.phone.matches(':state(ringing)'), 'ringing');
      await expectReadable(bob, 'ringing');
      await bob.screenshot(`theme-e2e-${name}-ringing-360`);
      bob.button(bob.phone, 'Answer').click();
      await alice.until(() => alice.phone.matches(':state(in-call)'), 'alice in a call');
      await expectReadable(alice, 'in a call');
      await alice.screenshot(`theme-e2e-${name}-connected-360`);
      alice.frame.style.width = '1000px';
      alice.frame.style.height = '900px';
      await alice.screenshot(`theme-e2e-${name}-connected-desktop`);
      alice.button(alice.phone, 'Hang up').click();
      await bob.until(() => !bob.phone.matches(':state(in-call)'), 'call ended at bob');
    });
  }
});
