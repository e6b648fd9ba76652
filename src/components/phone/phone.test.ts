import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import {
  a11ySnapshot,
  emulateMedia,
  findAccessibilityNode,
  sendKeys,
} from '@web/test-runner-commands';
import '../../all.js';
import { IpoError } from '../../core/errors.js';
import { registerTranslation } from '../../i18n/localize.js';
import { IpoElement } from '../../internal/ipo-element.js';
import { button, buttons, field, part, parts, until } from '../../internal/testing/dom.js';
import { FakeSession } from '../../internal/testing/fake-session.js';
import { IpoPhone } from './phone.component.js';

type AxNode = { role: string; name: string; live?: string; children: AxNode[] };

/** oneEvent, typed by the event map. */
const on = <K extends keyof HTMLElementEventMap>(el: Element, type: K) =>
  oneEvent(el, type) as unknown as Promise<HTMLElementEventMap[K]>;

const ALICE = { number: '201', name: 'Alice Carter', subject: '', sipUri: '' };
const BOB = { number: '202', name: 'Bob Dalton', subject: '', sipUri: '' };
const CAROL = { number: '203', name: '', subject: '', sipUri: '' };

async function phone(session: FakeSession | null = new FakeSession()): Promise<IpoPhone> {
  const el = await fixture<IpoPhone>(html`<ipo-phone no-ringtone .session=${session}></ipo-phone>`);
  return el;
}

/** The accessibility tree node with that role and name, anywhere under the page. */
async function axNode(role: string, name: string): Promise<AxNode | null> {
  const snapshot = (await a11ySnapshot({})) as unknown as AxNode;
  return findAccessibilityNode<AxNode>(snapshot, (n) => n.role === role && n.name === name);
}

const settle = async (el: IpoPhone): Promise<void> => {
  await el.updateComplete;
  await el.updateComplete;
};

describe('<ipo-phone>', () => {
  describe('element', () => {
    it('upgrades: createElement gives the class', () => {
      expect(document.createElement('ipo-phone')).to.be.instanceOf(IpoPhone);
    });

    it('has documented defaults', () => {
      const el = document.createElement('ipo-phone');
      expect([
        el.session,
        el.user,
        el.number,
        el.notify,
        el.noDialpad,
        el.noRingtone,
      ]).to.deep.equal([null, '', '', false, false, false]);
    });

    it('maps attributes to properties', async () => {
      const el = await fixture<IpoPhone>(
        html`<ipo-phone user="201" number="202" notify no-dialpad no-ringtone></ipo-phone>`,
      );
      expect([el.user, el.number, el.notify, el.noDialpad, el.noRingtone]).to.deep.equal([
        '201',
        '202',
        true,
        true,
        true,
      ]);
    });

    it('without a session: says so, keeps the login form disabled, and is accessible', async () => {
      const el = await phone(null);
      expect(part(el, 'status')!.textContent).to.contain('No phone system configured');
      expect(field(el, 'Extension').disabled).to.equal(true);
      expect(part(el, 'hint')!.textContent).to.contain('inside <ipo-session');
      await expect(el).to.be.accessible();
      const error = await el.login('201', 'x').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(IpoError);
    });

    it('define() leaves a taken tag alone, warning when another kit version took it', () => {
      const seen: string[] = [];
      const original = console.warn;
      console.warn = (...a: unknown[]) => void seen.push(a.join(' '));
      try {
        IpoPhone.define('ipo-phone');
        expect(seen).to.deep.equal([]);
        class Newer extends IpoElement {
          static override readonly version = '9.9.9';
        }
        Newer.define('ipo-phone');
        expect(customElements.get('ipo-phone')).to.equal(IpoPhone);
        expect(seen).to.have.length(1);
        expect(seen[0]).to.contain('9.9.9');
      } finally {
        console.warn = original;
      }
    });

    it('exposes one polite status region in the accessibility tree', async () => {
      await phone();
      const status = await axNode('status', '');
      expect(status).to.include({ live: 'polite' });
    });

    it('gets its session from the nearest <ipo-session>', async () => {
      const fake = new FakeSession();
      fake.register('logged-in', '207');
      const el = await fixture(
        html`<ipo-session .session=${fake}><ipo-phone no-ringtone></ipo-phone></ipo-session>`,
      );
      const p = el.querySelector('ipo-phone')!;
      await settle(p);
      expect(part(p, 'status')!.textContent).to.contain('Ready').and.to.contain('207');
    });
  });

  describe('logged out', () => {
    let fake: FakeSession;
    let el: IpoPhone;
    beforeEach(async () => {
      fake = new FakeSession();
      el = await phone(fake);
    });

    it('shows the login form, pre-filled from `user`, and is accessible', async () => {
      el.user = '203';
      await settle(el);
      expect(part(el, 'login')).to.exist;
      expect(field(el, 'Extension').value).to.equal('203');
      expect(part(el, 'status')!.textContent).to.contain('Logged out');
      await expect(el).to.be.accessible();
      expect(await axNode('textbox', 'Extension')).to.be.ok;
      expect(await axNode('textbox', 'Password')).to.be.ok;
      expect(await axNode('button', 'Log in')).to.be.ok;
    });

    it('logs in with the keyboard: type extension, Tab, password, Enter', async () => {
      field(el, 'Extension').focus();
      await sendKeys({ type: '201' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ type: 'secret' });
      await sendKeys({ press: 'Enter' });
      await until(() => fake.actions.length, 'the login action');
      expect(fake.actions).to.deep.equal([['login', '201', 'secret']]);
    });

    it('tokenLogin() passes the token through', async () => {
      await el.tokenLogin('201', 'tok', 'RESILIENCY');
      expect(fake.actions).to.deep.equal([['tokenLogin', '201', 'tok', 'RESILIENCY']]);
    });

    it('a failed login fires ipo-error and shows the message', async () => {
      fake.failWith = new IpoError('login-failed', 'Login failed (wrong password).');
      field(el, 'Extension').value = '201';
      field(el, 'Password').value = 'x';
      const event = on(el, 'ipo-error');
      button(el, 'Log in').click();
      expect((await event).error.code).to.equal('login-failed');
      await settle(el);
      expect(part(el, 'error')!.textContent).to.contain('Login failed (wrong password).');
      expect(el.matches(':state(error)')).to.equal(true);
      await expect(el).to.be.accessible();
      button(el, 'Dismiss').click();
      await settle(el);
      expect(part(el, 'error')).to.equal(null);
    });
  });

  describe('logging in', () => {
    it('shows progress and a Cancel button, is accessible, and Cancel logs out', async () => {
      const fake = new FakeSession();
      const el = await phone(fake);
      fake.register('logging-in');
      await settle(el);
      expect(el.matches(':state(logging-in)')).to.equal(true);
      expect(part(el, 'progress')).to.exist;
      expect(button(el, 'Logging in…').getAttribute('aria-disabled')).to.equal('true');
      await expect(el).to.be.accessible();
      button(el, 'Cancel').click();
      await until(() => fake.actions.length, 'logout');
      expect(fake.actions).to.deep.equal([['logout']]);
    });
  });

  describe('logged in, idle', () => {
    let fake: FakeSession;
    let el: IpoPhone;
    beforeEach(async () => {
      fake = new FakeSession();
      el = await phone(fake);
    });

    it('fires ipo-registration-change and announces the login politely', async () => {
      const event = on(el, 'ipo-registration-change');
      fake.register('logged-in', '201');
      const e = await event;
      expect([e.state, e.previous, e.bubbles, e.composed]).to.deep.equal([
        'logged-in',
        'logged-out',
        true,
        true,
      ]);
      await settle(el);
      expect(el.matches(':state(logged-in)')).to.equal(true);
      const live = el.shadowRoot!.querySelectorAll('[role=status], [aria-live]');
      expect(live.length, 'one live region').to.equal(1);
      expect(live[0]!.textContent).to.contain('Logged in as 201');
      await expect(el).to.be.accessible();
      expect(await axNode('button', '#')).to.be.ok;
    });

    it('dials from the keyboard: number, Enter → ipo-call-request, then the call', async () => {
      fake.register('logged-in');
      await settle(el);
      field(el, 'Number').focus();
      await sendKeys({ type: '202' });
      const request = on(el, 'ipo-call-request');
      await sendKeys({ press: 'Enter' });
      const e = await request;
      expect([e.number, e.video, e.cancelable]).to.deep.equal(['202', false, true]);
      await until(() => fake.actions.length, 'the call');
      expect(fake.actions).to.deep.equal([['call', '202', { video: false }]]);
    });

    it('a vetoed ipo-call-request places no call', async () => {
      fake.register('logged-in');
      el.number = '202';
      await settle(el);
      el.addEventListener('ipo-call-request', (e) => e.preventDefault(), { once: true });
      expect(await el.call()).to.equal(null);
      expect(fake.actions).to.deep.equal([]);
    });

    it('the dial pad types digits, by click and by keyboard', async () => {
      fake.register('logged-in');
      await settle(el);
      button(el, '1').click();
      await settle(el);
      button(el, '1').focus();
      await sendKeys({ press: '5' });
      await sendKeys({ press: '#' });
      await settle(el);
      expect(el.number).to.equal('15#');
      expect(field(el, 'Number').value).to.equal('15#');
    });

    it('no-dialpad hides the dial pad', async () => {
      fake.register('logged-in');
      el.noDialpad = true;
      await settle(el);
      expect(part(el, 'dialpad')).to.equal(null);
    });

    it('shows a video call button only when the session allows video', async () => {
      fake.register('logged-in');
      await settle(el);
      expect(buttons(el, 'Video call')).to.have.length(0);
      fake.update({ videoEnabled: true });
      el.number = '202';
      await settle(el);
      button(el, 'Video call').click();
      await until(() => fake.actions.length, 'the video call');
      expect(fake.actions).to.deep.equal([['call', '202', { video: true }]]);
    });

    it('Log out logs out', async () => {
      fake.register('logged-in');
      await settle(el);
      button(el, 'Log out').click();
      await until(() => fake.actions.length, 'logout');
      expect(fake.actions).to.deep.equal([['logout']]);
    });
  });

  describe('ringing', () => {
    let fake: FakeSession;
    let el: IpoPhone;
    beforeEach(async () => {
      fake = new FakeSession();
      fake.register('logged-in');
      el = await phone(fake);
    });

    it('fires ipo-incoming-call and ipo-call-state-change, announces the caller, is accessible', async () => {
      const incoming = on(el, 'ipo-incoming-call');
      const change = on(el, 'ipo-call-state-change');
      fake.putCall({ id: 'c1', state: 'incoming', farEnd: ALICE });
      expect((await incoming).call.id).to.equal('c1');
      const e = await change;
      expect([e.state, e.previous]).to.deep.equal(['incoming', null]);
      await settle(el);
      expect(el.matches(':state(ringing)')).to.equal(true);
      expect(el.shadowRoot!.querySelector('[role=status]')!.textContent).to.contain(
        'Incoming call from Alice Carter',
      );
      await expect(el).to.be.accessible();
      expect(await axNode('button', 'Answer')).to.be.ok;
    });

    it('shows far-end name and subject as text, never as markup', async () => {
      const evil = '<img src=x onerror="window.__pwned=1">';
      fake.putCall({
        id: 'c1',
        state: 'incoming',
        farEnd: { ...ALICE, name: evil, subject: '<b>hi</b>' },
      });
      await settle(el);
      expect(part(el, 'name')!.textContent).to.equal(evil);
      expect(part(el, 'subject')!.textContent).to.equal('<b>hi</b>');
      expect(el.shadowRoot!.querySelector('[part~=call] img, [part~=call] b')).to.equal(null);
    });

    it('Answer answers; Decline asks (ipo-hangup-request) and then rejects', async () => {
      fake.putCall({ id: 'c1', state: 'incoming', farEnd: ALICE });
      await settle(el);
      button(el, 'Answer').click();
      await until(() => fake.actions.length, 'answer');
      const request = on(el, 'ipo-hangup-request');
      button(el, 'Decline').click();
      expect((await request).call.id).to.equal('c1');
      await until(() => fake.actions.length > 1, 'reject');
      expect(fake.actions).to.deep.equal([
        ['answer', 'c1'],
        ['hangup', 'c1'],
      ]);
    });

    it('a vetoed ipo-hangup-request keeps the call', async () => {
      fake.putCall({ id: 'c1', state: 'incoming', farEnd: ALICE });
      await settle(el);
      el.addEventListener('ipo-hangup-request', (e) => e.preventDefault(), { once: true });
      button(el, 'Decline').click();
      await new Promise((r) => setTimeout(r, 20));
      expect(fake.actions).to.deep.equal([]);
    });

    it('keeps keyboard focus in the phone when the focused Answer button goes away', async () => {
      fake.putCall({ id: 'c1', state: 'incoming', farEnd: ALICE });
      await settle(el);
      button(el, 'Answer').focus();
      fake.putCall({ id: 'c1', state: 'connected', connectedAt: Date.now() });
      await settle(el);
      expect(el.matches(':focus-within')).to.equal(true);
    });

    it('rings with a Web Audio tone, and offers "click to enable sound" when audio is blocked', async () => {
      const proto = AudioContext.prototype;
      const state = Object.getOwnPropertyDescriptor(BaseAudioContext.prototype, 'state')!;
      const resume = proto.resume;
      Object.defineProperty(proto, 'state', { configurable: true, get: () => 'suspended' });
      proto.resume = () => new Promise<void>(() => undefined);
      try {
        el.noRingtone = false;
        fake.putCall({ id: 'c1', state: 'incoming', farEnd: ALICE });
        const prompt = await until(() => part(el, 'sound'), 'the sound prompt', 3000);
        expect(prompt!.textContent).to.contain('click to enable sound');
        await expect(el).to.be.accessible();
      } finally {
        delete (proto as { state?: unknown }).state;
        Object.defineProperty(BaseAudioContext.prototype, 'state', state);
        proto.resume = resume;
      }
      let tones = 0;
      const create = BaseAudioContext.prototype.createOscillator;
      BaseAudioContext.prototype.createOscillator = function () {
        tones++;
        return create.call(this);
      };
      try {
        part(el, 'sound')!.click();
        await until(() => !part(el, 'sound'), 'the prompt to go once sound plays', 3000);
        await until(() => tones > 0, 'the ringing tone (Web Audio oscillators)', 3000);
      } finally {
        BaseAudioContext.prototype.createOscillator = create;
      }
      fake.endCall('c1');
      await settle(el);
    });

    it('notify: a desktop notification while a call rings in, closed when it stops', async () => {
      const shown: { title: string; body: string | undefined; closed: boolean }[] = [];
      const original = globalThis.Notification;
      class FakeNotification {
        static permission = 'granted';
        onclick: (() => void) | null = null;
        readonly entry: (typeof shown)[number];
        constructor(
          title: string,
          readonly options: NotificationOptions = {},
        ) {
          this.entry = { title, body: options.body, closed: false };
          shown.push(this.entry);
        }
        get tag(): string | undefined {
          return this.options.tag;
        }
        close(): void {
          this.entry.closed = true;
        }
      }
      (globalThis as { Notification: unknown }).Notification = FakeNotification;
      try {
        el.notify = true;
        fake.putCall({ id: 'c1', state: 'incoming', farEnd: { ...ALICE, subject: 'Invoice 42' } });
        await settle(el);
        expect(shown).to.deep.equal([
          { title: 'Incoming call from Alice Carter', body: 'Invoice 42', closed: false },
        ]);
        fake.putCall({ id: 'c1', state: 'connected', connectedAt: Date.now() });
        await settle(el);
        expect(shown[0]!.closed).to.equal(true);
      } finally {
        (globalThis as { Notification: unknown }).Notification = original;
      }
    });

    it('respects prefers-reduced-motion (no pulse) and stays accessible in forced colours', async () => {
      fake.putCall({ id: 'c1', state: 'incoming', farEnd: ALICE });
      await settle(el);
      expect(getComputedStyle(part(el, 'call')!).animationName).to.equal('ipo-ring');
      try {
        await emulateMedia({ reducedMotion: 'reduce', forcedColors: 'active' });
        expect(getComputedStyle(part(el, 'call')!).animationName).to.equal('none');
        await expect(el).to.be.accessible();
      } finally {
        await emulateMedia({ reducedMotion: 'no-preference', forcedColors: 'none' });
      }
    });

    it('ipo-call-ended reports the end of a call', async () => {
      fake.putCall({ id: 'c1', state: 'incoming', farEnd: ALICE });
      await settle(el);
      const ended = on(el, 'ipo-call-ended');
      fake.endCall('c1', 'Call rejected');
      const e = await ended;
      expect([e.call.id, e.call.reason]).to.deep.equal(['c1', 'Call rejected']);
      await settle(el);
      expect(el.matches(':state(ringing)')).to.equal(false);
    });
  });

  describe('calling (outgoing set-up)', () => {
    it('shows progress and Cancel, sets :state(calling), is accessible; Cancel hangs up', async () => {
      const fake = new FakeSession();
      fake.register('logged-in');
      const el = await phone(fake);
      fake.putCall({ id: 'c1', state: 'dialing', direction: 'outgoing', farEnd: BOB });
      await settle(el);
      expect(el.matches(':state(calling)')).to.equal(true);
      expect(part(el, 'progress')!.getAttribute('aria-label')).to.equal('Calling…');
      await expect(el).to.be.accessible();
      fake.putCall({ id: 'c1', state: 'ringing' });
      await settle(el);
      expect(part(el, 'state')!.textContent).to.equal('Ringing…');
      button(el, 'Cancel').click();
      await until(() => fake.actions.length, 'hangup');
      expect(fake.actions).to.deep.equal([['hangup', 'c1']]);
    });
  });

  describe('connected', () => {
    let fake: FakeSession;
    let el: IpoPhone;
    beforeEach(async () => {
      fake = new FakeSession({ videoEnabled: true });
      fake.register('logged-in');
      fake.putCall({
        id: 'c1',
        state: 'connected',
        direction: 'outgoing',
        farEnd: BOB,
        connectedAt: Date.now() - 65_000,
      });
      el = await phone(fake);
    });

    it('resiliency: shows moving between gateways, says when calls were kept, and shows how a call ended', async () => {
      const live = () => el.shadowRoot!.querySelector('[role=status]')!.textContent!;
      const status = () => part(el, 'status')!.textContent!;
      fake.register(
        'reconnecting',
        '201',
        'Lost Connection to Server. Attempting to reconnect to 127.0.0.1 ...',
      );
      await el.updateComplete;
      expect(el.matches(':state(reconnecting)')).to.equal(true);
      expect(status()).to.contain('Reconnecting…');
      expect(live()).to.contain('Reconnecting…');
      await expect(el).to.be.accessible();
      fake.register('logged-in');
      await el.updateComplete;
      expect(live()).to.contain('Your call was kept');
      fake.register('failing-over', '201', 'Trying alternate server [ 127.0.0.2 ] ...');
      await el.updateComplete;
      expect(status()).to.contain('Switching to backup…');
      fake.endCall('c1', 'Trying alternate server [ 127.0.0.2 ] ...');
      fake.register('failed-over');
      await el.updateComplete;
      expect(live()).to.contain(
        'Call with Bob Dalton ended: Trying alternate server [ 127.0.0.2 ] ...',
      );
      expect(live()).to.not.contain('kept');
      expect(status()).to.contain('Ready (backup)');
      expect(part(el, 'ended')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
        'Call with Bob Dalton ended: Trying alternate server [ 127.0.0.2 ] ...',
      );
      await expect(el).to.be.accessible();
      fake.putCall({ id: 'c2', state: 'incoming', farEnd: BOB });
      await el.updateComplete;
      expect(part(el, 'ended'), 'gone once a new call is up').to.equal(null);
    });

    it('shows the call quality compactly and says a new warning once, in plain words', async () => {
      expect(part(el, 'quality'), 'no indicator before the first reading').to.equal(null);
      fake.putCall({ id: 'c1', quality: { level: 'good', warnings: [] } });
      await el.updateComplete;
      expect(part(el, 'quality')!.getAttribute('aria-label')).to.equal('Call quality: good');
      const live = () => el.shadowRoot!.querySelector('[role=status]')!.textContent!;
      expect(live()).to.not.contain('lost');
      fake.putCall({ id: 'c1', quality: { level: 'poor', warnings: ['high-loss'] } });
      await el.updateComplete;
      const q = part(el, 'quality')!;
      expect(q.getAttribute('aria-label')).to.equal('Call quality: poor');
      expect(q.getAttribute('title')).to.equal(
        'Some audio is lost on the way: words may drop out.',
      );
      expect(live()).to.contain('Bob Dalton: Some audio is lost on the way');
      await expect(el).to.be.accessible();
      // a warning that comes and goes is not said again during the call
      fake.putCall({ id: 'c1', quality: { level: 'good', warnings: [] } });
      await el.updateComplete;
      fake.putCall({
        id: 'c1',
        quality: { level: 'fair', warnings: ['high-loss', 'high-jitter'] },
      });
      await el.updateComplete;
      expect(live()).to.contain('Bob Dalton: Packets arrive unevenly');
      expect(live()).to.not.contain('lost on the way');
    });

    it('shows the timer and the call controls, and is accessible', async () => {
      expect(el.matches(':state(in-call)')).to.equal(true);
      expect(part(el, 'timer')!.textContent).to.match(/^1:0[5-6]$/);
      for (const name of ['Hold', 'Mute', 'Video', 'Transfer', 'Hang up']) button(el, name);
      expect(button(el, 'Mute').getAttribute('aria-pressed')).to.equal('false');
      await expect(el).to.be.accessible();
      expect(await axNode('button', 'Hang up')).to.be.ok;
    });

    it('Hold, Mute, Video and Hang up call the session', async () => {
      for (const name of ['Hold', 'Mute', 'Video']) button(el, name).click();
      const request = on(el, 'ipo-hangup-request');
      button(el, 'Hang up').click();
      await request;
      await until(() => fake.actions.length === 4, 'four actions');
      expect(fake.actions).to.deep.equal([
        ['hold', 'c1'],
        ['mute', 'c1'],
        ['addVideo', 'c1'],
        ['hangup', 'c1'],
      ]);
    });

    it('muted: the pressed button says Unmute, :state(muted), announced; a press unmutes', async () => {
      fake.putCall({ id: 'c1', muted: true });
      await settle(el);
      expect(el.matches(':state(muted)')).to.equal(true);
      expect(el.shadowRoot!.querySelector('[role=status]')!.textContent).to.contain(
        'Microphone muted',
      );
      expect(buttons(el, 'Mute')).to.have.length(0);
      expect(button(el, 'Unmute').getAttribute('aria-pressed')).to.equal('true');
      await expect(el).to.be.accessible();
      button(el, 'Unmute').click();
      await until(() => fake.actions.length, 'unmute');
      expect(fake.actions).to.deep.equal([['unmute', 'c1']]);
    });

    it('dial pad keys send DTMF during the call, from the Keypad button', async () => {
      expect(part(el, 'dialpad'), 'the dial pad is collapsed during a call').to.equal(null);
      button(el, 'Keypad').click();
      await settle(el);
      expect(button(el, 'Keypad').getAttribute('aria-expanded')).to.equal('true');
      button(el, '5').click();
      button(el, '#').focus();
      await sendKeys({ press: '9' });
      await until(() => fake.actions.length === 2, 'two digits');
      expect(fake.actions).to.deep.equal([
        ['sendDigits', 'c1', '5'],
        ['sendDigits', 'c1', '9'],
      ]);
      expect(el.number).to.equal('');
    });

    it('blind transfer from the keyboard: Transfer, number, Enter', async () => {
      button(el, 'Transfer').click();
      await settle(el);
      expect(button(el, 'Transfer').getAttribute('aria-expanded')).to.equal('true');
      expect(part(el, 'transfer')).to.exist;
      await expect(el).to.be.accessible();
      field(el, 'Transfer to number').focus();
      await sendKeys({ type: '203' });
      await sendKeys({ press: 'Enter' });
      await until(() => fake.actions.length, 'transfer');
      expect(fake.actions).to.deep.equal([['transfer', 'c1', '203', {}]]);
    });

    it('a pending action keeps its button focusable but inert, with progress', async () => {
      fake.putCall({ id: 'c1', pending: 'hold' });
      await settle(el);
      expect(button(el, 'Hold').getAttribute('aria-disabled')).to.equal('true');
      expect(part(el, 'progress')).to.exist;
      button(el, 'Hold').click();
      await new Promise((r) => setTimeout(r, 10));
      expect(fake.actions).to.deep.equal([]);
    });
  });

  describe('held', () => {
    it('the pressed button says Resume, :state(held), accessible; pressing it resumes', async () => {
      const fake = new FakeSession();
      fake.register('logged-in');
      fake.putCall({ id: 'c1', state: 'held', farEnd: BOB, connectedAt: Date.now() });
      const el = await phone(fake);
      expect(el.matches(':state(held)')).to.equal(true);
      expect(part(el, 'state')!.textContent).to.equal('On hold');
      expect(buttons(el, 'Hold')).to.have.length(0);
      expect(button(el, 'Resume').getAttribute('aria-pressed')).to.equal('true');
      await expect(el).to.be.accessible();
      button(el, 'Resume').click();
      await until(() => fake.actions.length, 'resume');
      expect(fake.actions).to.deep.equal([['resume', 'c1']]);
    });
  });

  describe('three calls', () => {
    let fake: FakeSession;
    let el: IpoPhone;
    beforeEach(async () => {
      fake = new FakeSession();
      fake.register('logged-in');
      fake.putCall({ id: 'c1', state: 'held', farEnd: ALICE, connectedAt: Date.now() });
      fake.putCall({ id: 'c2', state: 'connected', farEnd: BOB, connectedAt: Date.now() });
      fake.putCall({ id: 'c3', state: 'incoming', farEnd: CAROL });
      el = await phone(fake);
    });

    it('lists all three (the ringing one first), disables Add call, and is accessible', async () => {
      expect(parts(el, 'call')).to.have.length(3);
      expect(button(el, 'Add call').getAttribute('aria-disabled')).to.equal('true');
      expect(parts(el, 'name').map((n) => n.textContent)).to.deep.equal([
        '203',
        'Alice Carter',
        'Bob Dalton',
      ]);
      await expect(el).to.be.accessible();
    });

    it('attended transfer: the held call goes to the consultation call', async () => {
      buttons(el, 'Transfer')[0]!.click();
      await settle(el);
      expect(buttons(el, 'Transfer to Carol')).to.have.length(0); // still ringing in: not a target
      button(el, 'Transfer to Bob Dalton').click();
      await until(() => fake.actions.length, 'transfer');
      expect(fake.actions).to.deep.equal([['transfer', 'c1', 'c2', { attended: true }]]);
      await expect(el).to.be.accessible();
    });
  });

  describe('errors', () => {
    it('a failed call fires ipo-error, shows and announces the message, is accessible', async () => {
      const fake = new FakeSession();
      fake.register('logged-in');
      const el = await phone(fake);
      fake.failWith = new IpoError('busy', '202 is busy.');
      el.number = '202';
      await settle(el);
      const error = on(el, 'ipo-error');
      button(el, 'Call').click();
      expect((await error).error.code).to.equal('busy');
      await settle(el);
      expect(part(el, 'error')!.textContent).to.contain('202 is busy.');
      expect(el.shadowRoot!.querySelector('[role=status]')!.textContent).to.contain('202 is busy.');
      await expect(el).to.be.accessible();
    });
  });

  describe('lifecycle', () => {
    it('attached and detached 50 times, it leaves no listener on the session', async () => {
      const fake = new FakeSession();
      fake.register('logged-in');
      fake.putCall({ id: 'c1', state: 'connected', farEnd: BOB, connectedAt: Date.now() });
      const el = await phone(fake);
      const host = el.parentElement!;
      for (let i = 0; i < 50; i++) {
        el.remove();
        host.append(el);
        await el.updateComplete;
      }
      expect(fake.listeners).to.equal(1);
      el.remove();
      expect(fake.listeners).to.equal(0);
    });
  });

  describe('localisation', () => {
    it('`strings` overrides single strings', async () => {
      const fake = new FakeSession();
      fake.register('logged-in');
      const el = await phone(fake);
      el.strings = { call: 'Dial' };
      await settle(el);
      button(el, 'Dial');
    });

    it('follows lang (host, then <html>) with registered translations', async () => {
      registerTranslation({ $code: 'de', call: 'Anrufen', login: 'Anmelden' });
      const fake = new FakeSession();
      const el = await phone(fake);
      document.documentElement.lang = 'de-AT';
      try {
        await settle(el);
        button(el, 'Anmelden');
        el.lang = 'en';
        await settle(el);
        button(el, 'Log in');
      } finally {
        document.documentElement.lang = 'en';
      }
    });
  });
});

describe('<ipo-phone> end to end (real IpoSession, real SDK, dev gateway)', function () {
  this.timeout(60_000);

  it('two phones log in through the UI, call, answer and hang up', async () => {
    const info = (await (await fetch('/__gateway.json')).json()) as {
      host: string;
      password: string;
    };
    const root = await fixture(html`<div>
      <ipo-session gateway=${info.host} no-resiliency app-id="phone-e2e">
        <ipo-phone id="alice"></ipo-phone>
      </ipo-session>
      <ipo-session gateway=${info.host} no-resiliency app-id="phone-e2e">
        <ipo-phone id="bob"></ipo-phone>
      </ipo-session>
    </div>`);
    const alice = root.querySelector<IpoPhone>('#alice')!;
    const bob = root.querySelector<IpoPhone>('#bob')!;
    try {
      for (const [el, user] of [
        [alice, '201'],
        [bob, '202'],
      ] as const) {
        field(el, 'Extension').focus();
        await sendKeys({ type: user });
        field(el, 'Password').focus();
        await sendKeys({ type: info.password });
        await sendKeys({ press: 'Enter' });
      }
      await until(() => alice.matches(':state(logged-in)'), 'alice logged in');
      await until(() => bob.matches(':state(logged-in)'), 'bob logged in');
      await expect(alice).to.be.accessible();

      field(alice, 'Number').focus();
      await sendKeys({ type: '202' });
      const incoming = on(bob, 'ipo-incoming-call');
      await sendKeys({ press: 'Enter' });
      expect((await incoming).call.farEnd.number).to.equal('201');
      await until(() => bob.matches(':state(ringing)'), 'bob ringing');
      await until(() => alice.matches(':state(calling)'), 'alice calling');
      await expect(bob).to.be.accessible();

      button(bob, 'Answer').focus();
      await sendKeys({ press: 'Enter' });
      await until(() => alice.matches(':state(in-call)'), 'alice connected');
      await until(() => bob.matches(':state(in-call)'), 'bob connected');
      expect(part(bob, 'name')!.textContent).to.equal('Alice Carter');
      await until(() => /^0:0[1-9]$/.test(part(alice, 'timer')!.textContent ?? ''), 'the timer');
      await expect(alice).to.be.accessible();

      const ended = on(bob, 'ipo-call-ended');
      button(alice, 'Hang up').click();
      await ended;
      await until(() => !alice.matches(':state(in-call)'), 'alice idle');
      expect(parts(bob, 'call')).to.have.length(0);
    } finally {
      await Promise.allSettled([alice.logout(), bob.logout()]);
    }
  });
});
