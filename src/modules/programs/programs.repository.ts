import type { Conn } from '../../db/knex.js';

export interface ProgramRecord {
  id: number;
  code: string;
  nameEn: string;
  nameAr: string;
  descriptionEn: string | null;
  descriptionAr: string | null;
  sponsorId: number | null;
  managerId: number | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  status: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The editable facts of a `programs` row, camelCase (also for lists that select more). */
export function programFactsOf(r: Record<string, unknown>): ProgramFacts {
  return {
    code: r.code as string,
    nameEn: r.name_en as string,
    nameAr: r.name_ar as string,
    descriptionEn: (r.description_en as string | null) ?? null,
    descriptionAr: (r.description_ar as string | null) ?? null,
    sponsorId: (r.sponsor_id as number | null) ?? null,
    managerId: (r.manager_id as number | null) ?? null,
    plannedStart: (r.planned_start as string | null) ?? null,
    plannedEnd: (r.planned_end as string | null) ?? null,
    status: r.status as string,
  };
}

export function toProgram(r: Record<string, unknown>): ProgramRecord {
  return {
    id: r.id as number,
    ...programFactsOf(r),
    version: Number(r.version),
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
  };
}

export async function findProgram(conn: Conn, id: number): Promise<ProgramRecord | undefined> {
  const r = (await conn('programs').where({ id }).first()) as Record<string, unknown> | undefined;
  return r && toProgram(r);
}

export async function programCodeTaken(conn: Conn, code: string, exceptId?: number): Promise<boolean> {
  const q = conn('programs').select('id').where({ code });
  if (exceptId) q.whereNot('id', exceptId);
  return !!(await q.first());
}

/** The editable facts of a program, for audit entries and conflict pages. */
export type ProgramFacts = Omit<ProgramRecord, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

export function programFacts(p: ProgramFacts): ProgramFacts {
  return {
    code: p.code,
    nameEn: p.nameEn,
    nameAr: p.nameAr,
    descriptionEn: p.descriptionEn ?? null,
    descriptionAr: p.descriptionAr ?? null,
    sponsorId: p.sponsorId ?? null,
    managerId: p.managerId ?? null,
    plannedStart: p.plannedStart ?? null,
    plannedEnd: p.plannedEnd ?? null,
    status: p.status,
  };
}
