import type { Direction } from './strategy.values.js';
import { addDays, daysBetween, type Period } from './strategy.periods.js';

/**
 * The rules of KPI status, trend and measurement lateness (see CONTEXT.md). Pure functions: values
 * are plain numbers (the scaled integers or their decimals, as long as one call uses one of them),
 * dates 'YYYY-MM-DD', today is an argument.
 */

export const KPI_STATUSES = ['on_track', 'at_risk', 'off_track', 'no_data'] as const;
export type KpiStatus = (typeof KPI_STATUSES)[number];

export const TRENDS = ['improving', 'stable', 'worsening', 'unknown'] as const;
export type Trend = (typeof TRENDS)[number];

export interface PathPoint {
  /** The day the value applies to (the baseline date, or a target period's last day). */
  date: string;
  value: number;
}

export interface StatusThresholds {
  /** Shortfall (percent of the distance to go) from which a KPI is at risk. */
  atRiskPct: number;
  /** Shortfall (percent of the distance to go) from which a KPI is off track. */
  offTrackPct: number;
}

/**
 * The target path: the baseline, then each target at the last day of its period, joined by
 * straight lines. The value expected on `date`: interpolated between the anchors around it; the
 * last target after the last anchor. Null without targets.
 */
export function expectedValue(baseline: PathPoint, targets: PathPoint[], date: string): number | null {
  const anchors = [baseline, ...[...targets].filter((t) => t.date > baseline.date).sort(byDate)];
  if (anchors.length < 2) return null;
  if (date <= baseline.date) return baseline.value;
  for (let i = 1; i < anchors.length; i++) {
    const a = anchors[i - 1];
    const b = anchors[i];
    if (date <= b.date) {
      const span = daysBetween(a.date, b.date);
      const part = daysBetween(a.date, date);
      return a.value + ((b.value - a.value) * part) / span;
    }
  }
  return anchors[anchors.length - 1].value;
}

function byDate(a: PathPoint, b: PathPoint): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

/** The target governing `date`: the first target on or after it, else the last one. */
export function periodTarget(baseline: PathPoint, targets: PathPoint[], date: string): PathPoint | null {
  const later = targets.filter((t) => t.date > baseline.date).sort(byDate);
  if (!later.length) return null;
  return later.find((t) => t.date >= date) ?? later[later.length - 1];
}

export interface StatusInput {
  direction: Direction;
  baseline: PathPoint;
  targets: PathPoint[];
  /** The latest measurement: its value and the last day of its period. */
  latest: PathPoint | null;
}

export interface StatusResult {
  status: KpiStatus;
  /** The value the path expects at the latest measurement's period end. */
  expected: number | null;
  /** The target governing that period. */
  target: PathPoint | null;
  /** How far behind the path, as a percentage of the distance to go (negative = ahead). */
  shortfallPct: number | null;
}

/**
 * On track / at risk / off track. The shortfall is how far the latest value is behind the path
 * (in the direction that is worse), as a share of the distance to go: |period target − baseline|.
 * shortfall < atRiskPct → on track; atRiskPct ≤ shortfall < offTrackPct → at risk; shortfall ≥
 * offTrackPct → off track. When the target equals the baseline (hold the line) the distance is
 * |target| (or 1 when that is 0 too). Without a measurement or a target: no data.
 */
export function kpiStatus(input: StatusInput, th: StatusThresholds): StatusResult {
  const { latest, baseline, targets, direction } = input;
  if (!latest) return { status: 'no_data', expected: null, target: null, shortfallPct: null };
  const target = periodTarget(baseline, targets, latest.date);
  const expected = expectedValue(baseline, targets, latest.date);
  if (!target || expected === null)
    return { status: 'no_data', expected: null, target: null, shortfallPct: null };
  const behind = direction === 'higher' ? expected - latest.value : latest.value - expected;
  const distance = Math.abs(target.value - baseline.value) || Math.abs(target.value) || 1;
  const shortfallPct = (behind / distance) * 100;
  // Rounded to 1e-9 so that a value exactly on a threshold is not pushed across it by float noise.
  const s = Math.round(shortfallPct * 1e9) / 1e9;
  const status: KpiStatus = s >= th.offTrackPct ? 'off_track' : s >= th.atRiskPct ? 'at_risk' : 'on_track';
  return { status, expected, target, shortfallPct: s };
}

/** How many of the latest measurements the trend looks at. */
export const TREND_WINDOW = 3;
/** A change smaller than this share (percent) of the scale is "stable". */
export const TREND_STABLE_PCT = 2;

/**
 * The trend over the last `TREND_WINDOW` measurements (oldest first): the least-squares slope per
 * period times the number of steps is the change over the window; compared with the scale (the
 * distance to go, or the largest value when there is none): below TREND_STABLE_PCT % it is
 * stable, otherwise improving when it moves in the KPI's good direction, worsening when not.
 * Fewer than two measurements: unknown.
 */
export function kpiTrend(values: number[], direction: Direction, scale: number): Trend {
  const v = values.slice(-TREND_WINDOW);
  if (v.length < 2) return 'unknown';
  const n = v.length;
  const meanX = (n - 1) / 2;
  const meanY = v.reduce((s, x) => s + x, 0) / n;
  let num = 0;
  let den = 0;
  v.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  const change = (num / den) * (n - 1);
  const base = Math.abs(scale) || Math.max(...v.map(Math.abs)) || 1;
  const pct = Math.round((Math.abs(change) / base) * 100 * 1e9) / 1e9;
  if (pct < TREND_STABLE_PCT) return 'stable';
  const good = direction === 'higher' ? change > 0 : change < 0;
  return good ? 'improving' : 'worsening';
}

export const PERIOD_STATES = ['recorded', 'recorded_late', 'open', 'due', 'late'] as const;
export type PeriodState = (typeof PERIOD_STATES)[number];

/** The day after which a period's measurement is late: its last day plus the allowed days. */
export function measurementDueDate(period: Pick<Period, 'end'>, lateDays: number): string {
  return addDays(period.end, lateDays);
}

/**
 * The state of one period of a manually measured KPI: open (not ended yet, nothing recorded),
 * due (ended, nothing recorded, still within the allowed days), late (nothing recorded and the
 * allowed days have passed), recorded, or recorded_late (the first value came after the due date).
 */
export function periodState(
  period: Pick<Period, 'end'>,
  firstRecordedOn: string | null,
  today: string,
  lateDays: number,
): PeriodState {
  const due = measurementDueDate(period, lateDays);
  if (firstRecordedOn) return firstRecordedOn > due ? 'recorded_late' : 'recorded';
  if (today <= period.end) return 'open';
  return today > due ? 'late' : 'due';
}
