/**
 * String overrides in markup, for pages without script (a CMS, a strict CSP):
 *
 *   <ipo-session lang="de">
 *     <template data-ipo-strings>
 *       <data value="call">Wählen</data>
 *       <data value="callState.held">Gehalten</data>
 *       <data value="incomingFrom">{0} ruft an</data>
 *       <data value="callsKept" data-one="Ihr Anruf wurde gehalten">Ihre {0} Anrufe wurden gehalten</data>
 *     </template>
 *     …
 *
 * `value` is a key of the Translation table (`record.key` inside records); the text replaces the
 * string, `{0}`, `{1}` … stand for a function's arguments (numbers formatted for the language),
 * `{url}`, `{host}`, `{origin}`, `{where}` for the details of a `problems.*` message;
 * `data-zero|one|two|few|many` give plural forms chosen by the first numeric argument. The
 * template is inert: nothing in it renders or runs, and the text is only ever used as text.
 */
import type { Translation } from './translation.js';

export type TemplateSource = HTMLTemplateElement;

/**
 * What the parser needs from the kit, passed in: this module is loaded by `import()` only when a
 * page has a template (dist/ipo-webrtc-kit.template-strings.js for the bundle), so it imports
 * nothing itself.
 */
export interface ParseDeps {
  en: Translation;
  formatNumber: (lang: string, value: number, options?: Intl.NumberFormatOptions) => string;
  warnOnce: (message: string) => void;
}

const cache = new WeakMap<TemplateSource, Map<string, Partial<Translation>>>();
const PLURALS = ['zero', 'one', 'two', 'few', 'many'] as const;

/** Open records whose keys are not all in the English table (any key is accepted). */
const OPEN = new Set(['errors', 'qualityWarning']);

/** The overrides a template gives for `lang` (parsed once per template and language). */
export function templateStrings(
  tpl: TemplateSource,
  lang: string,
  deps: ParseDeps,
): Partial<Translation> {
  let byLang = cache.get(tpl);
  if (!byLang) cache.set(tpl, (byLang = new Map()));
  let parsed = byLang.get(lang);
  if (!parsed) byLang.set(lang, (parsed = parse(tpl, lang, deps)));
  return parsed;
}

function parse(
  tpl: TemplateSource,
  lang: string,
  { en, formatNumber, warnOnce }: ParseDeps,
): Partial<Translation> {
  const out: Record<string, unknown> = {};
  const table = en as unknown as Record<string, unknown>;
  for (const item of tpl.content.querySelectorAll('data[value]')) {
    const key = item.getAttribute('value')!.trim();
    const text = (item.textContent ?? '').replace(/\s+/g, ' ').trim();
    const [head = '', sub, ...rest] = key.split('.');
    const english = table[head];
    const isRecord = !!english && typeof english === 'object';
    const model = isRecord && sub ? (english as Record<string, unknown>)[sub] : english;
    if (
      key.startsWith('$') ||
      english === undefined ||
      rest.length ||
      isRecord !== (sub !== undefined) ||
      (isRecord && model === undefined && !OPEN.has(head))
    ) {
      warnOnce(`<template data-ipo-strings>: "${key}" is not a string of the kit.`);
      continue;
    }
    const plural: Partial<Record<Intl.LDMLPluralRule, string>> = {};
    for (const p of PLURALS) {
      const form = item.getAttribute(`data-${p}`);
      if (form !== null) plural[p] = form;
    }
    const value = typeof model === 'function' ? template(text, plural, lang, formatNumber) : text;
    if (isRecord) out[head] = { ...(out[head] as object), [sub!]: value };
    else out[head] = value;
  }
  return out as Partial<Translation>;
}

/** A translation function from `{0}`-style text. */
function template(
  text: string,
  plural: Partial<Record<Intl.LDMLPluralRule, string>>,
  lang: string,
  formatNumber: ParseDeps['formatNumber'],
): (...args: unknown[]) => string {
  let rules: Intl.PluralRules;
  try {
    rules = new Intl.PluralRules(lang);
  } catch {
    rules = new Intl.PluralRules('en');
  }
  return (...args) => {
    const count = args.find((a): a is number => typeof a === 'number');
    const form = (count !== undefined && plural[rules.select(count)]) || text;
    return form.replace(/\{(\w+)\}/g, (_, i: string) => {
      // {0} {1} … by position; {url} {origin} … from a details object (problems.*)
      const first = args[0];
      const arg = /^\d$/.test(i)
        ? args[Number(i)]
        : first && typeof first === 'object'
          ? (first as Record<string, unknown>)[i]
          : undefined;
      if (typeof arg === 'number') return formatNumber(lang, arg, { maximumFractionDigits: 1 });
      return arg === null || arg === undefined ? '' : String(arg);
    });
  };
}
