/**
 * Pure portfolio rules: derived milestone state, project progress, schedule variance, health,
 * status-report due dates and program roll-ups. No database, no clock: "today" is an argument.
 * The words are defined in CONTEXT.md beside this file.
 */

export type Rag = 'green' | 'amber' | 'red';
export type MilestoneStatus = 'not_started' | 'in_progress' | 'completed' | 'cancelled';
export type MilestoneState = 'completed' | 'cancelled' | 'late' | 'at_risk' | 'on_track';
export type ReportFrequency = 'weekly' | 'monthly';

export interface MilestoneFacts {
  plannedDate: string;
  forecastDate: string | null;
  actualDate: string | null;
  percentComplete: number;
  weight: number;
  status: MilestoneStatus;
}

export interface HealthThresholds {
  amberLateWeightPct: number;
  redLateWeightPct: number;
  amberSlipDays: number;
  redSlipDays: number;
  atRiskDays: number;
  statusReportGraceDays: number;
}

const DAY = 86_400_000;

/** Whole days from a to b ('YYYY-MM-DD'); positive when b is later. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / DAY);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(date + 'T00:00:00Z') + days * DAY).toISOString().slice(0, 10);
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function isDone(m: Pick<MilestoneFacts, 'status'>): boolean {
  return m.status === 'completed' || m.status === 'cancelled';
}

/**
 * Late: not completed or cancelled, and today is past the planned date or the forecast is.
 * At risk: not late, not done, due within the at-risk window, and less than half done.
 */
export function milestoneState(m: MilestoneFacts, today: string, atRiskDays: number): MilestoneState {
  if (m.status === 'completed') return 'completed';
  if (m.status === 'cancelled') return 'cancelled';
  if (today > m.plannedDate || (m.forecastDate !== null && m.forecastDate > m.plannedDate)) return 'late';
  if (daysBetween(today, m.plannedDate) <= atRiskDays && m.percentComplete < 50) return 'at_risk';
  return 'on_track';
}

/** Days a milestone has slipped (positive) or is ahead (negative) against its planned date. */
export function milestoneSlipDays(m: MilestoneFacts, today: string): number {
  if (m.status === 'cancelled') return 0;
  if (m.status === 'completed') return m.actualDate ? daysBetween(m.plannedDate, m.actualDate) : 0;
  const expected = m.forecastDate ?? m.plannedDate;
  const effective = today > expected ? today : expected;
  return daysBetween(m.plannedDate, effective);
}

/** Progress in percent, weighted by milestone weight; cancelled milestones do not count. */
export function projectProgress(milestones: MilestoneFacts[]): number {
  const counted = milestones.filter((m) => m.status !== 'cancelled');
  const totalWeight = counted.reduce((s, m) => s + Math.max(0, m.weight), 0);
  if (counted.length === 0) return 0;
  if (totalWeight === 0) return counted.reduce((s, m) => s + pct(m), 0) / counted.length;
  return counted.reduce((s, m) => s + pct(m) * Math.max(0, m.weight), 0) / totalWeight;
}

function pct(m: MilestoneFacts): number {
  return m.status === 'completed' ? 100 : Math.min(100, Math.max(0, m.percentComplete));
}

/**
 * Schedule variance in days: the worst slip of any milestone (positive = behind plan); when none
 * has slipped, how far ahead of plan the last milestone is (zero or negative).
 */
export function scheduleVarianceDays(milestones: MilestoneFacts[], today: string): number {
  const counted = milestones.filter((m) => m.status !== 'cancelled');
  if (counted.length === 0) return 0;
  const worst = Math.max(...counted.map((m) => milestoneSlipDays(m, today)));
  if (worst > 0) return worst;
  const last = counted.reduce((a, b) => (b.plannedDate > a.plannedDate ? b : a));
  return milestoneSlipDays(last, today);
}

/** The share of open milestone weight that is late, in percent. */
export function lateWeightPct(milestones: MilestoneFacts[], today: string, atRiskDays: number): number {
  const counted = milestones.filter((m) => m.status !== 'cancelled');
  const total = counted.reduce((s, m) => s + Math.max(0, m.weight), 0);
  const late = counted.filter((m) => milestoneState(m, today, atRiskDays) === 'late');
  if (total === 0) return counted.length ? (late.length / counted.length) * 100 : 0;
  return (late.reduce((s, m) => s + Math.max(0, m.weight), 0) / total) * 100;
}

export type ReportDueState = 'submitted' | 'due' | 'overdue';

/** Only an active project that is not closed owes periodic status reports. */
export function owesStatusReports(status: string, phase: string): boolean {
  return status === 'active' && phase !== 'closed';
}

/**
 * Reporting periods: weekly periods run Sunday to Saturday (the working week starts on Sunday);
 * monthly periods are calendar months.
 */
export function reportPeriod(frequency: ReportFrequency, day: string): { start: string; end: string } {
  const d = new Date(day + 'T00:00:00Z');
  if (frequency === 'weekly') {
    const start = addDays(day, -d.getUTCDay());
    return { start, end: addDays(start, 6) };
  }
  const start = `${day.slice(0, 7)}-01`;
  const next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  return { start, end: addDays(isoDay(next), -1) };
}

/**
 * A project owes a report for every period. Submitted: the current period is covered. Due: the
 * previous period is covered (or still within grace) but the current one is not. Overdue: the
 * previous period's report is missing more than `graceDays` after that period ended.
 */
export function reportDueState(
  frequency: ReportFrequency,
  latestPeriodEnd: string | null,
  today: string,
  graceDays: number,
  projectStart?: string | null,
): ReportDueState {
  const current = reportPeriod(frequency, today);
  if (latestPeriodEnd && latestPeriodEnd >= current.end) return 'submitted';
  const previous = reportPeriod(frequency, addDays(current.start, -1));
  if (projectStart && projectStart > previous.end) return 'due';
  const previousCovered = latestPeriodEnd !== null && latestPeriodEnd >= previous.end;
  if (!previousCovered && daysBetween(previous.end, today) > graceDays) return 'overdue';
  return 'due';
}

export interface HealthInput {
  milestones: MilestoneFacts[];
  latestOverallRag: Rag | null;
  reportState: ReportDueState;
  today: string;
}

export interface HealthResult {
  health: Rag;
  reasons: string[];
}

/**
 * Health: red when the late share of milestone weight, the schedule slip or the latest status
 * report says red; amber for the lower thresholds, an amber report, or an overdue report; else green.
 */
export function projectHealth(input: HealthInput, th: HealthThresholds): HealthResult {
  const late = lateWeightPct(input.milestones, input.today, th.atRiskDays);
  const slip = scheduleVarianceDays(input.milestones, input.today);
  const red: string[] = [];
  const amber: string[] = [];
  if (late >= th.redLateWeightPct && late > 0) red.push('lateMilestones');
  else if (late >= th.amberLateWeightPct && late > 0) amber.push('lateMilestones');
  if (slip >= th.redSlipDays && slip > 0) red.push('scheduleSlip');
  else if (slip >= th.amberSlipDays && slip > 0) amber.push('scheduleSlip');
  if (input.latestOverallRag === 'red') red.push('statusReport');
  else if (input.latestOverallRag === 'amber') amber.push('statusReport');
  if (input.reportState === 'overdue') amber.push('reportOverdue');
  if (red.length) return { health: 'red', reasons: [...red, ...amber] };
  if (amber.length) return { health: 'amber', reasons: amber };
  return { health: 'green', reasons: [] };
}

export interface ProjectFacts {
  progressPct: number;
  budgetPlanned: number;
  budgetActual: number;
  health: Rag;
}

export interface ProgramRollup {
  projects: number;
  progressPct: number;
  budgetPlanned: number;
  budgetActual: number;
  budgetVariance: number;
  health: Record<Rag, number>;
}

/** Program roll-up: progress weighted by planned budget (equal weights when no budgets), sums, RAG counts. */
export function programRollup(projects: ProjectFacts[]): ProgramRollup {
  const health: Record<Rag, number> = { green: 0, amber: 0, red: 0 };
  let planned = 0;
  let actual = 0;
  for (const p of projects) {
    health[p.health]++;
    planned += p.budgetPlanned;
    actual += p.budgetActual;
  }
  const progress =
    projects.length === 0
      ? 0
      : planned > 0
        ? projects.reduce((s, p) => s + p.progressPct * p.budgetPlanned, 0) / planned
        : projects.reduce((s, p) => s + p.progressPct, 0) / projects.length;
  return {
    projects: projects.length,
    progressPct: progress,
    budgetPlanned: planned,
    budgetActual: actual,
    budgetVariance: planned - actual,
    health,
  };
}

/** The next open milestone's planned date, or null. */
export function nextMilestoneDate(milestones: MilestoneFacts[]): string | null {
  const open = milestones.filter((m) => !isDone(m)).map((m) => m.forecastDate ?? m.plannedDate);
  return open.length ? open.sort()[0] : null;
}

/** Sums over a program's projects, as one SQL aggregate returns them. */
export interface RollupTotals {
  projects: number;
  budgetPlanned: number;
  budgetActual: number;
  /** Σ progressPct × budgetPlanned */
  progressTimesBudget: number;
  /** Σ progressPct */
  progressSum: number;
  green: number;
  amber: number;
  red: number;
}

/** The same roll-up as `programRollup`, from sums computed in SQL (lists never load every project). */
export function programRollupFromTotals(t: RollupTotals): ProgramRollup {
  const progress =
    t.projects === 0
      ? 0
      : t.budgetPlanned > 0
        ? t.progressTimesBudget / t.budgetPlanned
        : t.progressSum / t.projects;
  return {
    projects: t.projects,
    progressPct: progress,
    budgetPlanned: t.budgetPlanned,
    budgetActual: t.budgetActual,
    budgetVariance: t.budgetPlanned - t.budgetActual,
    health: { green: t.green, amber: t.amber, red: t.red },
  };
}
