/** WCAG contrast of rendered text: colours as computed, backgrounds composited up to the page. */

/** sRGB relative luminance of a computed `rgb(…)`/`rgba(…)` colour (alpha composited on `under`). */
export function rgb(color: string, under: number[] = [255, 255, 255]): number[] {
  const [r, g, b, a] = rgba(color);
  return [r, g, b].map((c, i) => c * a + under[i]! * (1 - a));
}

let pixel: CanvasRenderingContext2D | undefined;
/**
 * Any computed colour (`rgb()`, `color(srgb …)` from color-mix(), `oklab()` …) as 0–255 RGB and
 * alpha 0–1, as the browser paints it: one pixel on a canvas.
 */
function rgba(color: string): [number, number, number, number] {
  pixel ??= Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext(
    '2d',
    { willReadFrequently: true },
  )!;
  pixel.clearRect(0, 0, 1, 1);
  pixel.fillStyle = color;
  pixel.fillRect(0, 0, 1, 1);
  const [r = 0, g = 0, b = 0, a = 0] = pixel.getImageData(0, 0, 1, 1).data;
  return [r, g, b, a / 255];
}

/** Resolves when every running CSS transition (e.g. colours after a theme change) has ended. */
export async function transitionsDone(doc: Document = document): Promise<void> {
  const roots: (Document | ShadowRoot)[] = [doc];
  for (let i = 0; i < roots.length; i++)
    for (const el of roots[i]!.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
  const running = roots.flatMap((r) => r.getAnimations()).filter((a) => a instanceof CSSTransition);
  await Promise.all(running.map((a) => a.finished.catch(() => undefined)));
}
function luminance([r, g, b]: number[]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}
export function contrast(fg: number[], bg: number[]): number {
  const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
  return (a! + 0.05) / (b! + 0.05);
}

/** The opaque background behind `el`, walking up through shadow roots to the page. */
export function backdrop(el: Element): number[] {
  const layers: string[] = [];
  for (let n: Element | null = el; n;) {
    const bg = getComputedStyle(n).backgroundColor;
    layers.push(bg);
    if (rgba(bg)[3] === 1) break;
    n = n.parentElement ?? ((n.getRootNode() as ShadowRoot).host as Element | undefined) ?? null;
  }
  let under = [255, 255, 255];
  for (const layer of layers.reverse()) under = rgb(layer, under);
  return under;
}

/** The elements under `host`'s shadow root (and nested ones) that show text of their own. */
export function textElements(host: Element): Element[] {
  const out: Element[] = [];
  const walk = (root: ParentNode) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) walk(el.shadowRoot);
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim());
      const box = el.getBoundingClientRect();
      if (!own || !box.width || !box.height || (el as HTMLButtonElement).disabled) continue;
      if (el.closest('[aria-hidden="true"], [hidden]')) continue;
      out.push(el);
    }
  };
  walk(host.shadowRoot!);
  return out;
}
