import { ContextConsumer } from '@lit/context';
import { expect, fixture, html } from '@open-wc/testing';
import { ReactiveElement } from 'lit';
import '../../all.js';
import { sessionContext, type SessionHandle } from '../../context/session-context.js';
import { IpoSession, type IpoSessionOptions } from '../../core/ipo-session.js';
import { part, until } from '../../internal/testing/dom.js';
import { FakeSession } from '../../internal/testing/fake-session.js';
import { IpoSessionElement } from './session.component.js';

/** A consumer that counts what the provider hands it. */
class Probe extends ReactiveElement {
  values: (SessionHandle | undefined)[] = [];
  constructor() {
    super();
    new ContextConsumer(this, {
      context: sessionContext,
      subscribe: true,
      callback: (value) => this.values.push(value ?? undefined),
    });
  }
  get current(): SessionHandle | undefined {
    return this.values[this.values.length - 1];
  }
}
customElements.define('test-probe', Probe);

const GATEWAY = '127.0.0.1:9';

/** Captures console.warn while `run` runs. */
async function warnings(run: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void seen.push(args.join(' '));
  try {
    await run();
  } finally {
    console.warn = original;
  }
  return seen;
}

describe('<ipo-session>', () => {
  describe('element', () => {
    it('upgrades: createElement gives the class', () => {
      expect(document.createElement('ipo-session')).to.be.instanceOf(IpoSessionElement);
    });

    it('has documented defaults', () => {
      const el = document.createElement('ipo-session');
      expect({
        gateway: el.gateway,
        serviceType: el.serviceType,
        video: el.video,
        stun: el.stun,
        turn: el.turn,
        noResiliency: el.noResiliency,
        appId: el.appId,
        appUa: el.appUa,
        sdk: el.sdk,
        log: el.log,
        session: el.session,
        error: el.error,
      }).to.deep.equal({
        gateway: '',
        serviceType: 'phone',
        video: false,
        stun: '',
        turn: '',
        noResiliency: false,
        appId: '',
        appUa: '',
        sdk: 'bundled',
        log: false,
        session: null,
        error: null,
      });
    });

    it('maps attributes to properties and to the session options (TURN credentials by property)', async () => {
      let options: IpoSessionOptions | undefined;
      const el = document.createElement('ipo-session');
      el.createSession = (o) => {
        options = o;
        return new IpoSession(o);
      };
      el.turnUsername = 'tu';
      el.turnCredential = 'tc';
      for (const [name, value] of Object.entries({
        gateway: 'gw.example.com:8443',
        'service-type': 'agent',
        video: '',
        stun: 'stun:stun.example.com',
        turn: 'turn:turn.example.com:3478',
        'no-resiliency': '',
        'app-id': 'crm',
        'app-ua': 'crm/2',
        sdk: 'global',
        log: '',
      }))
        el.setAttribute(name, value);
      const fixed = await fixture<IpoSessionElement>(html`<div></div>`);
      fixed.append(el);
      await el.updateComplete;
      expect([
        el.gateway,
        el.serviceType,
        el.video,
        el.noResiliency,
        el.appId,
        el.appUa,
        el.sdk,
        el.log,
      ]).to.deep.equal([
        'gw.example.com:8443',
        'agent',
        true,
        true,
        'crm',
        'crm/2',
        'global',
        true,
      ]);
      expect(options).to.deep.equal({
        gateway: 'gw.example.com:8443',
        serviceType: 'agent',
        video: true,
        stun: 'stun:stun.example.com',
        turn: { url: 'turn:turn.example.com:3478', username: 'tu', credential: 'tc' },
        noResiliency: true,
        appId: 'crm',
        appUa: 'crm/2',
        sdk: 'global',
        log: true,
      });
      expect(el.session).to.be.instanceOf(IpoSession);
      expect(el.session!.snapshot.videoEnabled).to.equal(true);
      expect(el.session!.snapshot.resiliency.enabled).to.equal(false);
      expect(el.getAttribute('turn-credential')).to.equal(null);
    });

    it('renders only its content when valid, and is accessible', async () => {
      const el = await fixture<IpoSessionElement>(
        html`<ipo-session gateway=${GATEWAY}><p>inside</p></ipo-session>`,
      );
      const box = part(el, 'error')!;
      expect(box.hidden).to.equal(true);
      // hidden means not drawn: no empty stripe or bar (its own CSS must not override [hidden])
      expect(getComputedStyle(box).display).to.equal('none');
      expect(box.getBoundingClientRect().height).to.equal(0);
      expect(el.matches(':state(error)')).to.equal(false);
      await expect(el).to.be.accessible();
    });
  });

  describe('providing', () => {
    it('provides its session to descendants, re-providing only when the session is replaced', async () => {
      const el = await fixture<IpoSessionElement>(
        html`<ipo-session gateway=${GATEWAY}><test-probe></test-probe></ipo-session>`,
      );
      const probe = el.querySelector<Probe>('test-probe')!;
      const first = el.session as IpoSession;
      expect(probe.current).to.equal(first);
      const count = probe.values.length;

      el.lang = 'de';
      el.strings = { setupError: 'Fehler' };
      await el.updateComplete;
      expect(probe.values.length, 'no re-provide for non-config changes').to.equal(count);

      el.gateway = '127.0.0.1:10';
      await el.updateComplete;
      expect(el.session).to.not.equal(first);
      expect(probe.current).to.equal(el.session);
      expect(probe.values.length).to.equal(count + 1);
      const error = await first.login('201', 'x').catch((e: { code: string }) => e.code);
      expect(error, 'the old session is disposed').to.equal('disposed');
    });

    it('provides a session set as .session instead of building one', async () => {
      const fake = new FakeSession();
      const el = await fixture<IpoSessionElement>(
        html`<ipo-session gateway="not a host" .session=${fake}><test-probe></test-probe></ipo-session>`,
      );
      expect(el.session).to.equal(fake);
      expect(el.querySelector<Probe>('test-probe')!.current).to.equal(fake);
      expect(el.error, 'attributes are not used').to.equal(null);
      el.session = null;
      await el.updateComplete;
      expect(el.matches(':state(error)'), 'back to attributes').to.equal(true);
    });

    it('disposes its session when removed, but not when moved', async () => {
      const el = await fixture<IpoSessionElement>(
        html`<ipo-session gateway=${GATEWAY}></ipo-session>`,
      );
      const host = el.parentElement!;
      const first = el.session as IpoSession;
      host.append(el); // a move: disconnect + connect in one task
      await new Promise((r) => setTimeout(r, 10));
      expect(el.session).to.equal(first);
      el.remove();
      await new Promise((r) => setTimeout(r, 10));
      expect(el.session).to.equal(null);
      expect(await first.logout().catch((e: { code: string }) => e.code)).to.equal('disposed');
      host.append(el);
      await el.updateComplete;
      expect(el.session).to.be.instanceOf(IpoSession);
    });
  });

  describe('invalid configuration', () => {
    for (const [what, attrs] of [
      ['no gateway', {}],
      ['a malformed gateway', { gateway: 'http://x/y' }],
      ['an unknown service type', { gateway: GATEWAY, 'service-type': 'relay' }],
      ['a STUN value that is not a stun: URL', { gateway: GATEWAY, stun: 'stun.example.com' }],
      ['a TURN value that is not a turn: URL', { gateway: GATEWAY, turn: 'x' }],
      ['an unknown sdk', { gateway: GATEWAY, sdk: 'vendor' }],
    ] as const) {
      it(`${what}: one console warning, a visible error, no session, accessible`, async () => {
        let el!: IpoSessionElement;
        const seen = await warnings(async () => {
          el = document.createElement('ipo-session');
          for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
          const holder = await fixture(html`<div><test-probe></test-probe></div>`);
          el.append(holder.querySelector('test-probe')!);
          holder.append(el);
          await el.updateComplete;
          el.requestUpdate();
          await el.updateComplete;
        });
        expect(seen.filter((w) => w.includes('<ipo-session>'))).to.have.length(1);
        expect(el.session).to.equal(null);
        expect(el.error?.code).to.equal('invalid-config');
        expect(el.matches(':state(error)')).to.equal(true);
        const message = part(el, 'error')!;
        expect(message.hidden).to.equal(false);
        expect(message.textContent).to.contain('Phone setup error');
        expect(el.querySelector<Probe>('test-probe')!.current).to.equal(undefined);
        await expect(el).to.be.accessible();
      });
    }

    it('recovers when the attribute is fixed', async () => {
      let el!: IpoSessionElement;
      await warnings(async () => {
        el = await fixture<IpoSessionElement>(
          html`<ipo-session gateway="bad host!"></ipo-session>`,
        );
      });
      expect(el.matches(':state(error)')).to.equal(true);
      el.gateway = GATEWAY;
      await el.updateComplete;
      expect(el.matches(':state(error)')).to.equal(false);
      expect(part(el, 'error')!.hidden).to.equal(true);
      expect(el.session).to.be.instanceOf(IpoSession);
    });
  });
});

describe('<ipo-session> end to end (real SDK, dev gateway)', function () {
  this.timeout(60_000);

  it('its session logs in and out against the gateway', async () => {
    const info = (await (await fetch('/__gateway.json')).json()) as {
      host: string;
      password: string;
    };
    const el = await fixture<IpoSessionElement>(
      html`<ipo-session gateway=${info.host} no-resiliency app-id="session-e2e"></ipo-session>`,
    );
    const session = el.session!;
    await session.login('203', info.password);
    expect(session.snapshot.registration.state).to.equal('logged-in');
    el.remove(); // disposing logs out
    await until(() => session.snapshot.registration.state === 'logged-out', 'logged out');
  });
});
