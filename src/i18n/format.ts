/** Numbers and durations formatted for a language (the digits and separators of its locale). */

const numberFormats = new Map<string, Intl.NumberFormat>();

/** `value` with `Intl.NumberFormat(lang, options)`; an unknown language tag formats as English. */
export function formatNumber(
  lang: string,
  value: number,
  options: Intl.NumberFormatOptions = {},
): string {
  const key = `${lang}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(lang, options);
    } catch {
      format = new Intl.NumberFormat('en', options);
    }
    numberFormats.set(key, format);
  }
  return format.format(value);
}

/**
 * A duration as a clock, `m:ss` below an hour and `h:mm:ss` above, in the language's digits
 * (`٣:٠٧` for `lang="ar-u-nu-arab"`). Negative or non-finite values show as 0:00.
 */
export function formatDuration(lang: string, seconds: number): string {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = { minimumIntegerDigits: 2, useGrouping: false };
  const n = (v: number, o: Intl.NumberFormatOptions = { useGrouping: false }) =>
    formatNumber(lang, v, o);
  return h ? `${n(h)}:${n(m, two)}:${n(s, two)}` : `${n(m)}:${n(s, two)}`;
}
