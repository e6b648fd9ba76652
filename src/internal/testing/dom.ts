/** DOM helpers for element tests: find controls by part, label or accessible text, and wait. */

const root = (el: Element): ParentNode => el.shadowRoot ?? el;

/** The first element in `el`'s shadow root with that part name. */
export function part<T extends Element = HTMLElement>(el: Element, name: string): T | null {
  return root(el).querySelector<T>(`[part~="${name}"]`);
}

/** Every element in `el`'s shadow root with that part name. */
export function parts<T extends Element = HTMLElement>(el: Element, name: string): T[] {
  return [...root(el).querySelectorAll<T>(`[part~="${name}"]`)];
}

/** The buttons whose text is `name` (trimmed). */
export function buttons(el: Element, name: string): HTMLButtonElement[] {
  return [...root(el).querySelectorAll('button')].filter((b) => b.textContent?.trim() === name);
}

/** The first button whose text is `name`; throws when there is none. */
export function button(el: Element, name: string): HTMLButtonElement {
  const found = buttons(el, name)[0];
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

/** The control (input or select) of the label whose text starts with `label`. */
export function field<T extends HTMLElement = HTMLInputElement>(el: Element, label: string): T {
  const found = [...root(el).querySelectorAll('label')]
    .find((l) => l.textContent?.trim().startsWith(label))
    ?.querySelector<T>('input, select');
  if (!found) throw new Error(`no field "${label}"`);
  return found;
}

/** Resolves once `check()` is truthy (polled), with its value; rejects after `ms`. */
export async function until<T>(check: () => T, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
