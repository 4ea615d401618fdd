import type { Request } from 'express';
import type { Config } from '../../config.js';
import type { Db } from '../../db/knex.js';
import type { ExportColumn, ExportFormat } from '../../http/export.js';
import { listKpis, listObjectives, type Kpi } from './strategy.repository.js';
import { strategyLabels } from './strategy.format.js';
import { expectedValue, kpiStatus, type KpiStatus } from './strategy.rules.js';
import { loadSummaries } from './strategy.summary.js';
import { formatPlain, toNumber } from './strategy.values.js';
import type { Measurement } from './measurements.repository.js';

export interface ExportRow {
  kpi: Kpi;
  objectiveCode: string;
  m: Measurement;
  expected: number | null;
  status: KpiStatus;
}

/** The current value of every period of every KPI (or of one), with its target path value and status. */
export async function exportRows(
  db: Db,
  config: Config,
  today: string,
  kpiId?: number,
): Promise<ExportRow[]> {
  const [kpis, objectives] = await Promise.all([
    listKpis(db, kpiId ? { ids: [kpiId] } : {}),
    listObjectives(db),
  ]);
  const summaries = await loadSummaries(db, kpis, today, config.kpi);
  const codes = new Map(objectives.map((o) => [o.id, o.code]));
  const rows: ExportRow[] = [];
  for (const kpi of kpis) {
    const s = summaries.get(kpi.id)!;
    const baseline = { date: kpi.baselineDate, value: kpi.baselineValue };
    const path = s.targets.map((t) => ({ date: t.periodEnd, value: t.value }));
    for (const m of s.values) {
      const expected = expectedValue(baseline, path, m.periodEnd);
      rows.push({
        kpi,
        objectiveCode: codes.get(kpi.objectiveId) ?? '',
        m,
        expected: expected === null ? null : Math.round(expected),
        status: kpiStatus(
          {
            direction: kpi.direction,
            baseline,
            targets: path,
            latest: { date: m.periodEnd, value: m.value },
          },
          config.kpi,
        ).status,
      });
    }
  }
  return rows;
}

/**
 * Columns of the export in the reader's language. Values are exact: CSV gets the stored decimal
 * as written ("87.5"), XLSX a number cell.
 */
export function exportColumns(
  req: Request,
  _config: Config,
  format: ExportFormat,
): ExportColumn<ExportRow>[] {
  const t = req.t;
  const L = strategyLabels(t);
  const ar = req.locale === 'ar';
  const value = (scaled: number | null): string | number | null =>
    scaled === null ? null : format === 'csv' ? formatPlain(scaled) : toNumber(scaled);
  return [
    { header: t('strategy:export.objective'), value: (r) => r.objectiveCode, width: 10 },
    { header: t('strategy:export.kpiCode'), value: (r) => r.kpi.code, width: 12 },
    { header: t('strategy:export.kpi'), value: (r) => (ar ? r.kpi.nameAr : r.kpi.nameEn), width: 40 },
    { header: t('strategy:export.unit'), value: (r) => L.unit[r.kpi.unit], width: 14 },
    { header: t('strategy:export.period'), value: (r) => r.m.periodKey, width: 10 },
    { header: t('strategy:export.periodStart'), value: (r) => r.m.periodStart, type: 'date' },
    { header: t('strategy:export.periodEnd'), value: (r) => r.m.periodEnd, type: 'date' },
    {
      header: t('strategy:export.value'),
      value: (r) => value(r.m.value),
      type: format === 'csv' ? 'text' : 'number',
    },
    {
      header: t('strategy:export.expected'),
      value: (r) => value(r.expected),
      type: format === 'csv' ? 'text' : 'number',
    },
    { header: t('strategy:export.status'), value: (r) => L.status[r.status], width: 14 },
    {
      header: t('strategy:export.source'),
      value: (r) =>
        r.m.source === 'computed' ? t('strategy:measurements.computed') : t('strategy:measurements.manual'),
      width: 12,
    },
    { header: t('strategy:export.comment'), value: (r) => r.m.comment ?? '', width: 40 },
    {
      header: t('strategy:export.recordedBy'),
      value: (r) => (ar ? (r.m.recorderNameAr ?? '') : (r.m.recorderNameEn ?? '')),
      width: 24,
    },
    { header: t('strategy:export.recordedAt'), value: (r) => r.m.recordedAt, width: 24 },
  ];
}
