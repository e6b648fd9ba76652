/** WCAG contrast of rendered text: colours as computed, backgrounds composited up to the page. */

/** sRGB relative luminance of a computed `rgb(…)`/`rgba(…)` colour (alpha composited on `under`). */
export function rgb(color: string, under: number[] = [255, 255, 255]): number[] {
  const m = color.match(/[\d.]+/g)?.map(Number) ?? [];
  const [r = 0, g = 0, b = 0, a = 1] = m;
  return [r, g, b].map((c, i) => c * a + under[i]! * (1 - a));
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
    if (!bg.startsWith('rgba') || bg.endsWith(', 1)')) break;
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
