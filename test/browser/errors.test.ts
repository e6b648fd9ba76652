/**
 * Errors that say what to do, end to end in Chromium against real dev gateways: each setup
 * mistake's message in the phone's error area (wrong port, gateway down, host typo, origin not
 * allowed; the certificate case from a second Chromium that does not ignore certificate errors),
 * "Use it here" between two sessions (two sockets and application instances, as two tabs), and
 * a blocked microphone: advice for the person, a real reason for the caller. (The test browser runs
 * with --use-fake-ui-for-media-stream, which grants media whatever CDP permission overrides say,
 * so "blocked" is getUserMedia rejecting with Chromium's own NotAllowedError, as a denied
 * permission makes it.)
 */
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/all.js';
import type { IpoPhone } from '../../src/components/phone/phone.component.js';
import type { IpoSessionElement } from '../../src/components/session/session.component.js';
import { button, buttons, field, part, until } from '../../src/internal/testing/dom.js';
import { gw, type Gw } from './sdk/resiliency-support.js';
import { TestClient, cleanup } from './sdk/support.js';
import { gatewayInfo } from './support/phone.js';

const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** A phone on `gateway`, logged in (or not) through its form as 201. */
async function phoneOn(gateway: string, password: string) {
  const el = await fixture<IpoSessionElement>(
    html`<ipo-session gateway=${gateway}><ipo-phone user="201"></ipo-phone></ipo-session>`,
  );
  const phone = el.querySelector('ipo-phone') as IpoPhone;
  await phone.updateComplete;
  field(phone, 'Password').value = password;
  button(phone, 'Log in').click();
  return { el, phone };
}

/** Logs in at `gateway` and returns the error area's text once the diagnosis is in. */
async function setupError(gateway: string, password: string): Promise<string> {
  const { el, phone } = await phoneOn(gateway, password);
  await until(() => el.session?.snapshot.error?.details, 'a diagnosed error', 30_000);
  await phone.updateComplete;
  expect(el.session!.snapshot.registration.state).to.equal('error');
  return text(part(phone, 'error'));
}

describe('setup mistakes, each with its own message (real gateways)', function () {
  this.timeout(90_000);
  const started: Gw[] = [];
  afterEach(async () => {
    fixtureCleanup();
    for (const g of started.splice(0)) await gw.stop(g);
  });

  it('wrong port: nothing answers there; check the port and that the gateway runs', async () => {
    const info = await gatewayInfo();
    const [free] = await gw.ports(1);
    const shown = await setupError(`127.0.0.1:${free}`, info.password);
    expect(shown).to.contain(
      `Nothing answers at https://127.0.0.1:${free}/. Check the port number and that the gateway is running.`,
    );
    expect(shown).to.not.contain('WebRTC Gateway failed');
  });

  it('gateway down: the same advice, for the address of the stopped gateway', async () => {
    const info = await gatewayInfo();
    const g = await gw.start();
    await gw.stop(g);
    const shown = await setupError(`127.0.0.1:${g.port}`, info.password);
    expect(shown).to.contain(`Nothing answers at https://127.0.0.1:${g.port}/.`);
  });

  it('host typo: the name was not found; check the host name', async () => {
    const info = await gatewayInfo();
    const shown = await setupError(`gatewy.invalid:${info.port}`, info.password);
    expect(shown).to.contain(
      'The gateway host name "gatewy.invalid" was not found. Check the host name for a typo.',
    );
  });

  it('origin not allowed: names this page’s origin for the administrator', async () => {
    const info = await gatewayInfo();
    const g = await gw.start(['--allow-origin', 'https://site.example']);
    started.push(g);
    const shown = await setupError(`127.0.0.1:${g.port}`, info.password);
    expect(shown).to.contain(
      `The gateway at https://127.0.0.1:${g.port}/ does not allow this page. Ask the administrator to allow origin ${location.origin}.`,
    );
  });

  it('certificate not accepted (a Chromium without --ignore-certificate-errors): open the address once', async () => {
    const info = await gatewayInfo();
    const error = (await executeServerCommand('ipo-strict-browser', {
      gateway: `127.0.0.1:${info.port}`,
      user: '201',
      password: info.password,
    })) as { code: string; message: string; details: { problem: string; url: string } } | null;
    expect(error, 'the login fails there').to.not.equal(null);
    expect(error!.code).to.equal('connection-failed');
    expect(error!.details.problem).to.equal('certificate');
    const url = `https://127.0.0.1:${info.port}/`;
    expect(error!.message).to.equal(
      `This browser does not accept the certificate of ${url}. Open ${url} once in this browser, accept its certificate, then log in again.`,
    );
  });

  it('the same gateway logs in fine from here (this browser accepts the certificate)', async () => {
    const info = await gatewayInfo();
    const { el } = await phoneOn(`127.0.0.1:${info.port}`, info.password);
    await until(() => el.session?.snapshot.registration.state === 'logged-in', 'logged in');
    await el.session!.logout();
  });
});

describe('"Use it here": the extension in use in another session', function () {
  this.timeout(60_000);
  afterEach(() => fixtureCleanup());

  it('says where it is in use in words, takes it over, and the other side is told why', async () => {
    const info = await gatewayInfo();
    const gateway = `127.0.0.1:${info.port}`;
    const first = await phoneOn(gateway, info.password);
    await until(() => first.el.session?.snapshot.registration.state === 'logged-in', 'first in');
    const second = await phoneOn(gateway, info.password);
    await until(() => second.el.session?.snapshot.error?.details?.problem === 'in-use', 'in use');
    await second.phone.updateComplete;
    const shown = text(part(second.phone, 'error'));
    expect(shown).to.contain(
      'Your extension is already in use (Chrome on Linux). Choose "Use it here" to move it to this page.',
    );
    expect(shown, 'never the raw user agent').to.not.match(/Mozilla|AppleWebKit|HeadlessChrome/);
    expect(buttons(second.phone, 'Use it here').length).to.equal(1);
    await executeServerCommand('ipo-screenshot', { name: 'errors-in-use' });
    await expect(second.phone).to.be.accessible();

    button(second.phone, 'Use it here').click();
    await until(() => second.el.session?.snapshot.registration.state === 'logged-in', 'taken over');
    await until(
      () => first.el.session?.snapshot.error?.details?.problem === 'taken-over',
      'the first session told',
    );
    await first.phone.updateComplete;
    expect(text(part(first.phone, 'error'))).to.contain(
      'You were logged out because your extension was logged in elsewhere.',
    );
    expect(first.el.session!.snapshot.registration.state).to.equal('error');
    await second.el.session!.logout();
  });
});

describe('"Use it here" with token sign-in (no password form)', function () {
  this.timeout(60_000);
  afterEach(() => fixtureCleanup());

  it('forces the same token sign-in, and the other session is logged out and told', async () => {
    const info = await gatewayInfo();
    const key = `use-here-${Date.now()}`;
    const tokenPhone = async () => {
      const el = await fixture<IpoSessionElement>(
        html`<ipo-session gateway=${info.host} token-url=${`/__token?user=204&mode=ok&key=${key}`}
          ><ipo-phone></ipo-phone
        ></ipo-session>`,
      );
      return { el, phone: el.querySelector('ipo-phone') as IpoPhone };
    };
    const first = await tokenPhone();
    await until(() => first.el.session?.snapshot.registration.state === 'logged-in', 'first in');
    const second = await tokenPhone();
    await until(() => second.el.session?.snapshot.error?.details?.problem === 'in-use', 'in use');
    await second.phone.updateComplete;
    expect(second.phone.shadowRoot!.querySelector('input[type=password]')).to.equal(null);
    button(second.phone, 'Use it here').click();
    await until(() => second.el.session?.snapshot.registration.state === 'logged-in', 'taken over');
    await until(
      () => first.el.session?.snapshot.error?.details?.problem === 'taken-over',
      'the first session told',
    );
    await second.el.session!.logout();
  });
});

describe('microphone blocked (getUserMedia → NotAllowedError)', function () {
  this.timeout(60_000);
  const md = navigator.mediaDevices;
  const allowed = md.getUserMedia;
  const permission = (op: 'deny' | 'reset') => {
    md.getUserMedia =
      op === 'deny'
        ? () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))
        : allowed;
  };
  afterEach(async () => {
    permission('reset');
    await cleanup();
    fixtureCleanup();
  });

  it('calling says how to allow the microphone; answering tells the caller why, not "Call rejected"', async () => {
    const info = await gatewayInfo();
    const alice = await phoneOn(`127.0.0.1:${info.port}`, info.password);
    const session = () => alice.el.session!.snapshot;
    await until(() => session().registration.state === 'logged-in', 'Alice logged in');
    const bob = await TestClient.loggedIn('202');

    permission('deny');
    const blocked = await alice.phone.call('202').catch((e: unknown) => e);
    expect((blocked as { code?: string }).code).to.equal('media-failed');
    await alice.phone.updateComplete;
    expect(text(part(alice.phone, 'error'))).to.contain(
      'The browser did not let this page use the microphone. Allow the microphone for this site (the icon at the left of the address bar) and check that one is connected, then try again.',
    );
    await expect(alice.phone).to.be.accessible();
    alice.el.session!.clearError();

    // Bob calls while his microphone may open; Alice answers once it is blocked again
    permission('reset');
    const mark = bob.mark();
    bob.client.makeCall('201', 'audio');
    await until(() => session().call?.state === 'incoming', 'the call at Alice');
    permission('deny');
    await alice.phone.updateComplete;
    button(alice.phone, 'Answer').click();
    const ended = await bob.waitFor('terminate', undefined, {
      since: mark,
      what: 'the end at Bob',
    });
    expect(ended.args[1], 'the reason Bob is given').to.equal(
      'The called party could not use a microphone',
    );
    await until(() => session().error?.details?.problem === 'microphone-blocked', 'Alice told');
  });
});

describe('a gateway restart that loses the session (another token secret)', function () {
  this.timeout(90_000);
  let g: Gw | undefined;
  afterEach(async () => {
    fixtureCleanup();
    if (g) await gw.stop(g);
    g = undefined;
  });

  it('says to log in again (not "Login failed (Token rejected)") and shows the dropped call', async () => {
    const info = await gatewayInfo();
    g = await gw.start();
    const { el, phone } = await phoneOn(`127.0.0.1:${g.port}`, info.password);
    const session = () => el.session!.snapshot;
    await until(() => session().registration.state === 'logged-in', 'logged in');
    await phone.call('8000'); // the gateway's echo test
    await until(() => session().call?.state === 'connected', 'the echo call connected');
    // the restarted gateway signs with another secret: the reconnect's token is refused
    g = await executeServerCommand<Gw, unknown>('ipo-gw', {
      op: 'restart',
      id: g.id,
      env: { IPO_TOKEN_SECRET: 'a-different-secret-after-restart-5e1' },
    });
    await until(
      () => session().error?.details?.problem === 'session-ended',
      `the session lost; state ${session().registration.state}, error ${session().error?.message}`,
      60_000,
    );
    await phone.updateComplete;
    expect(session().registration.state).to.equal('error');
    expect(text(part(phone, 'error'))).to.contain(
      'The telephone system restarted and could not keep you logged in. Log in again.',
    );
    expect(text(part(phone, 'error'))).to.not.contain('Token rejected');
    expect(part(phone, 'login'), 'the login form is back').to.not.equal(null);
    expect(text(part(phone, 'ended')), 'the dropped call is shown').to.match(
      /^Call with Echo test ended/,
    );
    await executeServerCommand('ipo-screenshot', { name: 'errors-session-ended' });
    await expect(phone).to.be.accessible();
  });
});
