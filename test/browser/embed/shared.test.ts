/**
 * One phone across tabs, end to end in Chromium against a real dev gateway of its own: pages of
 * one browser context (same-origin iframes: one Web Lock manager, one BroadcastChannel space)
 * with `<ipo-session shared token-url>` share one registration (the gateway's /healthz counts
 * one session); a call rings in every tab, is answered and hung up from a follower with the
 * audio flowing in the leader; the leader closed while idle hands the registration to a
 * follower, which signs in with the token URL, with no typing; with no token URL at all, a
 * follower takes a password login over with the leader's session token (no typing either); and
 * across joins, a leave and a leader change the gateway counts one login per leader, no forced
 * logout and no login refused as in use (no ping-pong between tabs).
 */
import { expect } from '@open-wc/testing';
import type { IpoSessionElement } from '../../../src/components/session/session.component.js';
import type { IpoSession } from '../../../src/core/ipo-session.js';
import { until } from '../../../src/internal/testing/dom.js';
import { gw, type Gw } from '../sdk/resiliency-support.js';
import { audioFlows, gatewayInfo, TestPhone } from '../support/phone.js';

let keys = 0;

interface Tab {
  frame: HTMLIFrameElement;
  session: () => IpoSession;
  pcs: () => RTCPeerConnection[];
  /** The registration states this tab showed, in order (from its session's change events). */
  states: string[];
  /** The problems of the errors this tab showed (e.g. `taken-over`). */
  problems: string[];
}

async function openTab(gateway: string, tokenUrl: string | null): Promise<Tab> {
  const frame = document.createElement('iframe');
  frame.allow = 'microphone; autoplay';
  const query = new URLSearchParams({ gateway, ...(tokenUrl !== null ? { tokenUrl } : {}) });
  frame.src = `/test/browser/embed/tab.html?${query}`;
  document.body.append(frame);
  await new Promise((r) => frame.addEventListener('load', r, { once: true }));
  const el = () => frame.contentDocument!.querySelector('ipo-session') as IpoSessionElement | null;
  await until(() => el()?.session, 'the tab’s session');
  const session = () => el()!.session as IpoSession;
  const states: string[] = [session().snapshot.registration.state];
  const problems: string[] = [];
  session().addEventListener('change', (e) => {
    const state = e.snapshot.registration.state;
    if (states[states.length - 1] !== state) states.push(state);
    const problem = e.snapshot.error?.details?.problem;
    if (problem && e.snapshot.error !== e.previous.error) problems.push(problem);
  });
  return {
    frame,
    session,
    pcs: () => (frame.contentWindow as unknown as { pcs: RTCPeerConnection[] }).pcs,
    states,
    problems,
  };
}

/** How often a tab's shown registration went from registered to not registered. */
const drops = (t: Tab) =>
  t.states.filter((s, i) => i > 0 && t.states[i - 1] === 'logged-in' && s !== 'logged-in').length;

const registered = (t: Tab) => t.session().snapshot.registration.state === 'logged-in';

describe('one phone across tabs (shared, real gateway)', function () {
  this.timeout(90_000);
  let g: Gw;
  const tabs: Tab[] = [];
  before(async () => {
    g = await gw.start();
  });
  after(async () => {
    await gw.stop(g);
  });
  let far: TestPhone | null = null;
  afterEach(() => {
    for (const t of tabs.splice(0)) t.frame.remove();
    far?.ws.close();
    far = null;
  });

  it('three tabs, one registration; a call answered and hung up from a follower, audio in the leader; the leader closed while idle, a follower takes over', async () => {
    const info = await gatewayInfo();
    const host = `127.0.0.1:${g.port}`;
    const tokenUrl = `/__token?user=203&mode=ok&key=shared${++keys}-${Date.now()}`;
    const a = await openTab(host, tokenUrl);
    tabs.push(a);
    await until(() => registered(a), 'tab A registered', 20_000);
    expect(a.session().leader).to.equal(true);
    const b = await openTab(host, tokenUrl);
    const c = await openTab(host, tokenUrl);
    tabs.push(b, c);
    await until(() => registered(b) && registered(c), 'B and C show the registration');
    expect(b.session().leader).to.equal(false);
    expect(c.session().leader).to.equal(false);
    expect(b.session().snapshot.user).to.equal('203');
    expect((await gw.health(g)).sessions, 'one registration for three tabs').to.equal(1);

    // a call from 204 rings in every tab; B answers it, media runs in A
    far = await TestPhone.connect({ ...info, host });
    await far!.login('204', info.password);
    await far!.call('203');
    await until(
      () => [a, b, c].every((t) => t.session().snapshot.calls[0]?.state === 'incoming'),
      'ringing in every tab',
      20_000,
    );
    const callId = b.session().snapshot.calls[0]!.id;
    await b.session().answer(callId);
    await until(() => a.session().snapshot.call?.state === 'connected', 'connected in A');
    expect(c.session().snapshot.call?.state).to.equal('connected');
    expect(b.pcs(), 'no media in the follower').to.have.length(0);
    expect(a.pcs().length).to.be.greaterThan(0);
    await audioFlows(a.pcs()[a.pcs().length - 1]!);
    // closing the tab that carries the call asks first; closing a follower does not
    const closing = (t: Tab) => {
      const ev = new Event('beforeunload', { cancelable: true });
      t.frame.contentWindow!.dispatchEvent(ev);
      return ev.defaultPrevented;
    };
    expect(closing(a), 'the leader asks during a call').to.equal(true);
    expect(closing(b), 'a follower does not').to.equal(false);
    await b.session().hangup(callId);
    await until(() => a.session().snapshot.calls.length === 0, 'the call ended in A');
    await until(() => c.session().snapshot.calls.length === 0, 'and in C');
    expect(b.session().snapshot.lastEnded?.id).to.equal(callId);
    expect(closing(a), 'idle: no question').to.equal(false);

    // the leader closes while idle: a follower takes over, with no typing
    const before = performance.now();
    a.frame.remove();
    tabs.splice(tabs.indexOf(a), 1);
    const next = await until(
      () => [b, c].find((t) => t.session().leader && registered(t)),
      'a follower leads and is registered',
      10_000,
    ).catch((e: Error) => {
      const s = (t: Tab) =>
        JSON.stringify({
          leader: t.session().leader,
          reg: t.session().snapshot.registration,
          err: t.session().snapshot.error?.message,
        });
      throw new Error(`${e.message}: B ${s(b)} C ${s(c)}`);
    });
    const ms = performance.now() - before;
    if (!next) throw new Error('no leader');
    const other = next === b ? c : b;
    await until(() => registered(other) && other.session().leader === false, 'the other follows');
    expect((await gw.health(g)).sessions, 'one registration for the tabs, plus 204').to.equal(2);
    console.log(`take-over ${Math.round(ms)} ms`);
    // the new leader dials; the follower sees it
    await other.session().call('204');
    await until(() => next.session().snapshot.calls.length === 1, 'the call in the new leader');
    const id = other.session().snapshot.calls[0]!.id;
    await other.session().hangup(id);
  });

  it('two tabs: a follower’s logout logs the one registration out everywhere; nobody signs in again', async () => {
    const host = `127.0.0.1:${g.port}`;
    const tokenUrl = `/__token?user=202&mode=ok&key=shared${++keys}-${Date.now()}`;
    const a = await openTab(host, tokenUrl);
    const b = await openTab(host, tokenUrl);
    tabs.push(a, b);
    await until(() => registered(a) && registered(b), 'both show the registration', 20_000);
    expect((await gw.health(g)).sessions).to.equal(1);
    await b.session().logout();
    await until(
      () => a.session().snapshot.registration.state === 'logged-out',
      'logged out in the leader',
    );
    expect(b.session().snapshot.registration.state).to.equal('logged-out');
    expect((await gw.health(g)).sessions).to.equal(0);
  });

  it('no token URL: tab A logs in with a password, B follows; A closes while idle and B takes the registration over with no typing', async () => {
    const info = await gatewayInfo();
    const host = `127.0.0.1:${g.port}`;
    const a = await openTab(host, null);
    tabs.push(a);
    await until(() => a.session().leader === true, 'tab A leads');
    expect(a.session().tokenSignIn).to.equal(false);
    await a.session().login('205', info.password);
    const b = await openTab(host, null);
    tabs.push(b);
    await until(() => registered(b), 'B shows the registration');
    expect(b.session().leader).to.equal(false);
    expect((await gw.health(g)).sessions).to.equal(1);
    const logins = (await gw.health(g)).logins as number;

    const before = performance.now();
    a.frame.remove();
    tabs.splice(tabs.indexOf(a), 1);
    await until(() => b.session().leader === true && registered(b), 'B leads, registered', 10_000);
    const ms = performance.now() - before;
    console.log(`take-over without a token URL ${Math.round(ms)} ms`);
    expect(b.session().snapshot.user).to.equal('205');
    expect(b.session().snapshot.error).to.equal(null);
    const health = await gw.health(g);
    expect(health.sessions, 'still one registration').to.equal(1);
    expect(health.logins, 'one login: the take-over').to.equal(logins + 1);
    expect(health.forcedLogouts).to.equal(0);
    // nothing was typed into B: its phone's form is empty; the token is nowhere in the page
    const doc = b.frame.contentDocument!;
    const phone = doc.querySelector('ipo-phone')!;
    for (const input of phone.shadowRoot!.querySelectorAll('input'))
      expect(input.value, 'nothing typed').to.equal('');
    expect(doc.documentElement.outerHTML).to.not.match(/v1\.[\w-]{10,}\./);
    const w = b.frame.contentWindow!;
    expect(JSON.stringify({ ...w.localStorage, ...w.sessionStorage })).to.not.match(/v1\./);
    // the new leader really holds the phone: it dials, and the gateway connects the call
    far = await TestPhone.connect({ ...info, host });
    await far!.login('206', info.password);
    const id = await b.session().call('206');
    await until(() => b.session().snapshot.calls.some((c) => c.id === id), 'the call in B');
    await b.session().hangup(id);
    await b.session().logout();
  });

  it('no token URL: the leader’s session element is removed (its tab stays); the follower takes the registration over', async () => {
    const info = await gatewayInfo();
    const host = `127.0.0.1:${g.port}`;
    const a = await openTab(host, null);
    const b = await openTab(host, null);
    tabs.push(a, b);
    await until(() => a.session().leader === true, 'tab A leads');
    await a.session().login('202', info.password);
    await until(() => registered(b), 'B shows the registration');
    const logins = (await gw.health(g)).logins as number;
    a.frame.contentDocument!.querySelector('ipo-session')!.remove(); // disposes A's session
    await until(() => b.session().leader === true && registered(b), 'B leads, registered', 10_000);
    expect(b.session().snapshot.error).to.equal(null);
    const health = await gw.health(g);
    expect(health.sessions).to.equal(1);
    expect(health.logins, 'one login: the take-over').to.equal(logins + 1);
    await b.session().logout();
  });

  it('no token URL: the leader renews its session token (5 s tokens); the follower takes over with the renewed one', async () => {
    const short = await gw.start(['--token-ttl', '5']);
    try {
      const info = await gatewayInfo();
      const host = `127.0.0.1:${short.port}`;
      const a = await openTab(host, null);
      const b = await openTab(host, null);
      tabs.push(a, b);
      await until(() => a.session().leader === true, 'tab A leads');
      await a.session().login('203', info.password);
      await until(() => registered(b), 'B shows the registration');
      // the renewal replaces the token B was handed (the old one is revoked by the rotation)
      await until(
        () => a.session().snapshot.resiliency.tokenRenewal === 'ok',
        'A renewed its token',
        20_000,
      );
      a.frame.remove();
      tabs.splice(tabs.indexOf(a), 1);
      await until(() => b.session().leader === true && registered(b), 'B leads', 10_000);
      expect(b.session().snapshot.error).to.equal(null);
      expect((await gw.health(short)).sessions).to.equal(1);
      await b.session().logout();
    } finally {
      await gw.stop(short);
    }
  });

  it('no ping-pong: three tabs joining, leaving and changing leader make one login per leader, no forced logout, no refused login', async () => {
    const host = `127.0.0.1:${g.port}`;
    const tokenUrl = `/__token?user=201&mode=ok&key=shared${++keys}-${Date.now()}`;
    const start = await gw.health(g);
    const a = await openTab(host, tokenUrl);
    tabs.push(a);
    await until(() => registered(a), 'tab A registered', 20_000);
    const b = await openTab(host, tokenUrl);
    const c = await openTab(host, tokenUrl);
    tabs.push(b, c);
    await until(() => registered(b) && registered(c), 'B and C follow');
    // every tab asks to sign in again (a person clicking Log in everywhere): it stays one login
    await Promise.all(
      [b, c].map((t) =>
        t
          .session()
          .signIn()
          .catch(() => undefined),
      ),
    );
    // a follower leaves and another tab joins
    c.frame.remove();
    tabs.splice(tabs.indexOf(c), 1);
    const d = await openTab(host, tokenUrl);
    tabs.push(d);
    await until(() => registered(d), 'D follows');
    let h = await gw.health(g);
    expect(h.sessions).to.equal(1);
    expect(h.logins - start.logins, 'one login for the three tabs').to.equal(1);
    // the leader leaves while idle: exactly one take-over
    a.frame.remove();
    tabs.splice(tabs.indexOf(a), 1);
    const next = await until(
      () => [b, d].find((t) => t.session().leader && registered(t)),
      'a follower leads and is registered',
      10_000,
    );
    if (!next) throw new Error('no leader');
    const other = next === b ? d : b;
    await until(() => registered(other) && other.session().leader === false, 'the other follows');
    h = await gw.health(g);
    expect(h.sessions, 'one registration').to.equal(1);
    expect(h.logins - start.logins, 'one login per leader').to.equal(2);
    expect(h.forcedLogouts - start.forcedLogouts, 'no tab forced out').to.equal(0);
    expect(h.inUse - start.inUse, 'no login refused as in use').to.equal(0);
    for (const t of [b, d]) {
      expect(t.problems, 'no tab was told it was taken over').to.deep.equal([]);
      expect(drops(t), `at most the one leader change (${t.states.join(' → ')})`).to.be.at.most(1);
    }
    await next.session().logout();
  });
});
