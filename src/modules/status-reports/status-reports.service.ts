import type { Actor, CurrentUser } from '../../auth/current-user.js';
import type { Conn } from '../../db/knex.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import type { AppDeps } from '../module.js';
import { refreshProjects } from '../portfolio/portfolio.health.js';
import {
  isoDay,
  reportDueState,
  reportPeriod,
  type ReportDueState,
  type ReportFrequency,
} from '../portfolio/portfolio.rules.js';
import { loadVisibleProject } from '../projects/projects.access.js';
import { canSubmitReport } from './status-reports.policy.js';
import {
  findProjectReport,
  insertReport,
  isUniqueViolation,
  listProjectReports,
  reportedPeriodEnds,
  reportForPeriod,
  type StatusReport,
} from './status-reports.repository.js';
import { reportablePeriods, type Period } from './status-reports.rules.js';
import type { SubmitReportInput } from './status-reports.schema.js';

/** The projects.* columns status-report pages use (the row loadVisibleProject returns). */
export interface ProjectRow {
  id: number;
  code: string;
  program_id: number;
  name_en: string;
  name_ar: string;
  manager_id: number | null;
  phase: string;
  status: string;
  health: string;
  progress_pct: number;
  report_frequency: ReportFrequency;
  planned_start: string | null;
  actual_start: string | null;
}

const PAGE_SIZE = 26;

/** Only running projects owe reports. */
export function owesReports(p: Pick<ProjectRow, 'status' | 'phase'>): boolean {
  return p.status === 'active' && p.phase !== 'closed';
}

function projectStart(p: ProjectRow): string | null {
  return p.actual_start ?? p.planned_start;
}

/** Status-report use cases: visibility (404), policy (403), one transaction per submission. */
export function createStatusReportsService(deps: AppDeps) {
  const { db, clock, config } = deps;
  const grace = config.health.statusReportGraceDays;

  /** `ends`: the reported period ends, newest first. */
  function dueState(p: ProjectRow, ends: string[], today: string): ReportDueState | null {
    if (!owesReports(p)) return null;
    return reportDueState(p.report_frequency, ends[0] ?? null, today, grace, projectStart(p));
  }

  function periodsFor(p: ProjectRow, ends: string[], today: string): Period[] {
    return reportablePeriods(p.report_frequency, today, ends, projectStart(p));
  }

  async function projectFor(conn: Conn, user: CurrentUser, id: number): Promise<ProjectRow> {
    return loadVisibleProject<ProjectRow>(conn, user, id);
  }

  return {
    /** The status reports tab: history newest first, whether a report is due, who may submit. */
    async projectReports(user: CurrentUser, projectId: number, page = 1) {
      const project = await projectFor(db, user, projectId);
      const [ends, reports] = await Promise.all([
        reportedPeriodEnds(db, projectId),
        listProjectReports(db, projectId, PAGE_SIZE, (page - 1) * PAGE_SIZE),
      ]);
      const today = isoDay(clock());
      return {
        project,
        reports,
        today,
        dueState: dueState(project, ends, today),
        periods: periodsFor(project, ends, today),
        canSubmit: canSubmitReport(user, project),
        page,
        pages: Math.max(1, Math.ceil(ends.length / PAGE_SIZE)),
        total: ends.length,
      };
    },

    async report(user: CurrentUser, projectId: number, id: number) {
      const project = await projectFor(db, user, projectId);
      const report = await findProjectReport(db, projectId, id);
      if (!report) throw new NotFoundError();
      return { project, report };
    },

    /** What the form needs: the open periods, oldest first (the first is pre-selected). */
    async formModel(user: CurrentUser, projectId: number) {
      const project = await projectFor(db, user, projectId);
      if (!canSubmitReport(user, project)) throw new ForbiddenError();
      const ends = await reportedPeriodEnds(db, projectId);
      const today = isoDay(clock());
      return {
        project,
        periods: periodsFor(project, ends, today),
        dueState: dueState(project, ends, today),
      };
    },

    /** Submits a report for an open period; it is frozen from then on (no use case changes it). */
    async submit(actor: Actor, projectId: number, input: SubmitReportInput): Promise<number> {
      try {
        return await db.transaction(async (trx) => {
          const project = await projectFor(trx, actor.user, projectId);
          if (!canSubmitReport(actor.user, project)) throw new ForbiddenError();
          const today = isoDay(clock());
          const period = reportPeriod(project.report_frequency, input.periodStart);
          const existing = await reportForPeriod(trx, projectId, period.end);
          if (existing) throw alreadySubmitted(existing);
          const open = periodsFor(project, await reportedPeriodEnds(trx, projectId), today);
          if (period.start !== input.periodStart || !open.some((p) => p.end === period.end))
            throw ValidationError.field('periodStart', 'statusReports:rules.periodNotOpen');
          const now = clock().toISOString();
          const row = {
            projectId,
            periodStart: period.start,
            periodEnd: period.end,
            overallRag: input.overallRag,
            scheduleRag: input.scheduleRag,
            budgetRag: input.budgetRag,
            scopeRag: input.scopeRag,
            riskRag: input.riskRag,
            summary: input.summary,
            achievements: input.achievements,
            nextSteps: input.nextSteps,
            escalations: input.escalations,
            submittedBy: actor.user.id,
            submittedAt: now,
          };
          const id = await insertReport(trx, row);
          await refreshProjects(trx, [projectId], today, config.health);
          await audit(
            trx,
            actor,
            { action: 'status_report.submit', entity: 'status_report', entityId: id, after: row },
            now,
          );
          return id;
        });
      } catch (err) {
        // Two submissions for the same period at once: the database's unique key keeps one.
        if (isUniqueViolation(err)) {
          const p = await projectFor(db, actor.user, projectId);
          const existing = await reportForPeriod(
            db,
            projectId,
            reportPeriod(p.report_frequency, input.periodStart).end,
          );
          if (existing) throw alreadySubmitted(existing);
        }
        throw err;
      }
    },
  };
}

function alreadySubmitted(existing: StatusReport): ValidationError {
  return ValidationError.field('periodStart', 'statusReports:rules.alreadySubmitted', {
    start: existing.periodStart,
    end: existing.periodEnd,
    id: existing.id,
  });
}

export type StatusReportsService = ReturnType<typeof createStatusReportsService>;
