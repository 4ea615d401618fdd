import type { Conn } from '../../db/knex.js';

/**
 * KPI measurements are append-only. The current value of a period is the row no other row
 * supersedes; a correction is a new row whose supersedes_id names the value it replaces.
 */
type Row = Record<string, unknown>;

export interface Measurement {
  id: number;
  kpiId: number;
  periodKey: string;
  periodStart: string;
  periodEnd: string;
  value: number;
  comment: string | null;
  source: 'manual' | 'computed';
  recordedBy: number | null;
  recorderNameEn: string | null;
  recorderNameAr: string | null;
  recordedAt: string;
  supersedesId: number | null;
  /** False for a value a later correction replaced. */
  current: boolean;
}

function toMeasurement(r: Row): Measurement {
  return {
    id: Number(r.id),
    kpiId: Number(r.kpi_id),
    periodKey: String(r.period_key),
    periodStart: String(r.period_start),
    periodEnd: String(r.period_end),
    value: Number(r.value),
    comment: (r.comment as string | null) ?? null,
    source: r.source as Measurement['source'],
    recordedBy: r.recorded_by === null || r.recorded_by === undefined ? null : Number(r.recorded_by),
    recorderNameEn: (r.recorder_name_en as string | null) ?? null,
    recorderNameAr: (r.recorder_name_ar as string | null) ?? null,
    recordedAt: String(r.recorded_at),
    supersedesId: r.supersedes_id === null || r.supersedes_id === undefined ? null : Number(r.supersedes_id),
    current: Number(r.superseded ?? 0) === 0,
  };
}

function withCurrentFlag(conn: Conn) {
  return conn('kpi_measurements as m')
    .leftJoin('users as mu', 'mu.id', 'm.recorded_by')
    .select(
      'm.*',
      'mu.name_en as recorder_name_en',
      'mu.name_ar as recorder_name_ar',
      conn.raw('(select count(*) from kpi_measurements n where n.supersedes_id = m.id) as superseded'),
    );
}

/** Current values of these KPIs, oldest period first. */
export async function listCurrentMeasurements(conn: Conn, kpiIds: number[]): Promise<Measurement[]> {
  if (!kpiIds.length) return [];
  const rows = await conn('kpi_measurements as m')
    .leftJoin('users as mu', 'mu.id', 'm.recorded_by')
    .select('m.*', 'mu.name_en as recorder_name_en', 'mu.name_ar as recorder_name_ar')
    .whereIn('m.kpi_id', kpiIds)
    .whereNotExists((q) => q.select(1).from('kpi_measurements as n').whereRaw('n.supersedes_id = m.id'))
    .orderBy(['m.kpi_id', 'm.period_end']);
  return rows.map(toMeasurement);
}

/** Every value of one KPI, corrections and the values they replaced, newest period and entry first. */
export async function listMeasurementHistory(conn: Conn, kpiId: number): Promise<Measurement[]> {
  const rows = await withCurrentFlag(conn)
    .where('m.kpi_id', kpiId)
    .orderBy([
      { column: 'm.period_end', order: 'desc' },
      { column: 'm.id', order: 'desc' },
    ]);
  return rows.map(toMeasurement);
}

export async function findCurrentMeasurement(
  conn: Conn,
  kpiId: number,
  periodKey: string,
): Promise<Measurement | undefined> {
  const r = await conn('kpi_measurements as m')
    .select('m.*')
    .where({ 'm.kpi_id': kpiId, 'm.period_key': periodKey })
    .whereNotExists((q) => q.select(1).from('kpi_measurements as n').whereRaw('n.supersedes_id = m.id'))
    .first();
  return r ? toMeasurement(r) : undefined;
}

/** When each period of these KPIs first got a value ('YYYY-MM-DD' of the first entry). */
export async function firstRecordedOn(
  conn: Conn,
  kpiIds: number[],
): Promise<Map<number, Map<string, string>>> {
  const out = new Map<number, Map<string, string>>();
  if (!kpiIds.length) return out;
  const rows = await conn('kpi_measurements')
    .select('kpi_id', 'period_key')
    .min({ first: 'recorded_at' })
    .whereIn('kpi_id', kpiIds)
    .groupBy('kpi_id', 'period_key');
  for (const r of rows as Row[]) {
    const k = Number(r.kpi_id);
    if (!out.has(k)) out.set(k, new Map());
    out.get(k)!.set(String(r.period_key), String(r.first).slice(0, 10));
  }
  return out;
}

export async function countMeasurements(
  conn: Conn,
  kpiId: number,
): Promise<{ total: number; firstEnd: string | null }> {
  const r = (await conn('kpi_measurements')
    .where({ kpi_id: kpiId })
    .count({ n: '*' })
    .min({ firstEnd: 'period_end' })
    .first()) as Row | undefined;
  return { total: Number(r?.n ?? 0), firstEnd: (r?.firstEnd as string | null) ?? null };
}

/** True when a unique index refused the insert (two people recording the same period at once). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}
