import type { CurrentUser } from '../../auth/current-user.js';
import type { Conn } from '../../db/knex.js';
import { bool } from '../../db/util.js';
import { whereProgramVisible, whereProjectVisible } from '../projects/projects.access.js';
import type { Frequency } from './strategy.periods.js';
import type { Direction, Unit } from './strategy.values.js';

/** Knex queries of the strategy module; snake_case rows become camelCase records here only. */

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export interface Strategy {
  id: number;
  nameEn: string;
  nameAr: string;
  descriptionEn: string | null;
  descriptionAr: string | null;
  startYear: number;
  endYear: number;
  version: number;
}

export interface Objective {
  id: number;
  strategyId: number;
  code: string;
  nameEn: string;
  nameAr: string;
  descriptionEn: string | null;
  descriptionAr: string | null;
  ownerId: number | null;
  ownerNameEn: string | null;
  ownerNameAr: string | null;
  sortOrder: number;
  version: number;
}

export interface Kpi {
  id: number;
  objectiveId: number;
  code: string;
  nameEn: string;
  nameAr: string;
  unit: Unit;
  direction: Direction;
  baselineValue: number;
  baselineDate: string;
  frequency: Frequency;
  ownerId: number | null;
  ownerNameEn: string | null;
  ownerNameAr: string | null;
  dataSourceEn: string | null;
  dataSourceAr: string | null;
  computed: boolean;
  sourceKey: string | null;
  sortOrder: number;
  version: number;
}

export interface Target {
  id: number;
  kpiId: number;
  periodKey: string;
  periodEnd: string;
  value: number;
  version: number;
}

export interface Link {
  id: number;
  objectiveId: number;
  kind: 'program' | 'project';
  targetId: number;
  code: string;
  nameEn: string;
  nameAr: string;
  /** Program: its status; project: its health (green/amber/red). */
  health: string | null;
  status: string;
  programId: number | null;
  noteEn: string | null;
  noteAr: string | null;
  version: number;
}

export function toStrategy(r: Row): Strategy {
  return {
    id: num(r.id),
    nameEn: str(r.name_en),
    nameAr: str(r.name_ar),
    descriptionEn: strOrNull(r.description_en),
    descriptionAr: strOrNull(r.description_ar),
    startYear: num(r.start_year),
    endYear: num(r.end_year),
    version: num(r.version),
  };
}

export function toObjective(r: Row): Objective {
  return {
    id: num(r.id),
    strategyId: num(r.strategy_id),
    code: str(r.code),
    nameEn: str(r.name_en),
    nameAr: str(r.name_ar),
    descriptionEn: strOrNull(r.description_en),
    descriptionAr: strOrNull(r.description_ar),
    ownerId: numOrNull(r.owner_id),
    ownerNameEn: strOrNull(r.owner_name_en),
    ownerNameAr: strOrNull(r.owner_name_ar),
    sortOrder: num(r.sort_order),
    version: num(r.version),
  };
}

export function toKpi(r: Row): Kpi {
  return {
    id: num(r.id),
    objectiveId: num(r.objective_id),
    code: str(r.code),
    nameEn: str(r.name_en),
    nameAr: str(r.name_ar),
    unit: r.unit as Unit,
    direction: r.direction as Direction,
    baselineValue: num(r.baseline_value),
    baselineDate: str(r.baseline_date),
    frequency: r.frequency as Frequency,
    ownerId: numOrNull(r.owner_id),
    ownerNameEn: strOrNull(r.owner_name_en),
    ownerNameAr: strOrNull(r.owner_name_ar),
    dataSourceEn: strOrNull(r.data_source_en),
    dataSourceAr: strOrNull(r.data_source_ar),
    computed: bool(r.computed),
    sourceKey: strOrNull(r.source_key),
    sortOrder: num(r.sort_order),
    version: num(r.version),
  };
}

function toTarget(r: Row): Target {
  return {
    id: num(r.id),
    kpiId: num(r.kpi_id),
    periodKey: str(r.period_key),
    periodEnd: str(r.period_end),
    value: num(r.value),
    version: num(r.version),
  };
}

// ---- strategies

export async function listStrategies(conn: Conn): Promise<Strategy[]> {
  return (await conn('strategies').orderBy([{ column: 'start_year', order: 'desc' }, 'id'])).map(toStrategy);
}

export async function findStrategy(conn: Conn, id: number): Promise<Strategy | undefined> {
  const r = await conn('strategies').where({ id }).first();
  return r ? toStrategy(r) : undefined;
}

// ---- objectives

function objectivesQuery(conn: Conn) {
  return conn('objectives as o')
    .leftJoin('users as ou', 'ou.id', 'o.owner_id')
    .select('o.*', 'ou.name_en as owner_name_en', 'ou.name_ar as owner_name_ar');
}

export async function listObjectives(conn: Conn, strategyId?: number): Promise<Objective[]> {
  const rows = await objectivesQuery(conn)
    .modify((q) => (strategyId ? q.where('o.strategy_id', strategyId) : q))
    .orderBy(['o.sort_order', 'o.code']);
  return rows.map(toObjective);
}

export async function findObjective(conn: Conn, id: number): Promise<Objective | undefined> {
  const r = await objectivesQuery(conn).where('o.id', id).first();
  return r ? toObjective(r) : undefined;
}

export async function codeTaken(
  conn: Conn,
  table: 'objectives' | 'kpis',
  code: string,
  exceptId?: number,
): Promise<boolean> {
  const row = await conn(table)
    .select('id')
    .whereRaw('upper(code) = ?', [code.toUpperCase()])
    .modify((q) => (exceptId ? q.whereNot('id', exceptId) : q))
    .first();
  return !!row;
}

// ---- KPIs

function kpisQuery(conn: Conn) {
  return conn('kpis as k')
    .leftJoin('users as ku', 'ku.id', 'k.owner_id')
    .select('k.*', 'ku.name_en as owner_name_en', 'ku.name_ar as owner_name_ar');
}

export async function listKpis(
  conn: Conn,
  filter: { objectiveIds?: number[]; ids?: number[] } = {},
): Promise<Kpi[]> {
  const rows = await kpisQuery(conn)
    .modify((q) => {
      if (filter.objectiveIds) q.whereIn('k.objective_id', filter.objectiveIds);
      if (filter.ids) q.whereIn('k.id', filter.ids);
    })
    .orderBy(['k.objective_id', 'k.sort_order', 'k.code']);
  return rows.map(toKpi);
}

export async function findKpi(conn: Conn, id: number): Promise<Kpi | undefined> {
  const r = await kpisQuery(conn).where('k.id', id).first();
  return r ? toKpi(r) : undefined;
}

export async function listTargets(conn: Conn, kpiIds: number[]): Promise<Target[]> {
  if (!kpiIds.length) return [];
  const rows = await conn('kpi_targets').whereIn('kpi_id', kpiIds).orderBy(['kpi_id', 'period_end']);
  return rows.map(toTarget);
}

export async function findTarget(conn: Conn, kpiId: number, id: number): Promise<Target | undefined> {
  const r = await conn('kpi_targets').where({ id, kpi_id: kpiId }).first();
  return r ? toTarget(r) : undefined;
}

// ---- links

function linkRow(r: Row, kind: 'program' | 'project'): Link {
  return {
    id: num(r.id),
    objectiveId: num(r.objective_id),
    kind,
    targetId: num(kind === 'program' ? r.program_id : r.project_id),
    code: str(r.code),
    nameEn: str(r.name_en),
    nameAr: str(r.name_ar),
    health: strOrNull(r.health),
    status: str(r.status),
    programId: numOrNull(r.target_program_id),
    noteEn: strOrNull(r.note_en),
    noteAr: strOrNull(r.note_ar),
    version: num(r.version),
  };
}

/**
 * The links of these objectives (or of one program / project) to the programs and projects the
 * user may see; the others are left out as if they did not exist. Two queries.
 */
export async function listVisibleLinks(
  conn: Conn,
  user: CurrentUser,
  filter: { objectiveIds?: number[]; projectId?: number; programIds?: number[] },
): Promise<Link[]> {
  const base = (q: ReturnType<Conn>) =>
    q.modify((x) => {
      if (filter.objectiveIds) x.whereIn('l.objective_id', filter.objectiveIds);
    });
  const wantPrograms = filter.projectId === undefined;
  const programs = wantPrograms
    ? await whereProgramVisible(
        base(conn('objective_links as l'))
          .join('programs', 'programs.id', 'l.program_id')
          .select(
            'l.*',
            'programs.code',
            'programs.name_en',
            'programs.name_ar',
            'programs.status',
            conn.raw('null as health'),
            conn.raw('null as target_program_id'),
          )
          .modify((x) => (filter.programIds ? x.whereIn('l.program_id', filter.programIds) : x)),
        user,
      ).orderBy('programs.code')
    : [];
  const projects = await whereProjectVisible(
    base(conn('objective_links as l'))
      .join('projects', 'projects.id', 'l.project_id')
      .select(
        'l.*',
        'projects.code',
        'projects.name_en',
        'projects.name_ar',
        'projects.status',
        'projects.health',
        'projects.program_id as target_program_id',
      )
      .modify((x) => {
        if (filter.projectId !== undefined) x.where('l.project_id', filter.projectId);
        if (filter.programIds) x.whereIn('projects.program_id', filter.programIds);
      }),
    user,
  ).orderBy('projects.code');
  return [
    ...(programs as Row[]).map((r) => linkRow(r, 'program')),
    ...(projects as Row[]).map((r) => linkRow(r, 'project')),
  ];
}

export async function findLink(conn: Conn, id: number): Promise<Row | undefined> {
  return conn('objective_links').where({ id }).first();
}

/** Users who may own objectives, KPIs and review actions: active, any role but viewer. */
export async function listOwnerCandidates(
  conn: Conn,
): Promise<{ id: number; nameEn: string; nameAr: string; role: string }[]> {
  const rows = await conn('users')
    .select('id', 'name_en', 'name_ar', 'role')
    .where('active', true)
    .whereNot('role', 'viewer')
    .orderBy('name_en');
  return rows.map((r: Row) => ({
    id: num(r.id),
    nameEn: str(r.name_en),
    nameAr: str(r.name_ar),
    role: str(r.role),
  }));
}

export async function isOwnerCandidate(conn: Conn, userId: number): Promise<boolean> {
  const r = await conn('users')
    .select('id')
    .where({ id: userId, active: true })
    .whereNot('role', 'viewer')
    .first();
  return !!r;
}

/** Programs and projects the user may see, for the link form's choices (two queries). */
export async function linkTargetOptions(conn: Conn, user: CurrentUser) {
  const [programs, projects] = await Promise.all([
    whereProgramVisible(
      conn('programs').select('programs.id', 'programs.code', 'programs.name_en', 'programs.name_ar'),
      user,
    ).orderBy('programs.code'),
    whereProjectVisible(
      conn('projects').select('projects.id', 'projects.code', 'projects.name_en', 'projects.name_ar'),
      user,
    ).orderBy('projects.code'),
  ]);
  const map = (r: Row) => ({
    id: num(r.id),
    code: str(r.code),
    nameEn: str(r.name_en),
    nameAr: str(r.name_ar),
  });
  return { programs: (programs as Row[]).map(map), projects: (projects as Row[]).map(map) };
}
