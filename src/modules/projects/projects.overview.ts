import type { Config } from '../../config.js';
import type { Conn } from '../../db/knex.js';
import {
  lateWeightPct,
  milestoneState,
  owesStatusReports,
  projectHealth,
  reportDueState,
  scheduleVarianceDays,
  type HealthResult,
  type MilestoneFacts,
  type MilestoneState,
  type ReportDueState,
} from '../portfolio/portfolio.rules.js';
import type { LatestReport, ProjectRecord } from './projects.repository.js';

export interface HealthReason {
  key: string;
  params: Record<string, unknown>;
}

export interface ProjectOverview {
  health: HealthResult;
  reasons: HealthReason[];
  latestReport: LatestReport | null;
  reportState: ReportDueState;
  milestones: Record<MilestoneState, number> & { total: number };
  lateWeightPct: number;
  scheduleVarianceDays: number;
}

/**
 * The live figures of a project page: its health with the reasons, from the same rules that keep
 * the stored health (portfolio.rules), and milestone counts by state. One query (the milestones);
 * the latest status report comes with the project (projectPageFacts).
 */
export async function projectOverview(
  conn: Conn,
  p: ProjectRecord,
  latestReport: LatestReport | null,
  today: string,
  th: Config['health'],
): Promise<ProjectOverview> {
  const rows = (await conn('milestones')
    .select('planned_date', 'forecast_date', 'actual_date', 'percent_complete', 'weight', 'status')
    .where('project_id', p.id)) as Record<string, unknown>[];
  const report = latestReport
    ? { period_end: latestReport.periodEnd, overall_rag: latestReport.overallRag }
    : undefined;
  const ms: MilestoneFacts[] = rows.map((m) => ({
    plannedDate: m.planned_date as string,
    forecastDate: (m.forecast_date as string | null) ?? null,
    actualDate: (m.actual_date as string | null) ?? null,
    percentComplete: Number(m.percent_complete),
    weight: Number(m.weight),
    status: m.status as MilestoneFacts['status'],
  }));
  const reportState = owesStatusReports(p.status, p.phase)
    ? reportDueState(
        p.reportFrequency,
        report?.period_end ?? null,
        today,
        th.statusReportGraceDays,
        p.actualStart ?? p.plannedStart,
      )
    : 'submitted';
  const health = projectHealth(
    { milestones: ms, latestOverallRag: report?.overall_rag ?? null, reportState, today },
    th,
  );
  const late = lateWeightPct(ms, today, th.atRiskDays);
  const slip = scheduleVarianceDays(ms, today);
  const counts = { completed: 0, cancelled: 0, late: 0, at_risk: 0, on_track: 0, total: ms.length };
  for (const m of ms) counts[milestoneState(m, today, th.atRiskDays)]++;
  const reasons = health.reasons.map((key): HealthReason => {
    switch (key) {
      case 'lateMilestones':
        return { key: 'portfolio:healthReasons.lateMilestones', params: { pct: Math.round(late) } };
      case 'scheduleSlip':
        return { key: 'portfolio:healthReasons.scheduleSlip', params: { days: slip } };
      case 'statusReport':
        return { key: 'portfolio:healthReasons.statusReport', params: { rag: report?.overall_rag ?? '' } };
      default:
        return { key: 'portfolio:healthReasons.reportOverdue', params: {} };
    }
  });
  return {
    health,
    reasons,
    latestReport,
    reportState,
    milestones: counts,
    lateWeightPct: late,
    scheduleVarianceDays: slip,
  };
}
