import type { Knex } from 'knex';
import type { CurrentUser } from '../../auth/current-user.js';
import type { Conn, Db } from '../../db/knex.js';
import type { Rag } from '../portfolio/portfolio.rules.js';
import { whereProgramVisible, whereProjectVisible } from '../projects/projects.access.js';

/**
 * The queries of the reports. Every list is restricted to what the reader may see
 * (projects.access) and read in pages by keyset, so a report over thousands of projects runs a
 * constant number of queries per page of rows and never holds more than a page in memory.
 */

export type Scope = { kind: 'portfolio' } | { kind: 'program'; programId: number };

export const PAGE_ROWS = 200;

export interface Features {
  approvals: boolean;
  /** approval_steps.round exists (steps are per round of a request). */
  approvalRounds: boolean;
}

const featureCache = new WeakMap<object, Promise<Features>>();

/** Which optional tables exist, checked once per database (reports work before approvals land). */
export function features(db: Db): Promise<Features> {
  let f = featureCache.get(db);
  if (!f) {
    f = (async () => {
      const approvals =
        (await db.schema.hasTable('approval_requests')) && (await db.schema.hasTable('approval_steps'));
      const approvalRounds = approvals && (await db.schema.hasColumn('approval_steps', 'round'));
      return { approvals, approvalRounds };
    })();
    featureCache.set(db, f);
  }
  return f;
}

/** Visible projects of the scope, aliased `p` (with its program as `pg`). */
function scoped(conn: Conn, user: CurrentUser, scope: Scope): Knex.QueryBuilder {
  const qb = conn('projects as p').join('programs as pg', 'pg.id', 'p.program_id');
  if (scope.kind === 'program') qb.where('p.program_id', scope.programId);
  return whereProjectVisible(qb, user, 'p');
}

// ---- report center ----------------------------------------------------------------------------

export interface Choice {
  id: number;
  code: string;
  nameEn: string;
  nameAr: string;
  programId?: number;
}

export async function visiblePrograms(conn: Conn, user: CurrentUser): Promise<Choice[]> {
  const rows = await whereProgramVisible(
    conn('programs').select('id', 'code', 'name_en', 'name_ar').orderBy('code'),
    user,
  );
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    code: String(r.code),
    nameEn: String(r.name_en),
    nameAr: String(r.name_ar),
  }));
}

export async function visibleProjects(conn: Conn, user: CurrentUser): Promise<Choice[]> {
  const rows = await whereProjectVisible(
    conn('projects as p')
      .select('p.id', 'p.code', 'p.name_en', 'p.name_ar', 'p.program_id')
      .orderBy('p.code'),
    user,
    'p',
  );
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    code: String(r.code),
    nameEn: String(r.name_en),
    nameAr: String(r.name_ar),
    programId: Number(r.program_id),
  }));
}

// ---- portfolio / program summary --------------------------------------------------------------

export interface Breakdown {
  phase: string;
  status: string;
  health: Rag;
  count: number;
  budgetPlanned: number;
  budgetActual: number;
  lateMilestones: number;
}

/** Counts and sums by phase × status × health: one grouped query (at most 60 rows). */
export async function breakdown(conn: Conn, user: CurrentUser, scope: Scope): Promise<Breakdown[]> {
  const rows = await scoped(conn, user, scope)
    .select('p.phase', 'p.status', 'p.health')
    .count({ n: '*' })
    .sum({ bp: 'p.budget_planned', ba: 'p.budget_actual', lm: 'p.late_milestones' })
    .groupBy('p.phase', 'p.status', 'p.health');
  return rows.map((r: Record<string, unknown>) => ({
    phase: String(r.phase),
    status: String(r.status),
    health: r.health as Rag,
    count: Number(r.n),
    budgetPlanned: Number(r.bp ?? 0),
    budgetActual: Number(r.ba ?? 0),
    lateMilestones: Number(r.lm ?? 0),
  }));
}

export interface ProgramRollupRow {
  id: number;
  code: string;
  nameEn: string;
  nameAr: string;
  status: string;
  sponsorEn: string | null;
  sponsorAr: string | null;
  managerEn: string | null;
  managerAr: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  projects: number;
  budgetPlanned: number;
  budgetActual: number;
  /** Sum of progress × planned budget, and of progress (for the equal-weight fallback). */
  weightedProgress: number;
  progressSum: number;
  health: Record<Rag, number>;
}

/** Programs of the scope with the roll-up of their visible projects: two queries. */
export async function programRollups(
  conn: Conn,
  user: CurrentUser,
  scope: Scope,
): Promise<ProgramRollupRow[]> {
  const programsQ = whereProgramVisible(
    conn('programs as pr')
      .leftJoin('users as s', 's.id', 'pr.sponsor_id')
      .leftJoin('users as m', 'm.id', 'pr.manager_id')
      .select(
        'pr.id',
        'pr.code',
        'pr.name_en',
        'pr.name_ar',
        'pr.status',
        'pr.planned_start',
        'pr.planned_end',
        's.name_en as sponsor_en',
        's.name_ar as sponsor_ar',
        'm.name_en as manager_en',
        'm.name_ar as manager_ar',
      )
      .orderBy('pr.code'),
    user,
    'pr',
  );
  if (scope.kind === 'program') programsQ.where('pr.id', scope.programId);
  const raw = (q: string) => conn.raw(q);
  const sumsQ = scoped(conn, user, scope)
    .select('p.program_id')
    .count({ n: '*' })
    .sum({ bp: 'p.budget_planned', ba: 'p.budget_actual', ps: 'p.progress_pct' })
    .select(
      raw('sum(p.progress_pct * p.budget_planned) as wp'),
      raw("sum(case when p.health = 'green' then 1 else 0 end) as hg"),
      raw("sum(case when p.health = 'amber' then 1 else 0 end) as ha"),
      raw("sum(case when p.health = 'red' then 1 else 0 end) as hr"),
    )
    .groupBy('p.program_id');
  const [programs, sums] = await Promise.all([programsQ, sumsQ]);
  const byProgram = new Map<number, Record<string, unknown>>();
  for (const s of sums as Record<string, unknown>[]) byProgram.set(Number(s.program_id), s);
  return (programs as Record<string, unknown>[]).map((r) => {
    const s = byProgram.get(Number(r.id)) ?? {};
    return {
      id: Number(r.id),
      code: String(r.code),
      nameEn: String(r.name_en),
      nameAr: String(r.name_ar),
      status: String(r.status),
      sponsorEn: (r.sponsor_en as string | null) ?? null,
      sponsorAr: (r.sponsor_ar as string | null) ?? null,
      managerEn: (r.manager_en as string | null) ?? null,
      managerAr: (r.manager_ar as string | null) ?? null,
      plannedStart: (r.planned_start as string | null) ?? null,
      plannedEnd: (r.planned_end as string | null) ?? null,
      projects: Number(s.n ?? 0),
      budgetPlanned: Number(s.bp ?? 0),
      budgetActual: Number(s.ba ?? 0),
      weightedProgress: Number(s.wp ?? 0),
      progressSum: Number(s.ps ?? 0),
      health: { green: Number(s.hg ?? 0), amber: Number(s.ha ?? 0), red: Number(s.hr ?? 0) },
    };
  });
}

// ---- paged lists ------------------------------------------------------------------------------

export interface ProjectRow {
  id: number;
  code: string;
  nameEn: string;
  nameAr: string;
  programCode: string;
  phase: string;
  status: string;
  health: Rag;
  progressPct: number;
  budgetPlanned: number;
  budgetActual: number;
  lateMilestones: number;
  nextMilestone: { date: string; titleEn: string; titleAr: string } | null;
}

/** The scope's visible projects by program code then project code, a page at a time (two queries a page). */
export async function* projectPages(
  conn: Conn,
  user: CurrentUser,
  scope: Scope,
): AsyncGenerator<ProjectRow[]> {
  let after: { program: string; code: string } | null = null;
  for (;;) {
    const q = scoped(conn, user, scope)
      .select(
        'p.id',
        'p.code',
        'p.name_en',
        'p.name_ar',
        'p.phase',
        'p.status',
        'p.health',
        'p.progress_pct',
        'p.budget_planned',
        'p.budget_actual',
        'p.late_milestones',
        'pg.code as program_code',
      )
      .orderBy([
        { column: 'pg.code', order: 'asc' },
        { column: 'p.code', order: 'asc' },
      ])
      .limit(PAGE_ROWS);
    if (after) {
      const a = after;
      q.where((w) =>
        w
          .where('pg.code', '>', a.program)
          .orWhere((x) => x.where('pg.code', a.program).andWhere('p.code', '>', a.code)),
      );
    }
    const rows = (await q) as Record<string, unknown>[];
    if (rows.length === 0) return;
    const ids = rows.map((r) => Number(r.id));
    const open = (await conn('milestones')
      .select('project_id', 'title_en', 'title_ar', 'planned_date', 'forecast_date')
      .whereIn('project_id', ids)
      .whereNotIn('status', ['completed', 'cancelled'])) as Record<string, unknown>[];
    const next = new Map<number, { date: string; titleEn: string; titleAr: string }>();
    for (const m of open) {
      const date = String(m.forecast_date ?? m.planned_date);
      const pid = Number(m.project_id);
      const cur = next.get(pid);
      if (!cur || date < cur.date)
        next.set(pid, { date, titleEn: String(m.title_en), titleAr: String(m.title_ar) });
    }
    yield rows.map((r) => ({
      id: Number(r.id),
      code: String(r.code),
      nameEn: String(r.name_en),
      nameAr: String(r.name_ar),
      programCode: String(r.program_code),
      phase: String(r.phase),
      status: String(r.status),
      health: r.health as Rag,
      progressPct: Number(r.progress_pct),
      budgetPlanned: Number(r.budget_planned),
      budgetActual: Number(r.budget_actual),
      lateMilestones: Number(r.late_milestones),
      nextMilestone: next.get(Number(r.id)) ?? null,
    }));
    if (rows.length < PAGE_ROWS) return;
    const last = rows[rows.length - 1];
    after = { program: String(last.program_code), code: String(last.code) };
  }
}

export interface LateMilestoneRow {
  id: number;
  projectCode: string;
  titleEn: string;
  titleAr: string;
  plannedDate: string;
  forecastDate: string | null;
  percentComplete: number;
  status: string;
}

/** Late milestones of visible projects (open, and today or the forecast past the planned date). */
export async function* lateMilestonePages(
  conn: Conn,
  user: CurrentUser,
  scope: Scope,
  today: string,
): AsyncGenerator<LateMilestoneRow[]> {
  let after: { code: string; date: string; id: number } | null = null;
  for (;;) {
    const q = scoped(conn, user, scope)
      .join('milestones as m', 'm.project_id', 'p.id')
      .select(
        'm.id',
        'p.code',
        'm.title_en',
        'm.title_ar',
        'm.planned_date',
        'm.forecast_date',
        'm.percent_complete',
        'm.status',
      )
      .whereNotIn('m.status', ['completed', 'cancelled'])
      .where((w) =>
        w
          .where('m.planned_date', '<', today)
          .orWhere((x) => x.whereNotNull('m.forecast_date').andWhereRaw('m.forecast_date > m.planned_date')),
      )
      .orderBy([
        { column: 'p.code', order: 'asc' },
        { column: 'm.planned_date', order: 'asc' },
        { column: 'm.id', order: 'asc' },
      ])
      .limit(PAGE_ROWS);
    if (after) {
      const a = after;
      q.where((w) =>
        w
          .where('p.code', '>', a.code)
          .orWhere((x) =>
            x
              .where('p.code', a.code)
              .andWhere((y) =>
                y
                  .where('m.planned_date', '>', a.date)
                  .orWhere((z) => z.where('m.planned_date', a.date).andWhere('m.id', '>', a.id)),
              ),
          ),
      );
    }
    const rows = (await q) as Record<string, unknown>[];
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      id: Number(r.id),
      projectCode: String(r.code),
      titleEn: String(r.title_en),
      titleAr: String(r.title_ar),
      plannedDate: String(r.planned_date),
      forecastDate: (r.forecast_date as string | null) ?? null,
      percentComplete: Number(r.percent_complete),
      status: String(r.status),
    }));
    if (rows.length < PAGE_ROWS) return;
    const last = rows[rows.length - 1];
    after = { code: String(last.code), date: String(last.planned_date), id: Number(last.id) };
  }
}

export interface ApprovalRow {
  id: number;
  kind: string;
  projectCode: string;
  titleEn: string;
  titleAr: string;
  submittedAt: string;
  dueAt: string | null;
  stepEn: string | null;
  stepAr: string | null;
  deciderRole: string | null;
}

/** Pending approval requests on visible projects, oldest first. */
export async function* pendingApprovalPages(
  conn: Conn,
  user: CurrentUser,
  scope: Scope,
  f: Features,
  projectId?: number,
): AsyncGenerator<ApprovalRow[]> {
  if (!f.approvals) return;
  let after: { at: string; id: number } | null = null;
  for (;;) {
    const q = scoped(conn, user, scope)
      .join('approval_requests as r', 'r.project_id', 'p.id')
      .leftJoin('approval_steps as s', (j) => {
        j.on('s.request_id', 'r.id').andOn('s.step_no', 'r.current_step');
        if (f.approvalRounds) j.andOn('s.round', 'r.round');
      })
      .select(
        'r.id',
        'r.kind',
        'p.code',
        'r.title_en',
        'r.title_ar',
        'r.submitted_at',
        's.due_at',
        's.decider_role',
      )
      .where('r.status', 'pending')
      .orderBy([
        { column: 'r.submitted_at', order: 'asc' },
        { column: 'r.id', order: 'asc' },
      ])
      .limit(PAGE_ROWS);
    if (f.approvalRounds) q.select('s.name_en as step_en', 's.name_ar as step_ar');
    if (projectId !== undefined) q.where('p.id', projectId);
    if (after) {
      const a = after;
      q.where((w) =>
        w
          .where('r.submitted_at', '>', a.at)
          .orWhere((x) => x.where('r.submitted_at', a.at).andWhere('r.id', '>', a.id)),
      );
    }
    const rows = (await q) as Record<string, unknown>[];
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      id: Number(r.id),
      kind: String(r.kind),
      projectCode: String(r.code),
      titleEn: String(r.title_en),
      titleAr: String(r.title_ar),
      submittedAt: String(r.submitted_at),
      dueAt: (r.due_at as string | null) ?? null,
      stepEn: (r.step_en as string | null) ?? null,
      stepAr: (r.step_ar as string | null) ?? null,
      deciderRole: (r.decider_role as string | null) ?? null,
    }));
    if (rows.length < PAGE_ROWS) return;
    const last = rows[rows.length - 1];
    after = { at: String(last.submitted_at), id: Number(last.id) };
  }
}

/** Number of pending approvals on the scope's visible projects. */
export async function pendingApprovalCount(
  conn: Conn,
  user: CurrentUser,
  scope: Scope,
  f: Features,
): Promise<number> {
  if (!f.approvals) return 0;
  const row = await scoped(conn, user, scope)
    .join('approval_requests as r', 'r.project_id', 'p.id')
    .where('r.status', 'pending')
    .count({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

/** Flattens pages into rows, pulling the next page only when the table needs it. */
export async function* rowsOf<T>(pages: AsyncGenerator<T[]>): AsyncGenerator<T> {
  for await (const page of pages) yield* page;
}
