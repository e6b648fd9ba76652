/**
 * The phone's screenshot matrix (DESIGN §7): every state × light / dark / RTL × a 360×740 phone
 * screen and a desktop width, saved to test/screenshots/phone-<state>-<theme>-<size>.png by
 * `npm test` for a reviewer to look at. Each state is reached through the element's own UI where
 * there is one (the consult step), else by driving a FakeSession; every shot also checks axe.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, setViewport } from '@web/test-runner-commands';
import '../../all.js';
import { IpoError } from '../../core/errors.js';
import { buttons, part } from '../../internal/testing/dom.js';
import { FakeSession } from '../../internal/testing/fake-session.js';
import type { IpoPhone } from './phone.component.js';

const PREFIX = 'phone-';
const ALICE = { number: '201', name: 'Alice Carter', subject: '', sipUri: '' };
const BOB = { number: '202', name: 'Bob Dalton', subject: 'Order 4471', sipUri: '' };
const CAROL = { number: '203', name: 'Carol Evans', subject: '', sipUri: '' };
const ago = (s: number) => Date.now() - s * 1000;

type Setup = (fake: FakeSession, el: IpoPhone) => Promise<void> | void;

const loggedIn: Setup = (f) => f.register('logged-in', '201');
const STATES: Record<string, Setup> = {
  'logged-out': () => undefined,
  idle: loggedIn,
  dialing: (f) => {
    loggedIn(f, null!);
    f.putCall({ id: 'c1', state: 'dialing', direction: 'outgoing', farEnd: { ...BOB, name: '' } });
  },
  'outgoing-ringing': (f) => {
    loggedIn(f, null!);
    f.putCall({ id: 'c1', state: 'ringing', direction: 'outgoing', farEnd: BOB });
  },
  'incoming-audio': (f) => {
    loggedIn(f, null!);
    f.putCall({ id: 'c1', state: 'incoming', direction: 'incoming', farEnd: BOB });
  },
  'incoming-video': (f) => {
    f.update({ videoEnabled: true });
    loggedIn(f, null!);
    f.putCall({ id: 'c1', state: 'incoming', direction: 'incoming', farEnd: CAROL, video: true });
  },
  connected: (f) => {
    loggedIn(f, null!);
    f.putCall({
      id: 'c1',
      state: 'connected',
      direction: 'outgoing',
      farEnd: BOB,
      connectedAt: ago(125),
    });
  },
  muted: (f) => {
    loggedIn(f, null!);
    f.putCall({
      id: 'c1',
      state: 'connected',
      direction: 'outgoing',
      farEnd: BOB,
      connectedAt: ago(125),
      muted: true,
    });
  },
  held: (f) => {
    loggedIn(f, null!);
    f.putCall({
      id: 'c1',
      state: 'held',
      direction: 'outgoing',
      farEnd: BOB,
      connectedAt: ago(125),
    });
  },
  'two-calls': (f) => {
    loggedIn(f, null!);
    f.putCall({
      id: 'c1',
      state: 'held',
      direction: 'outgoing',
      farEnd: BOB,
      connectedAt: ago(300),
    });
    f.putCall({
      id: 'c2',
      state: 'connected',
      direction: 'incoming',
      farEnd: ALICE,
      connectedAt: ago(42),
    });
    f.setActiveCall('c2');
  },
  'consult-transfer': async (f, el) => {
    loggedIn(f, null!);
    f.putCall({
      id: 'c0',
      state: 'connected',
      direction: 'incoming',
      farEnd: BOB,
      connectedAt: ago(95),
    });
    await el.updateComplete;
    buttons(el, 'Transfer')[0]?.click();
    await el.updateComplete;
    const consult = buttons(el, 'Consult first')[0];
    if (!consult)
      throw new Error(
        'no Consult first: ' +
          [...el.shadowRoot!.querySelectorAll('button')]
            .map((b) => b.textContent!.trim())
            .join('|'),
      );
    el.shadowRoot!.querySelector<HTMLInputElement>('input[name="target"]')!.value = '203';
    consult.click();
    await el.updateComplete;
    await Promise.resolve();
    // the FakeSession's first call() gives 'c1': the consultation call
    f.putCall({ id: 'c0', state: 'held' });
    f.putCall({
      id: 'c1',
      state: 'connected',
      direction: 'outgoing',
      farEnd: CAROL,
      connectedAt: ago(8),
    });
    f.setActiveCall('c1');
  },
  reconnecting: (f) => {
    loggedIn(f, null!);
    f.putCall({
      id: 'c1',
      state: 'connected',
      direction: 'outgoing',
      farEnd: BOB,
      connectedAt: ago(125),
    });
    f.register('reconnecting', '201', 'Connection lost');
  },
  'ended-outcome': (f) => {
    loggedIn(f, null!);
    f.putCall({
      id: 'c1',
      state: 'connected',
      direction: 'outgoing',
      farEnd: BOB,
      connectedAt: ago(192),
    });
    f.endCall('c1', 'Call ended');
  },
  error: (f) => {
    loggedIn(f, null!);
    f.update({
      error: new IpoError(
        'call-failed',
        'Number 299 was not found. Check the number and call again.',
      ),
    });
  },
};

const THEMES = ['light', 'dark', 'rtl'] as const;
const SIZES = { phone: { width: 360, height: 740 }, desktop: { width: 1280, height: 800 } };

async function applyTheme(host: HTMLElement, theme: (typeof THEMES)[number]): Promise<void> {
  const dark = theme === 'dark';
  await emulateMedia({ colorScheme: dark ? 'dark' : 'light', reducedMotion: 'reduce' });
  document.documentElement.dir = theme === 'rtl' ? 'rtl' : 'ltr';
  document.documentElement.lang = theme === 'rtl' ? 'ar' : 'en';
  document.body.style.cssText = `margin:0;padding:12px;font:16px system-ui,sans-serif;background:${dark ? '#111418' : '#f4f5f7'};color-scheme:${dark ? 'dark' : 'light'}`;
  host.setAttribute('theme', dark ? 'dark' : 'light');
}

describe('<ipo-phone> screenshot matrix', function () {
  this.timeout(180_000);
  after(async () => {
    document.documentElement.dir = '';
    document.documentElement.lang = '';
    document.body.style.cssText = '';
    await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
    await setViewport({ width: 800, height: 600 });
  });

  for (const [name, setup] of Object.entries(STATES)) {
    it(`${name}: light, dark and RTL at 360×740 and desktop, accessible in each`, async () => {
      const fake = new FakeSession();
      const host = await fixture<HTMLElement>(
        html`<ipo-session .session=${fake}><ipo-phone no-ringtone user="201"></ipo-phone></ipo-session>`,
      );
      const el = host.querySelector('ipo-phone') as IpoPhone;
      await applyTheme(host, 'light'); // the set-up clicks English words
      await el.updateComplete;
      await setup(fake, el);
      await el.updateComplete;
      expect(part(el, 'base'), 'the phone rendered').to.exist;
      for (const theme of THEMES) {
        await applyTheme(host, theme);
        for (const [size, vp] of Object.entries(SIZES)) {
          await setViewport(vp);
          window.scrollTo(0, 0);
          await el.updateComplete;
          await new Promise(requestAnimationFrame);
          await new Promise(requestAnimationFrame);
          const r = el.getBoundingClientRect();
          const clip =
            size === 'phone'
              ? { x: 0, y: 0, width: vp.width, height: vp.height }
              : {
                  x: Math.max(0, r.left - 12),
                  y: Math.max(0, r.top - 12),
                  width: Math.min(vp.width, r.width + 24),
                  height: Math.max(r.height + 24, 200),
                };
          await executeServerCommand('ipo-screenshot', {
            name: `${PREFIX}${name}-${theme}-${size}`,
            clip,
          });
        }
        await expect(el).to.be.accessible();
      }
      host.remove();
    });
  }
});
