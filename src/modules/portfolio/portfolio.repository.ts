import type { Knex } from 'knex';
import type { CurrentUser } from '../../auth/current-user.js';
import type { Conn } from '../../db/knex.js';
import { likePattern } from '../../db/util.js';
import type { Locale } from '../../i18n/locales.js';
import { programFactsOf } from '../programs/programs.repository.js';
import { whereProgramVisible, whereProjectVisible } from '../projects/projects.access.js';
import { programRollupFromTotals, type ProgramRollup, type Rag } from './portfolio.rules.js';
import type { Phase, ProjectStatus } from './portfolio.values.js';

/**
 * Portfolio queries: program roll-ups in one aggregate query, and the filtered, sorted, paged
 * project list (count and totals in one query, the page in another) — a constant number of queries
 * whatever the size of the portfolio. Only what the user may see (projects.access).
 */

export const SORT_KEYS = [
  'code',
  'name',
  'program',
  'phase',
  'status',
  'health',
  'progress',
  'budget',
  'variance',
  'next',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface ProjectFilter {
  q?: string;
  program?: number;
  phase?: Phase;
  status?: ProjectStatus;
  health?: Rag;
  manager?: number;
  sponsor?: number;
}

export interface ProjectSort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export interface ProjectListRow {
  id: number;
  code: string;
  nameEn: string;
  nameAr: string;
  programId: number;
  programCode: string;
  programNameEn: string;
  programNameAr: string;
  managerId: number | null;
  managerEn: string | null;
  managerAr: string | null;
  sponsorId: number | null;
  sponsorEn: string | null;
  sponsorAr: string | null;
  phase: Phase;
  status: ProjectStatus;
  priority: string;
  health: Rag;
  progressPct: number;
  budgetPlanned: number;
  budgetActual: number;
  scheduleVarianceDays: number;
  lateMilestones: number;
  nextMilestoneDate: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  lastReportAt: string | null;
}

export interface ProgramSummary {
  id: number;
  code: string;
  nameEn: string;
  nameAr: string;
  descriptionEn: string | null;
  descriptionAr: string | null;
  status: string;
  plannedStart: string | null;
  plannedEnd: string | null;
  sponsorId: number | null;
  sponsorEn: string | null;
  sponsorAr: string | null;
  managerId: number | null;
  managerEn: string | null;
  managerAr: string | null;
  rollup: ProgramRollup;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Aggregates of the visible projects per program, as a subquery aliased `agg`. */
function rollupSubquery(conn: Conn, user: CurrentUser): Knex.QueryBuilder {
  return whereProjectVisible(
    conn('projects as rp')
      .select('rp.program_id')
      .select(
        conn.raw('count(*) as n'),
        conn.raw('sum(rp.budget_planned) as bp'),
        conn.raw('sum(rp.budget_actual) as ba'),
        conn.raw('sum(rp.progress_pct * rp.budget_planned) as pxb'),
        conn.raw('sum(rp.progress_pct) as ps'),
        conn.raw("sum(case when rp.health = 'green' then 1 else 0 end) as g"),
        conn.raw("sum(case when rp.health = 'amber' then 1 else 0 end) as a"),
        conn.raw("sum(case when rp.health = 'red' then 1 else 0 end) as r"),
      )
      .groupBy('rp.program_id'),
    user,
    'rp',
  );
}

/**
 * The programs the user may see, each with the roll-up of the projects they may see in it — one
 * query. `programId` restricts it to one program.
 */
export async function programsWithRollups(
  conn: Conn,
  user: CurrentUser,
  programId?: number,
): Promise<ProgramSummary[]> {
  const q = conn('programs')
    .leftJoin(rollupSubquery(conn, user).as('agg'), 'agg.program_id', 'programs.id')
    .leftJoin('users as sp', 'sp.id', 'programs.sponsor_id')
    .leftJoin('users as mg', 'mg.id', 'programs.manager_id')
    .select(
      'programs.id',
      'programs.code',
      'programs.name_en',
      'programs.name_ar',
      'programs.description_en',
      'programs.description_ar',
      'programs.status',
      'programs.planned_start',
      'programs.planned_end',
      'programs.sponsor_id',
      'sp.name_en as sponsor_en',
      'sp.name_ar as sponsor_ar',
      'programs.manager_id',
      'mg.name_en as manager_en',
      'mg.name_ar as manager_ar',
      'agg.n',
      'agg.bp',
      'agg.ba',
      'agg.pxb',
      'agg.ps',
      'agg.g',
      'agg.a',
      'agg.r',
    )
    .orderBy('programs.code');
  if (programId !== undefined) q.where('programs.id', programId);
  const rows = (await whereProgramVisible(q, user)) as Record<string, unknown>[];
  return rows.map((r) => ({
    id: r.id as number,
    ...programFactsOf(r),
    sponsorEn: (r.sponsor_en as string | null) ?? null,
    sponsorAr: (r.sponsor_ar as string | null) ?? null,
    managerEn: (r.manager_en as string | null) ?? null,
    managerAr: (r.manager_ar as string | null) ?? null,
    rollup: programRollupFromTotals({
      projects: num(r.n),
      budgetPlanned: num(r.bp),
      budgetActual: num(r.ba),
      progressTimesBudget: num(r.pxb),
      progressSum: num(r.ps),
      green: num(r.g),
      amber: num(r.a),
      red: num(r.r),
    }),
  }));
}

/** The visible projects matching the filter (no ordering, no columns chosen). */
function filtered(conn: Conn, user: CurrentUser, f: ProjectFilter): Knex.QueryBuilder {
  const q = whereProjectVisible(conn('projects'), user);
  if (f.program) q.where('projects.program_id', f.program);
  if (f.phase) q.where('projects.phase', f.phase);
  if (f.status) q.where('projects.status', f.status);
  if (f.health) q.where('projects.health', f.health);
  if (f.manager) q.where('projects.manager_id', f.manager);
  if (f.sponsor) q.where('projects.sponsor_id', f.sponsor);
  if (f.q) {
    const like = likePattern(f.q.toLowerCase());
    q.where((w) =>
      w
        .whereRaw("lower(projects.code) like ? escape '\\'", [like])
        .orWhereRaw("lower(projects.name_en) like ? escape '\\'", [like])
        .orWhereRaw("lower(projects.name_ar) like ? escape '\\'", [like]),
    );
  }
  return q;
}

const PHASE_ORDER =
  "case projects.phase when 'initiation' then 1 when 'planning' then 2 when 'execution' then 3 when 'closure' then 4 else 5 end";
const STATUS_ORDER =
  "case projects.status when 'active' then 1 when 'on_hold' then 2 when 'completed' then 3 else 4 end";
const HEALTH_ORDER = "case projects.health when 'green' then 1 when 'amber' then 2 else 3 end";

function applySort(q: Knex.QueryBuilder, sort: ProjectSort, locale: Locale): Knex.QueryBuilder {
  const dir = sort.dir === 'desc' ? 'desc' : 'asc';
  switch (sort.key) {
    case 'name':
      q.orderByRaw(locale === 'ar' ? `projects.name_ar ${dir}` : `lower(projects.name_en) ${dir}`);
      break;
    case 'program':
      q.orderBy('pg.code', dir);
      break;
    case 'phase':
      q.orderByRaw(`${PHASE_ORDER} ${dir}`);
      break;
    case 'status':
      q.orderByRaw(`${STATUS_ORDER} ${dir}`);
      break;
    case 'health':
      q.orderByRaw(`${HEALTH_ORDER} ${dir}`);
      break;
    case 'progress':
      q.orderBy('projects.progress_pct', dir);
      break;
    case 'budget':
      q.orderBy('projects.budget_planned', dir);
      break;
    case 'variance':
      q.orderBy('projects.schedule_variance_days', dir);
      break;
    case 'next':
      // Projects without an open milestone come last in both directions.
      q.orderByRaw('case when projects.next_milestone_date is null then 1 else 0 end').orderBy(
        'projects.next_milestone_date',
        dir,
      );
      break;
    default:
      break;
  }
  return q.orderBy('projects.code', sort.key === 'code' ? dir : 'asc').orderBy('projects.id');
}

function listColumns(q: Knex.QueryBuilder): Knex.QueryBuilder {
  return q
    .join('programs as pg', 'pg.id', 'projects.program_id')
    .leftJoin('users as mu', 'mu.id', 'projects.manager_id')
    .leftJoin('users as su', 'su.id', 'projects.sponsor_id')
    .select(
      'projects.id',
      'projects.code',
      'projects.name_en as nameEn',
      'projects.name_ar as nameAr',
      'projects.program_id as programId',
      'pg.code as programCode',
      'pg.name_en as programNameEn',
      'pg.name_ar as programNameAr',
      'projects.manager_id as managerId',
      'mu.name_en as managerEn',
      'mu.name_ar as managerAr',
      'projects.sponsor_id as sponsorId',
      'su.name_en as sponsorEn',
      'su.name_ar as sponsorAr',
      'projects.phase',
      'projects.status',
      'projects.priority',
      'projects.health',
      'projects.progress_pct as progressPct',
      'projects.budget_planned as budgetPlanned',
      'projects.budget_actual as budgetActual',
      'projects.schedule_variance_days as scheduleVarianceDays',
      'projects.late_milestones as lateMilestones',
      'projects.next_milestone_date as nextMilestoneDate',
      'projects.planned_start as plannedStart',
      'projects.planned_end as plannedEnd',
      'projects.actual_start as actualStart',
      'projects.actual_end as actualEnd',
      'projects.last_report_at as lastReportAt',
    );
}

function toRow(r: Record<string, unknown>): ProjectListRow {
  return {
    ...(r as unknown as ProjectListRow),
    progressPct: num(r.progressPct),
    budgetPlanned: num(r.budgetPlanned),
    budgetActual: num(r.budgetActual),
    scheduleVarianceDays: num(r.scheduleVarianceDays),
    lateMilestones: num(r.lateMilestones),
  };
}

export interface ProjectPage {
  rows: ProjectListRow[];
  total: number;
  budgetPlanned: number;
  budgetActual: number;
  page: number;
  pages: number;
  pageSize: number;
}

/** One page of the filtered project list with the count and budget totals of the whole filtered set. */
export async function projectPage(
  conn: Conn,
  user: CurrentUser,
  f: ProjectFilter,
  sort: ProjectSort,
  locale: Locale,
  page: number,
  pageSize: number,
): Promise<ProjectPage> {
  const [totals] = (await filtered(conn, user, f)
    .clone()
    .select(
      conn.raw('count(*) as n'),
      conn.raw('sum(projects.budget_planned) as bp'),
      conn.raw('sum(projects.budget_actual) as ba'),
    )) as Record<string, unknown>[];
  const total = num(totals?.n);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  const rows = (await applySort(listColumns(filtered(conn, user, f)), sort, locale)
    .limit(pageSize)
    .offset((current - 1) * pageSize)) as Record<string, unknown>[];
  return {
    rows: rows.map(toRow),
    total,
    budgetPlanned: num(totals?.bp),
    budgetActual: num(totals?.ba),
    page: current,
    pages,
    pageSize,
  };
}

/** Every project matching the filter, in the same order (for exports): one query. */
export async function allProjects(
  conn: Conn,
  user: CurrentUser,
  f: ProjectFilter,
  sort: ProjectSort,
  locale: Locale,
): Promise<ProjectListRow[]> {
  const rows = (await applySort(listColumns(filtered(conn, user, f)), sort, locale)) as Record<
    string,
    unknown
  >[];
  return rows.map(toRow);
}

export interface Option {
  id: number;
  code?: string;
  nameEn: string;
  nameAr: string;
}

/** What the filter drop-downs offer: visible programs, and the managers and sponsors of visible projects. */
export async function filterOptions(
  conn: Conn,
  user: CurrentUser,
): Promise<{ programs: Option[]; managers: Option[]; sponsors: Option[] }> {
  const people = (column: 'manager_id' | 'sponsor_id') =>
    conn('users')
      .select('id', 'name_en as nameEn', 'name_ar as nameAr')
      .whereIn(
        'id',
        whereProjectVisible(conn('projects').select(`projects.${column}`), user).whereNotNull(
          `projects.${column}`,
        ),
      )
      .orderBy('name_en') as Promise<Option[]>;
  const programs = whereProgramVisible(
    conn('programs').select(
      'programs.id',
      'programs.code',
      'programs.name_en as nameEn',
      'programs.name_ar as nameAr',
    ),
    user,
  ).orderBy('programs.code') as Promise<Option[]>;
  return {
    programs: await programs,
    managers: await people('manager_id'),
    sponsors: await people('sponsor_id'),
  };
}
