import type { Config } from '../../config.js';
import type { Conn, Db } from '../../db/knex.js';
import { audit } from '../audit/audit.service.js';
import {
  isoDay,
  milestoneState,
  nextMilestoneDate,
  owesStatusReports,
  projectHealth,
  projectProgress,
  reportDueState,
  scheduleVarianceDays,
  type MilestoneFacts,
  type Rag,
  type ReportFrequency,
} from './portfolio.rules.js';

/**
 * Keeps the derived columns of projects (health, progress, schedule variance, late milestones,
 * next milestone) true. Use cases that change milestones, status reports or project dates call
 * `refreshProjects` inside their transaction; a periodic job refreshes what "today" has changed.
 * Three queries for any number of projects.
 */
export async function refreshProjects(
  conn: Conn,
  projectIds: number[],
  today: string,
  th: Config['health'],
): Promise<void> {
  if (projectIds.length === 0) return;
  const ids = [...new Set(projectIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    // One after the other: a transaction is one connection, and pg refuses overlapping queries on it.
    const projects = await conn('projects')
      .select('id', 'report_frequency', 'planned_start', 'actual_start', 'status', 'phase')
      .whereIn('id', chunk);
    const milestones = await conn('milestones')
      .select(
        'project_id',
        'planned_date',
        'forecast_date',
        'actual_date',
        'percent_complete',
        'weight',
        'status',
      )
      .whereIn('project_id', chunk);
    const reports = await conn('status_reports as s')
      .select('s.project_id', 's.overall_rag', 's.period_end', 's.submitted_at')
      .whereIn('s.project_id', chunk)
      .whereRaw(
        's.period_end = (select max(s2.period_end) from status_reports s2 where s2.project_id = s.project_id)',
      );
    const byProject = new Map<number, MilestoneFacts[]>();
    for (const m of milestones as Record<string, unknown>[]) {
      const list = byProject.get(m.project_id as number) ?? [];
      list.push({
        plannedDate: m.planned_date as string,
        forecastDate: (m.forecast_date as string | null) ?? null,
        actualDate: (m.actual_date as string | null) ?? null,
        percentComplete: Number(m.percent_complete),
        weight: Number(m.weight),
        status: m.status as MilestoneFacts['status'],
      });
      byProject.set(m.project_id as number, list);
    }
    const latest = new Map<number, { rag: Rag; periodEnd: string; at: string }>();
    for (const r of reports as Record<string, unknown>[]) {
      latest.set(r.project_id as number, {
        rag: r.overall_rag as Rag,
        periodEnd: r.period_end as string,
        at: r.submitted_at as string,
      });
    }
    for (const p of projects as Record<string, unknown>[]) {
      const id = p.id as number;
      const ms = byProject.get(id) ?? [];
      const rep = latest.get(id);
      const reportState = owesStatusReports(p.status as string, p.phase as string)
        ? reportDueState(
            p.report_frequency as ReportFrequency,
            rep?.periodEnd ?? null,
            today,
            th.statusReportGraceDays,
            (p.actual_start as string | null) ?? (p.planned_start as string | null),
          )
        : 'submitted';
      const h = projectHealth({ milestones: ms, latestOverallRag: rep?.rag ?? null, reportState, today }, th);
      await conn('projects')
        .where({ id })
        .update({
          health: h.health,
          progress_pct: Math.round(projectProgress(ms) * 10) / 10,
          schedule_variance_days: scheduleVarianceDays(ms, today),
          late_milestones: ms.filter((m) => milestoneState(m, today, th.atRiskDays) === 'late').length,
          next_milestone_date: nextMilestoneDate(ms),
          last_report_at: rep?.at ?? null,
          health_computed_on: today,
        });
    }
  }
}

/** Refreshes every project not yet computed for today (run at start-up and hourly). */
export async function refreshStaleProjects(db: Db, today: Date, th: Config['health']): Promise<number> {
  const day = isoDay(today);
  let total = 0;
  for (;;) {
    const rows = await db('projects')
      .select('id')
      .where((q) => q.whereNull('health_computed_on').orWhere('health_computed_on', '<', day))
      .limit(500);
    if (rows.length === 0) return total;
    const ids = rows.map((r: { id: number }) => r.id);
    await db.transaction(async (trx) => {
      await refreshProjects(trx, ids, day, th);
      // a system change like any other: audited, which also moves the data version of kept pages
      await audit(trx, null, {
        action: 'project.health_refresh',
        entity: 'project',
        after: { day, projects: ids },
      });
    });
    total += rows.length;
  }
}
