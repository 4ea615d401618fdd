import type { CurrentUser } from '../../auth/current-user.js';
import type { Conn } from '../../db/knex.js';
import type { Rag, ReportFrequency } from '../portfolio/portfolio.rules.js';
import { whereProjectVisible } from './projects.access.js';

/** A project as the use cases see it (camelCase), with its derived health columns. */
export interface ProjectRecord {
  id: number;
  code: string;
  programId: number;
  nameEn: string;
  nameAr: string;
  descriptionEn: string | null;
  descriptionAr: string | null;
  scope: string | null;
  managerId: number | null;
  sponsorId: number | null;
  phase: string;
  status: string;
  priority: string;
  reportFrequency: ReportFrequency;
  plannedStart: string | null;
  plannedEnd: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  budgetPlanned: number;
  budgetActual: number;
  currency: string;
  health: Rag;
  progressPct: number;
  scheduleVarianceDays: number;
  lateMilestones: number;
  nextMilestoneDate: string | null;
  lastReportAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

export function toProject(r: Record<string, unknown>): ProjectRecord {
  return {
    id: r.id as number,
    code: r.code as string,
    programId: r.program_id as number,
    nameEn: r.name_en as string,
    nameAr: r.name_ar as string,
    descriptionEn: s(r.description_en),
    descriptionAr: s(r.description_ar),
    scope: s(r.scope),
    managerId: (r.manager_id as number | null) ?? null,
    sponsorId: (r.sponsor_id as number | null) ?? null,
    phase: r.phase as string,
    status: r.status as string,
    priority: r.priority as string,
    reportFrequency: r.report_frequency as ReportFrequency,
    plannedStart: s(r.planned_start),
    plannedEnd: s(r.planned_end),
    actualStart: s(r.actual_start),
    actualEnd: s(r.actual_end),
    budgetPlanned: n(r.budget_planned),
    budgetActual: n(r.budget_actual),
    currency: r.currency as string,
    health: r.health as Rag,
    progressPct: n(r.progress_pct),
    scheduleVarianceDays: n(r.schedule_variance_days),
    lateMilestones: n(r.late_milestones),
    nextMilestoneDate: s(r.next_milestone_date),
    lastReportAt: s(r.last_report_at),
    version: n(r.version),
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
  };
}

export async function findProject(conn: Conn, id: number): Promise<ProjectRecord | undefined> {
  const r = (await conn('projects').where({ id }).first()) as Record<string, unknown> | undefined;
  return r && toProject(r);
}

export async function projectCodeTaken(conn: Conn, code: string, exceptId?: number): Promise<boolean> {
  const q = conn('projects').select('id').where({ code });
  if (exceptId) q.whereNot('id', exceptId);
  return !!(await q.first());
}

/** The facts a person edits (audit entries and conflict pages show these). */
export type ProjectFacts = {
  code: string;
  programId: number;
  nameEn: string;
  nameAr: string;
  descriptionEn: string | null;
  descriptionAr: string | null;
  scope: string | null;
  managerId: number | null;
  sponsorId: number | null;
  status: string;
  priority: string;
  reportFrequency: string;
  plannedStart: string | null;
  plannedEnd: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  budgetPlanned: number;
  budgetActual: number;
};

export function projectFacts(p: ProjectFacts): ProjectFacts {
  return {
    code: p.code,
    programId: p.programId,
    nameEn: p.nameEn,
    nameAr: p.nameAr,
    descriptionEn: p.descriptionEn ?? null,
    descriptionAr: p.descriptionAr ?? null,
    scope: p.scope ?? null,
    managerId: p.managerId ?? null,
    sponsorId: p.sponsorId ?? null,
    status: p.status,
    priority: p.priority,
    reportFrequency: p.reportFrequency,
    plannedStart: p.plannedStart ?? null,
    plannedEnd: p.plannedEnd ?? null,
    actualStart: p.actualStart ?? null,
    actualEnd: p.actualEnd ?? null,
    budgetPlanned: p.budgetPlanned,
    budgetActual: p.budgetActual,
  };
}

export interface ProjectPeopleNames {
  programCode: string;
  programNameEn: string;
  programNameAr: string;
  managerEn: string | null;
  managerAr: string | null;
  managerEmail: string | null;
  sponsorEn: string | null;
  sponsorAr: string | null;
  sponsorEmail: string | null;
}

/** A project's latest status report (by period), as its page shows it. */
export interface LatestReport {
  periodEnd: string;
  overallRag: Rag;
  submittedAt: string;
}

/** What every tab of a project page needs, read by projectPageFacts. */
export interface ProjectPageFacts {
  /** The projects.* row (snake_case columns, as the page header reads it). */
  row: Record<string, unknown>;
  record: ProjectRecord;
  names: ProjectPeopleNames;
  latestReport: LatestReport | null;
}

const NAMES: [keyof ProjectPeopleNames, string][] = [
  ['programCode', 'pg.code'],
  ['programNameEn', 'pg.name_en'],
  ['programNameAr', 'pg.name_ar'],
  ['managerEn', 'mu.name_en'],
  ['managerAr', 'mu.name_ar'],
  ['managerEmail', 'mu.email'],
  ['sponsorEn', 'su.name_en'],
  ['sponsorAr', 'su.name_ar'],
  ['sponsorEmail', 'su.email'],
];

/**
 * A project page's facts in one query, when the user may see the project (undefined otherwise):
 * its row, the names of its program, manager and sponsor, and its latest status report (read by
 * the report's (project, period) index).
 */
export async function projectPageFacts(
  conn: Conn,
  user: CurrentUser,
  id: number,
): Promise<ProjectPageFacts | undefined> {
  const found = (await whereProjectVisible(
    conn('projects')
      .join('programs as pg', 'pg.id', 'projects.program_id')
      .leftJoin('users as mu', 'mu.id', 'projects.manager_id')
      .leftJoin('users as su', 'su.id', 'projects.sponsor_id')
      .leftJoin('status_reports as sr', function () {
        this.on(
          'sr.id',
          '=',
          conn.raw(
            '(select x.id from status_reports x where x.project_id = projects.id order by x.period_end desc limit 1)',
          ),
        );
      })
      .where('projects.id', id)
      .select(
        'projects.*',
        ...NAMES.map(([k, col]) => `${col} as page__${k}`),
        'sr.period_end as page__periodEnd',
        'sr.overall_rag as page__overallRag',
        'sr.submitted_at as page__submittedAt',
      ),
    user,
  ).first()) as Record<string, unknown> | undefined;
  if (!found) return undefined;
  const row: Record<string, unknown> = {};
  const page: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(found))
    if (k.startsWith('page__')) page[k.slice(6)] = v;
    else row[k] = v;
  const names = Object.fromEntries(NAMES.map(([k]) => [k, page[k] ?? null])) as unknown as ProjectPeopleNames;
  return {
    row,
    record: toProject(row),
    names,
    latestReport: page.periodEnd
      ? {
          periodEnd: page.periodEnd as string,
          overallRag: page.overallRag as Rag,
          submittedAt: page.submittedAt as string,
        }
      : null,
  };
}

export interface MemberRow {
  userId: number;
  nameEn: string;
  nameAr: string;
  email: string;
  userRole: string;
  active: boolean;
  roleEn: string | null;
  roleAr: string | null;
  addedAt: string;
}

/** The project's team, by name. One query. */
export async function projectMembers(conn: Conn, projectId: number): Promise<MemberRow[]> {
  const rows = (await conn('project_members as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where('m.project_id', projectId)
    .select(
      'm.user_id as userId',
      'u.name_en as nameEn',
      'u.name_ar as nameAr',
      'u.email',
      'u.role as userRole',
      'u.active',
      'm.role_en as roleEn',
      'm.role_ar as roleAr',
      'm.added_at as addedAt',
    )
    .orderBy('u.name_en')) as Record<string, unknown>[];
  return rows.map((r) => ({ ...(r as unknown as MemberRow), active: Boolean(r.active) }));
}

export async function findMember(
  conn: Conn,
  projectId: number,
  userId: number,
): Promise<{ roleEn: string | null; roleAr: string | null } | undefined> {
  return (await conn('project_members')
    .select('role_en as roleEn', 'role_ar as roleAr')
    .where({ project_id: projectId, user_id: userId })
    .first()) as { roleEn: string | null; roleAr: string | null } | undefined;
}
