/**
 * End-to-end: the kit's demo pages (demo/index.html, video.html, agent.html, network-test.html) in Chromium against
 * the real dev gateway, driven only through the elements' UI (typing, clicking), with real media
 * checked by getStats() on the pages' own peer connections. Screenshots of the main states go to
 * test/screenshots/ (not committed).
 */
import { expect } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import {
  KitPage,
  audioFlows,
  audioStopped,
  ctiEvent,
  gatewayInfo,
  inboundAudio,
  pollUntil,
  screenshot,
} from './kit-page.js';

const PAGES = ['index.html', 'video.html', 'agent.html'];

describe('demo pages: markup (the CMS drop-in contract)', () => {
  for (const path of PAGES) {
    it(`${path}: one module script (the kit), no inline script or handler, attributes only`, async () => {
      const html = await (await fetch(`/demo/${path}`)).text();
      const doc = new DOMParser().parseFromString(html, 'text/html');
      const scripts = [...doc.querySelectorAll('script')].filter(
        (s) => !(s.getAttribute('src') ?? '').startsWith('/__web-dev-server'),
      );
      expect(scripts.map((s) => [s.getAttribute('type'), s.getAttribute('src')])).to.deep.equal([
        ['module', '/dist/ipo-webrtc-kit.js'],
      ]);
      const handlers = [...doc.querySelectorAll('*')].flatMap((el) =>
        [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}.${a.name}`),
      );
      expect(handlers, 'inline event handlers').to.deep.equal([]);
      expect(
        doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
      ).to.include("default-src 'self'");
      for (const tag of [
        'ipo-session',
        'ipo-phone',
        'ipo-device-select',
        ...(path === 'agent.html' ? [] : ['ipo-video-pair']),
      ])
        expect(doc.querySelector(tag), tag).to.exist;
      // no gateway attribute: served by the gateway over https, the page uses its own host
      expect(doc.querySelector('ipo-session')!.hasAttribute('gateway')).to.equal(false);
      expect(doc.querySelector('a[href="gateway-check.html"]'), 'link to the gateway check').to
        .exist;
    });
  }

  it('video.html allows video; agent.html is the agent service and names logins 205/206', async () => {
    const parse = async (p: string) =>
      new DOMParser().parseFromString(await (await fetch(`/demo/${p}`)).text(), 'text/html');
    expect(
      (await parse('video.html')).querySelector('ipo-session')!.hasAttribute('video'),
    ).to.equal(true);
    const agent = await parse('agent.html');
    expect(agent.querySelector('ipo-session')!.getAttribute('service-type')).to.equal('agent');
    expect(agent.body.textContent)
      .to.include('205')
      .and.to.include('206')
      .and.to.match(/early media/i)
      .and.to.match(/CTI/);
    expect((await parse('index.html')).body.textContent)
      .to.include('201')
      .and.to.include('IPO_DEMO_PASSWORD');
  });

  it('network-test.html: the kit script only, <ipo-network-test> inside the session, linked from the softphone page', async () => {
    const parse = async (p: string) =>
      new DOMParser().parseFromString(await (await fetch(`/demo/${p}`)).text(), 'text/html');
    const doc = await parse('network-test.html');
    const scripts = [...doc.querySelectorAll('script')].filter(
      (el) => !(el.getAttribute('src') ?? '').startsWith('/__web-dev-server'),
    );
    expect(scripts.map((el) => el.getAttribute('src'))).to.deep.equal(['/dist/ipo-webrtc-kit.js']);
    expect(
      doc.querySelector('ipo-session ipo-network-test'),
      'the test inside the session (it takes its gateway)',
    ).to.exist;
    expect(doc.querySelector('ipo-session')!.hasAttribute('gateway')).to.equal(false);
    expect(doc.body.textContent).to.include('8000').and.to.include('8001');
    expect((await parse('index.html')).querySelector('a[href="network-test.html"]')).to.exist;
  });

  it('the gateway check is still reachable at gateway-check.html', async () => {
    const doc = new DOMParser().parseFromString(
      await (await fetch('/demo/gateway-check.html')).text(),
      'text/html',
    );
    expect(doc.querySelector('form#check')).to.exist;
    expect([...doc.querySelectorAll('script[src]')].map((s) => s.getAttribute('src'))).to.include(
      'gateway-check.js',
    );
  });
});

describe('demo pages end to end (real gateway, real media)', function () {
  this.timeout(180_000);
  const pages: KitPage[] = [];
  // wide enough for three demo pages side by side in the screenshots
  before(() => setViewport({ width: 1960, height: 900 }));
  const open = async (path: string, label: string) => {
    const p = await KitPage.open(path, label);
    pages.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(pages.map((p) => p.logout()));
    while (pages.length) pages.pop()!.close();
  });

  it('index.html: log in through the UI, call, answer, hold and resume, switch microphone mid-call, blind transfer to a third phone', async () => {
    const { password } = await gatewayInfo();
    const alice = await open('index.html', 'alice');
    const bob = await open('index.html', 'bob');
    expect(alice.root.querySelector('form[part="login"]'), 'login form when logged out').to.exist;
    expect(alice.status()).to.equal('Logged out');
    await screenshot('01-logged-out');

    await alice.login('201', password);
    await bob.login('202', password);
    await screenshot('02-logged-in');

    // Alice calls Bob; Bob's phone rings with Alice's name; Bob answers
    await alice.dial('202');
    const ringing = await bob.until(
      () => bob.call('Incoming call', 'Alice Carter'),
      'an incoming call from Alice Carter',
    );
    expect(bob.phone.matches(':state(ringing)'), 'ipo-phone:state(ringing)').to.equal(true);
    await screenshot('03-ringing');
    bob.button(ringing, 'Answer').click();
    const aCall = await alice.until(
      () => alice.call('Connected', 'Bob Dalton'),
      'Connected to Bob Dalton at Alice',
    );
    await bob.until(
      () => bob.call('Connected', 'Alice Carter'),
      'Connected to Alice Carter at Bob',
    );

    // real media both ways on the pages' own peer connections
    const aPc = await alice.livePc();
    const bPc = await bob.livePc();
    await audioFlows(aPc, 50, 20_000);
    await audioFlows(bPc, 50, 20_000);
    await alice.until(
      () => /\d+:\d\d/.test(aCall.querySelector('[part="timer"]')?.textContent ?? ''),
      'the call timer running',
    );
    await screenshot('04-connected');

    // hold, then resume, from Alice's phone
    alice.button(aCall, 'Hold').click();
    await alice.until(() => alice.call('On hold', 'Bob Dalton'), 'On hold at Alice');
    // the pressed toggle says what the next press does
    expect(alice.button(alice.call('On hold')!, 'Resume').getAttribute('aria-pressed')).to.equal(
      'true',
    );
    // while held, Bob receives (next to) nothing from Alice
    await audioStopped(await bob.livePc(), 'Bob while Alice holds');
    const heldFrom = (await inboundAudio(await bob.livePc())).packets;
    await screenshot('05-held');
    alice.button(alice.call('On hold')!, 'Resume').click();
    const resumed = await alice.until(
      () => alice.call('Connected', 'Bob Dalton'),
      'Connected again after resume at Alice',
    );
    expect(alice.button(resumed, 'Hold').getAttribute('aria-pressed')).to.equal('false');
    const bobPcNow = await bob.livePc();
    const after = await audioFlows(bobPcNow, 50, 20_000);
    expect(after.packets, 'Bob hears Alice again after resume').to.be.greaterThan(heldFrom);

    // switch Alice's microphone with <ipo-device-select> mid-call: the call survives, Bob still hears her
    const select = alice.doc.querySelector('ipo-device-select')!;
    const mic = await alice.until(
      () => select.shadowRoot?.querySelector<HTMLSelectElement>('select[name="audioInput"]'),
      'the microphone choice',
    );
    const options = await alice.until(() => {
      const o = [...mic.options].filter((opt) => opt.value !== '' && opt.value !== mic.value);
      return o.length ? o : null;
    }, 'a second microphone in the list');
    const alicePc = await alice.livePc();
    const trackBefore = alicePc.getSenders().find((s) => s.track?.kind === 'audio')?.track;
    expect(trackBefore, 'Alice sends a microphone track').to.exist;
    const changed = new Promise((r) => select.addEventListener('change', r, { once: true }));
    mic.value = options.at(-1)!.value;
    mic.dispatchEvent(new alice.win.Event('change', { bubbles: true }));
    await changed;
    expect(
      (select as unknown as { audioInput: string }).audioInput,
      'the chosen microphone',
    ).to.equal(options.at(-1)!.value);
    const trackAfter = await pollUntil(() => {
      const t = alicePc.getSenders().find((s) => s.track?.kind === 'audio')?.track;
      return t && t !== trackBefore ? t : null;
    }, 'the sender to carry the new microphone track');
    expect(trackAfter.readyState).to.equal('live');
    expect(trackAfter.getSettings().deviceId, 'the new track is the chosen microphone').to.equal(
      options.at(-1)!.value,
    );
    expect(alice.call('Connected', 'Bob Dalton'), 'the call survived the switch').to.exist;
    await audioFlows(await bob.livePc(), 50, 20_000);

    // Bob transfers Alice (blind) to Carol on a third page
    const carol = await open('index.html', 'carol');
    await carol.login('203', password);
    const bCall = bob.call('Connected', 'Alice Carter')!;
    bob.button(bCall, 'Transfer').click();
    const form = await bob.until(
      () => bob.root.querySelector<HTMLFormElement>('form[part="transfer"]'),
      'the transfer form',
    );
    await bob.type(form.querySelector('input[name="target"]'), '203');
    bob.button(form, 'Transfer now').click();
    const cRing = await carol.until(
      () => carol.call('Incoming call'),
      'the transferred call ringing at Carol',
    );
    await bob.until(() => bob.calls().length === 0, "Bob's call to end after the transfer");
    carol.button(cRing, 'Answer').click();
    await carol.until(() => carol.call('Connected'), 'Carol connected');
    await alice.until(() => alice.call('Connected'), 'Alice connected (to Carol)');
    const cPc = await carol.livePc('a connected peer connection at Carol');
    await audioFlows(cPc, 50, 20_000);
    await audioFlows(await alice.livePc('a connected peer connection at Alice'), 50, 20_000);
    expect(alice.call('Connected', 'Carol Evans'), 'Alice now talks to Carol Evans').to.exist;
    await screenshot('06-transferred');

    for (const p of [alice, bob, carol])
      expect(p.errors, `${p.label}: page errors`).to.deep.equal([]);
  });

  it('video.html: a video call plays the far end in <ipo-video-pair> (frames advancing)', async () => {
    const { password } = await gatewayInfo();
    const carol = await open('video.html', 'carol');
    const dan = await open('video.html', 'dan');
    await carol.login('203', password);
    await dan.login('204', password);
    await carol.dial('204', true);
    const ring = await dan.until(
      () => dan.call('Incoming video call', 'Carol Evans'),
      'the video call ringing at Dan, marked as video',
    );
    dan.button(ring, 'Answer').click();
    await carol.until(() => carol.call('Connected', 'Dan Foster'), 'Connected at Carol');
    await dan.until(() => dan.call('Connected', 'Carol Evans'), 'Connected at Dan');
    for (const p of [carol, dan]) {
      const pair = p.doc.querySelector('ipo-video-pair')!;
      const video = await p.until(() => {
        const v = pair.shadowRoot?.querySelector<HTMLVideoElement>('video[part="remote-video"]');
        return v && v.videoWidth > 0 ? v : null;
      }, `${p.label}: remote video with a size`);
      expect(video.videoWidth).to.be.greaterThan(0);
      // frames advancing: two successive presented frames with rising media times
      const frame = () =>
        new Promise<VideoFrameCallbackMetadata>((r) =>
          video.requestVideoFrameCallback((_, m) => r(m)),
        );
      const f1 = await frame();
      const f2 = await frame();
      expect(f2.presentedFrames, `${p.label}: presented frames`).to.be.greaterThan(
        f1.presentedFrames,
      );
      const local = pair.shadowRoot?.querySelector<HTMLVideoElement>('video[part="local-video"]');
      expect(local?.muted, `${p.label}: own camera muted`).to.equal(true);
      await p.until(
        () => (local && local.videoWidth > 0 ? local : null),
        `${p.label}: own camera playing`,
      );
      expect(pair.matches(':state(video)'), `${p.label}: ipo-video-pair:state(video)`).to.equal(
        true,
      );
      await audioFlows(await p.livePc(), 50, 20_000);
    }
    await screenshot('07-video');
    for (const p of [carol, dan]) expect(p.errors, `${p.label}: page errors`).to.deep.equal([]);
  });

  it('network-test.html: the network test runs from its form and gives a verdict; 8001 reads back the digits typed on the dial pad', async () => {
    const { password } = await gatewayInfo();
    const page = await open('network-test.html', 'network test');
    const test = page.doc.querySelector('ipo-network-test') as HTMLElement & {
      updateComplete: Promise<boolean>;
      state: string;
    };
    test.setAttribute('duration', '8'); // the page says 10: a shorter run, long enough for RTCP RTTs
    await test.updateComplete;
    const form = test.shadowRoot!.querySelector<HTMLFormElement>('form[part~="form"]')!;
    await page.type(form.querySelector('input[name="password"]'), password);
    page.button(form, 'Test network').click();
    const verdict = () =>
      test.shadowRoot!.querySelector('[part~="verdict"]')?.textContent?.trim() ?? '';
    await page.until(() => test.shadowRoot!.querySelector('svg[part~="chart"]'), 'the live chart');
    await page.until(
      () => test.state === 'done' && verdict(),
      () => `the verdict (state ${test.state}, line "${verdict()}")`,
      30_000,
    );
    expect(verdict()).to.equal('Good for voice and video');
    await screenshot('10-network-test');

    await page.login('201', password);
    await page.dial('8001');
    const call = await page.until(
      () => page.call('Connected', 'DTMF read-back'),
      'the read-back call connected',
    );
    // the dial pad is collapsed during a call; Keypad opens it for tones
    expect(page.root.querySelector('[part="dialpad"]')).to.equal(null);
    page.button(call, 'Keypad').click();
    const pad = await page.until(
      () => page.root.querySelector('[part="dialpad"]'),
      'the dial pad opened for tones',
    );
    let typed = '';
    for (const key of ['4', '2', '#']) {
      typed += key;
      page.button(pad, key).click(); // in a call, the dial pad sends DTMF
      // the far end's name is what the gateway decoded so far (FarEndChanged)
      await page.until(
        () => call.querySelector('[part="name"]')?.textContent?.trim() === typed,
        `the gateway reading back "${typed}"`,
      );
    }
    page.button(call, 'Hang up').click();
    await page.until(() => page.calls().length === 0, 'the read-back call to end');
    expect(page.errors, 'page errors').to.deep.equal([]);
  });

  it('agent.html: an agent (205) takes a call from the softphone page and completes it', async () => {
    const { password } = await gatewayInfo();
    const agent = await open('agent.html', 'agent');
    const caller = await open('index.html', 'caller');
    await agent.login('205', password);
    await caller.login('201', password);
    await caller.dial('205');
    const ring = await agent.until(
      () => agent.call('Incoming call', 'Alice Carter'),
      'the call offered to the agent',
    );
    await screenshot('08-agent-offered');
    // early media: the caller already hears the agent before the agent answers
    const early = await caller.livePc('early media: a connected peer connection at the caller');
    await audioFlows(early, 30, 20_000);
    expect(
      agent.call('Incoming call', 'Alice Carter'),
      "the agent's call is still offered (not answered) during early media",
    ).to.exist;
    expect(caller.call('Connected'), 'the caller is not connected yet').to.equal(undefined);
    agent.button(ring, 'Answer').click();
    const aCall = await agent.until(
      () => agent.call('Connected', 'Alice Carter'),
      'Connected at the agent',
    );
    await caller.until(() => caller.call('Connected'), 'Connected at the caller');
    await audioFlows(await agent.livePc(), 50, 20_000);
    await audioFlows(await caller.livePc(), 50, 20_000);
    await screenshot('09-agent-connected');
    agent.button(aCall, 'Hang up').click();
    await agent.until(() => agent.calls().length === 0, "the agent's call to end");
    await caller.until(() => caller.calls().length === 0, "the caller's call to end");
    for (const p of [agent, caller]) expect(p.errors, `${p.label}: page errors`).to.deep.equal([]);
  });

  it('agent.html: a CTI "talk" from the contact-centre stand-in connects the agent\'s call', async () => {
    const { password } = await gatewayInfo();
    const agent = await open('agent.html', 'agent');
    const caller = await open('index.html', 'caller');
    await agent.login('206', password);
    await caller.login('202', password);
    await caller.dial('206');
    await agent.until(
      () => agent.call('Incoming call', 'Bob Dalton'),
      'the call offered to the agent',
    );
    const res = await ctiEvent('206', 'talk');
    expect(res.status, 'POST /admin/cti').to.be.lessThan(300);
    const aCall = await agent.until(
      () => agent.call('Connected', 'Bob Dalton'),
      'Connected at the agent after CTI talk',
    );
    await caller.until(() => caller.call('Connected'), 'Connected at the caller');
    await audioFlows(await caller.livePc(), 50, 20_000);
    agent.button(aCall, 'Hang up').click();
    await caller.until(() => caller.calls().length === 0, "the caller's call to end");
    for (const p of [agent, caller]) expect(p.errors, `${p.label}: page errors`).to.deep.equal([]);
  });
});
