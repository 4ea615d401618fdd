import type { Role } from '../../auth/roles.js';
import type { Conn } from '../../db/knex.js';
import { ValidationError } from '../../http/errors.js';
import { whereContains } from '../../db/util.js';

/**
 * Who may be put in which seat of a program or project (the "assignable values" of the forms and
 * the check the services make): a project is managed by a project manager and sponsored by a
 * sponsor; a program is managed by a project manager or a PMO officer.
 */
export const ASSIGNABLE = {
  programSponsor: ['sponsor'],
  programManager: ['pm', 'pmo'],
  projectSponsor: ['sponsor'],
  projectManager: ['pm'],
  teamMember: ['pm', 'pmo', 'sponsor', 'viewer', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export interface PersonOption {
  id: number;
  nameEn: string;
  nameAr: string;
  email: string;
  role: Role;
}

/**
 * Active users of these roles, plus the people already in the seat (kept even when no longer
 * assignable, so that saving a form never silently empties a seat). One query.
 */
export async function assignablePeople(
  conn: Conn,
  roles: readonly Role[],
  keep: (number | null | undefined)[] = [],
): Promise<PersonOption[]> {
  const ids = keep.filter((x): x is number => typeof x === 'number');
  return (await conn('users')
    .select('id', 'name_en as nameEn', 'name_ar as nameAr', 'email', 'role')
    .where((w) => {
      w.where((a) => a.where('active', true).whereIn('role', roles as Role[]));
      if (ids.length) w.orWhereIn('id', ids);
    })
    .orderBy('name_en')) as PersonOption[];
}

/**
 * Active users of these roles, except `exclude`, whose English or Arabic name or email contains
 * `text` (all of them when it is empty), by English name; at most `limit`. For pickers that would
 * otherwise list every user: the caller asks for one more than it shows to know there are more.
 */
export async function findAssignablePeople(
  conn: Conn,
  roles: readonly Role[],
  text: string,
  exclude: number[],
  limit: number,
): Promise<PersonOption[]> {
  const q = conn('users')
    .select('id', 'name_en as nameEn', 'name_ar as nameAr', 'email', 'role')
    .where('active', true)
    .whereIn('role', roles as Role[]);
  if (exclude.length) q.whereNotIn('id', exclude);
  if (text) whereContains(q, ['name_en', 'name_ar', 'email'], text);
  return (await q.orderBy('name_en').orderBy('id').limit(limit)) as PersonOption[];
}

/**
 * Refuses a changed seat given to someone who may not hold it (inactive, or the wrong role).
 * An unchanged seat is accepted as it is.
 */
export async function assertAssignable(
  conn: Conn,
  field: string,
  userId: number | null | undefined,
  roles: readonly Role[],
  current?: number | null,
): Promise<void> {
  if (userId === null || userId === undefined || userId === current) return;
  const row = await conn('users')
    .select('id')
    .where({ id: userId, active: true })
    .whereIn('role', roles as Role[])
    .first();
  if (!row) throw ValidationError.field(field, 'portfolio:validation.assignee');
}
