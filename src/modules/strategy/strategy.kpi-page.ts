import type { Config } from '../../config.js';
import type { Locale } from '../../i18n/locales.js';
import { buildChart, type ChartModel } from './strategy.chart.js';
import type { KpiFormat } from './strategy.format.js';
import type { Kpi } from './strategy.repository.js';
import { expectedValue, kpiStatus, type KpiStatus } from './strategy.rules.js';
import type { KpiSummary } from './strategy.summary.js';
import { SCALE, toNumber } from './strategy.values.js';

export interface KpiChartView {
  model: ChartModel;
  /** The chart's data as a table (its accessible alternative): one row per measured period. */
  rows: { period: string; value: string; expected: string; status: KpiStatus }[];
}

/** The KPI page's chart: measured values against the target path, and the same data as a table. */
export function kpiChart(
  kpi: Kpi,
  s: KpiSummary,
  kf: KpiFormat,
  locale: Locale,
  th: Config['kpi'],
): KpiChartView {
  const baseline = { date: kpi.baselineDate, value: kpi.baselineValue };
  const path = s.targets.map((t) => ({ date: t.periodEnd, value: t.value }));
  const model = buildChart({
    values: s.values.map((v) => ({
      date: v.periodEnd,
      value: toNumber(v.value),
      label: kf.period(v.periodKey),
    })),
    path: path.length ? [baseline, ...path].map((p) => ({ date: p.date, value: toNumber(p.value) })) : [],
    rtl: locale === 'ar',
    formatValue: (n) => kf.value(Math.round(n * SCALE), kpi.unit),
    formatTick: (n) => kf.number(Math.round(n * SCALE), kpi.unit) + (kpi.unit === 'percent' ? '%' : ''),
    tickLabel: (date, kind) =>
      kind === 'year'
        ? date.slice(0, 4)
        : kf.period(`${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`),
    bounds: kpi.unit === 'percent' ? { min: 0, max: 100 } : { min: 0 },
  });
  const rows = s.values.map((v) => {
    const expected = expectedValue(baseline, path, v.periodEnd);
    const status = kpiStatus(
      { direction: kpi.direction, baseline, targets: path, latest: { date: v.periodEnd, value: v.value } },
      th,
    ).status;
    return {
      period: kf.period(v.periodKey),
      value: kf.value(v.value, kpi.unit),
      expected: expected === null ? '' : kf.value(Math.round(expected), kpi.unit),
      status,
    };
  });
  return { model, rows: rows.reverse() };
}
