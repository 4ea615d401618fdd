import type { Config } from '../../config.js';
import type { Conn } from '../../db/knex.js';
import { firstRecordedOn, listCurrentMeasurements, type Measurement } from './measurements.repository.js';
import { periodsBetween, type Period } from './strategy.periods.js';
import { listTargets, type Kpi, type Target } from './strategy.repository.js';
import {
  kpiStatus,
  kpiTrend,
  measurementDueDate,
  periodState,
  type KpiStatus,
  type PeriodState,
  type StatusResult,
  type Trend,
} from './strategy.rules.js';

/** What a page shows about a KPI: its latest value, status, trend, and what is due or late. */
export interface KpiSummary {
  kpi: Kpi;
  targets: Target[];
  /** Current values, oldest period first. */
  values: Measurement[];
  latest: Measurement | null;
  status: StatusResult;
  trend: Trend;
  /** The most recent period that has ended and still has no value (manual KPIs), with its state. */
  missing: { period: Period; state: Extract<PeriodState, 'due' | 'late'>; dueDate: string } | null;
  /** How many ended periods have no value and are past their due date. */
  latePeriods: number;
  /** State of each period since the baseline (manual KPIs), newest first, at most 24. */
  periods: { period: Period; state: PeriodState; dueDate: string; value: Measurement | null }[];
}

/** Worst first: the order used to roll KPIs up to an objective and to sort lists. */
export const STATUS_RANK: Record<KpiStatus, number> = { off_track: 0, at_risk: 1, on_track: 2, no_data: 3 };

export function summarise(
  kpi: Kpi,
  targets: Target[],
  values: Measurement[],
  firstOn: Map<string, string> | undefined,
  today: string,
  th: Config['kpi'],
): KpiSummary {
  const latest = values.length ? values[values.length - 1] : null;
  const baseline = { date: kpi.baselineDate, value: kpi.baselineValue };
  const path = targets.map((t) => ({ date: t.periodEnd, value: t.value }));
  const status = kpiStatus(
    {
      direction: kpi.direction,
      baseline,
      targets: path,
      latest: latest ? { date: latest.periodEnd, value: latest.value } : null,
    },
    th,
  );
  const scale = status.target ? Math.abs(status.target.value - kpi.baselineValue) : 0;
  const trend = kpiTrend(
    values.map((v) => v.value),
    kpi.direction,
    scale,
  );
  const byKey = new Map(values.map((v) => [v.periodKey, v]));
  const periods: KpiSummary['periods'] = [];
  let missing: KpiSummary['missing'] = null;
  let latePeriods = 0;
  const all = periodsBetween(kpi.frequency, kpi.baselineDate, today, 120);
  for (let i = all.length - 1; i >= 0; i--) {
    const p = all[i];
    const state = periodState(p, firstOn?.get(p.key) ?? null, today, th.lateDays);
    const dueDate = measurementDueDate(p, th.lateDays);
    if (!kpi.computed && (state === 'due' || state === 'late')) {
      if (!missing) missing = { period: p, state, dueDate };
      if (state === 'late') latePeriods++;
    }
    if (periods.length < 24) periods.push({ period: p, state, dueDate, value: byKey.get(p.key) ?? null });
  }
  return { kpi, targets, values, latest, status, trend, missing, latePeriods, periods };
}

/** Summaries of these KPIs: three queries whatever their number. */
export async function loadSummaries(
  conn: Conn,
  kpis: Kpi[],
  today: string,
  th: Config['kpi'],
): Promise<Map<number, KpiSummary>> {
  const ids = kpis.map((k) => k.id);
  // One after the other: conn may be a transaction (one connection).
  const targets = await listTargets(conn, ids);
  const values = await listCurrentMeasurements(conn, ids);
  const firstOn = await firstRecordedOn(conn, ids);
  const tBy = group(targets, (t) => t.kpiId);
  const vBy = group(values, (v) => v.kpiId);
  const out = new Map<number, KpiSummary>();
  for (const k of kpis)
    out.set(k.id, summarise(k, tBy.get(k.id) ?? [], vBy.get(k.id) ?? [], firstOn.get(k.id), today, th));
  return out;
}

export function group<T>(items: T[], key: (t: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  }
  return m;
}

/** An objective's status: the worst status of its KPIs that have data (no data when none has). */
export function rollUp(statuses: KpiStatus[]): KpiStatus {
  const withData = statuses.filter((s) => s !== 'no_data');
  if (!withData.length) return 'no_data';
  return withData.sort((a, b) => STATUS_RANK[a] - STATUS_RANK[b])[0];
}
