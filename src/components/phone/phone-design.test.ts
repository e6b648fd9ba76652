/**
 * The designed phone (issue 9) against a FakeSession: where focus goes, the incoming banner on
 * top, confirm before logging out with calls, consult-first transfer, a call transferred by the
 * other side, one failure shown once, the bounded height and the left-to-right dial pad in RTL.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../all.js';
import { IpoError } from '../../core/errors.js';
import { button, buttons, field, part, parts, until } from '../../internal/testing/dom.js';
import { FakeSession } from '../../internal/testing/fake-session.js';
import type { IpoPhone } from './phone.component.js';

const ALICE = { number: '201', name: 'Alice Carter', subject: '', sipUri: '' };
const BOB = { number: '202', name: 'Bob Dalton', subject: '', sipUri: '' };
const CAROL = { number: '203', name: 'Carol Evans', subject: '', sipUri: '' };

async function phone(fake: FakeSession): Promise<IpoPhone> {
  return fixture<IpoPhone>(html`<ipo-phone no-ringtone .session=${fake}></ipo-phone>`);
}
const settle = async (el: IpoPhone) => {
  await el.updateComplete;
  await el.updateComplete;
};
/** The element focused inside the phone's shadow root, if any. */
const focused = (el: IpoPhone) => el.shadowRoot!.activeElement as HTMLElement | null;
const live = (el: IpoPhone) => el.shadowRoot!.querySelector('[role=status]')!.textContent!;

describe('<ipo-phone> design', () => {
  describe('focus', () => {
    it('after logging in with the keyboard, focus is in the number field (not on Log out)', async () => {
      const fake = new FakeSession();
      const el = await phone(fake);
      field(el, 'Extension').focus();
      await sendKeys({ type: '201' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ type: 'pw' });
      await sendKeys({ press: 'Enter' });
      await until(() => fake.actions.length, 'login');
      fake.register('logging-in');
      await settle(el);
      fake.register('logged-in');
      await settle(el);
      expect(focused(el)?.getAttribute('name')).to.equal('number');
    });

    it('after a call ends, focus returns to the number field', async () => {
      const fake = new FakeSession();
      fake.register('logged-in');
      const el = await phone(fake);
      fake.putCall({ id: 'c1', state: 'connected', farEnd: BOB, connectedAt: Date.now() });
      await settle(el);
      button(el, 'Hang up').focus();
      fake.endCall('c1', 'Call ended');
      await settle(el);
      expect(focused(el)?.getAttribute('name')).to.equal('number');
    });

    it('an incoming call takes focus to Answer when the phone is idle', async () => {
      const fake = new FakeSession();
      fake.register('logged-in');
      const el = await phone(fake);
      const ringing = oneEvent(el, 'ipo-incoming-call');
      fake.putCall({ id: 'c1', state: 'incoming', farEnd: ALICE });
      await ringing;
      await settle(el);
      expect(focused(el)?.textContent?.trim()).to.equal('Answer');
      expect(live(el)).to.contain('Incoming call from Alice Carter');
    });

    it('but never steals focus from a text field the person is typing in', async () => {
      const fake = new FakeSession();
      fake.register('logged-in');
      const page = await fixture<HTMLElement>(
        html`<div><input aria-label="Notes" /><ipo-phone no-ringtone .session=${fake}></ipo-phone></div>`,
      );
      const el = page.querySelector('ipo-phone') as IpoPhone;
      const notes = page.querySelector('input')!;
      notes.focus();
      await sendKeys({ type: 'hello' });
      fake.putCall({ id: 'c1', state: 'incoming', farEnd: ALICE });
      await settle(el);
      expect(document.activeElement).to.equal(notes);
      expect(part(el, 'banner'), 'the banner is shown all the same').to.exist;
    });
  });

  describe('incoming calls first', () => {
    it('the banner comes before the call and the dialer, Answer and Decline first; video is marked', async () => {
      const fake = new FakeSession({ videoEnabled: true });
      fake.register('logged-in');
      fake.putCall({ id: 'c1', state: 'connected', farEnd: BOB, connectedAt: Date.now() });
      fake.putCall({ id: 'c2', state: 'incoming', farEnd: CAROL, video: true });
      const el = await phone(fake);
      const calls = parts(el, 'call');
      expect(calls[0]!.textContent).to.contain('Incoming video call').and.to.contain('Carol Evans');
      const first = [...calls[0]!.querySelectorAll('button')].map((b) => b.textContent!.trim());
      expect(first).to.deep.equal(['Answer', 'Decline']);
      await expect(el).to.be.accessible();
    });

    it('at 360×740 the banner and its Answer button are on screen without scrolling', async () => {
      await setViewport({ width: 360, height: 740 });
      try {
        const fake = new FakeSession();
        fake.register('logged-in');
        const el = await phone(fake);
        fake.putCall({ id: 'c1', state: 'incoming', farEnd: ALICE });
        await settle(el);
        const r = button(el, 'Answer').getBoundingClientRect();
        expect(r.bottom).to.be.at.most(740);
        expect(r.height).to.be.at.least(44);
      } finally {
        await setViewport({ width: 800, height: 600 });
      }
    });
  });

  describe('controls', () => {
    it('every button is at least 44 × 44 px', async () => {
      const fake = new FakeSession({ videoEnabled: true });
      fake.register('logged-in');
      fake.putCall({ id: 'c1', state: 'held', farEnd: ALICE, connectedAt: Date.now() });
      fake.putCall({ id: 'c2', state: 'connected', farEnd: BOB, connectedAt: Date.now() });
      fake.setActiveCall('c2');
      const el = await phone(fake);
      button(el, 'Keypad').click();
      await settle(el);
      for (const b of el.shadowRoot!.querySelectorAll('button')) {
        const r = b.getBoundingClientRect();
        expect(Math.round(r.width), b.textContent!).to.be.at.least(44);
        expect(Math.round(r.height), b.textContent!).to.be.at.least(44);
      }
    });

    it('the height is bounded by --ipo-phone-max-height; the phone scrolls inside', async () => {
      const fake = new FakeSession();
      fake.register('logged-in');
      const el = await phone(fake);
      el.style.setProperty('--ipo-phone-max-height', '300px');
      await settle(el);
      const base = part(el, 'base')!;
      expect(base.getBoundingClientRect().height).to.be.at.most(300);
      expect(base.scrollHeight).to.be.greaterThan(base.clientHeight);
    });

    it('in a right-to-left page the dial pad keeps 1 2 3 left to right', async () => {
      const fake = new FakeSession();
      fake.register('logged-in');
      document.documentElement.dir = 'rtl';
      try {
        const el = await phone(fake);
        const keys = parts(el, 'dialpad__key').slice(0, 3);
        const x = keys.map((k) => k.getBoundingClientRect().left);
        expect(keys.map((k) => k.textContent!.trim())).to.deep.equal(['1', '2', '3']);
        expect(x[0]).to.be.lessThan(x[1]!);
        expect(x[1]).to.be.lessThan(x[2]!);
        expect(part(el, 'base')!.getAttribute('dir')).to.equal('rtl');
      } finally {
        document.documentElement.dir = '';
      }
    });

    it('at 360 px in a right-to-left page the phone mirrors inside the viewport, nothing overflows', async () => {
      const fake = new FakeSession();
      fake.register('logged-in', '201');
      fake.putCall({ id: 'c1', state: 'held', farEnd: ALICE, connectedAt: Date.now() });
      fake.putCall({ id: 'c2', state: 'connected', farEnd: BOB, connectedAt: Date.now() });
      fake.setActiveCall('c2');
      const body = document.body.style.cssText;
      await setViewport({ width: 360, height: 740 });
      document.body.style.cssText = 'margin:0;padding:12px';
      /** How far the status dot and the held call's dot sit from the phone's start edge. */
      const insets = async (dir: 'ltr' | 'rtl') => {
        document.documentElement.dir = dir;
        const el = await phone(fake);
        await settle(el);
        const box = el.getBoundingClientRect();
        const root = document.documentElement;
        expect(box.left, `${dir}: left edge`).to.be.at.least(0);
        expect(box.right, `${dir}: right edge`).to.be.at.most(root.clientWidth);
        expect(root.scrollWidth, `${dir}: no horizontal overflow`).to.be.at.most(root.clientWidth);
        const base = part(el, 'base')!;
        expect(base.scrollWidth, `${dir}: nothing overflows inside`).to.be.at.most(
          base.clientWidth,
        );
        const from = (sel: string) => {
          const r = el.shadowRoot!.querySelector(sel)!.getBoundingClientRect();
          return dir === 'ltr' ? r.left - box.left : box.right - r.right;
        };
        const out = [from('[part~=status] .dot'), from('.row2 .dot')].map(Math.round);
        el.remove();
        return out;
      };
      try {
        const ltr = await insets('ltr');
        const rtl = await insets('rtl');
        expect(rtl, 'the same inset from the start edge in both directions').to.deep.equal(ltr);
      } finally {
        document.documentElement.dir = '';
        document.body.style.cssText = body;
        await setViewport({ width: 800, height: 600 });
      }
    });

    it('one failure is shown once: an error about the call that ended replaces its ended line', async () => {
      const fake = new FakeSession();
      fake.register('logged-in');
      const el = await phone(fake);
      fake.putCall({
        id: 'c1',
        state: 'dialing',
        direction: 'outgoing',
        farEnd: { ...BOB, name: '' },
      });
      await settle(el);
      fake.endCall('c1', 'Number not found');
      fake.update({
        error: new IpoError('call-failed', 'The call to 299 failed (Number not found).', {
          callId: 'c1',
        }),
      });
      await settle(el);
      expect(part(el, 'error')!.textContent).to.contain('Number not found');
      expect(part(el, 'ended'), 'no second message').to.equal(null);
      expect(live(el).match(/Number not found/g)).to.have.length(1);
      await expect(el).to.be.accessible();
    });

    it('Log out with calls up asks first: Cancel keeps them, Log out ends them', async () => {
      const fake = new FakeSession();
      fake.register('logged-in');
      fake.putCall({ id: 'c1', state: 'connected', farEnd: BOB, connectedAt: Date.now() });
      const el = await phone(fake);
      button(el, 'Log out').click();
      await settle(el);
      expect(part(el, 'confirm')!.textContent).to.contain('Log out and end your call?');
      expect(focused(el)?.textContent?.trim(), 'focus on the safe choice').to.equal('Cancel');
      expect(fake.actions).to.deep.equal([]);
      await expect(el).to.be.accessible();
      button(el, 'Cancel').click();
      await settle(el);
      expect(part(el, 'confirm')).to.equal(null);
      button(el, 'Log out').click();
      await settle(el);
      buttons(part(el, 'confirm')!, 'Log out')[0]!.click();
      await until(() => fake.actions.length, 'logout');
      expect(fake.actions).to.deep.equal([['logout']]);
    });
  });

  describe('transfer', () => {
    let fake: FakeSession;
    let el: IpoPhone;
    beforeEach(async () => {
      fake = new FakeSession();
      fake.register('logged-in');
      fake.putCall({ id: 'c0', state: 'connected', farEnd: BOB, connectedAt: Date.now() });
      el = await phone(fake);
      button(el, 'Transfer').click();
      await settle(el);
    });

    it('offers "Transfer now" (blind) and "Consult first", focus in the number field', async () => {
      expect(focused(el)?.getAttribute('name')).to.equal('target');
      button(el, 'Transfer now');
      button(el, 'Consult first');
      await expect(el).to.be.accessible();
    });

    it('Consult first: holds, calls the target; Complete transfer joins them (attended)', async () => {
      field(el, 'Transfer to number').value = '203';
      button(el, 'Consult first').click();
      await until(() => fake.actions.length === 2, 'hold and call');
      expect(fake.actions).to.deep.equal([
        ['hold', 'c0'],
        ['call', '203', {}],
      ]);
      fake.putCall({ id: 'c0', state: 'held' });
      fake.putCall({
        id: 'c1',
        state: 'connected',
        direction: 'outgoing',
        farEnd: CAROL,
        connectedAt: Date.now(),
      });
      fake.setActiveCall('c1');
      await settle(el);
      expect(el.matches(':state(consulting)')).to.equal(true);
      expect(part(el, 'consult')!.textContent).to.contain('Bob Dalton is on hold');
      expect(parts(el, 'name').map((n) => n.textContent)).to.deep.equal([
        'Carol Evans',
        'Bob Dalton',
      ]);
      await expect(el).to.be.accessible();
      fake.actions.length = 0;
      button(el, 'Complete transfer').click();
      await until(() => fake.actions.length, 'transfer');
      expect(fake.actions).to.deep.equal([['transfer', 'c0', 'c1', { attended: true }]]);
      fake.endCall('c1', 'Call transferred');
      fake.endCall('c0', 'Call transferred');
      await settle(el);
      expect(part(el, 'ended')!.textContent).to.contain('Transferred to Carol Evans');
    });

    it('Consult first, then Go back: the consultation call ends and the held call resumes', async () => {
      field(el, 'Transfer to number').value = '203';
      button(el, 'Consult first').click();
      await until(() => fake.actions.length === 2, 'hold and call');
      fake.putCall({ id: 'c0', state: 'held' });
      fake.putCall({ id: 'c1', state: 'ringing', direction: 'outgoing', farEnd: CAROL });
      fake.setActiveCall('c1');
      await settle(el);
      expect(button(el, 'Complete transfer').getAttribute('aria-disabled')).to.equal('true');
      fake.actions.length = 0;
      button(el, 'Go back').click();
      await until(() => fake.actions.length, 'hang up the consultation');
      expect(fake.actions).to.deep.equal([['hangup', 'c1']]);
      fake.endCall('c1');
      await until(() => fake.actions.some((a) => a[0] === 'resume'), 'resume');
      expect(fake.actions.slice(1)).to.deep.equal([
        ['setActiveCall', 'c0'],
        ['resume', 'c0'],
      ]);
    });

    it('the other side: a transferred call says so, and its timer starts again', async () => {
      fake.putCall({ id: 'c0', farEnd: CAROL });
      await settle(el);
      expect(part(el, 'transferred')!.textContent).to.equal('Transferred from Bob Dalton');
      expect(live(el)).to.contain('Call transferred: you are now talking to Carol Evans');
      expect(part(el, 'timer')!.textContent).to.equal('0:00');
      await expect(el).to.be.accessible();
    });
  });

  describe('<ipo-session> without a phone', () => {
    it('still fires the call events, once each; with a phone inside, once from the phone', async () => {
      const fake = new FakeSession();
      const host = await fixture<HTMLElement>(html`<ipo-session .session=${fake}></ipo-session>`);
      const seen: string[] = [];
      const types = [
        'ipo-registration-change',
        'ipo-incoming-call',
        'ipo-call-state-change',
        'ipo-call-ended',
      ];
      for (const t of types)
        document.addEventListener(t, (e) => seen.push(`${t}@${(e.target as Element).localName}`));
      fake.register('logged-in');
      fake.putCall({ id: 'c1', state: 'incoming', farEnd: ALICE });
      await until(() => seen.length >= 3, 'the events');
      fake.endCall('c1');
      await until(() => seen.length >= 4, 'ipo-call-ended');
      expect(seen).to.deep.equal([
        'ipo-registration-change@ipo-session',
        'ipo-call-state-change@ipo-session',
        'ipo-incoming-call@ipo-session',
        'ipo-call-ended@ipo-session',
      ]);
      seen.length = 0;
      const el = document.createElement('ipo-phone') as IpoPhone;
      el.noRingtone = true;
      host.append(el);
      await settle(el);
      fake.putCall({ id: 'c2', state: 'incoming', farEnd: BOB });
      await settle(el);
      await (host as unknown as { updateComplete: Promise<unknown> }).updateComplete;
      expect(seen).to.deep.equal([
        'ipo-call-state-change@ipo-phone',
        'ipo-incoming-call@ipo-phone',
      ]);
    });
  });
});
