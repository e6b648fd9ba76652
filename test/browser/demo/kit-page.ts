/**
 * Drives a kit demo page (demo/index.html, video.html, agent.html) like a user: the page is loaded
 * from the test server's own origin in a same-origin iframe (the gateway's origin cannot be framed
 * or scripted, see test/browser/sdk/awl-compat.test.ts), and the kit inside it talks to the real
 * dev gateway. The page names no gateway (served by the gateway over https it uses its own host;
 * from the test server over http it has none), so the test sets the attribute to the gateway of
 * this run, which makes <ipo-session> build a new session; the frame's RTCPeerConnection is wrapped before that, so every peer connection of the
 * page's calls is recorded for standard getStats() probes.
 */
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { FramePage } from '../support/frame-page.js';
import { gatewayInfo } from '../support/phone.js';

export { gatewayInfo, inboundAudio, audioFlows } from '../support/phone.js';

export async function screenshot(name: string): Promise<void> {
  await executeServerCommand('ipo-screenshot', { name });
}

/** Polls where no event exists (stats counters). */
export async function pollUntil<T>(
  probe: () => Promise<T> | T,
  what: string | (() => string),
  timeoutMs = 15_000,
  everyMs = 200,
): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (performance.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Inbound audio stopped on `pc`: at most 2 packets in a 1 s stats window (stats have no event). */
export async function audioStopped(
  pc: RTCPeerConnection,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const { inboundAudio } = await import('../support/phone.js');
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const a = (await inboundAudio(pc)).packets;
    await new Promise((r) => setTimeout(r, 1000));
    const delta = (await inboundAudio(pc)).packets - a;
    if (delta <= 2) return;
    if (performance.now() > deadline)
      throw new Error(`${what}: inbound audio did not stop (${delta} packets in the last second)`);
  }
}

/** POST /admin/cti on the gateway (the contact-centre CTI stand-in; the gateway allows this origin). */
export async function ctiEvent(extension: string, event: 'talk' | 'hold'): Promise<Response> {
  const info = await gatewayInfo();
  return fetch(`${info.url}/admin/cti`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${info.adminToken}` },
    body: JSON.stringify({ extension, ctiEvent: event }),
  });
}

export class KitPage extends FramePage {
  readonly pcs: RTCPeerConnection[] = [];
  private constructor(label: string, frame: HTMLIFrameElement) {
    super(label, frame);
    const w = this.win;
    // record the page's peer connections (the session built below reads the constructor then)
    const pcs = this.pcs;
    const Native = w.RTCPeerConnection;
    class RecordingPeerConnection extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        pcs.push(this);
      }
    }
    Object.defineProperty(RecordingPeerConnection, 'name', { value: 'RTCPeerConnection' });
    w.RTCPeerConnection = RecordingPeerConnection as typeof RTCPeerConnection;
  }

  static async open(path: string, label: string): Promise<KitPage> {
    const css =
      'width: 640px; height: 820px; border: 2px solid #888; display: inline-block; vertical-align: top;';
    const frame = await FramePage.loadFrame(
      `/demo/${path}`,
      css,
      'microphone; camera; autoplay; speaker-selection',
    );
    frame.title = label;
    const page = new KitPage(label, frame);
    const w = page.win;
    await Promise.all(
      ['ipo-session', 'ipo-phone', 'ipo-video-pair', 'ipo-device-select'].map((t) =>
        w.customElements.whenDefined(t),
      ),
    );
    const info = await gatewayInfo();
    const session = page.doc.querySelector('ipo-session') as HTMLElement & {
      updateComplete: Promise<boolean>;
      session: unknown;
    };
    const before = session.session;
    session.setAttribute('gateway', info.host);
    await session.updateComplete;
    if (!session.session || session.session === before)
      throw new Error(`${label}: <ipo-session> did not build a session for ${info.host}`);
    await (page.phone as unknown as { updateComplete: Promise<boolean> }).updateComplete;
    return page;
  }

  get phone(): HTMLElement & { updateComplete: Promise<boolean> } {
    return this.doc.querySelector('ipo-phone')!;
  }
  get root(): ShadowRoot {
    return this.phone.shadowRoot!;
  }
  status(): string {
    return this.root.querySelector('[part~="status"] .reg')?.textContent?.trim() ?? '';
  }
  calls(): HTMLLIElement[] {
    return [...this.root.querySelectorAll<HTMLLIElement>('li[part="call"]')];
  }
  callText(li: Element): string {
    return li.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  }
  state(li: Element): string {
    return li.querySelector('[part="state"]')?.textContent?.trim() ?? '';
  }
  /** The call whose state is `state` (and whose text mentions `who`). */
  call(state: string, who?: string): HTMLLIElement | undefined {
    return this.calls().find(
      (li) => this.state(li) === state && (!who || this.callText(li).includes(who)),
    );
  }
  button(root: ParentNode, label: string): HTMLButtonElement {
    const b = [...root.querySelectorAll<HTMLButtonElement>('button')].find(
      (el) => el.textContent?.trim() === label,
    );
    if (!b)
      throw new Error(
        `${this.label}: no "${label}" button (have: ${[...root.querySelectorAll('button')].map((el) => el.textContent?.trim()).join(', ')})`,
      );
    return b;
  }
  /** Types into an input with real key presses (the browser's keyboard, via the test runner). */
  async type(input: HTMLInputElement | null, value: string): Promise<void> {
    if (!input) throw new Error(`${this.label}: no input to type ${value} into`);
    this.frame.focus();
    input.focus();
    input.select();
    await sendKeys({ type: value });
    if (input.value !== value)
      throw new Error(`${this.label}: typed "${value}" but the field holds "${input.value}"`);
  }

  protected override diagnostics(): string {
    return `status "${this.status()}", calls: ${
      this.calls()
        .map((li) => this.callText(li))
        .join(' | ') || 'none'
    }, errors: ${this.errors.join(' | ')}`;
  }

  /** Logs in through the phone's form: types extension and password, clicks "Log in". */
  async login(user: string, password: string): Promise<void> {
    const form = this.root.querySelector<HTMLFormElement>('form[part="login"]');
    if (!form) throw new Error(`${this.label}: no login form`);
    await this.type(form.querySelector('input[name="user"]'), user);
    await this.type(form.querySelector('input[name="password"]'), password);
    this.button(form, 'Log in').click();
    await this.until(() => this.status() === 'Ready', `"Ready" after logging in as ${user}`);
  }

  /** Types a number into the dial field and clicks Call (or Video call). */
  async dial(number: string, video = false): Promise<void> {
    const form = this.root.querySelector<HTMLFormElement>('form[part="dial"]');
    if (!form) throw new Error(`${this.label}: no dial form`);
    await this.type(form.querySelector('input[name="number"]'), number);
    this.button(form, video ? 'Video call' : 'Call').click();
  }

  /** Logs out through the UI when logged in (ignores a page that is gone). */
  async logout(): Promise<void> {
    try {
      const out = [...this.root.querySelectorAll<HTMLButtonElement>('[part="status"] button')].find(
        (b) => b.textContent?.trim() === 'Log out',
      );
      if (!out) return;
      out.click();
      // with calls up the phone asks first
      await this.phone.updateComplete;
      this.root.querySelector<HTMLButtonElement>('[part~="confirm"] button')?.click();
      await this.until(
        () => this.root.querySelector('form[part="login"]'),
        'the login form after logging out',
        10_000,
      );
    } catch {
      /* best effort */
    }
  }

  /** The page's live peer connections (connected). */
  livePcs(): RTCPeerConnection[] {
    return this.pcs.filter(
      (pc) => pc.connectionState === 'connected' && pc.signalingState !== 'closed',
    );
  }

  /** The page's newest connected peer connection (waits for one; connection state changes are not DOM changes, so this polls). */
  livePc(what = 'a connected peer connection'): Promise<RTCPeerConnection> {
    return pollUntil(
      () => this.livePcs().at(-1),
      `${this.label}: ${what} (peer connections: ${this.pcs.map((pc) => pc.connectionState).join(', ') || 'none'})`,
      20_000,
      100,
    );
  }

  /**
   * A connected peer connection made after the page had `n` of them: a transfer re-anchors the
   * call's media on a new peer connection, and the old one stays connected until the new far
   * end's offer arrives, so the newest connected one alone may still be the old one.
   */
  livePcAfter(n: number, what = 'a new connected peer connection'): Promise<RTCPeerConnection> {
    return pollUntil(
      () => this.livePcs().find((pc) => this.pcs.indexOf(pc) >= n),
      `${this.label}: ${what} (peer connections: ${this.pcs.map((pc) => pc.connectionState).join(', ') || 'none'})`,
      20_000,
      100,
    );
  }

  close(): void {
    this.frame.remove();
  }
}
