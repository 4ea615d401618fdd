import type { Conn, Db } from '../../db/knex.js';
import { audit } from '../audit/audit.service.js';
import { isUniqueViolation, listCurrentMeasurements } from './measurements.repository.js';
import { addDays, periodOf, periodsBetween, type Frequency, type Period } from './strategy.periods.js';
import { listKpis, type Kpi } from './strategy.repository.js';
import { fromNumber, percentScaled, SCALE } from './strategy.values.js';
import { isComputedSource, type ComputedSource } from './computed.sources.js';

/**
 * The formulas of the computed KPIs and the job that writes their values. Each formula reads
 * Masar's own tables for a run of periods in one query and returns a scaled value per period, or
 * null when the period has nothing to measure (no completed milestone, no decided step…). A table
 * that does not exist yet (a feature not installed) means no data. Periods are calendar periods in
 * UTC: a timestamp counts in the period its UTC date falls in.
 */
type Row = Record<string, unknown>;
export type PeriodValues = Map<string, number | null>;

function bucket(periods: Period[], day: string): string | null {
  if (!periods.length) return null;
  const p = periodOf(periods[0].frequency, day);
  return p.start >= periods[0].start && p.end <= periods[periods.length - 1].end ? p.key : null;
}

function emptyValues(periods: Period[]): PeriodValues {
  return new Map(periods.map((p) => [p.key, null]));
}

/** [first day, day after the last day) of a run of periods, for timestamp columns. */
function span(periods: Period[]): [string, string] {
  return [periods[0].start, addDays(periods[periods.length - 1].end, 1)];
}

/** Milestones completed in the period with actual date ≤ planned date, over all completed in it. */
async function milestonesOnSchedule(conn: Conn, periods: Period[]): Promise<PeriodValues> {
  const out = emptyValues(periods);
  const rows = (await conn('milestones')
    .select('actual_date', 'planned_date')
    .where('status', 'completed')
    .whereNotNull('actual_date')
    .whereBetween('actual_date', [periods[0].start, periods[periods.length - 1].end])) as Row[];
  const tally = new Map<string, [number, number]>();
  for (const r of rows) {
    const key = bucket(periods, String(r.actual_date));
    if (!key) continue;
    const t = tally.get(key) ?? [0, 0];
    t[1]++;
    if (String(r.actual_date) <= String(r.planned_date)) t[0]++;
    tally.set(key, t);
  }
  for (const [k, [onTime, all]] of tally) out.set(k, percentScaled(onTime, all));
  return out;
}

/** Approval steps decided in the period by their due time, over all steps decided in it that had one. */
async function approvalsWithinSla(conn: Conn, periods: Period[]): Promise<PeriodValues> {
  const out = emptyValues(periods);
  if (!(await conn.schema.hasTable('approval_steps'))) return out;
  const [from, to] = span(periods);
  const rows = (await conn('approval_steps')
    .select('decided_at', 'due_at')
    .whereIn('status', ['approved', 'rejected', 'returned'])
    .whereNotNull('due_at')
    .where('decided_at', '>=', from)
    .where('decided_at', '<', to)) as Row[];
  const tally = new Map<string, [number, number]>();
  for (const r of rows) {
    const key = bucket(periods, String(r.decided_at).slice(0, 10));
    if (!key) continue;
    const t = tally.get(key) ?? [0, 0];
    t[1]++;
    if (Date.parse(String(r.decided_at)) <= Date.parse(String(r.due_at))) t[0]++;
    tally.set(key, t);
  }
  for (const [k, [within, all]] of tally) out.set(k, percentScaled(within, all));
  return out;
}

/** The median of a list of numbers (the mean of the two middle ones for an even count). */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median days from submission to decision of the requests approved or rejected in the period. */
async function approvalCycleDays(conn: Conn, periods: Period[]): Promise<PeriodValues> {
  const out = emptyValues(periods);
  if (!(await conn.schema.hasTable('approval_requests'))) return out;
  const [from, to] = span(periods);
  const rows = (await conn('approval_requests')
    .select('submitted_at', 'decided_at')
    .whereIn('status', ['approved', 'rejected'])
    .where('decided_at', '>=', from)
    .where('decided_at', '<', to)) as Row[];
  const days = new Map<string, number[]>();
  for (const r of rows) {
    const key = bucket(periods, String(r.decided_at).slice(0, 10));
    if (!key) continue;
    const d = (Date.parse(String(r.decided_at)) - Date.parse(String(r.submitted_at))) / 86_400_000;
    if (!Number.isFinite(d) || d < 0) continue;
    days.set(key, [...(days.get(key) ?? []), d]);
  }
  for (const [k, list] of days) out.set(k, fromNumber(median(list)!));
  return out;
}

/** Document versions filed in the period (count), or the PDF pages they hold (sum of page_count). */
async function documentsFiled(conn: Conn, periods: Period[], pages: boolean): Promise<PeriodValues> {
  const out = emptyValues(periods);
  if (!(await conn.schema.hasTable('document_versions'))) return out;
  const [from, to] = span(periods);
  const rows = (await conn('document_versions')
    .select('uploaded_at', 'page_count')
    .where('uploaded_at', '>=', from)
    .where('uploaded_at', '<', to)) as Row[];
  const first = (await conn('document_versions').min({ at: 'uploaded_at' }).first()) as Row | undefined;
  const since = first?.at ? String(first.at).slice(0, 10) : null;
  if (!since) return out;
  // Nothing filed in a period is a measurement of 0, from the period of the first document ever
  // filed in Masar; the periods before it have no data (Masar was not in use yet).
  const sums = new Map<string, number>(periods.filter((p) => p.end >= since).map((p) => [p.key, 0]));
  for (const r of rows) {
    const key = bucket(periods, String(r.uploaded_at).slice(0, 10));
    if (!key) continue;
    sums.set(key, (sums.get(key) ?? 0) + (pages ? Number(r.page_count ?? 0) : 1));
  }
  for (const [k, n] of sums) out.set(k, n * SCALE);
  return out;
}

/** The value of a computed source for each of a run of consecutive periods (one frequency). */
export async function computeSource(
  conn: Conn,
  source: ComputedSource,
  periods: Period[],
): Promise<PeriodValues> {
  if (!periods.length) return new Map();
  switch (source) {
    case 'milestones_on_schedule':
      return milestonesOnSchedule(conn, periods);
    case 'approvals_within_sla':
      return approvalsWithinSla(conn, periods);
    case 'approval_cycle_days':
      return approvalCycleDays(conn, periods);
    case 'documents_filed':
      return documentsFiled(conn, periods, false);
    case 'pdf_pages_filed':
      return documentsFiled(conn, periods, true);
  }
}

/** The periods a computed KPI gets values for: since its baseline, those that have ended by today. */
export function computablePeriods(frequency: Frequency, baselineDate: string, today: string): Period[] {
  return periodsBetween(frequency, baselineDate, today, 120).filter((p) => p.end < today);
}

/**
 * Writes the values of computed KPIs for every ended period: a period without a value gets one; a
 * period whose value changed (data corrected since) gets a new row superseding the old one, so the
 * history stays; an unchanged period is left alone — running it twice writes nothing. One
 * transaction per KPI; returns the number of rows written.
 */
export async function generateComputedMeasurements(
  db: Db,
  now: Date,
  filter: { kpiIds?: number[] } = {},
): Promise<number> {
  const today = now.toISOString().slice(0, 10);
  const kpis = (await listKpis(db, filter.kpiIds ? { ids: filter.kpiIds } : {})).filter(
    (k) => k.computed && isComputedSource(k.sourceKey),
  );
  let written = 0;
  for (const kpi of kpis) {
    try {
      written += await generateForKpi(db, kpi, today, now.toISOString());
    } catch (err) {
      // Another process wrote the same period at the same moment: its value stands.
      if (!isUniqueViolation(err)) throw err;
    }
  }
  return written;
}

async function generateForKpi(db: Db, kpi: Kpi, today: string, at: string): Promise<number> {
  const periods = computablePeriods(kpi.frequency, kpi.baselineDate, today);
  if (!periods.length) return 0;
  const values = await computeSource(db, kpi.sourceKey as ComputedSource, periods);
  return db.transaction(async (trx) => {
    const changes: { period: string; before: number | null; after: number }[] = [];
    const currentByPeriod = new Map(
      (await listCurrentMeasurements(trx, [kpi.id])).map((m) => [m.periodKey, m]),
    );
    for (const p of periods) {
      const value = values.get(p.key);
      if (value === null || value === undefined) continue;
      const current = currentByPeriod.get(p.key);
      if (current && current.value === value) continue;
      await trx('kpi_measurements').insert({
        kpi_id: kpi.id,
        period_key: p.key,
        period_start: p.start,
        period_end: p.end,
        value,
        comment: null,
        source: 'computed',
        recorded_by: null,
        recorded_at: at,
        supersedes_id: current?.id ?? null,
      });
      changes.push({ period: p.key, before: current?.value ?? null, after: value });
    }
    if (changes.length) {
      await audit(
        trx,
        null,
        { action: 'kpi.compute', entity: 'kpi', entityId: kpi.id, after: { changes } },
        at,
      );
    }
    return changes.length;
  });
}
