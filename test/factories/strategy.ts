import type { Conn } from '../../src/db/knex.js';
import { insertOne } from '../../src/db/util.js';
import { parsePeriodKey } from '../../src/modules/strategy/strategy.periods.js';
import { SCALE } from '../../src/modules/strategy/strategy.values.js';

/**
 * Factories for strategy alignment; each creates the parents it needs when not given
 * (buildKpi without an objective makes one, which makes a strategy). Values are given as
 * decimals and stored scaled (× 10 000).
 */
let seq = 0;
const now = () => new Date().toISOString();
type Over = Partial<Record<string, unknown>>;

export async function buildStrategy(db: Conn, o: Over = {}) {
  const n = ++seq;
  const id = await insertOne(db, 'strategies', {
    name_en: `Strategy ${n}`,
    name_ar: `استراتيجية ${n}`,
    start_year: 2016,
    end_year: 2026,
    created_at: now(),
    updated_at: now(),
    ...o,
  });
  return db('strategies').where({ id }).first();
}

export async function buildObjective(db: Conn, o: Over = {}) {
  const n = ++seq;
  const strategyId = (o.strategy_id as number | undefined) ?? (await buildStrategy(db)).id;
  const id = await insertOne(db, 'objectives', {
    code: `OBJ${n}-${process.pid % 1000}`,
    name_en: `Objective ${n}`,
    name_ar: `هدف ${n}`,
    sort_order: n,
    created_at: now(),
    updated_at: now(),
    ...o,
    strategy_id: strategyId,
  });
  return db('objectives').where({ id }).first();
}

export interface KpiOver extends Over {
  /** Decimal baseline value (stored scaled). */
  baseline?: number;
  /** Decimal targets by period key. */
  targets?: Record<string, number>;
}

export async function buildKpi(db: Conn, o: KpiOver = {}) {
  const n = ++seq;
  const { baseline = 50, targets = { '2025': 70, '2026': 80 }, ...rest } = o;
  const objectiveId = (rest.objective_id as number | undefined) ?? (await buildObjective(db)).id;
  const id = await insertOne(db, 'kpis', {
    code: `K${n}-${process.pid % 1000}`,
    name_en: `KPI ${n}`,
    name_ar: `مؤشر ${n}`,
    unit: 'percent',
    direction: 'higher',
    baseline_value: Math.round(baseline * SCALE),
    baseline_date: '2024-12-31',
    frequency: 'quarterly',
    computed: false,
    source_key: null,
    sort_order: n,
    created_at: now(),
    updated_at: now(),
    ...rest,
    objective_id: objectiveId,
  });
  for (const [key, value] of Object.entries(targets)) {
    const p = parsePeriodKey(key)!;
    await db('kpi_targets').insert({
      kpi_id: id,
      period_key: p.key,
      period_end: p.end,
      value: Math.round(value * SCALE),
      created_at: now(),
      updated_at: now(),
    });
  }
  return db('kpis').where({ id }).first();
}

export async function buildMeasurement(
  db: Conn,
  kpiId: number,
  periodKey: string,
  value: number,
  o: Over = {},
): Promise<number> {
  const p = parsePeriodKey(periodKey)!;
  return insertOne(db, 'kpi_measurements', {
    kpi_id: kpiId,
    period_key: p.key,
    period_start: p.start,
    period_end: p.end,
    value: Math.round(value * SCALE),
    source: 'manual',
    recorded_at: p.end + 'T10:00:00.000Z',
    ...o,
  });
}

export async function buildLink(
  db: Conn,
  objectiveId: number,
  target: { program_id?: number; project_id?: number },
) {
  return insertOne(db, 'objective_links', {
    objective_id: objectiveId,
    ...target,
    note_en: 'Contributes.',
    note_ar: 'يساهم.',
    created_at: now(),
    updated_at: now(),
  });
}

export async function buildReviewCycle(db: Conn, periodKey: string, o: Over = {}) {
  const id = await insertOne(db, 'review_cycles', {
    period_key: periodKey,
    status: 'open',
    opened_at: now(),
    ...o,
  });
  return db('review_cycles').where({ id }).first();
}
