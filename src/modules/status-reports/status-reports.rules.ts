/**
 * Pure status-report rules, on top of the reporting periods of portfolio.rules (reportPeriod,
 * reportDueState). No database, no clock: "today" is an argument. Words in CONTEXT.md.
 */
import { addDays, daysBetween, reportPeriod, type ReportFrequency } from '../portfolio/portfolio.rules.js';

export const RAGS = ['green', 'amber', 'red'] as const;
export const RAG_FIELDS = ['overallRag', 'scheduleRag', 'budgetRag', 'scopeRag', 'riskRag'] as const;

export interface Period {
  start: string;
  end: string;
}

/**
 * The periods a project's manager may report on today, oldest first: the previous period when it
 * has no report yet and the project had started by its end, then the current period when it has
 * none. Future periods are never open; older gaps stay gaps (a report is written at the time).
 */
export function reportablePeriods(
  frequency: ReportFrequency,
  today: string,
  submittedPeriodEnds: readonly string[],
  projectStart: string | null,
): Period[] {
  const done = new Set(submittedPeriodEnds);
  const current = reportPeriod(frequency, today);
  const previous = reportPeriod(frequency, addDays(current.start, -1));
  const out: Period[] = [];
  if (!done.has(previous.end) && (!projectStart || projectStart <= previous.end)) out.push(previous);
  if (!done.has(current.end)) out.push(current);
  return out;
}

/**
 * For each frequency, the end of the previous period when a project that has no report for it is
 * overdue today (more than `graceDays` after that period ended), or null when none can be. The
 * same rule as reportDueState, in a form a query can filter on: a project of that frequency is
 * overdue when its latest report ends before this date and it had started by then.
 */
export function overdueCutoffs(today: string, graceDays: number): Record<ReportFrequency, string | null> {
  const cutoff = (f: ReportFrequency): string | null => {
    const previous = reportPeriod(f, addDays(reportPeriod(f, today).start, -1));
    return daysBetween(previous.end, today) > graceDays ? previous.end : null;
  };
  return { weekly: cutoff('weekly'), monthly: cutoff('monthly') };
}
