/**
 * demo/awl-compat.html, a page written only against the API document, driven like a user would:
 * two copies of the page (Alice and Bob) in frames, forms filled and buttons clicked, results
 * read back from the page.
 *
 * How the page is reached: the gateway serves demo/ and dist/ on its own HTTPS origin, but it
 * sends `frame-ancestors 'self'`, so a test page on the test runner's origin can neither frame it
 * nor script a window of it. The test runner's dev server serves the same repository files on the
 * test page's own origin (/demo/awl-compat.html, /dist/awl.min.js), so the frames are same-origin
 * and scriptable, and the SDK inside them talks to the real gateway exactly as on the gateway
 * origin (the gateway allows the test origin). The page carries the gateway's Content-Security-
 * Policy in a <meta> tag, so the same restrictions (no inline script, no eval) hold here; any
 * violation is recorded and fails the test.
 */
import { expect } from '@open-wc/testing';
import { FramePage } from '../support/frame-page.js';
import { gatewayInfo, pollUntil } from './support.js';

class DemoPage extends FramePage {
  static async open(label: string): Promise<DemoPage> {
    const page = new DemoPage(
      label,
      await FramePage.loadFrame('/demo/awl-compat.html', 'width: 960px; height: 600px'),
    );
    // deferred scripts have run by the load event
    await pollUntil(
      () => page.text('#sdk-version') !== '…',
      `${label}: the page script to start`,
      5000,
      50,
    );
    return page;
  }

  set(name: string, value: string): void {
    const el = this.doc.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
    el.value = value;
  }
  click(selector: string, root: ParentNode = this.doc): void {
    const el = root.querySelector<HTMLButtonElement>(selector);
    if (!el) throw new Error(`${this.label}: no ${selector}`);
    el.click();
  }
  rows(): HTMLTableRowElement[] {
    return [...this.doc.querySelectorAll<HTMLTableRowElement>('#calls tr')];
  }
  events(): string[] {
    return [...this.doc.querySelectorAll('#events li')].map((li) => li.textContent ?? '');
  }

  protected override diagnostics(): string {
    return `registration "${this.text('#registration')}", events: ${this.events().slice(-6).join(' | ')}`;
  }

  async login(user: string): Promise<void> {
    const info = await gatewayInfo();
    this.set('gatewayIp', '127.0.0.1');
    this.set('gatewayPort', String(info.port));
    this.set('user', user);
    this.set('password', info.password);
    this.click('#login');
    await this.until(
      () => this.text('#registration') === 'AWL_MSG_LOGIN_SUCCESS',
      'AWL_MSG_LOGIN_SUCCESS',
    );
  }

  /** The row of the (only) call whose state cell satisfies `state`. */
  row(state: string, farEnd?: string): HTMLTableRowElement | undefined {
    return this.rows().find(
      (r) =>
        r.querySelector('.state')?.textContent === state &&
        (!farEnd || (r.querySelector('.far-end')?.textContent ?? '').includes(farEnd)),
    );
  }

  received(row: HTMLTableRowElement): number {
    const m = /received (\d+)/.exec(row.querySelector('.stats')?.textContent ?? '');
    return m ? Number(m[1]) : -1;
  }

  close(): void {
    this.frame.remove();
  }
}

describe('demo/awl-compat.html (written against the API document only)', function () {
  this.timeout(90_000);
  const pages: DemoPage[] = [];
  afterEach(() => {
    while (pages.length) {
      const p = pages.pop()!;
      try {
        if (!p.doc.querySelector<HTMLButtonElement>('#logout')?.disabled) p.click('#logout');
      } catch {
        /* frame gone */
      }
      p.close();
    }
  });

  it("has no inline script or inline event handler (the gateway's CSP forbids them)", async () => {
    const html = await (await fetch('/demo/awl-compat.html')).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(
      [...doc.querySelectorAll('script')].filter((s) => !s.src).length,
      'inline <script>',
    ).to.equal(0);
    const handlers = [...doc.querySelectorAll('*')].flatMap((el) =>
      [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}.${a.name}`),
    );
    expect(handlers, 'inline event handlers').to.deep.equal([]);
    // (the test runner's dev server adds its own /__web-dev-server__… script to HTML it serves)
    const scripts = [...doc.querySelectorAll('script[src]')]
      .map((s) => s.getAttribute('src'))
      .filter((src) => !src!.startsWith('/__web-dev-server'));
    expect(scripts).to.deep.equal(['/dist/awl.min.js', 'awl-compat.js']);
    expect(
      doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
    ).to.include("default-src 'self'");
  });

  it('Alice and Bob: log in, call, answer, hold, resume, hang up, log out', async () => {
    const alice = await DemoPage.open('alice');
    const bob = await DemoPage.open('bob');
    pages.push(alice, bob);
    for (const p of [alice, bob]) {
      expect((p.win as unknown as { AWL: unknown }).AWL, `${p.label}: window.AWL`).to.be.an(
        'object',
      );
      expect(
        (p.win as unknown as { CONST: Record<string, string> }).CONST?.AWL_MSG_CALL_CONNECTED,
        `${p.label}: window.CONST`,
      ).to.equal('AWL_MSG_CALL_CONNECTED');
      expect(p.text('#sdk-version')).to.match(/\d+\.\d+/);
      expect(p.text('#webrtc-support')).to.equal('supported');
    }
    await alice.login('201');
    await bob.login('202');

    alice.set('number', '202');
    alice.click('#dial');
    const incoming = await bob.until(
      () => bob.row('AWL_MSG_CALL_INCOMING', 'Alice Carter <201>'),
      'the incoming call row',
    );
    await alice.until(() => alice.row('AWL_MSG_CALL_RINGING', '<202>'), 'RINGING at Alice');
    bob.click('button[data-action="answer"]', incoming);
    const aRow = await alice.until(
      () => alice.row('AWL_MSG_CALL_CONNECTED', 'Bob Dalton'),
      'CONNECTED at Alice',
    );
    await bob.until(() => bob.row('AWL_MSG_CALL_CONNECTED', 'Alice Carter'), 'CONNECTED at Bob');

    alice.click('button[data-action="hold"]', aRow);
    await alice.until(() => alice.row('AWL_MSG_CALL_HELD'), 'HELD at Alice');
    await bob.until(() => bob.row('AWL_MSG_CALL_HELD'), 'HELD at Bob');
    alice.click('button[data-action="unhold"]', alice.row('AWL_MSG_CALL_HELD')!);
    await alice.until(() => alice.row('AWL_MSG_CALL_CONNECTED'), 'CONNECTED at Alice after resume');
    await bob.until(() => bob.row('AWL_MSG_CALL_CONNECTED'), 'CONNECTED at Bob after resume');

    bob.click('button[data-action="drop"]', bob.row('AWL_MSG_CALL_CONNECTED')!);
    await bob.until(() => bob.rows().length === 0, "Bob's call row to go");
    await alice.until(() => alice.rows().length === 0, "Alice's call row to go");
    expect(
      alice.events().some((e) => /onCallTerminate : .* : Far end disconnected/.test(e)),
      'Alice saw the far end hang up',
    ).to.equal(true);

    alice.click('#logout');
    bob.click('#logout');
    await alice.until(
      () => alice.text('#registration') === 'AWL_MSG_LOGGEDOUT',
      'AWL_MSG_LOGGEDOUT at Alice',
    );
    await bob.until(
      () => bob.text('#registration') === 'AWL_MSG_LOGGEDOUT',
      'AWL_MSG_LOGGEDOUT at Bob',
    );
    expect(alice.errors.concat(bob.errors), 'errors and CSP violations in the pages').to.deep.equal(
      [],
    );
  });

  it("the page's stats cells (the getStats array taken at CONNECTED, read every second) show packets received rising on both sides", async () => {
    const alice = await DemoPage.open('alice');
    const bob = await DemoPage.open('bob');
    pages.push(alice, bob);
    await alice.login('201');
    await bob.login('202');
    alice.set('number', '202');
    alice.click('#dial');
    const incoming = await bob.until(
      () => bob.row('AWL_MSG_CALL_INCOMING', 'Alice Carter <201>'),
      'the incoming call row',
    );
    bob.click('button[data-action="answer"]', incoming);
    const aRow = await alice.until(
      () => alice.row('AWL_MSG_CALL_CONNECTED', 'Bob Dalton'),
      'CONNECTED at Alice',
    );
    const bRow = await bob.until(
      () => bob.row('AWL_MSG_CALL_CONNECTED', 'Alice Carter'),
      'CONNECTED at Bob',
    );
    for (const [p, row] of [
      [alice, aRow],
      [bob, bRow],
    ] as const) {
      const first = await p.until(
        () => Math.max(p.received(row), 0),
        () =>
          `${p.label}: packets received > 0 in the stats cell (it shows "${row.querySelector('.stats')?.textContent}")`,
      );
      await p.until(
        () => p.received(row) >= first + 40,
        () =>
          `${p.label}: packets received rising in the stats cell (it shows "${row.querySelector('.stats')?.textContent}")`,
      );
    }
    expect(alice.errors.concat(bob.errors)).to.deep.equal([]);
  });

  it('the gateway serves the same bundle: <script src="https://<gateway>/dist/awl.min.js"> defines AWL and CONST, and that client logs in', async () => {
    const info = await gatewayInfo();
    const frame = document.createElement('iframe');
    frame.src = '/test/browser/sdk/fixtures/blank.html';
    document.body.append(frame);
    try {
      await new Promise((r) => frame.addEventListener('load', r, { once: true }));
      const w = frame.contentWindow as unknown as Window & {
        AWL: any;
        CONST: Record<string, string>;
      };
      const script = w.document.createElement('script');
      script.src = `${info.url}/dist/awl.min.js`;
      await new Promise((resolve, reject) => {
        script.onload = resolve;
        script.onerror = () => reject(new Error(`${script.src} did not load`));
        w.document.head.append(script);
      });
      expect(w.CONST.AWL_MSG_LOGIN_SUCCESS).to.equal('AWL_MSG_LOGIN_SUCCESS');
      const myWebRTC = new w.AWL.client();
      const result = new Promise<string>((resolve) => {
        myWebRTC.setConfiguration(
          {
            serviceType: 'phone',
            enableVideo: false,
            Gateway: { ip: '127.0.0.1', port: String(info.port) },
            useGatewayPort: true, // the dev gateway's own port (the vendor's rule is 9443)
            AppData: {
              applicationID: '',
              applicationUA: '',
              appInstanceID: myWebRTC.generateAppInstanceID(),
            },
          },
          function () {},
          function (resp: { result: string }) {
            resolve(resp.result);
          },
          {
            onNewIncomingCall() {},
            onCallStateChange() {},
            onCallTerminate() {},
            onLoopBackNotification() {},
            onVideoStreamsAvailable() {},
            onAudioStreamsAvailable() {},
          },
        );
      });
      myWebRTC.logIn('204', info.password, 'true');
      expect(await result).to.equal('AWL_MSG_LOGIN_SUCCESS');
      myWebRTC.logOut();
    } finally {
      frame.remove();
    }
  });

  it("defines the vendor file's global callbacks apps rely on, never overwriting the app's own, and an app passing them logs in", async () => {
    const info = await gatewayInfo();
    const frame = document.createElement('iframe');
    frame.src = '/test/browser/sdk/fixtures/blank.html';
    document.body.append(frame);
    try {
      await new Promise((r) => frame.addEventListener('load', r, { once: true }));
      const w = frame.contentWindow as unknown as Window & Record<string, any>;
      const run = (code: string) => {
        const s = w.document.createElement('script');
        s.textContent = code;
        w.document.head.append(s);
      };
      // the app's own definition, before the SDK loads
      run('var appCalls = []; function onAuthTokenRenewed(r) { appCalls.push(r.result); }');
      const mine = w.onAuthTokenRenewed;
      const script = w.document.createElement('script');
      script.src = '/dist/awl.min.js';
      await new Promise((resolve, reject) => {
        script.onload = resolve;
        script.onerror = () => reject(new Error(`${script.src} did not load`));
        w.document.head.append(script);
      });
      expect(w.onAuthTokenRenewed, "the app's own onAuthTokenRenewed").to.equal(mine);
      for (const name of [
        'onconfigStateChange',
        'onRegistrationStateChange',
        'onCallListener',
        'onDeviceListRequested',
      ]) {
        expect(typeof w[name], name).to.equal('function');
        expect(w[name](), name).to.equal(undefined);
      }
      expect(w.webkitURLSupported).to.be.a('boolean');
      // an app script after the SDK: its own function declaration replaces the SDK's no-op
      run('function onconfigStateChange(r) { appCalls.push(r.result); }');
      expect(String(w.onconfigStateChange)).to.contain('appCalls');
      // the app of the issue: passes the globals it never defined, as with the vendor's file
      run(`
        var myWebRTC = new AWL.client();
        myWebRTC.setConfiguration(
          {
            serviceType: 'phone',
            enableVideo: false,
            Gateway: { ip: '127.0.0.1', port: '${info.port}' },
            useGatewayPort: true,
            AppData: { applicationID: '', applicationUA: '', appInstanceID: myWebRTC.generateAppInstanceID() },
          },
          onconfigStateChange,
          function (r) { appCalls.push(r.result); onRegistrationStateChange(r); },
          onCallListener,
          onAuthTokenRenewed
        );
        myWebRTC.logIn('204', ${JSON.stringify(info.password)}, 'true');
      `);
      await pollUntil(
        () => (w.appCalls as string[]).includes('AWL_MSG_LOGIN_SUCCESS'),
        'AWL_MSG_LOGIN_SUCCESS',
        15_000,
      );
      expect(w.appCalls[0]).to.equal('AWL_MSG_SETCONFIG_SUCCESS');
      w.myWebRTC.logOut();
    } finally {
      frame.remove();
    }
  });

  it("a call to an unknown number ends with the gateway's reason, shown by the page", async () => {
    const alice = await DemoPage.open('alice');
    pages.push(alice);
    await alice.login('203');
    alice.set('number', '2999');
    alice.click('#dial');
    await alice.until(
      () => alice.events().some((e) => /onCallTerminate : .* : Number not found/.test(e)),
      'onCallTerminate "Number not found"',
    );
    await alice.until(() => alice.rows().length === 0, 'the call row to go');
    expect(alice.errors).to.deep.equal([]);
  });
});
