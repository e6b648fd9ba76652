/**
 * Shared driver for the framework embedding pages (demo/vue.html, demo/react.html,
 * demo/angular/index.html), used like a person would: the page is opened in a same-origin frame
 * (the test server serves the repository, as in test/browser/sdk/awl-compat.test.ts), its
 * framework controls are changed, and the `<ipo-phone>` inside is clicked through its shadow DOM.
 * The page's `?gateway=` points the page at the real dev gateway (on the gateway's own origin the
 * pages use location.host). The far end is a raw protocol phone with real Chromium media
 * (test/browser/support/phone.ts), so "audio flows" is read from its own RTCPeerConnection.
 *
 * The pages carry the gateway's CSP in a <meta> tag; any violation, error or unhandled rejection
 * in the frame fails the test.
 */
import { FramePage } from '../support/frame-page.js';
import { expect } from '@open-wc/testing';
import { gatewayInfo, TestPhone, type GatewayInfo } from '../support/phone.js';

export { gatewayInfo, TestPhone };

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function pollUntil<T>(
  probe: () => Promise<T> | T,
  what: string | (() => string),
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (performance.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`,
      );
    await sleep(everyMs);
  }
}

/** Inbound audio packets of the raw phone's call. */
export async function inboundPackets(pc: RTCPeerConnection): Promise<number> {
  let n = 0;
  (await pc.getStats()).forEach((s: { type: string; kind?: string; packetsReceived?: number }) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') n += s.packetsReceived ?? 0;
  });
  return n;
}

export class FrameworkPage extends FramePage {
  static async open(label: string, path: string, info: GatewayInfo): Promise<FrameworkPage> {
    const src = `${path}?gateway=${encodeURIComponent(`127.0.0.1:${info.port}`)}`;
    const page = new FrameworkPage(
      label,
      await FramePage.loadFrame(src, 'width: 1000px; height: 700px'),
    );
    // the framework has rendered its state and the phone has its session and login form
    await pollUntil(
      () =>
        page.text('#registration') &&
        page.phoneRoot?.querySelector('form[part="login"] input[name="user"]'),
      () => `${label}: the app to render (${page.doc.body.innerHTML.slice(0, 300)})`,
      30_000,
    );
    return page;
  }

  get phone(): HTMLElement & { user: string; strings?: unknown } {
    return this.doc.querySelector('ipo-phone') as HTMLElement & { user: string };
  }
  get phoneRoot(): ShadowRoot | null {
    return this.doc.querySelector('ipo-phone')?.shadowRoot ?? null;
  }
  events(): string[] {
    return [...this.doc.querySelectorAll('#events li')].map((li) => li.textContent ?? '');
  }
  describe(): string {
    return `${this.label}: registration "${this.text('#registration')}", call "${this.text('#call-state')}", phone status "${this.phoneRoot?.querySelector('[part="status"]')?.textContent?.trim()}", error "${this.phoneRoot?.querySelector('[part="error"]')?.textContent?.trim() ?? ''}", events: ${this.events().slice(-5).join(' | ')}, page errors: ${this.errors.join(' | ')}`;
  }
  /** Polls rather than observing the DOM: framework state and element properties change without mutations. */
  override until<T>(probe: () => T, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
    return pollUntil(probe, () => `${what}; ${this.describe()}`, timeoutMs);
  }

  /** Types into a framework-controlled input the way a user does (works for React's too). */
  type(selector: string, value: string): void {
    const input = this.doc.querySelector<HTMLInputElement>(selector)!;
    const setter = Object.getOwnPropertyDescriptor(
      this.win.HTMLInputElement.prototype,
      'value',
    )!.set!;
    setter.call(input, value);
    input.dispatchEvent(new this.win.Event('input', { bubbles: true }));
  }
  toggle(selector: string): void {
    this.doc.querySelector<HTMLInputElement>(selector)!.click();
  }

  /** A button inside the phone by its visible text. */
  button(text: string, root: ParentNode | null = this.phoneRoot): HTMLButtonElement | undefined {
    return [...(root?.querySelectorAll<HTMLButtonElement>('button') ?? [])].find(
      (b) => b.textContent?.trim() === text,
    );
  }

  async loginThroughUi(password: string): Promise<void> {
    const form = this.phoneRoot!.querySelector<HTMLFormElement>('form[part="login"]')!;
    form.querySelector<HTMLInputElement>('input[name="password"]')!.value = password;
    form.querySelector<HTMLButtonElement>('button.p')!.click();
    await this.until(
      () => this.text('#registration') === 'logged-in',
      'the framework state to show logged-in',
    );
  }

  async dialThroughUi(number: string): Promise<void> {
    const form = await this.until(
      () => this.phoneRoot!.querySelector<HTMLFormElement>('form[part="dial"]'),
      'the dial form',
    );
    const input = form.querySelector<HTMLInputElement>('input[name="number"]')!;
    input.value = number;
    input.dispatchEvent(new this.win.InputEvent('input', { bubbles: true, composed: true }));
    const call = await this.until(() => {
      const b = form.querySelector<HTMLButtonElement>('button[value="audio"]');
      return b && !b.disabled ? b : null;
    }, 'an enabled call button');
    call.click();
  }

  close(): void {
    this.frame.remove();
  }
}

/**
 * The scenario each framework page must pass: framework state → element properties, a call placed
 * from the page and answered by a raw phone with audio flowing, hung up from the page; a call
 * from the raw phone answered on the page; ipo-* events reflected in the framework's state.
 */
export async function frameworkCallScenario(
  name: string,
  path: string,
  ext: string,
  farExt: string,
): Promise<void> {
  const info = await gatewayInfo();
  const far = await TestPhone.connect(info);
  const page = await FrameworkPage.open(name, path, info);
  try {
    // properties: the framework's state reaches the element
    expect(page.text('#gateway')).to.equal(`127.0.0.1:${info.port}`);
    expect(page.text('#registration')).to.equal('logged-out');
    page.type('#user', ext);
    await page.until(
      () =>
        page.phone.user === ext &&
        page.phoneRoot!.querySelector<HTMLInputElement>('input[name="user"]')!.value === ext,
      `the phone's user property and field to show ${ext}`,
      10_000,
    );

    // the far end
    const farLogin = await far.login(farExt, info.password);
    expect(farLogin.params.responseCode, 'far-end login').to.equal('200');

    // events: logging in through the element's UI updates the framework's state
    await page.loginThroughUi(info.password);
    expect(
      page.events().some((l) => l.includes('ipo-registration-change') && l.includes('logged-in')),
      'event log',
    ).to.equal(true);

    // strings: a framework toggle sets the element's `strings` property
    page.toggle('#plain');
    await page.until(
      () => page.button('Dial', page.phoneRoot!.querySelector('form[part="dial"]')),
      'the Dial label from the strings override',
      10_000,
    );
    page.toggle('#plain');
    await page.until(
      () => page.button('Call', page.phoneRoot!.querySelector('form[part="dial"]')),
      'the built-in Call label again',
      10_000,
    );

    // an outgoing call, answered by the far end, with audio flowing to it
    await page.dialThroughUi(farExt);
    const incoming = await far.next('IncomingCall', undefined, 30_000);
    const farCall = await far.answer(incoming);
    await page.until(
      () => page.text('#call-state') === 'connected',
      'the framework state to show the call connected',
    );
    expect(
      page.phoneRoot!.querySelector('[part="call"] [part="state"]')?.textContent?.trim(),
    ).to.equal('Connected');
    const pc = far.pcs.get(farCall)!;
    const start = await inboundPackets(pc);
    let got = 0;
    await pollUntil(
      async () => (got = (await inboundPackets(pc)) - start) >= 25,
      () => `${name}: audio from the page at the far end (${got} new packets); ${page.describe()}`,
      30_000,
      250,
    );

    // hang up from the page
    const hangup = await page.until(() => {
      const b = page.button('Hang up');
      return b && b.getAttribute('aria-disabled') !== 'true' ? b : null;
    }, 'an enabled Hang up button');
    hangup.click();
    await far.next('CallDisconnected', farCall, 30_000);
    await page.until(
      () => page.text('#call-state') === 'ended',
      'the framework state to show the call ended',
    );
    expect(page.events().some((l) => l.startsWith('ipo-call-ended'))).to.equal(true);
    await page.until(
      () => !page.phoneRoot!.querySelector('[part="call"]'),
      'the call list to empty',
    );

    // an incoming call answered on the page, with audio flowing back to the caller
    const back = await far.call(ext);
    const answer = await page.until(() => {
      const b = page.button('Answer');
      return b && b.getAttribute('aria-disabled') !== 'true' ? b : null;
    }, 'an enabled Answer button');
    expect(page.events().some((l) => l.includes('new → incoming'))).to.equal(true);
    answer.click();
    await far.next('CallConnected', back, 30_000);
    await page.until(
      () => page.text('#call-state') === 'connected',
      'the framework state to show the answered call connected',
    );
    const pc2 = far.pcs.get(back)!;
    const start2 = await inboundPackets(pc2);
    await pollUntil(
      async () => (await inboundPackets(pc2)) - start2 >= 25,
      `${name}: audio from the answering page at the caller`,
      30_000,
      250,
    );
    far.send('endCall', { callId: back });
    await page.until(
      () => page.text('#call-state') === 'ended',
      'the framework state to show the far end hung up',
    );

    // log out through the element
    page.button('Log out')?.click();
    await page.until(
      () => page.text('#registration') === 'logged-out',
      'the framework state to show logged-out',
    );
    expect(page.errors, 'page errors').to.deep.equal([]);
  } finally {
    far.close();
    page.close();
  }
}

/** The page obeys the gateway's CSP: no inline script or handler, only its module scripts. */
export async function expectCspClean(path: string, scripts: string[]): Promise<void> {
  const html = await (await fetch(path)).text();
  const doc = new DOMParser().parseFromString(html, 'text/html');
  expect(
    [...doc.querySelectorAll('script')].filter((s) => !s.src).length,
    'inline <script>',
  ).to.equal(0);
  const handlers = [...doc.querySelectorAll('*')].flatMap((el) =>
    [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}.${a.name}`),
  );
  expect(handlers, 'inline event handlers').to.deep.equal([]);
  const srcs = [...doc.querySelectorAll('script[src]')]
    .map((s) => s.getAttribute('src'))
    .filter((src) => !src!.startsWith('/__web-dev-server'));
  expect(srcs).to.deep.equal(scripts);
  expect(
    doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
  ).to.include("default-src 'self'");
  expect(
    doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
  ).to.not.include('unsafe-eval');
}
