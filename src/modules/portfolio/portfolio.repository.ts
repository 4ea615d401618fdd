import type { Knex } from 'knex';
import type { CurrentUser } from '../../auth/current-user.js';
import type { Conn } from '../../db/knex.js';
import { whereContains } from '../../db/util.js';
import type { Locale } from '../../i18n/locales.js';
import { programFactsOf } from '../programs/programs.repository.js';
import { seesWholePortfolio } from '../../auth/roles.js';
import { whereProgramVisible, whereProjectVisible } from '../projects/projects.access.js';
import { programRollupFromTotals, type ProgramRollup, type Rag } from './portfolio.rules.js';
import type { Phase, ProjectStatus } from './portfolio.values.js';

/**
 * Portfolio queries: a page of programs with their roll-ups and the totals of everything the user
 * sees (from the maintained program_rollups for the roles that see the whole portfolio), the
 * filtered, sorted, paged project list (count and totals in one query, the page in another) and
 * bounded filter options — a constant number of queries, each reading a bounded number of rows,
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
  /** Search text for the program (an exact code, else part of a code or name) when too many to list. */
  programText?: string;
  /** Part of the project manager's name, in either language. */
  managerText?: string;
  /** Part of the sponsor's name, in either language. */
  sponsorText?: string;
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

/** A program's row on the portfolio page. */
export interface ProgramBrief {
  id: number;
  code: string;
  nameEn: string;
  nameAr: string;
  rollup: ProgramRollup;
}

/** A program's row on the programs page. */
export interface ProgramListItem extends ProgramBrief {
  status: string;
  plannedStart: string | null;
  plannedEnd: string | null;
  sponsorId: number | null;
  sponsorEn: string | null;
  sponsorAr: string | null;
  managerId: number | null;
  managerEn: string | null;
  managerAr: string | null;
}

/** A program's page. */
export interface ProgramSummary extends ProgramListItem {
  descriptionEn: string | null;
  descriptionAr: string | null;
}

/** How much of a program a query reads: every column read costs (the driver builds each row). */
type ProgramDetail = 'brief' | 'list' | 'full';

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/**
 * The ids of the projects a restricted user (pm, sponsor) may be attached to, each branch an
 * indexed lookup (manager, sponsor, team member, program sponsor or manager). It is only a
 * narrowing for speed: `whereProjectVisible` still decides, so it must stay a superset of the
 * projects that rule admits (the same four attachments).
 */
function attachedProjectIds(conn: Conn, uid: number): Knex.QueryBuilder {
  const ownPrograms = conn('programs as cg')
    .select('cg.id')
    .where('cg.sponsor_id', uid)
    .union((u) => u.select('cg2.id').from('programs as cg2').where('cg2.manager_id', uid));
  return conn('projects as cp')
    .select('cp.id')
    .where('cp.manager_id', uid)
    .union((u) => u.select('cp2.id').from('projects as cp2').where('cp2.sponsor_id', uid))
    .union((u) => u.select('cm.project_id').from('project_members as cm').where('cm.user_id', uid))
    .union((u) => u.select('cp3.id').from('projects as cp3').whereIn('cp3.program_id', ownPrograms));
}

/** The ids of the programs a restricted user may see: those of their projects, and their own. */
function attachedProgramIds(conn: Conn, uid: number): Knex.QueryBuilder {
  return conn('projects as ap')
    .select('ap.program_id')
    .whereIn('ap.id', attachedProjectIds(conn, uid))
    .union((u) => u.select('ag.id').from('programs as ag').where('ag.sponsor_id', uid))
    .union((u) => u.select('ag2.id').from('programs as ag2').where('ag2.manager_id', uid));
}

/**
 * The projects the user may see (`whereProjectVisible`), found through indexes: for the roles that
 * see the whole portfolio it is every project; for the others only their attachments are read, so
 * the cost follows what they see, not the size of the portfolio.
 */
export function visibleProjects(conn: Conn, user: CurrentUser, alias = 'projects'): Knex.QueryBuilder {
  const q = conn(alias === 'projects' ? 'projects' : `projects as ${alias}`);
  if (!seesWholePortfolio(user.role)) q.whereIn(`${alias}.id`, attachedProjectIds(conn, user.id));
  return whereProjectVisible(q, user, alias);
}

/** The programs the user may see (`whereProgramVisible`), found through indexes like visibleProjects. */
export function visiblePrograms(conn: Conn, user: CurrentUser): Knex.QueryBuilder {
  const q = conn('programs');
  if (!seesWholePortfolio(user.role)) q.whereIn('programs.id', attachedProgramIds(conn, user.id));
  return whereProgramVisible(q, user);
}

/** Aggregates of the visible projects per program, as a subquery (restricted roles). */
function rollupSubquery(conn: Conn, user: CurrentUser): Knex.QueryBuilder {
  return visibleProjects(conn, user, 'rp')
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
    .groupBy('rp.program_id');
}

/** The roll-up of a row of sums named n, bp, ba, pxb, ps, g, a, r (after `prefix`). */
function rollupOf(r: Record<string, unknown> | undefined, prefix = ''): ProgramRollup {
  const v = (name: string) => num(r?.[prefix + name]);
  return programRollupFromTotals({
    projects: v('n'),
    budgetPlanned: v('bp'),
    budgetActual: v('ba'),
    progressTimesBudget: v('pxb'),
    progressSum: v('ps'),
    green: v('g'),
    amber: v('a'),
    red: v('r'),
  });
}

/**
 * Programs with the roll-up of the projects the user may see in them. The roles that see the
 * whole portfolio read the maintained `program_rollups` rows (see the migration of that name);
 * the others aggregate their own projects.
 */
function programsQuery(conn: Conn, user: CurrentUser, detail: ProgramDetail): Knex.QueryBuilder {
  const whole = seesWholePortfolio(user.role);
  const q = (whole ? conn('programs') : visiblePrograms(conn, user)).select(
    'programs.id',
    'programs.code',
    'programs.name_en',
    'programs.name_ar',
  );
  if (detail !== 'brief')
    q.leftJoin('users as sp', 'sp.id', 'programs.sponsor_id')
      .leftJoin('users as mg', 'mg.id', 'programs.manager_id')
      .select(
        'programs.status',
        'programs.planned_start',
        'programs.planned_end',
        'programs.sponsor_id',
        'sp.name_en as sponsor_en',
        'sp.name_ar as sponsor_ar',
        'programs.manager_id',
        'mg.name_en as manager_en',
        'mg.name_ar as manager_ar',
      );
  if (detail === 'full') q.select('programs.description_en', 'programs.description_ar');
  if (whole)
    q.leftJoin('program_rollups as agg', 'agg.program_id', 'programs.id').select(
      'agg.projects as n',
      'agg.budget_planned as bp',
      'agg.budget_actual as ba',
      'agg.progress_budget as pxb',
      'agg.progress_sum as ps',
      'agg.green as g',
      'agg.amber as a',
      'agg.red as r',
    );
  else
    q.leftJoin(rollupSubquery(conn, user).as('agg'), 'agg.program_id', 'programs.id').select(
      'agg.n',
      'agg.bp',
      'agg.ba',
      'agg.pxb',
      'agg.ps',
      'agg.g',
      'agg.a',
      'agg.r',
    );
  return q;
}

function toBrief(r: Record<string, unknown>): ProgramBrief {
  return {
    id: Number(r.id),
    code: r.code as string,
    nameEn: r.name_en as string,
    nameAr: r.name_ar as string,
    rollup: rollupOf(r),
  };
}

function toListItem(r: Record<string, unknown>): ProgramListItem {
  return {
    ...toBrief(r),
    status: r.status as string,
    plannedStart: (r.planned_start as string | null) ?? null,
    plannedEnd: (r.planned_end as string | null) ?? null,
    sponsorId: (r.sponsor_id as number | null) ?? null,
    sponsorEn: (r.sponsor_en as string | null) ?? null,
    sponsorAr: (r.sponsor_ar as string | null) ?? null,
    managerId: (r.manager_id as number | null) ?? null,
    managerEn: (r.manager_en as string | null) ?? null,
    managerAr: (r.manager_ar as string | null) ?? null,
  };
}

function toSummary(r: Record<string, unknown>): ProgramSummary {
  return {
    ...toListItem(r),
    ...programFactsOf(r),
  };
}

/** One visible program with the roll-up of the projects the user may see in it, or undefined. */
export async function programSummary(
  conn: Conn,
  user: CurrentUser,
  programId: number,
): Promise<ProgramSummary | undefined> {
  const rows = (await programsQuery(conn, user, 'full').where('programs.id', programId)) as Record<
    string,
    unknown
  >[];
  return rows[0] && toSummary(rows[0]);
}

/** The visible portfolio at a glance: how many programs, and the roll-up of every visible project. */
export interface PortfolioTotals {
  programs: number;
  rollup: ProgramRollup;
}

/** One row of sums over what the user sees: programs, and t_n, t_bp, … of their projects. */
function totalsQuery(conn: Conn, user: CurrentUser): Knex.QueryBuilder {
  if (seesWholePortfolio(user.role))
    // program_rollups has one row per program (a trigger adds it; it goes with the program)
    return conn('program_rollups as tagg').select(
      conn.raw('count(*) as t_programs'),
      conn.raw('sum(tagg.projects) as t_n'),
      conn.raw('sum(tagg.budget_planned) as t_bp'),
      conn.raw('sum(tagg.budget_actual) as t_ba'),
      conn.raw('sum(tagg.progress_budget) as t_pxb'),
      conn.raw('sum(tagg.progress_sum) as t_ps'),
      conn.raw('sum(tagg.green) as t_g'),
      conn.raw('sum(tagg.amber) as t_a'),
      conn.raw('sum(tagg.red) as t_r'),
    );
  return visibleProjects(conn, user, 'tp').select(
    conn.raw('(?) as t_programs', [visiblePrograms(conn, user).count({ c: '*' })]),
    conn.raw('count(*) as t_n'),
    conn.raw('sum(tp.budget_planned) as t_bp'),
    conn.raw('sum(tp.budget_actual) as t_ba'),
    conn.raw('sum(tp.progress_pct * tp.budget_planned) as t_pxb'),
    conn.raw('sum(tp.progress_pct) as t_ps'),
    conn.raw("sum(case when tp.health = 'green' then 1 else 0 end) as t_g"),
    conn.raw("sum(case when tp.health = 'amber' then 1 else 0 end) as t_a"),
    conn.raw("sum(case when tp.health = 'red' then 1 else 0 end) as t_r"),
  );
}

function totalsOf(r: Record<string, unknown> | undefined): PortfolioTotals {
  return {
    programs: num(r?.t_programs),
    rollup: rollupOf(r, 't_'),
  };
}

/**
 * `limit` visible programs in code order from `offset`, with their roll-ups, and the totals of
 * everything the user sees — one query (the totals row joined to the page), whose cost follows the
 * page and the number of programs, not the number of projects.
 */
async function overview<T extends ProgramBrief>(
  conn: Conn,
  user: CurrentUser,
  detail: ProgramDetail,
  toItem: (r: Record<string, unknown>) => T,
  limit: number,
  offset: number,
): Promise<{ programs: T[]; totals: PortfolioTotals }> {
  const page = programsQuery(conn, user, detail).orderBy('programs.code').limit(limit).offset(offset);
  const rows = (await conn
    .from(totalsQuery(conn, user).as('tot'))
    .leftJoin(page.as('pg'), (j) => j.on(conn.raw('1 = 1')))
    .select('tot.*', 'pg.*')
    .orderBy('pg.code')) as Record<string, unknown>[];
  return {
    programs: rows.filter((r) => r.id !== null && r.id !== undefined).map(toItem),
    totals: totalsOf(rows[0]),
  };
}

/** The programs of the portfolio page (code, names, roll-up) and the totals: one query. */
export function programOverview(conn: Conn, user: CurrentUser, limit: number, offset = 0) {
  return overview(conn, user, 'brief', toBrief, limit, offset);
}

/** The programs of the programs page (with people, status and dates) and the totals: one query. */
export function programList(conn: Conn, user: CurrentUser, limit: number, offset = 0) {
  return overview(conn, user, 'list', toListItem, limit, offset);
}

/** Programs whose code is the text, or, when none is, whose code or name contains it. */
function programsMatching(conn: Conn, text: string): Knex.QueryBuilder {
  const exact = text.trim().toUpperCase();
  return conn('programs as sg')
    .select('sg.id')
    .where((w) =>
      w
        .where('sg.code', exact)
        .orWhere((o) =>
          o
            .whereNotExists((x) => x.select(1).from('programs as sg2').where('sg2.code', exact))
            .andWhere((l) => whereContains(l, ['sg.code', 'sg.name_en', 'sg.name_ar'], text)),
        ),
    );
}

/** People whose name, in either language, contains the text. */
function peopleMatching(conn: Conn, text: string): Knex.QueryBuilder {
  return whereContains(conn('users as su2').select('su2.id'), ['su2.name_en', 'su2.name_ar'], text);
}

/** The visible projects matching the filter (no ordering, no columns chosen). */
function filtered(conn: Conn, user: CurrentUser, f: ProjectFilter): Knex.QueryBuilder {
  const q = visibleProjects(conn, user);
  if (f.program) q.where('projects.program_id', f.program);
  if (f.phase) q.where('projects.phase', f.phase);
  if (f.status) q.where('projects.status', f.status);
  if (f.health) q.where('projects.health', f.health);
  if (f.manager) q.where('projects.manager_id', f.manager);
  if (f.sponsor) q.where('projects.sponsor_id', f.sponsor);
  if (f.programText) q.whereIn('projects.program_id', programsMatching(conn, f.programText));
  if (f.managerText) q.whereIn('projects.manager_id', peopleMatching(conn, f.managerText));
  if (f.sponsorText) q.whereIn('projects.sponsor_id', peopleMatching(conn, f.sponsorText));
  if (f.q) whereContains(q, ['projects.code', 'projects.name_en', 'projects.name_ar'], f.q);
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

/** The columns of the page's table (the export has more: EXPORT_COLUMNS). */
const PAGE_COLUMNS = [
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
  'projects.phase',
  'projects.status',
  'projects.health',
  'projects.progress_pct as progressPct',
  'projects.budget_planned as budgetPlanned',
  'projects.budget_actual as budgetActual',
  'projects.schedule_variance_days as scheduleVarianceDays',
  'projects.next_milestone_date as nextMilestoneDate',
];
const EXPORT_COLUMNS = [
  ...PAGE_COLUMNS,
  'projects.sponsor_id as sponsorId',
  'su.name_en as sponsorEn',
  'su.name_ar as sponsorAr',
  'projects.priority',
  'projects.late_milestones as lateMilestones',
  'projects.planned_start as plannedStart',
  'projects.planned_end as plannedEnd',
  'projects.actual_start as actualStart',
  'projects.actual_end as actualEnd',
  'projects.last_report_at as lastReportAt',
];

function pageColumns(q: Knex.QueryBuilder): Knex.QueryBuilder {
  // every column read costs (the driver builds each row object property by property)
  return q
    .join('programs as pg', 'pg.id', 'projects.program_id')
    .leftJoin('users as mu', 'mu.id', 'projects.manager_id')
    .select(PAGE_COLUMNS);
}

function listColumns(q: Knex.QueryBuilder): Knex.QueryBuilder {
  return q
    .join('programs as pg', 'pg.id', 'projects.program_id')
    .leftJoin('users as mu', 'mu.id', 'projects.manager_id')
    .leftJoin('users as su', 'su.id', 'projects.sponsor_id')
    .select(EXPORT_COLUMNS);
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

/** A row of the portfolio page's table. */
export type ProjectPageRow = Pick<
  ProjectListRow,
  | 'id'
  | 'code'
  | 'nameEn'
  | 'nameAr'
  | 'programId'
  | 'programCode'
  | 'programNameEn'
  | 'programNameAr'
  | 'managerId'
  | 'managerEn'
  | 'managerAr'
  | 'phase'
  | 'status'
  | 'health'
  | 'progressPct'
  | 'budgetPlanned'
  | 'budgetActual'
  | 'scheduleVarianceDays'
  | 'nextMilestoneDate'
>;

export interface ProjectPage {
  rows: ProjectPageRow[];
  total: number;
  budgetPlanned: number;
  budgetActual: number;
  page: number;
  pages: number;
  pageSize: number;
}

/**
 * One page of the filtered project list with the count and budget totals of the whole filtered set.
 * `known` gives those totals when the caller already has them (the unfiltered list of everything
 * the user sees: `programOverview`), saving the count over the portfolio.
 */
export async function projectPage(
  conn: Conn,
  user: CurrentUser,
  f: ProjectFilter,
  sort: ProjectSort,
  locale: Locale,
  page: number,
  pageSize: number,
  known?: { total: number; budgetPlanned: number; budgetActual: number },
): Promise<ProjectPage> {
  let totals = known;
  if (!totals) {
    const [r] = (await filtered(conn, user, f)
      .clone()
      .select(
        conn.raw('count(*) as n'),
        conn.raw('sum(projects.budget_planned) as bp'),
        conn.raw('sum(projects.budget_actual) as ba'),
      )) as Record<string, unknown>[];
    totals = { total: num(r?.n), budgetPlanned: num(r?.bp), budgetActual: num(r?.ba) };
  }
  const pages = Math.max(1, Math.ceil(totals.total / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  const rows = (await applySort(pageColumns(filtered(conn, user, f)), sort, locale)
    .limit(pageSize)
    .offset((current - 1) * pageSize)) as Record<string, unknown>[];
  return { rows: rows.map(toRow), ...totals, page: current, pages, pageSize };
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

/**
 * A filter's choices: every option when there are at most `OPTIONS_MAX` (a drop-down), otherwise
 * none (a search field): `selected` is then the option chosen by id in the URL, if any.
 */
export interface FilterChoices {
  mode: 'select' | 'search';
  options: Option[];
  selected?: Option;
}

/** Beyond this many choices a filter is a search field instead of a drop-down. */
export const OPTIONS_MAX = 40;

function choicesOf(
  count: number,
  rows: Option[],
  selected: Option | undefined,
  order: (a: Option, b: Option) => number,
): FilterChoices {
  if (count <= OPTIONS_MAX) return { mode: 'select', options: rows.sort(order) };
  return { mode: 'search', options: [], selected };
}

const collator = new Intl.Collator('en');
const byCode = (a: Option, b: Option) => (a.code! < b.code! ? -1 : a.code! > b.code! ? 1 : 0);
const byName = (a: Option, b: Option) => collator.compare(a.nameEn, b.nameEn) || a.id - b.id;

/**
 * The filter options of the roles that see the whole portfolio, as one fixed SQL text (knex took
 * longer to build this compound query than the database to run it). People are found by a loose
 * index scan — the next distinct manager (or sponsor) id after the last, OPTIONS_MAX + 1 times —
 * so neither the number of projects nor of users matters. Rows: `<kind>:count` (id = how many, up
 * to OPTIONS_MAX + 1), `<kind>` (only when not too many) and `<kind>:chosen`.
 */
const WHOLE_PORTFOLIO_OPTIONS = (() => {
  const people = (column: string, cte: string) => `
  ${cte}(id, k) AS (
    SELECT (SELECT min(${column}) FROM projects), 1
    UNION ALL
    SELECT (SELECT min(p.${column}) FROM projects p WHERE p.${column} > ${cte}.id), k + 1
    FROM ${cte} WHERE ${cte}.id IS NOT NULL AND k <= ${OPTIONS_MAX}
  )`;
  const list = (kind: string, cte: string, rows: string) => `
  SELECT '${kind}:count' AS kind, (SELECT count(id) FROM ${cte}) AS id, NULL AS code, NULL AS "nameEn", NULL AS "nameAr"
  UNION ALL
  ${rows} AND (SELECT count(id) FROM ${cte}) <= ${OPTIONS_MAX}`;
  const person = (kind: string, cte: string) =>
    list(
      kind,
      cte,
      `SELECT '${kind}', u.id, NULL, u.name_en, u.name_ar FROM users u WHERE u.id IN (SELECT id FROM ${cte})`,
    );
  const chosenPerson = (kind: string) => `
  SELECT '${kind}:chosen', u.id, NULL, u.name_en, u.name_ar FROM users u
  WHERE u.id = ? AND EXISTS (SELECT 1 FROM projects p WHERE p.${kind} = u.id)`;
  return `WITH RECURSIVE
  prg(id) AS (SELECT id FROM programs ORDER BY code LIMIT ${OPTIONS_MAX + 1}),${people('manager_id', 'mgr')},${people('sponsor_id', 'spn')}
  ${list('program', 'prg', `SELECT 'program', g.id, g.code, g.name_en, g.name_ar FROM programs g WHERE g.id IN (SELECT id FROM prg)`)}
  UNION ALL
  SELECT 'program:chosen', g.id, g.code, g.name_en, g.name_ar FROM programs g WHERE g.id = ?
  UNION ALL${person('manager_id', 'mgr')}
  UNION ALL${person('sponsor_id', 'spn')}
  UNION ALL${chosenPerson('manager_id')}
  UNION ALL${chosenPerson('sponsor_id')}`;
})();

/**
 * What the program, manager and sponsor filters offer: visible programs, and the managers and
 * sponsors of visible projects. One query counts at most OPTIONS_MAX + 1 of each — programs in
 * code order, people as the first distinct ids in the projects' index — and reads them only when
 * there are no more than OPTIONS_MAX (a drop-down); otherwise it reads only the option chosen by id
 * in the URL, if the user may see it (a search field shows it). Its cost does not grow with the
 * portfolio.
 */
export async function filterOptions(
  conn: Conn,
  user: CurrentUser,
  chosen: { program?: number; manager?: number; sponsor?: number } = {},
): Promise<{ programs: FilterChoices; managers: FilterChoices; sponsors: FilterChoices }> {
  const whole = seesWholePortfolio(user.role);
  const rows = whole
    ? await rawRows<Option & { kind: string }>(conn, WHOLE_PORTFOLIO_OPTIONS, [
        chosen.program ?? 0,
        chosen.manager ?? 0,
        chosen.sponsor ?? 0,
      ])
    : await restrictedOptions(conn, user, chosen);
  const of = (kind: string) =>
    rows
      .filter((r) => r.kind === kind)
      .map(({ kind: _k, code, ...o }): Option => ({
        ...o,
        id: Number(o.id),
        ...(code === null ? {} : { code }),
      }));
  const choices = (kind: string, order: (a: Option, b: Option) => number) =>
    choicesOf(Number(of(`${kind}:count`)[0]?.id ?? 0), of(kind), of(`${kind}:chosen`)[0], order);
  return {
    programs: choices('program', byCode),
    managers: choices('manager_id', byName),
    sponsors: choices('sponsor_id', byName),
  };
}

/** The rows of filterOptions for a pm or sponsor: the same kinds, over what they see. */
async function restrictedOptions(
  conn: Conn,
  user: CurrentUser,
  chosen: { program?: number; manager?: number; sponsor?: number },
): Promise<(Option & { kind: string })[]> {
  const projectsOf = () => visibleProjects(conn, user, 'op');
  const programs = (kind: string) =>
    visiblePrograms(conn, user).select(
      conn.raw(`'${kind}' as kind`),
      'programs.id',
      'programs.code',
      'programs.name_en as nameEn',
      'programs.name_ar as nameAr',
    );
  const people = (kind: string, ids: Knex.QueryBuilder) =>
    conn('users as ou')
      .select(
        conn.raw(`'${kind}' as kind`),
        'ou.id',
        conn.raw('null as code'),
        'ou.name_en as nameEn',
        'ou.name_ar as nameAr',
      )
      .whereIn('ou.id', ids);
  const firstPeople = (column: string) =>
    people(
      column,
      projectsOf()
        .select(`op.${column}`)
        .whereNotNull(`op.${column}`)
        .groupBy(`op.${column}`)
        .limit(OPTIONS_MAX + 1),
    );
  const chosenPerson = (column: string, id: number) =>
    people(`${column}:chosen`, projectsOf().select(`op.${column}`).where(`op.${column}`, id));
  // kinds are fixed words of this function, written into the SQL
  const lists: [string, () => Knex.QueryBuilder][] = [
    [
      'program',
      () =>
        programs('program')
          .orderBy('programs.code')
          .limit(OPTIONS_MAX + 1),
    ],
    ['manager_id', () => firstPeople('manager_id')],
    ['sponsor_id', () => firstPeople('sponsor_id')],
  ];
  const parts: Knex.QueryBuilder[] = [];
  lists.forEach(([kind, list], i) => {
    // how many (up to OPTIONS_MAX + 1), then the options themselves when there are not too many
    parts.push(
      conn
        .from(list().as(`c${i}`))
        .select(conn.raw(`'${kind}:count' as kind`), conn.raw('count(*) as id'))
        .select(
          conn.raw('null as code'),
          conn.raw('null as ??', ['nameEn']),
          conn.raw('null as ??', ['nameAr']),
        ),
      conn
        .from(list().as(`o${i}`))
        .select('*')
        .whereRaw('(?) <= ?', [conn.from(list().as(`n${i}`)).count({ n: '*' }), OPTIONS_MAX]),
    );
  });
  if (chosen.program) parts.push(programs('program:chosen').where('programs.id', chosen.program));
  if (chosen.manager) parts.push(chosenPerson('manager_id', chosen.manager));
  if (chosen.sponsor) parts.push(chosenPerson('sponsor_id', chosen.sponsor));
  // one query; each part keeps its own order and limit inside a derived table
  const [first, ...rest] = parts.map((p, i) => conn.select('*').from(p.as(`p${i}`)));
  for (const p of rest) first.unionAll(p);
  return (await first) as (Option & { kind: string })[];
}

/** The rows of a raw SELECT, on SQLite and PostgreSQL alike. */
async function rawRows<T>(conn: Conn, sql: string, bindings: readonly Knex.Value[]): Promise<T[]> {
  const r = (await conn.raw(sql, bindings)) as T[] | { rows: T[] };
  return Array.isArray(r) ? r : r.rows;
}
