/**
 * LocalizeController: resolves an element's language from the nearest `lang` (the element, an
 * ancestor — also across shadow roots — or `<html>`) and its direction from the nearest `dir`
 * (else the language's), loads the shipped translation of that language on demand, and merges
 * English ← shipped ← registered ← `<template data-ipo-strings>` ← the `strings` property into
 * `t`. It re-renders the host when any of these change.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { IpoErrorCode, IpoErrorDetails } from '../core/errors.js';
import { formatDuration, formatNumber } from './format.js';
import { warnOnce } from '../internal/warn.js';
import { SHIPPED } from './shipped.js';
import type { TemplateSource } from './template-strings.js';
import { en, type Translation } from './translation.js';

/** A locale module's content: any subset of the strings, plus its code. */
export type TranslationModule = Partial<Translation> & { $code: string };

type Host = ReactiveControllerHost & HTMLElement & { strings?: Partial<Translation> };

/** Translations registered by the page (`registerTranslation`): win over the shipped ones. */
const registered = new Map<string, Partial<Translation>>([['en', en]]);
/** Shipped translations loaded so far, and the loads in flight. */
const shipped = new Map<string, Partial<Translation>>();
const loading = new Map<string, Promise<void>>();
const hosts = new Set<LocalizeController>();
let version = 0;
let observer: MutationObserver | undefined;
const OBSERVE = {
  attributes: true,
  attributeFilter: ['lang', 'dir'],
  childList: true,
  subtree: true,
};
const STRINGS = 'template[data-ipo-strings]';

function refresh(): void {
  version++;
  for (const c of hosts) c.host.requestUpdate();
}

/** Adds (or replaces) locales; every connected element re-renders. */
export function registerTranslation(...modules: TranslationModule[]): void {
  for (const m of modules) registered.set(m.$code.toLowerCase(), m);
  refresh();
}

/** The languages that ship with the kit (loaded on demand), e.g. `['ar', 'de', …]`. */
export const shippedLanguages: readonly string[] = Object.keys(SHIPPED);

/**
 * Loads the shipped translation for a language (`de-AT` loads `de`); resolves when it is in use
 * (at once for English or a language the kit does not ship). Elements call it themselves; call it
 * to preload. A failed load (offline) warns once and leaves English in place.
 */
export function loadTranslation(lang: string): Promise<void> {
  const base = baseOf(lang);
  const load = SHIPPED[base];
  if (!load || shipped.has(base)) return Promise.resolve();
  let pending = loading.get(base);
  if (!pending) {
    pending = load().then(
      (m) => {
        shipped.set(base, m.default);
        refresh();
      },
      (error: unknown) => {
        console.warn(`ipo-webrtc-kit: the "${base}" translation could not be loaded`, error);
        shipped.set(base, {});
      },
    );
    loading.set(base, pending);
  }
  return pending;
}

/** The markup-override parser, loaded with the first `<template data-ipo-strings>` seen. */
let parser: typeof import('./template-strings.js') | undefined;
let parserLoad: Promise<void> | undefined;
const DEPS = { en, formatNumber, warnOnce };
function loadParser(): Promise<void> {
  parserLoad ??= import('./template-strings.js').then(
    (m) => {
      parser = m;
      refresh();
    },
    (error: unknown) => console.warn('ipo-webrtc-kit: string overrides could not be loaded', error),
  );
  return parserLoad;
}

const baseOf = (lang: string): string => lang.toLowerCase().split('-')[0] ?? '';

/** The element's parent, crossing out of shadow roots. */
const up = (el: Element): Element | null =>
  el.parentElement ?? ((el.getRootNode() as Partial<ShadowRoot>).host || null);

/** One level deep: records (callState, errors…) merge key by key. */
function merge(layers: (Partial<Translation> | undefined)[]): Translation {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer ?? {})) {
      const old = out[k];
      out[k] =
        v && typeof v === 'object' && old && typeof old === 'object'
          ? { ...(old as object), ...(v as object) }
          : v;
    }
  }
  return out as unknown as Translation;
}

export class LocalizeController implements ReactiveController {
  #key: unknown[] = [];
  #t = en;

  constructor(readonly host: Host) {
    host.addController(this);
  }

  hostConnected(): void {
    hosts.add(this);
    observer ??= new MutationObserver((records) => {
      const relevant = records.some(
        (r) =>
          r.type === 'attributes' ||
          [...r.addedNodes, ...r.removedNodes].some(
            (n) => n instanceof Element && (n.matches(STRINGS) || !!n.querySelector(STRINGS)),
          ),
      );
      if (relevant) refresh();
    });
    observer.observe(document.documentElement, OBSERVE);
    // ancestors inside another component's shadow root (frameworks) are not in the document's tree
    for (let root = this.host.getRootNode(); root instanceof ShadowRoot;) {
      observer.observe(root, OBSERVE);
      root = root.host.getRootNode();
    }
  }

  hostDisconnected(): void {
    hosts.delete(this);
  }

  /** The resolved language code, lower case: the nearest `lang`, else `en`. */
  get lang(): string {
    for (let el: Element | null = this.host; el; el = up(el)) {
      const lang = el.getAttribute('lang');
      if (lang) return lang.toLowerCase();
    }
    return 'en';
  }

  /**
   * The resolved direction: the nearest `dir="ltr|rtl"`, unless a nearer `lang` names another
   * language, whose direction then applies (`<html dir="ltr">` + `<ipo-phone lang="ar">` is RTL).
   */
  get dir(): 'ltr' | 'rtl' {
    for (let el: Element | null = this.host; el; el = up(el)) {
      const dir = el.getAttribute('dir')?.toLowerCase();
      if (dir === 'rtl' || dir === 'ltr') return dir;
      if (el.getAttribute('lang')) break;
    }
    return this.t.$dir;
  }

  /**
   * Resolves when the current language's translation and the markup overrides are ready;
   * undefined when they already are.
   */
  get ready(): Promise<unknown> | undefined {
    const base = baseOf(this.lang);
    const waits = [
      SHIPPED[base] && !shipped.has(base) ? loadTranslation(base) : undefined,
      !parser && this.#templates(this.lang).length ? loadParser() : undefined,
    ].filter(Boolean);
    return waits.length ? Promise.all(waits) : undefined;
  }

  /** All strings for the current language and overrides. */
  get t(): Translation {
    const lang = this.lang;
    const base = baseOf(lang);
    const templates = this.#templates(lang);
    const key = [lang, this.host.strings, version, ...templates];
    if (key.length !== this.#key.length || key.some((k, i) => k !== this.#key[i])) {
      this.#key = key;
      if (SHIPPED[base] && !shipped.has(base)) void loadTranslation(base);
      if (templates.length && !parser) void loadParser();
      this.#t = merge([
        en,
        shipped.get(base),
        registered.get(base),
        lang === base ? undefined : registered.get(lang),
        ...templates.map((tpl) => parser?.templateStrings(tpl, lang, DEPS)),
        this.host.strings,
      ]);
    }
    return this.#t;
  }

  /** A number formatted for the current language (`Intl.NumberFormat` options). */
  number(value: number, options?: Intl.NumberFormatOptions): string {
    return formatNumber(this.lang, value, options);
  }

  /** A duration in seconds as a clock (`3:07`, `1:02:03`) in the current language's digits. */
  duration(seconds: number): string {
    return formatDuration(this.lang, seconds);
  }

  /**
   * The `<template data-ipo-strings>` children of `ipo-*` elements from the outermost ancestor to
   * the host (nearer ones win), keeping those without `lang` or with the current language.
   */
  #templates(lang: string): TemplateSource[] {
    const found: TemplateSource[] = [];
    for (let el: Element | null = this.host; el; el = up(el)) {
      if (!el.localName.startsWith('ipo-')) continue;
      const own: TemplateSource[] = [];
      for (const child of el.children) {
        if (!(child instanceof HTMLTemplateElement) || !child.matches(STRINGS)) continue;
        const only = child.getAttribute('lang')?.toLowerCase();
        // one for this language wins over one for every language
        if (!only) own.unshift(child);
        else if (only === lang || only === baseOf(lang)) own.push(child);
      }
      found.unshift(...own);
    }
    return found;
  }
}

/**
 * An IpoError's message in the current language: its known cause's wording (with the address or
 * origin involved), else the code's, else the error's own English text.
 */
export const errorText = (
  t: Translation,
  error: { code: IpoErrorCode; message: string; details?: IpoErrorDetails | undefined },
): string =>
  (error.details && t.problems[error.details.problem]?.(error.details)) ||
  t.errors[error.code] ||
  error.message;
