/**
 * LocalizeController: resolves the element's language (its own `lang`, then `<html lang>`) and
 * direction, re-renders the host when either changes or a translation is registered, and merges
 * English ← base language ← exact locale ← the host's `strings` overrides into `t`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { IpoErrorCode, IpoErrorDetails } from '../core/errors.js';
import { en, type Translation } from './translation.js';

/** A locale module's content: any subset of the strings, plus its code. */
export type TranslationModule = Partial<Translation> & { $code: string };

type Host = ReactiveControllerHost & HTMLElement & { strings?: Partial<Translation> };

const locales = new Map<string, Partial<Translation>>([['en', en]]);
const hosts = new Set<LocalizeController>();
let version = 0;
let observer: MutationObserver | undefined;
const ATTRS = { attributes: true, attributeFilter: ['lang', 'dir'] };

/** Adds (or replaces) locales; every connected element re-renders. */
export function registerTranslation(...modules: TranslationModule[]): void {
  for (const m of modules) locales.set(m.$code.toLowerCase(), m);
  version++;
  for (const c of hosts) c.host.requestUpdate();
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
      for (const c of hosts) {
        if (records.some((r) => r.target === c.host || r.target === document.documentElement))
          c.host.requestUpdate();
      }
    });
    observer.observe(document.documentElement, ATTRS);
    observer.observe(this.host, ATTRS);
  }

  hostDisconnected(): void {
    hosts.delete(this);
  }

  /** The resolved language code, lower case. */
  get lang(): string {
    return (this.host.lang || document.documentElement.lang || 'en').toLowerCase();
  }

  /** The resolved direction: the host's, the page's, else the language's. */
  get dir(): 'ltr' | 'rtl' {
    const d = this.host.dir || document.documentElement.dir;
    return d === 'rtl' || d === 'ltr' ? d : this.t.$dir;
  }

  /** All strings for the current language and overrides. */
  get t(): Translation {
    const lang = this.lang;
    const strings = this.host.strings;
    const key = [lang, strings, version];
    if (key.some((k, i) => k !== this.#key[i])) {
      this.#key = key;
      this.#t = {
        ...en,
        ...locales.get(lang.split('-')[0] ?? ''),
        ...locales.get(lang),
        ...strings,
      };
    }
    return this.#t;
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
