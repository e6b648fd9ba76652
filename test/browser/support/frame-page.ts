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
    w.addEventListener('unhandledrejection', (ev) => this.errors.push(`unhandledrejection: ${String((ev as PromiseRejectionEvent).reason)}`));
    this.doc.addEventListener('securitypolicyviolation', (ev) => this.errors.push(`CSP violation: ${ev.violatedDirective} ${ev.blockedURI}`));
  }

  /** Appends an iframe for `src` (styled by `css`) and resolves once it has loaded. */
  protected static async loadFrame(src: string, css: string, allow = 'microphone; camera; autoplay'): Promise<HTMLIFrameElement> {
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
}
