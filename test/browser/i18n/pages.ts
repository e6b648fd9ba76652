/**
 * A page of the built kit (`/dist/ipo-webrtc-kit.js`, as a CMS page loads it) in a same-origin
 * iframe, written from markup only: the language, theme and string overrides are attributes and
 * elements, no script. Helpers find controls the way a person does: by visible text and labels.
 */
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { en } from '../../../src/i18n/translation.js';
import { FramePage } from '../support/frame-page.js';
import { textElements } from '../theme/contrast.js';

type Updatable = HTMLElement & { updateComplete: Promise<boolean> };

export class MarkupPage extends FramePage {
  static async open(
    label: string,
    htmlAttrs: string,
    body: string,
    width = 360,
    height = 740,
    bundle = '/dist/ipo-webrtc-kit.js',
  ) {
    const frame = document.createElement('iframe');
    frame.style.cssText = `width: ${width}px; height: ${height}px; border: 0; display: inline-block; vertical-align: top; margin: 0 8px 8px 0`;
    frame.allow = 'microphone; camera; autoplay';
    frame.title = label;
    frame.srcdoc = `<!doctype html><html ${htmlAttrs}><head><meta charset="utf-8">
      <script type="module" src="${bundle}"></script>
      <style>body { margin: 8px; font-family: system-ui, sans-serif; } ipo-phone, ipo-device-select { margin-bottom: 8px; }</style>
      </head><body>${body}</body></html>`;
    const loaded = new Promise((r) => frame.addEventListener('load', r, { once: true }));
    document.body.append(frame);
    await loaded;
    const page = new MarkupPage(label, frame);
    await page.win.customElements.whenDefined('ipo-phone');
    for (const el of page.doc.querySelectorAll<Updatable>('ipo-phone, ipo-device-select'))
      await el.updateComplete;
    return page;
  }

  /** A demo page (`/demo/<path>`) in a frame. */
  static async demo(path: string, width = 900, height = 900): Promise<MarkupPage> {
    const frame = document.createElement('iframe');
    frame.style.cssText = `width: ${width}px; height: ${height}px; border: 0`;
    frame.allow = 'microphone; camera; autoplay';
    frame.src = `/demo/${path}`;
    const loaded = new Promise((r) => frame.addEventListener('load', r, { once: true }));
    document.body.append(frame);
    await loaded;
    const page = new MarkupPage(path, frame);
    await page.win.customElements.whenDefined('ipo-phone');
    for (const el of page.doc.querySelectorAll<Updatable>('ipo-phone, ipo-device-select'))
      await el.updateComplete;
    return page;
  }

  close(): void {
    this.frame.remove();
  }

  get phone(): Updatable {
    return this.doc.querySelector<Updatable>('ipo-phone')!;
  }
  el(tag: string): Updatable {
    return this.doc.querySelector<Updatable>(tag)!;
  }

  /** The kit files this page fetched besides the bundle (translations). */
  kitFiles(): string[] {
    return this.win.performance
      .getEntriesByType('resource')
      .map((e) => new URL(e.name).pathname)
      .filter((p) => /\/ipo-webrtc-kit\.[^/]+\.js$/.test(p));
  }

  /** The button in `el`'s shadow root whose text is `label` (trimmed). */
  button(el: Element, label: string): HTMLButtonElement {
    const all = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')];
    const b = all.find((x) => x.textContent?.replace(/\s+/g, ' ').trim() === label);
    if (!b)
      throw new Error(
        `${this.label}: no "${label}" button (have: ${all.map((x) => x.textContent?.trim()).join(', ')})`,
      );
    return b;
  }

  /** The input or select of the label whose text starts with `label`. */
  field<T extends HTMLElement = HTMLInputElement>(el: Element, label: string): T {
    const found = [...el.shadowRoot!.querySelectorAll('label')]
      .find((l) => l.textContent?.trim().startsWith(label))
      ?.querySelector<T>('input, select');
    if (!found) throw new Error(`${this.label}: no field "${label}"`);
    return found;
  }

  /** Types with real key presses into a field. */
  async type(input: HTMLInputElement, value: string): Promise<void> {
    this.frame.focus();
    input.focus();
    input.select();
    await sendKeys({ type: value });
    if (input.value !== value)
      throw new Error(`${this.label}: typed "${value}", have "${input.value}"`);
  }

  /** Every text a person sees or hears in `el` (text nodes, accessible names, placeholders). */
  texts(el: Element): string[] {
    const out: string[] = [];
    const walk = (root: ShadowRoot) => {
      for (const node of root.querySelectorAll('*')) {
        if (node.shadowRoot) walk(node.shadowRoot);
        if (!(node as HTMLElement).checkVisibility?.()) continue;
        for (const a of ['aria-label', 'placeholder', 'title']) {
          const v = node.getAttribute(a);
          if (v) out.push(v.trim());
        }
        for (const child of node.childNodes)
          if (child.nodeType === 3 && child.textContent!.trim())
            out.push(child.textContent!.replace(/\s+/g, ' ').trim());
      }
    };
    walk(el.shadowRoot!);
    return out;
  }

  /** Texts of `el` that are English strings of the table (left untranslated). */
  english(el: Element, translated: object): string[] {
    const english = new Set<string>();
    const mine = new Set<string>();
    const collect = (t: unknown, into: Set<string>) => {
      for (const v of Object.values(t as object)) {
        if (typeof v === 'string') into.add(v);
        else if (v && typeof v === 'object') collect(v, into);
      }
    };
    collect(en, english);
    collect(translated, mine);
    return this.texts(el).filter((s) => english.has(s) && !mine.has(s));
  }

  /** Elements in `el`'s shadow root that show text of their own. */
  textElements(el: Element): Element[] {
    return textElements(el);
  }

  async screenshot(name: string): Promise<void> {
    const r = this.frame.getBoundingClientRect();
    await executeServerCommand('ipo-screenshot', {
      name,
      clip: { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height },
    });
  }
}
