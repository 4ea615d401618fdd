import type { Conn } from '../../src/db/knex.js';
import { insertOne } from '../../src/db/util.js';
import { buildUser } from './users.js';

/**
 * Factories for the portfolio: each creates the parents it needs when not given
 * (buildProject without a program makes one; without a manager makes a pm).
 */
let seq = 0;
const now = () => new Date().toISOString();

export interface ProgramRow {
  id: number;
  code: string;
  sponsor_id: number | null;
  manager_id: number | null;
}
export interface ProjectRow {
  id: number;
  code: string;
  program_id: number;
  manager_id: number | null;
  sponsor_id: number | null;
  phase: string;
  status: string;
  version: number;
}

export async function buildProgram(db: Conn, o: Partial<Record<string, unknown>> = {}): Promise<ProgramRow> {
  const n = ++seq;
  const id = await insertOne(db, 'programs', {
    code: `PG${n}-${process.pid % 1000}`,
    name_en: `Program ${n}`,
    name_ar: `برنامج ${n}`,
    status: 'active',
    planned_start: '2026-01-01',
    planned_end: '2027-12-31',
    created_at: now(),
    updated_at: now(),
    ...o,
  });
  return (await db('programs').where({ id }).first()) as ProgramRow;
}

export async function buildProject(db: Conn, o: Partial<Record<string, unknown>> = {}): Promise<ProjectRow> {
  const n = ++seq;
  const programId = (o.program_id as number | undefined) ?? (await buildProgram(db)).id;
  const managerId = o.manager_id === undefined ? (await buildUser(db, { role: 'pm' })).id : o.manager_id;
  const id = await insertOne(db, 'projects', {
    code: `PRJ-${n}-${process.pid % 1000}`,
    name_en: `Project ${n}`,
    name_ar: `مشروع ${n}`,
    phase: 'execution',
    status: 'active',
    priority: 'medium',
    report_frequency: 'monthly',
    planned_start: '2026-01-01',
    planned_end: '2026-12-31',
    budget_planned: 100_000_000,
    budget_actual: 40_000_000,
    currency: 'BHD',
    created_at: now(),
    updated_at: now(),
    ...o,
    program_id: programId,
    manager_id: managerId,
  });
  return (await db('projects').where({ id }).first()) as ProjectRow;
}

export async function buildMilestone(db: Conn, projectId: number, o: Partial<Record<string, unknown>> = {}) {
  const n = ++seq;
  const id = await insertOne(db, 'milestones', {
    project_id: projectId,
    title_en: `Milestone ${n}`,
    title_ar: `مرحلة ${n}`,
    planned_date: '2026-06-30',
    percent_complete: 0,
    weight: 1,
    status: 'not_started',
    sort_order: n,
    created_at: now(),
    updated_at: now(),
    ...o,
  });
  return db('milestones').where({ id }).first();
}

export async function buildStatusReport(
  db: Conn,
  projectId: number,
  o: Partial<Record<string, unknown>> = {},
) {
  const id = await insertOne(db, 'status_reports', {
    project_id: projectId,
    period_start: '2026-10-01',
    period_end: '2026-10-31',
    overall_rag: 'green',
    schedule_rag: 'green',
    budget_rag: 'green',
    scope_rag: 'green',
    risk_rag: 'green',
    summary: 'On track.',
    submitted_at: now(),
    ...o,
  });
  return db('status_reports').where({ id }).first();
}

export async function addMember(db: Conn, projectId: number, userId: number) {
  await db('project_members').insert({ project_id: projectId, user_id: userId, added_at: now() });
}

/** The complete PMO edit form of a project as a browser would post it (money typed in BHD). */
export function projectForm(
  p: Record<string, unknown>,
  overrides: Record<string, string | number | undefined> = {},
): Record<string, string | number | undefined> {
  const money = (minor: unknown) => (Number(minor ?? 0) / 1000).toFixed(3);
  return {
    code: p.code as string,
    programId: p.program_id as number,
    nameEn: p.name_en as string,
    nameAr: p.name_ar as string,
    descriptionEn: (p.description_en as string | null) ?? '',
    descriptionAr: (p.description_ar as string | null) ?? '',
    scope: (p.scope as string | null) ?? '',
    managerId: (p.manager_id as number | null) ?? '',
    sponsorId: (p.sponsor_id as number | null) ?? '',
    status: p.status as string,
    priority: p.priority as string,
    reportFrequency: p.report_frequency as string,
    plannedStart: (p.planned_start as string | null) ?? '',
    plannedEnd: (p.planned_end as string | null) ?? '',
    actualStart: (p.actual_start as string | null) ?? '',
    actualEnd: (p.actual_end as string | null) ?? '',
    budgetPlanned: money(p.budget_planned),
    budgetActual: money(p.budget_actual),
    version: p.version as number,
    ...overrides,
  };
}

/** `count` projects in one program, named "<prefix> n" in both languages. */
export async function buildProjects(
  db: Conn,
  count: number,
  o: Partial<Record<string, unknown>> = {},
): Promise<ProjectRow[]> {
  const out: ProjectRow[] = [];
  for (let i = 0; i < count; i++) out.push(await buildProject(db, o));
  return out;
}
