/**
 * The designed phone end to end on demo/index.html (real gateway, real media): a keyboard-only
 * call (focus lands in the number field after login, on Answer when a call rings in, back in the
 * number field after the call), the incoming banner on screen at 360×740, and a consult-first
 * (attended) transfer through the UI with the state shown on every side.
 */
import { expect } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { KitPage, audioFlows, gatewayInfo, screenshot } from './kit-page.js';

/** The focused element inside the page's phone (its shadow root), if any. */
const focused = (p: KitPage) => p.root.activeElement as HTMLElement | null;
const label = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('the designed phone end to end (demo/index.html, real gateway)', function () {
  this.timeout(180_000);
  const pages: KitPage[] = [];
  before(() => setViewport({ width: 1960, height: 900 }));
  const open = async (label: string) => {
    const p = await KitPage.open('index.html', label);
    pages.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(pages.map((p) => p.logout()));
    while (pages.length) pages.pop()!.close();
  });

  it('keyboard only: log in, dial, answer with Enter, hang up; focus is never left on Log out', async () => {
    const { password } = await gatewayInfo();
    const alice = await open('alice');
    const bob = await open('bob');
    // Bob's page is a phone screen
    bob.frame.style.width = '360px';
    bob.frame.style.height = '740px';
    await bob.login('202', password);

    // Alice logs in with the keyboard only
    alice.frame.focus();
    const user = alice.root.querySelector<HTMLInputElement>('input[name="user"]')!;
    user.focus();
    user.select(); // the page pre-fills 201: typed over
    await sendKeys({ type: '201' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: password });
    await sendKeys({ press: 'Enter' });
    await alice.until(() => alice.status() === 'Ready', 'Alice ready');
    await alice.until(
      () => focused(alice)?.getAttribute('name') === 'number',
      () => `focus in the number field after login (it is on "${label(focused(alice))}")`,
    );

    // …types the number and presses Enter
    await sendKeys({ type: '202' });
    await sendKeys({ press: 'Enter' });
    await alice.until(() => alice.calls().length, 'the call at Alice');
    await alice.phone.updateComplete;

    // Bob's phone: the banner is first, on screen at 360×740, and Answer has the focus
    const banner = await bob.until(() => bob.call('Incoming call', 'Alice Carter'), 'the banner');
    expect(bob.calls()[0], 'the banner comes first').to.equal(banner);
    bob.phone.scrollIntoView({ block: 'start' });
    const answer = bob.button(banner, 'Answer');
    const r = answer.getBoundingClientRect();
    expect(r.bottom, 'Answer is on screen without scrolling').to.be.at.most(740);
    expect(r.top).to.be.at.least(0);
    await bob.until(() => focused(bob) === answer, 'focus on Answer');
    await screenshot('phone-e2e-banner-360');
    bob.win.focus(); // the keys go to Bob's page (focusing the frame element would reset it)
    expect(label(focused(bob))).to.equal('Answer');
    await sendKeys({ press: 'Enter' });
    await bob.until(() => bob.call('Connected', 'Alice Carter'), 'Bob connected');
    await alice.until(() => alice.call('Connected', 'Bob Dalton'), 'Alice connected');
    await audioFlows(await alice.livePc(), 50, 20_000);

    // Bob (whose page has the keyboard) hangs up with Tab and Enter
    expect(label(focused(bob)), 'focus stayed in the phone after answering').to.equal('Mute');
    for (let i = 0; i < 8 && label(focused(bob)) !== 'Hang up'; i++)
      await sendKeys({ press: 'Tab' });
    expect(label(focused(bob))).to.equal('Hang up');
    await sendKeys({ press: 'Enter' });
    await bob.until(() => bob.calls().length === 0, 'the call to end');
    await alice.until(() => alice.calls().length === 0, 'the call to end at Alice');
    await bob.until(
      () => focused(bob)?.getAttribute('name') === 'number',
      () => `focus back in the number field (it is on "${label(focused(bob))}")`,
    );
    for (const p of [alice, bob]) expect(p.errors, `${p.label}: page errors`).to.deep.equal([]);
  });

  it('consult first: Bob calls Carol, talks, completes the transfer; Alice and Carol each see who transferred them', async () => {
    const { password } = await gatewayInfo();
    const alice = await open('alice');
    const bob = await open('bob');
    const carol = await open('carol');
    await alice.login('201', password);
    await bob.login('202', password);
    await carol.login('203', password);

    await alice.dial('202');
    const ring = await bob.until(() => bob.call('Incoming call', 'Alice Carter'), 'ringing');
    bob.button(ring, 'Answer').click();
    const bCall = await bob.until(() => bob.call('Connected', 'Alice Carter'), 'Bob connected');
    await alice.until(() => alice.call('Connected', 'Bob Dalton'), 'Alice connected');

    // Transfer → number → Consult first: Alice is held, Carol rings
    bob.button(bCall, 'Transfer').click();
    const form = await bob.until(
      () => bob.root.querySelector<HTMLFormElement>('form[part="transfer"]'),
      'the transfer form',
    );
    bob.button(form, 'Transfer now'); // the blind choice is there too
    await bob.type(form.querySelector('input[name="target"]'), '203');
    bob.button(form, 'Consult first').click();
    const cRing = await carol.until(() => carol.call('Incoming call', 'Bob Dalton'), 'Carol rings');
    await alice.until(() => alice.call('On hold', 'Bob Dalton'), 'Alice held');
    carol.button(cRing, 'Answer').click();
    const consult = await bob.until(() => {
      const note = bob.root.querySelector('[part~="consult"]');
      return note && bob.call('Connected', 'Carol Evans') ? note : null;
    }, 'the consultation call with its note');
    expect(label(consult)).to.contain('Alice Carter is on hold');
    expect(bob.phone.matches(':state(consulting)')).to.equal(true);
    await screenshot('phone-e2e-consult');

    // Complete transfer: Bob's calls end, Alice and Carol talk
    const complete = await bob.until(() => {
      const b = bob.button(bob.root, 'Complete transfer');
      return b.getAttribute('aria-disabled') === 'false' ? b : null;
    }, 'Complete transfer enabled');
    // the gateway anchors the new conversation's media: each remaining party gets a new far end
    const [alicePcs, carolPcs] = [alice.pcs.length, carol.pcs.length];
    complete.click();
    await bob.until(() => bob.calls().length === 0, "Bob's calls to end");
    await bob.until(
      () => label(bob.root.querySelector('[part~="ended"]')).includes('Transferred to Carol Evans'),
      'the outcome at Bob',
    );
    const aCall = await alice.until(
      () => alice.call('Connected', 'Carol Evans'),
      'Alice with Carol',
    );
    const cCall = await carol.until(
      () => carol.call('Connected', 'Alice Carter'),
      'Carol with Alice',
    );
    expect(label(aCall.querySelector('[part~="transferred"]'))).to.equal(
      'Transferred from Bob Dalton',
    );
    expect(label(cCall.querySelector('[part~="transferred"]'))).to.equal(
      'Transferred from Bob Dalton',
    );
    await audioFlows(await alice.livePcAfter(alicePcs), 50, 30_000);
    await audioFlows(await carol.livePcAfter(carolPcs), 50, 30_000);
    await screenshot('phone-e2e-transferred');
    for (const p of [alice, bob, carol])
      expect(p.errors, `${p.label}: page errors`).to.deep.equal([]);
  });
});
