import type { Knex } from 'knex';
import type { CurrentUser } from '../../auth/current-user.js';
import type { Conn } from '../../db/knex.js';
import { insertOne } from '../../db/util.js';
import { canonicalJson } from '../audit/audit.service.js';
import { whereProgramVisible, whereProjectVisible } from '../projects/projects.access.js';
import type { MilestoneStatus } from '../portfolio/portfolio.rules.js';
import type { Changes } from './milestones.rules.js';

/** Knex queries for milestones and their update history; snake_case rows become camelCase here. */

export interface Milestone {
  id: number;
  projectId: number;
  titleEn: string;
  titleAr: string;
  plannedDate: string;
  forecastDate: string | null;
  actualDate: string | null;
  percentComplete: number;
  weight: number;
  ownerId: number | null;
  ownerEn: string | null;
  ownerAr: string | null;
  status: MilestoneStatus;
  notes: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A milestone with the project (and program) it belongs to, for portfolio-wide lists. */
export interface MilestoneInPortfolio extends Milestone {
  projectCode: string;
  projectEn: string;
  projectAr: string;
  programId: number;
  programCode: string;
}

const COLUMNS = [
  'm.id',
  'm.project_id',
  'm.title_en',
  'm.title_ar',
  'm.planned_date',
  'm.forecast_date',
  'm.actual_date',
  'm.percent_complete',
  'm.weight',
  'm.owner_id',
  'o.name_en as owner_en',
  'o.name_ar as owner_ar',
  'm.status',
  'm.notes',
  'm.version',
  'm.created_at',
  'm.updated_at',
];

export function toMilestone(r: Record<string, unknown>): Milestone {
  return {
    id: Number(r.id),
    projectId: Number(r.project_id),
    titleEn: r.title_en as string,
    titleAr: r.title_ar as string,
    plannedDate: r.planned_date as string,
    forecastDate: (r.forecast_date as string | null) ?? null,
    actualDate: (r.actual_date as string | null) ?? null,
    percentComplete: Number(r.percent_complete),
    weight: Number(r.weight),
    ownerId: r.owner_id === null || r.owner_id === undefined ? null : Number(r.owner_id),
    ownerEn: (r.owner_en as string | null) ?? null,
    ownerAr: (r.owner_ar as string | null) ?? null,
    status: r.status as MilestoneStatus,
    notes: (r.notes as string | null) ?? null,
    version: Number(r.version),
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
  };
}

function base(conn: Conn) {
  return conn('milestones as m').leftJoin('users as o', 'o.id', 'm.owner_id').select(COLUMNS);
}

/** A project's milestones in planned-date order (one query, owners joined). */
export async function listProjectMilestones(conn: Conn, projectId: number): Promise<Milestone[]> {
  const rows = await base(conn)
    .where('m.project_id', projectId)
    .orderBy([{ column: 'm.planned_date' }, { column: 'm.sort_order' }, { column: 'm.id' }]);
  return rows.map(toMilestone);
}

/** The milestones of several projects at once, in planned-date order (one query). */
export async function listMilestonesOf(conn: Conn, projectIds: number[]): Promise<Milestone[]> {
  if (projectIds.length === 0) return [];
  const rows = await base(conn)
    .whereIn('m.project_id', projectIds)
    .orderBy([{ column: 'm.planned_date' }, { column: 'm.sort_order' }, { column: 'm.id' }]);
  return rows.map(toMilestone);
}

export async function findProjectMilestone(
  conn: Conn,
  projectId: number,
  id: number,
): Promise<Milestone | undefined> {
  const row = await base(conn).where({ 'm.project_id': projectId, 'm.id': id }).first();
  return row ? toMilestone(row) : undefined;
}

export async function nextSortOrder(conn: Conn, projectId: number): Promise<number> {
  const row = (await conn('milestones').where({ project_id: projectId }).max({ n: 'sort_order' }).first()) as
    { n: number | null } | undefined;
  return Number(row?.n ?? 0) + 1;
}

export interface MilestoneUpdate {
  id: number;
  at: string;
  note: string | null;
  changes: Changes;
  userId: number | null;
  userEn: string | null;
  userAr: string | null;
}

export async function insertMilestoneUpdate(
  conn: Conn,
  row: { milestoneId: number; userId: number; at: string; note: string | null; changes: Changes },
): Promise<number> {
  return insertOne(conn, 'milestone_updates', {
    milestone_id: row.milestoneId,
    user_id: row.userId,
    at: row.at,
    note: row.note,
    changes: canonicalJson(row.changes),
  });
}

function parseChanges(text: unknown): Changes {
  try {
    const v = JSON.parse(String(text)) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Changes) : {};
  } catch {
    return {};
  }
}

/** A milestone's history, newest first (one query). */
export async function listMilestoneUpdates(conn: Conn, milestoneId: number, limit = 200) {
  const rows = await conn('milestone_updates as u')
    .leftJoin('users as w', 'w.id', 'u.user_id')
    .select('u.id', 'u.at', 'u.note', 'u.changes', 'u.user_id', 'w.name_en', 'w.name_ar')
    .where('u.milestone_id', milestoneId)
    .orderBy([
      { column: 'u.at', order: 'desc' },
      { column: 'u.id', order: 'desc' },
    ])
    .limit(limit);
  return rows.map((r: Record<string, unknown>): MilestoneUpdate => ({
    id: Number(r.id),
    at: r.at as string,
    note: (r.note as string | null) ?? null,
    changes: parseChanges(r.changes),
    userId: r.user_id === null ? null : Number(r.user_id),
    userEn: (r.name_en as string | null) ?? null,
    userAr: (r.name_ar as string | null) ?? null,
  }));
}

/** People a milestone can be given to: active users, by name. */
export async function listOwnerChoices(conn: Conn) {
  const rows = await conn('users')
    .select('id', 'name_en', 'name_ar')
    .where({ active: true })
    .orderBy([{ column: 'name_en' }, { column: 'id' }]);
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    nameEn: r.name_en as string,
    nameAr: r.name_ar as string,
  }));
}

export async function isActiveUser(conn: Conn, id: number): Promise<boolean> {
  return !!(await conn('users').select('id').where({ id, active: true }).first());
}

// ---------------------------------------------------------------------------------------------
// Portfolio-wide milestone lists (dashboards, the milestone list, exports), always scoped to the
// projects the user may see.

export const OPEN_STATUSES = ['not_started', 'in_progress'] as const;

/** Open and late on `today`: past the planned date, or forecast past it (portfolio.rules). */
export function whereLate(qb: Knex.QueryBuilder, today: string): Knex.QueryBuilder {
  return qb
    .whereIn('m.status', OPEN_STATUSES)
    .andWhere((w) =>
      w
        .where('m.planned_date', '<', today)
        .orWhere((x) => x.whereNotNull('m.forecast_date').andWhereRaw('m.forecast_date > m.planned_date')),
    );
}

/** Open and planned between today and `until` (inclusive). */
export function whereDueBetween(qb: Knex.QueryBuilder, today: string, until: string): Knex.QueryBuilder {
  return qb.whereIn('m.status', OPEN_STATUSES).andWhereBetween('m.planned_date', [today, until]);
}

export interface PortfolioMilestoneQuery {
  programId?: number;
  projectId?: number;
  late?: boolean;
  /** Open milestones planned from today to this date. */
  dueUntil?: string;
  today: string;
}

function portfolioBase(conn: Conn, user: CurrentUser, q: PortfolioMilestoneQuery) {
  const qb = conn('milestones as m')
    .join('projects as p', 'p.id', 'm.project_id')
    .join('programs as g', 'g.id', 'p.program_id');
  whereProjectVisible(qb, user, 'p');
  if (q.programId) qb.where('p.program_id', q.programId);
  if (q.projectId) qb.where('m.project_id', q.projectId);
  if (q.late) whereLate(qb, q.today);
  if (q.dueUntil) whereDueBetween(qb, q.today, q.dueUntil);
  return qb;
}

/** A milestone's columns with its project's and program's (joined as p and g, owner as o). */
export const PORTFOLIO_COLUMNS = [
  ...COLUMNS,
  'p.code as project_code',
  'p.name_en as project_en',
  'p.name_ar as project_ar',
  'p.program_id',
  'g.code as program_code',
];

export function toMilestoneInPortfolio(r: Record<string, unknown>): MilestoneInPortfolio {
  return {
    ...toMilestone(r),
    projectCode: r.project_code as string,
    projectEn: r.project_en as string,
    projectAr: r.project_ar as string,
    programId: Number(r.program_id),
    programCode: r.program_code as string,
  };
}

/** One page of the milestones the user may see, in planned-date order, and the total (two queries). */
export async function listPortfolioMilestones(
  conn: Conn,
  user: CurrentUser,
  q: PortfolioMilestoneQuery,
  limit: number | null,
  offset = 0,
): Promise<{ rows: MilestoneInPortfolio[]; total: number }> {
  const rowsQuery = portfolioBase(conn, user, q)
    .leftJoin('users as o', 'o.id', 'm.owner_id')
    .select(PORTFOLIO_COLUMNS)
    .orderBy([
      { column: 'm.planned_date' },
      { column: 'p.code' },
      { column: 'm.sort_order' },
      { column: 'm.id' },
    ]);
  if (limit !== null) rowsQuery.limit(limit).offset(offset);
  const [rows, count] = await Promise.all([
    rowsQuery,
    limit === null ? Promise.resolve(null) : portfolioBase(conn, user, q).count({ n: '*' }).first(),
  ]);
  const list = (rows as Record<string, unknown>[]).map(toMilestoneInPortfolio);
  const total = count ? Number((count as { n: number | string }).n) : list.length;
  return { rows: list, total };
}

/** Programs the user may see, by code (for filters). */
export interface ProgramChoice {
  id: number;
  code: string;
  nameEn: string;
  nameAr: string;
}

export async function listVisiblePrograms(conn: Conn, user: CurrentUser): Promise<ProgramChoice[]> {
  const rows = await whereProgramVisible(
    conn('programs').select('programs.id', 'programs.code', 'programs.name_en', 'programs.name_ar'),
    user,
  ).orderBy('programs.code');
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    code: r.code as string,
    nameEn: r.name_en as string,
    nameAr: r.name_ar as string,
  }));
}
