import type { Conn } from '../../db/knex.js';
import { insertOne } from '../../db/util.js';
import type { Rag } from '../portfolio/portfolio.rules.js';

/** Knex queries for status reports; snake_case rows become camelCase here. */

export interface StatusReport {
  id: number;
  projectId: number;
  periodStart: string;
  periodEnd: string;
  overallRag: Rag;
  scheduleRag: Rag;
  budgetRag: Rag;
  scopeRag: Rag;
  riskRag: Rag;
  summary: string;
  achievements: string | null;
  nextSteps: string | null;
  escalations: string | null;
  submittedBy: number | null;
  submittedByEn: string | null;
  submittedByAr: string | null;
  submittedAt: string;
}

function toReport(r: Record<string, unknown>): StatusReport {
  return {
    id: Number(r.id),
    projectId: Number(r.project_id),
    periodStart: r.period_start as string,
    periodEnd: r.period_end as string,
    overallRag: r.overall_rag as Rag,
    scheduleRag: r.schedule_rag as Rag,
    budgetRag: r.budget_rag as Rag,
    scopeRag: r.scope_rag as Rag,
    riskRag: r.risk_rag as Rag,
    summary: r.summary as string,
    achievements: (r.achievements as string | null) ?? null,
    nextSteps: (r.next_steps as string | null) ?? null,
    escalations: (r.escalations as string | null) ?? null,
    submittedBy: r.submitted_by === null || r.submitted_by === undefined ? null : Number(r.submitted_by),
    submittedByEn: (r.name_en as string | null) ?? null,
    submittedByAr: (r.name_ar as string | null) ?? null,
    submittedAt: r.submitted_at as string,
  };
}

function base(conn: Conn) {
  return conn('status_reports as s')
    .leftJoin('users as u', 'u.id', 's.submitted_by')
    .select('s.*', 'u.name_en', 'u.name_ar');
}

/** A project's reports, newest period first (one query); a page of them when a limit is given. */
export async function listProjectReports(
  conn: Conn,
  projectId: number,
  limit?: number,
  offset = 0,
): Promise<StatusReport[]> {
  const q = base(conn)
    .where('s.project_id', projectId)
    .orderBy([
      { column: 's.period_end', order: 'desc' },
      { column: 's.id', order: 'desc' },
    ]);
  if (limit !== undefined) q.limit(limit).offset(offset);
  return (await q).map(toReport);
}

/** Every period a project has reported on (their ends), newest first, and how many (one query). */
export async function reportedPeriodEnds(conn: Conn, projectId: number): Promise<string[]> {
  const rows = (await conn('status_reports')
    .select('period_end')
    .where({ project_id: projectId })
    .orderBy('period_end', 'desc')) as { period_end: string }[];
  return rows.map((r) => r.period_end);
}

export async function findProjectReport(
  conn: Conn,
  projectId: number,
  id: number,
): Promise<StatusReport | undefined> {
  const row = await base(conn).where({ 's.project_id': projectId, 's.id': id }).first();
  return row ? toReport(row) : undefined;
}

export async function reportForPeriod(conn: Conn, projectId: number, periodEnd: string) {
  const row = await base(conn).where({ 's.project_id': projectId, 's.period_end': periodEnd }).first();
  return row ? toReport(row) : undefined;
}

export async function insertReport(
  conn: Conn,
  r: Omit<StatusReport, 'id' | 'submittedByEn' | 'submittedByAr'>,
): Promise<number> {
  return insertOne(conn, 'status_reports', {
    project_id: r.projectId,
    period_start: r.periodStart,
    period_end: r.periodEnd,
    overall_rag: r.overallRag,
    schedule_rag: r.scheduleRag,
    budget_rag: r.budgetRag,
    scope_rag: r.scopeRag,
    risk_rag: r.riskRag,
    summary: r.summary,
    achievements: r.achievements,
    next_steps: r.nextSteps,
    escalations: r.escalations,
    submitted_by: r.submittedBy,
    submitted_at: r.submittedAt,
  });
}

/** Each project's latest reported period end, as a subquery to join on (`r.project_id`, `r.last_end`). */
export function latestPeriodEnds(conn: Conn) {
  return conn('status_reports')
    .select('project_id')
    .max({ last_end: 'period_end' })
    .groupBy('project_id')
    .as('r');
}

/** True when an insert failed on a unique constraint (SQLite or PostgreSQL). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}
