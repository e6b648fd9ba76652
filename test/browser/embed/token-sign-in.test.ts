/**
 * Token sign-in from the site's backend, end to end in Chromium against the real dev gateway:
 * `<ipo-session token-url>` + `<ipo-phone>` sign in with no form and no password, through a
 * token route on the page's origin (web-test-runner.config.mjs `/__token`, which asks the
 * gateway's `POST /admin/token` as a site's backend would); a token about to expire is fetched
 * again before use; a refused token is fetched again once; a route that keeps handing out
 * refused tokens, or refuses the visitor, ends in an error shown and announced like any other
 * sign-in error. With real short-lived tokens from a gateway of its own: a token about to expire
 * is fetched again, and after the gateway restarted with another token secret (it knows neither
 * the session nor its tokens, and refuses the reconnect) the session fetches a new token and is
 * registered again by itself, with no password.
 */
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../../src/all.js';
import type { IpoPhone } from '../../../src/components/phone/phone.component.js';
import type { IpoSessionElement } from '../../../src/components/session/session.component.js';
import type { RegistrationState } from '../../../src/core/snapshot.js';
import { buttons, part, until } from '../../../src/internal/testing/dom.js';
import { gw, type Gw } from '../sdk/resiliency-support.js';
import { gatewayInfo } from '../support/phone.js';

const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
let keys = 0;

async function asked(key: string): Promise<number> {
  const r = await fetch(`/__token?key=${key}&count`);
  return ((await r.json()) as { count: number }).count;
}

/** A phone in a session whose token route answers in `mode`; records every registration state. */
async function tokenPhone(mode: string, user = '203', gateway?: Gw, extra = '') {
  const info = await gatewayInfo();
  const key = `k${++keys}-${Date.now()}`;
  const url = `/__token?user=${user}&mode=${mode}&key=${key}${gateway ? `&gw=${gateway.port}` : ''}${extra}`;
  const host = gateway ? `127.0.0.1:${gateway.port}` : info.host;
  const el = await fixture<IpoSessionElement>(
    html`<ipo-session gateway=${host} token-url=${url}><ipo-phone></ipo-phone></ipo-session>`,
  );
  const states: RegistrationState[] = [];
  el.session!.addEventListener('change', (e) => {
    const s = (e as unknown as { snapshot: { registration: { state: RegistrationState } } })
      .snapshot.registration.state;
    if (states[states.length - 1] !== s) states.push(s);
  });
  const phone = el.querySelector('ipo-phone') as IpoPhone;
  await phone.updateComplete;
  return { el, phone, key, states };
}

describe('token sign-in through the site’s token route (real gateway)', function () {
  this.timeout(60_000);
  afterEach(() => fixtureCleanup());

  it('signs in with no form and no password; the token is nowhere in the page', async () => {
    const { el, phone, key } = await tokenPhone('ok');
    expect(phone.shadowRoot!.querySelector('input[type=password]')).to.equal(null);
    await until(() => el.session!.snapshot.registration.state === 'logged-in', 'logged in', 20_000);
    expect(el.session!.snapshot.user).to.equal('203');
    expect(await asked(key)).to.equal(1);
    await phone.updateComplete;
    expect(text(part(phone, 'status'))).to.contain('203');
    // nothing token-like in attributes, the light DOM or storage
    expect(document.body.outerHTML).to.not.match(/v1\.[\w-]{10,}\./);
    expect(JSON.stringify({ ...localStorage, ...sessionStorage })).to.not.match(/v1\./);
    // a logout is not undone by the phone signing in again
    await el.session!.logout();
    await phone.updateComplete;
    expect(el.session!.snapshot.registration.state).to.equal('logged-out');
    expect(buttons(phone, 'Log in')).to.have.length(1);
    expect(await asked(key)).to.equal(1);
  });

  it('renewal: a token about to expire is fetched again before it is used', async () => {
    const { el, key, states } = await tokenPhone('expiring-first');
    await until(() => el.session!.snapshot.registration.state === 'logged-in', 'logged in', 20_000);
    expect(await asked(key)).to.equal(2);
    expect(states, 'the expiring token was never tried').to.not.include('error');
  });

  it('a refused token: fetched again once, then signed in', async () => {
    const { el, key, states } = await tokenPhone('refused-first');
    await until(() => el.session!.snapshot.registration.state === 'logged-in', 'logged in', 20_000);
    expect(await asked(key)).to.equal(2);
    expect(states).to.include('error'); // the gateway really refused the first one
    expect(el.session!.snapshot.error).to.equal(null);
  });

  it('a route that only hands out refused tokens: the error is shown and announced, no loop', async () => {
    const { el, phone, key } = await tokenPhone('refused');
    await until(() => el.session!.snapshot.registration.state === 'error', 'error', 20_000);
    await phone.updateComplete;
    const error = el.session!.snapshot.error!;
    expect(error.code).to.equal('login-failed');
    expect(text(part(phone, 'error'))).to.contain('Token rejected');
    expect(text(phone.shadowRoot!.querySelector('[role=status]'))).to.contain('Token rejected');
    expect(await asked(key)).to.equal(2);
    expect(buttons(phone, 'Log in')).to.have.length(1);
  });

  it('the route refuses the visitor (403): the site’s answer is the error, shown and announced', async () => {
    const { el, phone, key } = await tokenPhone('denied');
    await until(() => el.session!.snapshot.error, 'an error', 20_000);
    await phone.updateComplete;
    const shown = text(part(phone, 'error'));
    expect(shown).to.contain('This site did not let you sign in to the phone (403)');
    expect(text(phone.shadowRoot!.querySelector('[role=status]'))).to.contain('(403)');
    expect(el.session!.snapshot.registration.state).to.equal('logged-out');
    expect(await asked(key)).to.equal(1);
  });

  it('a token URL on another origin is a configuration error', async () => {
    const info = await gatewayInfo();
    const el = await fixture<IpoSessionElement>(
      html`<ipo-session gateway=${info.host} token-url="https://elsewhere.example/token"></ipo-session>`,
    );
    expect(el.session).to.equal(null);
    expect(el.error?.code).to.equal('invalid-config');
    expect(text(part(el, 'error'))).to.contain('same origin');
  });
});

describe('token re-sign-in with short-lived tokens (a gateway of its own)', function () {
  this.timeout(90_000);
  let g: Gw;
  before(async () => {
    g = await gw.start();
  });
  after(async () => {
    await gw.stop(g);
  });
  afterEach(() => fixtureCleanup());

  it('a 5 s token is fetched again before use; when the restarted gateway refuses the session, a new token signs it in again, no password', async () => {
    const { el, phone, key, states } = await tokenPhone('ok', '204', g, '&firstTtl=5s');
    const reg = () => el.session!.snapshot.registration.state;
    await until(() => reg() === 'logged-in', 'logged in', 20_000);
    expect(await asked(key), 'the 5 s token was about to expire: asked again').to.equal(2);
    expect(states, 'the expiring token was never tried').to.not.include('error');

    // the gateway restarts with another token secret: it knows neither the session nor its tokens
    await executeServerCommand('ipo-gw', {
      op: 'restart',
      id: g.id,
      env: { IPO_TOKEN_SECRET: 'browser-token-secret-second-8e21' },
    });
    const lost = states.length;
    await until(
      () => reg() === 'logged-in' && states.slice(lost).includes('logged-in'),
      'registered again',
      60_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}: ${states.join(' → ')} ${el.session!.snapshot.error?.message}`);
    });
    expect(states.slice(lost), 'the gateway really refused the old session').to.include('error');
    expect(await asked(key), 'a new token for the sign-in again').to.equal(3);
    expect(el.session!.snapshot.user).to.equal('204');
    expect(el.session!.snapshot.error).to.equal(null);
    expect((await gw.health(g)).sessions).to.equal(1);
    expect(phone.shadowRoot!.querySelector('input[type=password]')).to.equal(null);
    expect(document.body.outerHTML).to.not.match(/v1\.[\w-]{10,}\./);
    console.log(`re-sign-in: ${states.slice(lost - 1).join(' → ')}`);
    await el.session!.logout();
  });
});
