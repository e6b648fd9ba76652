/**
 * Themes: `theme="light|dark|auto"` on <ipo-session> (inherited) or on one element, forced colours,
 * and WCAG AA contrast (axe, plus an explicit ratio for every text the elements render) for every
 * element in several states in each theme. Screenshots go to test/screenshots/theme-*.png.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import '../../../src/all.js';
import type { IpoSessionElement } from '../../../src/components/session/session.component.js';
import { part, until } from '../../../src/internal/testing/dom.js';
import { FakeSession } from '../../../src/internal/testing/fake-session.js';
import type { Devices } from '../../../src/core/snapshot.js';
import { backdrop, contrast, rgb, textElements, transitionsDone } from './contrast.js';

type Feature = { name: string; value: string };
const media = (features: Feature[]) => executeServerCommand('ipo-media', { features });
const shot = (name: string) => executeServerCommand('ipo-screenshot', { name });

const BOB = { number: '202', name: 'Bob Dalton', subject: '', sipUri: '' };
const CAROL = { number: '203', name: 'Carol Evans', subject: '', sipUri: '' };
const DEVICES: Devices = {
  loaded: true,
  audioInput: [{ kind: 'audioinput', id: 'm1', label: 'Desk microphone' }],
  videoInput: [{ kind: 'videoinput', id: 'v1', label: 'Front camera' }],
  audioOutput: [{ kind: 'audiooutput', id: 'o1', label: 'Headset' }],
  selected: { audioInput: '', videoInput: '', audioOutput: '' },
};

/** Every visible text in the element's shadow root with its contrast against its background. */
function textContrasts(host: Element): { text: string; ratio: number }[] {
  return textElements(host).map((el) => {
    const under = backdrop(el);
    return {
      text: el.textContent!.trim().slice(0, 30),
      ratio: contrast(rgb(getComputedStyle(el).color, under), under),
    };
  });
}

async function kit(theme: string | null, fake: FakeSession): Promise<IpoSessionElement> {
  const root = await fixture<HTMLElement>(html`<div style="padding: 8px; max-width: 60rem">
    <ipo-session theme=${theme ?? ''} .session=${fake}>
      <ipo-phone no-ringtone></ipo-phone>
      <ipo-device-select no-remember></ipo-device-select>
      <ipo-network-test></ipo-network-test>
      <ipo-video-pair></ipo-video-pair>
    </ipo-session>
  </div>`);
  const session = root.querySelector('ipo-session')!;
  if (theme === null) session.removeAttribute('theme');
  await until(() => root.querySelector('ipo-device-select')!.matches(':state(loaded)'), 'devices');
  return session as IpoSessionElement;
}

const ELEMENTS = ['ipo-phone', 'ipo-device-select', 'ipo-network-test', 'ipo-video-pair'];
const surfaceOf = (el: Element) => getComputedStyle(part(el, 'base')!).backgroundColor;
const LIGHT = 'rgb(255, 255, 255)';
const DARK = 'rgb(22, 27, 34)';

async function expectReadable(session: Element): Promise<void> {
  await transitionsDone();
  for (const tag of ELEMENTS) {
    const el = session.querySelector(tag)!;
    await (el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    await expect(el, `${tag} axe`).to.be.accessible();
    const texts = textContrasts(el);
    expect(texts, `${tag} has text`).not.to.be.empty;
    for (const { text, ratio } of texts)
      expect(ratio, `${tag} "${text}" contrast`).to.be.at.least(4.5);
  }
}

describe('themes', function () {
  this.timeout(120_000);
  let fake: FakeSession;

  beforeEach(async () => {
    await setViewport({ width: 1000, height: 900 });
    fake = new FakeSession();
    fake.deviceList = DEVICES;
  });
  afterEach(() => media([]));

  for (const theme of ['light', 'dark'] as const) {
    describe(`theme="${theme}" on <ipo-session>`, () => {
      it('every element inside has the theme surface; text meets AA when logged out', async () => {
        const s = await kit(theme, fake);
        for (const tag of ELEMENTS) {
          if (tag === 'ipo-video-pair') continue; // no surface of its own: the videos are dark
          expect(surfaceOf(s.querySelector(tag)!), tag).to.equal(theme === 'dark' ? DARK : LIGHT);
        }
        await expectReadable(s);
        await shot(`theme-${theme}-logged-out`);
      });

      it('meets AA with a call connected, one held and one incoming', async () => {
        const s = await kit(theme, fake);
        fake.register('logged-in');
        fake.putCall({ id: 'c1', state: 'connected', farEnd: BOB, connectedAt: Date.now() });
        fake.putCall({ id: 'c2', state: 'held', farEnd: CAROL, direction: 'outgoing' });
        fake.putCall({ id: 'c3', state: 'incoming', farEnd: { ...BOB, name: 'Dan Ford' } });
        await until(() => s.querySelector('ipo-phone')!.matches(':state(ringing)'), 'ringing');
        await expectReadable(s);
        await shot(`theme-${theme}-calls`);
      });

      it('the device pickers keep AA contrast on a page of the other colour', async () => {
        document.body.style.background = theme === 'dark' ? '#fff' : '#000';
        try {
          const s = await kit(theme, fake);
          const picker = s.querySelector('ipo-device-select')!;
          const label = part(picker, 'field')!;
          const ratio = contrast(rgb(getComputedStyle(label).color), backdrop(label));
          expect(ratio).to.be.at.least(4.5);
        } finally {
          document.body.style.background = '';
        }
      });
    });
  }

  describe('theme="auto"', () => {
    it('follows prefers-color-scheme, also when it changes', async () => {
      await media([{ name: 'prefers-color-scheme', value: 'light' }]);
      const s = await kit('auto', fake);
      const phone = s.querySelector('ipo-phone')!;
      expect(surfaceOf(phone)).to.equal(LIGHT);
      await expectReadable(s);
      await media([{ name: 'prefers-color-scheme', value: 'dark' }]);
      expect(surfaceOf(phone)).to.equal(DARK);
      await expectReadable(s);
    });
  });

  describe('per element and by default', () => {
    it('an element’s own theme wins over the session’s', async () => {
      const s = await kit('dark', fake);
      const picker = s.querySelector('ipo-device-select')!;
      picker.setAttribute('theme', 'light');
      expect(surfaceOf(picker)).to.equal(LIGHT);
      expect(surfaceOf(s.querySelector('ipo-phone')!)).to.equal(DARK);
      expect((picker as HTMLElement & { theme?: string }).theme).to.equal('light');
    });

    it('without a theme, follows the page’s color-scheme', async () => {
      await media([{ name: 'prefers-color-scheme', value: 'dark' }]);
      const s = await kit(null, fake);
      const phone = s.querySelector('ipo-phone')!;
      expect(surfaceOf(phone)).to.equal(LIGHT);
      document.documentElement.style.colorScheme = 'light dark';
      try {
        expect(surfaceOf(phone)).to.equal(DARK);
      } finally {
        document.documentElement.style.colorScheme = '';
      }
    });

    it('a page’s token wins in every theme, and light-dark() pairs work', async () => {
      const s = await kit('dark', fake);
      s.style.setProperty('--ipo-surface', 'light-dark(rgb(1, 2, 3), rgb(4, 5, 6))');
      const phone = s.querySelector('ipo-phone')!;
      expect(surfaceOf(phone)).to.equal('rgb(4, 5, 6)');
      s.setAttribute('theme', 'light');
      expect(surfaceOf(phone)).to.equal('rgb(1, 2, 3)');
    });

    it('the session’s configuration error follows the theme and is hidden when there is none', async () => {
      const root = await fixture<HTMLElement>(
        html`<div><ipo-session theme="dark" sdk="nope"></ipo-session></div>`,
      );
      const s = root.querySelector('ipo-session')!;
      await s.updateComplete;
      const error = part(s, 'error')!;
      expect(getComputedStyle(error).backgroundColor).to.equal(DARK);
      expect(contrast(rgb(getComputedStyle(error).color), rgb(DARK))).to.be.at.least(4.5);
      await expect(s).to.be.accessible();
      s.setAttribute('gateway', '127.0.0.1:1');
      s.setAttribute('sdk', 'bundled');
      await s.updateComplete;
      expect(getComputedStyle(error).display).to.equal('none');
    });
  });

  describe('forced colours', () => {
    it('uses system colours and stays accessible', async () => {
      await media([{ name: 'forced-colors', value: 'active' }]);
      const s = await kit('dark', fake);
      fake.register('logged-in');
      fake.putCall({ id: 'c1', state: 'connected', farEnd: BOB, connectedAt: Date.now() });
      const phone = s.querySelector('ipo-phone')!;
      await until(() => phone.matches(':state(in-call)'), 'in call');
      const probe = document.createElement('div');
      probe.style.background = 'Canvas';
      document.body.append(probe);
      const canvas = getComputedStyle(probe).backgroundColor;
      probe.remove();
      expect(surfaceOf(phone)).to.equal(canvas);
      await expectReadable(s);
      await shot('theme-forced-colors');
    });
  });
});
