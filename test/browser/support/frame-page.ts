/**
 * A page under test in a same-origin iframe (the gateway's own origin can be neither framed nor
 * scripted, so tests load the same files from the test server): its window and document, and
 * every page error, unhandled rejection or CSP violation it raises, for the test to assert on.
 */
export class FramePage {
  readonly errors: string[] = [];

  protected constructor(
    readonly label: string,
    readonly frame: HTMLIFrameElement,
  ) {
    const w = this.win;
    w.addEventListener('error', (ev) => this.errors.push(`error: ${ev.message}`));
    w.addEventListener('unhandledrejection', (ev) =>
      this.errors.push(`unhandledrejection: ${String((ev as PromiseRejectionEvent).reason)}`),
    );
    this.doc.addEventListener('securitypolicyviolation', (ev) =>
      this.errors.push(`CSP violation: ${ev.violatedDirective} ${ev.blockedURI}`),
    );
  }

  /** Appends an iframe for `src` (styled by `css`) and resolves once it has loaded. */
  protected static async loadFrame(
    src: string,
    css: string,
    allow = 'microphone; camera; autoplay',
  ): Promise<HTMLIFrameElement> {
    const frame = document.createElement('iframe');
    frame.style.cssText = css;
    frame.allow = allow;
    frame.src = src;
    document.body.append(frame);
    await new Promise((r) => frame.addEventListener('load', r, { once: true }));
    return frame;
  }

  get win(): Window & typeof globalThis {
    return this.frame.contentWindow as Window & typeof globalThis;
  }

  get doc(): Document {
    return this.frame.contentDocument!;
  }

  text(selector: string): string {
    return this.doc.querySelector(selector)?.textContent?.trim() ?? '';
  }

  /** What a timed-out wait reports about the page, besides what it waited for. */
  protected diagnostics(): string {
    return `errors: ${this.errors.join(' | ')}`;
  }

  /**
   * Resolves when `test` holds, re-checked on every DOM change of the page and of the kit's
   * shadow roots (a check that throws counts as not yet). No polling, no sleeps.
   */
  until<T>(
    test: () => T,
    what: string | (() => string),
    timeoutMs = 20_000,
  ): Promise<NonNullable<T>> {
    const check = (): T | undefined => {
      try {
        return test();
      } catch {
        return undefined;
      }
    };
    const now = check();
    if (now) return Promise.resolve(now as NonNullable<T>);
    return new Promise((resolve, reject) => {
      const obs = new MutationObserver(() => {
        const v = check();
        if (!v) return;
        obs.disconnect();
        clearTimeout(timer);
        resolve(v as NonNullable<T>);
      });
      const timer = setTimeout(() => {
        obs.disconnect();
        reject(
          new Error(
            `${this.label}: timed out waiting for ${typeof what === 'function' ? what() : what}; ${this.diagnostics()}`,
          ),
        );
      }, timeoutMs);
      const opts = { subtree: true, childList: true, characterData: true, attributes: true };
      obs.observe(this.doc.body, opts);
      for (const el of this.doc.querySelectorAll(
        'ipo-session, ipo-phone, ipo-video-pair, ipo-device-select',
      )) {
        if (el.shadowRoot) obs.observe(el.shadowRoot, opts);
      }
    });
  }
}
