/**
 * KPI values are exact decimals held as integers scaled by 10 000 (four decimal places): 87.5 %
 * is 875000, 12 documents are 120000. Parsing and formatting go through strings, never through
 * floating-point arithmetic, so what a person types is what is stored and shown.
 */
export const SCALE = 10_000;
export const SCALE_DIGITS = 4;

export const UNITS = ['percent', 'count', 'currency', 'days', 'score'] as const;
export type Unit = (typeof UNITS)[number];

export const DIRECTIONS = ['higher', 'lower'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export interface UnitRule {
  /** Decimals a person may type. */
  decimals: number;
  /** Largest value allowed (scaled), if any. */
  max?: number;
}

/** What each unit allows; no unit allows negative values. */
export const UNIT_RULES: Record<Unit, UnitRule> = {
  percent: { decimals: 2, max: 100 * SCALE },
  count: { decimals: 0 },
  currency: { decimals: 3 },
  days: { decimals: 2 },
  score: { decimals: 2 },
};

export type ParseResult =
  { ok: true; value: number } | { ok: false; key: string; params?: Record<string, unknown> };

const ARABIC_INDIC = /[\u0660-\u0669\u06F0-\u06F9]/g;

/** Normalises digits and separators a person may type in Arabic (٠١٢, ٫ decimal, ٬ grouping). */
function normalise(text: string): string {
  return text
    .trim()
    .replace(ARABIC_INDIC, (d) => String((d.charCodeAt(0) & 0xf) % 10))
    .replace(/\u066B/g, '.')
    .replace(/[,\s\u066C]/g, '');
}

/**
 * A value typed for a KPI of this unit, as a scaled integer, or the message key saying why not
 * (text, a negative value, a percentage above 100, too many decimals).
 */
export function parseValue(text: string | undefined | null, unit: Unit): ParseResult {
  if (text === undefined || text === null || text.trim() === '')
    return { ok: false, key: 'validation:required' };
  const s = normalise(text);
  if (/^[-\u2212]\d/.test(s)) return { ok: false, key: 'strategy:values.negative' };
  // At most 11 whole digits: the scaled integer stays exact as a JavaScript number.
  const m = /^(\d{1,11})(?:\.(\d+))?$/.exec(s);
  if (!m) {
    return /^\d{12,}(\.\d+)?$/.test(s)
      ? { ok: false, key: 'strategy:values.tooLarge' }
      : { ok: false, key: 'strategy:values.notNumber' };
  }
  const rule = UNIT_RULES[unit];
  const frac = m[2] ?? '';
  if (frac.length > rule.decimals) {
    return rule.decimals === 0
      ? { ok: false, key: 'strategy:values.wholeNumber' }
      : { ok: false, key: 'strategy:values.decimals', params: { decimals: rule.decimals } };
  }
  const value = Number(m[1]) * SCALE + Number(frac.padEnd(SCALE_DIGITS, '0') || '0');
  if (rule.max !== undefined && value > rule.max) {
    return unit === 'percent'
      ? { ok: false, key: 'strategy:values.percentRange' }
      : { ok: false, key: 'validation:tooBig', params: { max: formatPlain(rule.max) } };
  }
  return { ok: true, value };
}

/** A scaled integer written as a plain decimal ("87.5", "12"), trailing zeros dropped: for inputs and CSV. */
export function formatPlain(scaled: number | null | undefined): string {
  if (scaled === null || scaled === undefined) return '';
  const neg = scaled < 0;
  const abs = Math.abs(Math.round(scaled));
  const whole = Math.floor(abs / SCALE);
  const frac = String(abs % SCALE)
    .padStart(SCALE_DIGITS, '0')
    .replace(/0+$/, '');
  return (neg ? '-' : '') + whole + (frac ? '.' + frac : '');
}

/** A scaled integer as a JavaScript number (for charts and status arithmetic only, never stored). */
export function toNumber(scaled: number): number {
  return scaled / SCALE;
}

/** A computed (real) number rounded half away from zero to the storage scale. */
export function fromNumber(n: number): number {
  const sign = n < 0 ? -1 : 1;
  return sign * Math.round(Math.abs(n) * SCALE + 1e-7);
}

/** Exact ratio num/den as a percentage, scaled (rounded half up to four decimals), without float drift. */
export function percentScaled(num: number, den: number): number {
  if (den <= 0) throw new RangeError('denominator must be positive');
  // num * 100 * SCALE / den, rounded half up, in integer arithmetic (BigInt: counts can be large).
  const n = BigInt(num) * 100n * BigInt(SCALE) * 2n + BigInt(den);
  return Number(n / (2n * BigInt(den)));
}

/** Decimals to show for a value of this unit (the typed precision, trailing zeros trimmed up to it). */
export function displayDecimals(scaled: number, unit: Unit): number {
  const max = Math.max(UNIT_RULES[unit].decimals, unit === 'count' ? 0 : 1);
  const frac = formatPlain(scaled).split('.')[1] ?? '';
  return Math.min(frac.length, max);
}
