/**
 * Measurement periods. A period key names a calendar period: `2026` (a year), `2026-Q1` (a
 * quarter), `2026-M03` (a month). A KPI's frequency decides which kind its measurements use.
 * Pure functions on 'YYYY-MM-DD' strings; no clock.
 */
export const FREQUENCIES = ['monthly', 'quarterly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export interface Period {
  key: string;
  frequency: Frequency;
  year: number;
  /** Month 1–12, quarter 1–4, or 1 for a year. */
  index: number;
  start: string;
  end: string;
}

const YEAR = /^(\d{4})$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const MONTH = /^(\d{4})-M(0[1-9]|1[0-2])$/;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function build(frequency: Frequency, year: number, index: number): Period {
  if (frequency === 'yearly')
    return { key: String(year), frequency, year, index: 1, start: `${year}-01-01`, end: `${year}-12-31` };
  if (frequency === 'quarterly') {
    const m1 = (index - 1) * 3 + 1;
    const m3 = m1 + 2;
    return {
      key: `${year}-Q${index}`,
      frequency,
      year,
      index,
      start: `${year}-${pad(m1)}-01`,
      end: `${year}-${pad(m3)}-${pad(lastDayOfMonth(year, m3))}`,
    };
  }
  return {
    key: `${year}-M${pad(index)}`,
    frequency,
    year,
    index,
    start: `${year}-${pad(index)}-01`,
    end: `${year}-${pad(index)}-${pad(lastDayOfMonth(year, index))}`,
  };
}

/** The period a key names (any frequency), or null when the key is not a period. */
export function parsePeriodKey(key: string | null | undefined): Period | null {
  if (typeof key !== 'string') return null;
  const k = key.trim().toUpperCase();
  let m = YEAR.exec(k);
  if (m) return inRange(Number(m[1])) ? build('yearly', Number(m[1]), 1) : null;
  m = QUARTER.exec(k);
  if (m) return inRange(Number(m[1])) ? build('quarterly', Number(m[1]), Number(m[2])) : null;
  m = MONTH.exec(k);
  if (m) return inRange(Number(m[1])) ? build('monthly', Number(m[1]), Number(m[2])) : null;
  return null;
}

function inRange(year: number): boolean {
  return year >= 1990 && year <= 2100;
}

/** The period of this frequency that contains the day. */
export function periodOf(frequency: Frequency, day: string): Period {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  if (frequency === 'yearly') return build('yearly', year, 1);
  if (frequency === 'quarterly') return build('quarterly', year, Math.floor((month - 1) / 3) + 1);
  return build('monthly', year, month);
}

/** The period after this one. */
export function nextPeriod(p: Period): Period {
  const count = p.frequency === 'yearly' ? 1 : p.frequency === 'quarterly' ? 4 : 12;
  return p.index < count ? build(p.frequency, p.year, p.index + 1) : build(p.frequency, p.year + 1, 1);
}

/** The period before this one. */
export function previousPeriod(p: Period): Period {
  const count = p.frequency === 'yearly' ? 1 : p.frequency === 'quarterly' ? 4 : 12;
  return p.index > 1 ? build(p.frequency, p.year, p.index - 1) : build(p.frequency, p.year - 1, count);
}

/**
 * The periods a KPI is measured in: from the first one ending after the baseline date up to the
 * one containing `until`, oldest first; at most `limit` (the most recent ones).
 */
export function periodsBetween(
  frequency: Frequency,
  baselineDate: string,
  until: string,
  limit = 240,
): Period[] {
  const out: Period[] = [];
  let p = periodOf(frequency, baselineDate);
  if (p.end <= baselineDate) p = nextPeriod(p);
  while (p.start <= until) {
    out.push(p);
    if (out.length > limit) out.shift();
    p = nextPeriod(p);
  }
  return out;
}

/** Whole days from a to b ('YYYY-MM-DD'); positive when b is later. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86_400_000);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(day + 'T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);
}

export type PeriodProblem = 'invalid' | 'frequency' | 'future' | 'beforeBaseline';

/**
 * Why a KPI cannot take a measurement for this key, or null when it can: the key must name a
 * period of the KPI's frequency, that period must have started by today, and it must end after
 * the baseline date (the baseline is the measurement of the period it falls in).
 */
export function periodProblem(
  key: string,
  frequency: Frequency,
  baselineDate: string,
  today: string,
): { problem: PeriodProblem; period: Period | null } | null {
  const p = parsePeriodKey(key);
  if (!p) return { problem: 'invalid', period: null };
  if (p.frequency !== frequency) return { problem: 'frequency', period: p };
  if (p.start > today) return { problem: 'future', period: p };
  if (p.end <= baselineDate) return { problem: 'beforeBaseline', period: p };
  return null;
}
