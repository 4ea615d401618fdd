import type { Locale } from './locales.js';

/**
 * Formatting for people: day-first dates with Gulf month names in Arabic, Latin digits in both
 * languages (codes, amounts and dates stay comparable across the two), money from minor units.
 */
const tags: Record<Locale, string> = { en: 'en-GB', ar: 'ar-BH-u-nu-latn' };

/**
 * Formatters are costly to build and pages format hundreds of values: each is built once, under a
 * key its caller names from the options that vary (cheaper than serialising the options per call).
 */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function dtf(locale: Locale, key: string, opts: () => Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const k = 'd' + locale + key;
  let f = cache.get(k) as Intl.DateTimeFormat | undefined;
  if (!f) cache.set(k, (f = new Intl.DateTimeFormat(tags[locale], opts())));
  return f;
}
function nf(locale: Locale, key: string, opts: () => Intl.NumberFormatOptions): Intl.NumberFormat {
  const k = 'n' + locale + key;
  let f = cache.get(k) as Intl.NumberFormat | undefined;
  if (!f) cache.set(k, (f = new Intl.NumberFormat(tags[locale], opts())));
  return f;
}

/** 'YYYY-MM-DD' → "5 Mar 2026" / "5 مارس 2026". */
export function formatDate(locale: Locale, iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? iso + 'T00:00:00Z' : iso);
  if (Number.isNaN(d.getTime())) return '';
  return dtf(locale, 'date', () => ({
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  })).format(d);
}

export function formatDateTime(
  locale: Locale,
  iso: string | null | undefined,
  timeZone = 'Asia/Bahrain',
): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return dtf(locale, 'dateTime' + timeZone, () => ({
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
  })).format(d);
}

export function formatNumber(locale: Locale, n: number | null | undefined, fractionDigits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '';
  return nf(locale, 'number' + fractionDigits, () => ({
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  })).format(n);
}

export function formatPercent(locale: Locale, pct: number | null | undefined): string {
  if (pct === null || pct === undefined || Number.isNaN(pct)) return '';
  return formatNumber(locale, Math.round(pct)) + '%';
}

/** Minor-unit exponent per currency (BHD, KWD, OMR, JOD have three decimals). */
const decimalsCache = new Map<string, number>();
export function currencyDecimals(currency: string): number {
  let d = decimalsCache.get(currency);
  if (d === undefined) {
    try {
      d =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      d = 2;
    }
    decimalsCache.set(currency, d);
  }
  return d;
}

export function formatMoney(locale: Locale, minor: number | null | undefined, currency: string): string {
  if (minor === null || minor === undefined) return '';
  const decimals = currencyDecimals(currency);
  const major = minor / 10 ** decimals;
  return nf(locale, 'money' + currency, () => ({
    style: 'currency',
    currency,
    currencyDisplay: locale === 'ar' ? 'name' : 'code',
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  })).format(major);
}

/** Parses a decimal amount typed by a person ("1,250.500") into exact minor units, or null. */
export function parseMoney(text: string, currency: string): number | null {
  const decimals = currencyDecimals(currency);
  const s = text.replace(/[,\s\u066C]/g, '').replace(/\u066B/g, '.');
  const m = /^(\d{1,13})(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  const frac = m[2] ?? '';
  if (frac.length > decimals) return null;
  return Number(m[1]) * 10 ** decimals + Number(frac.padEnd(decimals, '0') || '0');
}

/** Minor units → "1250.500" for an input field. */
export function moneyInputValue(minor: number | null | undefined, currency: string): string {
  if (minor === null || minor === undefined) return '';
  const decimals = currencyDecimals(currency);
  const neg = minor < 0;
  const abs = Math.abs(minor);
  const major = Math.floor(abs / 10 ** decimals);
  const frac = String(abs % 10 ** decimals).padStart(decimals, '0');
  return (neg ? '-' : '') + major + (decimals ? '.' + frac : '');
}
