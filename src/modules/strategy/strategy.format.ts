import type { T } from '../../i18n/index.js';
import { formatNumber } from '../../i18n/format.js';
import type { Locale } from '../../i18n/locales.js';
import type { ComputedSource } from './computed.sources.js';
import { parsePeriodKey, type Frequency } from './strategy.periods.js';
import type { KpiStatus, PeriodState, Trend } from './strategy.rules.js';
import { displayDecimals, SCALE, type Direction, type Unit } from './strategy.values.js';

/**
 * How strategy words and values read in the user's language. Every label key is written out here
 * (not built from strings) so the catalogue check sees each one.
 */
export function strategyLabels(t: T) {
  const status: Record<KpiStatus, string> = {
    on_track: t('strategy:status.on_track'),
    at_risk: t('strategy:status.at_risk'),
    off_track: t('strategy:status.off_track'),
    no_data: t('strategy:status.no_data'),
  };
  const trend: Record<Trend, string> = {
    improving: t('strategy:trend.improving'),
    stable: t('strategy:trend.stable'),
    worsening: t('strategy:trend.worsening'),
    unknown: t('strategy:trend.unknown'),
  };
  const unit: Record<Unit, string> = {
    percent: t('strategy:units.percent'),
    count: t('strategy:units.count'),
    currency: t('strategy:units.currency'),
    days: t('strategy:units.days'),
    score: t('strategy:units.score'),
  };
  const direction: Record<Direction, string> = {
    higher: t('strategy:direction.higher'),
    lower: t('strategy:direction.lower'),
  };
  const frequency: Record<Frequency, string> = {
    monthly: t('strategy:frequency.monthly'),
    quarterly: t('strategy:frequency.quarterly'),
    yearly: t('strategy:frequency.yearly'),
  };
  const periodState: Record<PeriodState, string> = {
    recorded: t('strategy:periodState.recorded'),
    recorded_late: t('strategy:periodState.recorded_late'),
    open: t('strategy:periodState.open'),
    due: t('strategy:periodState.due'),
    late: t('strategy:periodState.late'),
  };
  const source: Record<ComputedSource, string> = {
    milestones_on_schedule: t('strategy:sources.milestones_on_schedule'),
    approvals_within_sla: t('strategy:sources.approvals_within_sla'),
    approval_cycle_days: t('strategy:sources.approval_cycle_days'),
    documents_filed: t('strategy:sources.documents_filed'),
    pdf_pages_filed: t('strategy:sources.pdf_pages_filed'),
  };
  const valueHint: Record<Unit, string> = {
    percent: t('strategy:measurements.valueHint.percent'),
    count: t('strategy:measurements.valueHint.count'),
    currency: t('strategy:measurements.valueHint.currency'),
    days: t('strategy:measurements.valueHint.days'),
    score: t('strategy:measurements.valueHint.score'),
  };
  const reviewStatus = { open: t('strategy:reviews.statusOpen'), closed: t('strategy:reviews.statusClosed') };
  const actionStatus = { open: t('strategy:reviews.actionOpen'), done: t('strategy:reviews.actionDone') };
  return {
    status,
    trend,
    unit,
    direction,
    frequency,
    periodState,
    source,
    valueHint,
    reviewStatus,
    actionStatus,
  };
}

export type StrategyLabels = ReturnType<typeof strategyLabels>;

const TAGS: Record<Locale, string> = { en: 'en-GB', ar: 'ar-BH-u-nu-latn' };

/** Formats KPI values and period keys for one reader. */
export function kpiFormat(t: T, locale: Locale, currency: string) {
  const monthFmt = new Intl.DateTimeFormat(TAGS[locale], {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const quarter = (q: number, year: number) =>
    [
      () => t('strategy:periods.q1', { year }),
      () => t('strategy:periods.q2', { year }),
      () => t('strategy:periods.q3', { year }),
      () => t('strategy:periods.q4', { year }),
    ][q - 1]();
  /** A plain number of the value (scaled integer) with the decimals it needs. */
  const number = (scaled: number, unit: Unit, decimals?: number) =>
    formatNumber(locale, scaled / SCALE, decimals ?? displayDecimals(scaled, unit));

  return {
    number,
    /**
     * A value isolated inside a sentence (Unicode first-strong isolate), so "77.5%" keeps its order
     * in an Arabic sentence and "21 يوم" reads right to left.
     */
    iso: (text: string) => '\u2068' + text + '\u2069',
    /** A value with its unit: "87.5%", "12,400", "BHD 1,250.000", "4.5 days". */
    value(scaled: number | null | undefined, unit: Unit): string {
      if (scaled === null || scaled === undefined) return '';
      switch (unit) {
        case 'percent':
          return number(scaled, unit) + '%';
        case 'currency':
          return new Intl.NumberFormat(TAGS[locale], {
            style: 'currency',
            currency,
            currencyDisplay: locale === 'ar' ? 'name' : 'code',
          }).format(scaled / SCALE);
        case 'days':
          return t('strategy:units.daysValue', { value: number(scaled, unit) });
        default:
          return number(scaled, unit);
      }
    },
    /** "Mar 2026", "Q1 2026" / "الربع الأول 2026", "2026". */
    period(key: string | null | undefined): string {
      const p = parsePeriodKey(key);
      if (!p) return key ?? '';
      if (p.frequency === 'yearly') return String(p.year);
      if (p.frequency === 'quarterly') return quarter(p.index, p.year);
      return monthFmt.format(new Date(p.start + 'T00:00:00Z'));
    },
  };
}

export type KpiFormat = ReturnType<typeof kpiFormat>;
