/**
 * Every shipped translation has every string of the English table, of the same kind (text,
 * function, record), no key English lacks, its own code and direction, and is registered in
 * src/i18n/shipped.ts. A string added to the English table fails here until every language has it.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { formatDuration, formatNumber } from '../../src/i18n/format.js';
import { SHIPPED } from '../../src/i18n/shipped.js';
import { en, type Translation } from '../../src/i18n/translation.js';

const files = (await readdir(new URL('../../src/i18n/locales/', import.meta.url)))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

/** Sample arguments for each function of the table, by its arity. */
const ARGS: Record<number, unknown[]> = { 0: [], 1: ['Zoë Q'], 3: [123, 45, 6.5] };
const DETAILS = {
  problem: 'in-use',
  url: 'https://gw.example:9443/',
  host: 'gw.example',
  origin: 'https://site.example',
  where: 'Chrome on Linux',
  browser: 'Chrome',
  os: 'Linux',
};
const argsFor = (path: string, key: string, f: (...a: never[]) => unknown): unknown[] =>
  path === 'problems.'
    ? [DETAILS]
    : key === 'callsKept' || key === 'networkChart'
      ? [3]
      : key === 'verdictLimits'
        ? [
            { rtt: 150, jitter: 20, loss: 1 },
            { rtt: 400, jitter: 50, loss: 5 },
          ]
        : (ARGS[f.length] ?? ARGS[1]!);

type Table = Record<string, unknown>;

/** [path, kind] of every entry: 'string' | 'function/N' | nested records flattened. */
function shape(table: Table, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(table)) {
    const path = prefix + k;
    if (v && typeof v === 'object')
      for (const [p, s] of shape(v as Table, `${path}.`)) out.set(p, s);
    else out.set(path, typeof v === 'function' ? `function/${v.length}` : typeof v);
  }
  return out;
}

describe('shipped translations', () => {
  it('ship at least de, fr, es, it, nl, pt and ar, each registered for loading on demand', () => {
    for (const lang of ['ar', 'de', 'es', 'fr', 'it', 'nl', 'pt'])
      assert.ok(files.includes(lang), lang);
    assert.deepEqual(Object.keys(SHIPPED).sort(), files);
  });

  const english = shape(en as unknown as Table);
  for (const lang of files) {
    describe(lang, () => {
      it('has every key of the English table, of the same kind, and no other', async () => {
        const t = (await SHIPPED[lang]!()).default;
        const own = shape(t as unknown as Table);
        const missing = [...english.keys()].filter((k) => !own.has(k));
        const extra = [...own.keys()].filter((k) => !english.has(k));
        assert.deepEqual(missing, [], `${lang} lacks ${missing.join(', ')}`);
        assert.deepEqual(extra, [], `${lang} has keys English lacks: ${extra.join(', ')}`);
        for (const [k, kind] of english) {
          if (k === '$code' || k === '$dir') continue;
          assert.equal(own.get(k)!.split('/')[0], kind.split('/')[0], `${lang}.${k}`);
        }
        assert.equal(t.$code, lang);
        assert.equal(t.$dir, lang === 'ar' || lang === 'he' || lang === 'fa' ? 'rtl' : 'ltr');
      });

      it('every text is non-empty, and a function uses the value it is given', async () => {
        const t = (await SHIPPED[lang]!()).default as unknown as Table;
        const check = (table: Table, english: Table, path: string) => {
          for (const [k, v] of Object.entries(english)) {
            const mine = table[k];
            if (v && typeof v === 'object') {
              check(mine as Table, v as Table, `${path}${k}.`);
            } else if (typeof v === 'function') {
              const f = mine as (...a: unknown[]) => string;
              const args = argsFor(path, k, f);
              const out = f(...args);
              const english = String(v(...args));
              assert.ok(typeof out === 'string' && out.trim(), `${lang}.${path}${k}()`);
              assert.ok(!/undefined|NaN|\[object/.test(out), `${lang}.${path}${k}(): ${out}`);
              // every name or address the English text shows, the translation shows too
              const values = args.flatMap((a) =>
                a && typeof a === 'object' ? Object.values(a) : [a],
              );
              for (const value of values) {
                // names and addresses appear as they are; numbers are formatted per locale
                if (typeof value !== 'string') continue;
                const text = value;
                if (value === DETAILS.where || !english.includes(text)) continue;
                assert.ok(out.includes(text), `${lang}.${path}${k}() drops ${text}: ${out}`);
              }
              if (english.includes(DETAILS.where))
                assert.ok(
                  out.includes('Chrome') && out.includes('Linux'),
                  `${lang}.${path}${k}() drops where: ${out}`,
                );
            } else {
              assert.ok(typeof mine === 'string' && mine.trim(), `${lang}.${path}${k}`);
            }
          }
        };
        check(t, en as unknown as Table, '');
      });

      it('is a translation, not a copy of the English table', async () => {
        const t = (await SHIPPED[lang]!()).default as Translation;
        const texts = [...shape(en as unknown as Table)].filter(([, kind]) => kind === 'string');
        const same = texts.filter(([k]) => {
          const get = (x: unknown) => k.split('.').reduce((o, p) => (o as Table)?.[p], x);
          return get(t) === get(en) && !k.startsWith('$');
        });
        // a few words are the same in many languages (Video, Jitter, Camera…)
        assert.ok(
          same.length <= texts.length * 0.15,
          `${lang}: ${same.map(([k]) => k).join(', ')}`,
        );
      });

      it('formats numbers for its locale', async () => {
        const t = (await SHIPPED[lang]!()).default;
        const figures = t.testFigures(12, 3, 1.5);
        assert.ok(figures.includes(formatNumber(lang, 1.5, { minimumFractionDigits: 1 })), figures);
      });
    });
  }
});

describe('numbers and durations', () => {
  it('durations are clocks in the language’s digits', () => {
    assert.equal(formatDuration('en', 187), '3:07');
    assert.equal(formatDuration('de', 3723), '1:02:03');
    // CLDR gives Arabic Latin digits by default; a page can ask for Arabic-Indic ones
    assert.equal(
      formatDuration('ar', 187),
      `${formatNumber('ar', 3)}:${formatNumber('ar', 7, { minimumIntegerDigits: 2 })}`,
    );
    assert.equal(formatDuration('ar-u-nu-arab', 187), '٣:٠٧');
    assert.equal(formatDuration('en', -5), '0:00');
    assert.equal(formatDuration('en', Number.NaN), '0:00');
  });

  it('numbers use the locale’s separators; an invalid tag formats as English', () => {
    assert.equal(formatNumber('de', 1.5, { minimumFractionDigits: 1 }), '1,5');
    assert.equal(formatNumber('en', 1.5, { minimumFractionDigits: 1 }), '1.5');
    assert.equal(formatNumber('not a tag!', 1234), '1,234');
  });
});
