import type { Knex } from 'knex';
import type { CurrentUser } from '../../auth/current-user.js';
import { seesWholePortfolio } from '../../auth/roles.js';
import type { Conn } from '../../db/knex.js';
import { NotFoundError } from '../../http/errors.js';

/**
 * Who sees which projects and programs — the one definition every module uses (lists, pages,
 * exports, reports, documents, approvals). admin, pmo and viewer see everything; a pm or sponsor
 * sees a project when they are its manager, sponsor or a team member, or the sponsor or manager of
 * its program; and a program when they see one of its projects or sponsor/manage it.
 * Anything else answers 404.
 */

/**
 * Whose copy of a kept page (render.ts `res.keptPage`) a user reads: the roles that see the whole
 * portfolio share one copy per role; anyone else has their own.
 */
export function visibilityScope(user: CurrentUser): string {
  return seesWholePortfolio(user.role) ? `role:${user.role}` : `user:${user.id}`;
}

/** Restricts a query on projects (aliased `alias`) to those the user may see. */
export function whereProjectVisible(
  qb: Knex.QueryBuilder,
  user: CurrentUser,
  alias = 'projects',
): Knex.QueryBuilder {
  if (seesWholePortfolio(user.role)) return qb;
  const uid = user.id;
  return qb.where((w) =>
    w
      .where(`${alias}.manager_id`, uid)
      .orWhere(`${alias}.sponsor_id`, uid)
      .orWhereExists((s) =>
        s
          .select(1)
          .from('project_members as pmv')
          .whereRaw(`pmv.project_id = ${alias}.id`)
          .andWhere('pmv.user_id', uid),
      )
      .orWhereExists((s) =>
        s
          .select(1)
          .from('programs as pgv')
          .whereRaw(`pgv.id = ${alias}.program_id`)
          .andWhere((x) => x.where('pgv.sponsor_id', uid).orWhere('pgv.manager_id', uid)),
      ),
  );
}

/** Restricts a query on programs (aliased `alias`) to those the user may see. */
export function whereProgramVisible(
  qb: Knex.QueryBuilder,
  user: CurrentUser,
  alias = 'programs',
): Knex.QueryBuilder {
  if (seesWholePortfolio(user.role)) return qb;
  const uid = user.id;
  return qb.where((w) =>
    w
      .where(`${alias}.sponsor_id`, uid)
      .orWhere(`${alias}.manager_id`, uid)
      .orWhereExists((s) =>
        s
          .select(1)
          .from('projects as ppv')
          .whereRaw(`ppv.program_id = ${alias}.id`)
          .andWhere((x) =>
            x
              .where('ppv.manager_id', uid)
              .orWhere('ppv.sponsor_id', uid)
              .orWhereExists((m) =>
                m
                  .select(m.client.raw('1'))
                  .from('project_members as pmv2')
                  .whereRaw('pmv2.project_id = ppv.id')
                  .andWhere('pmv2.user_id', uid),
              ),
          ),
      ),
  );
}

/**
 * The ids of the projects a user sees, as a subquery that starts from the user (a union over the
 * indexes on manager, sponsor, team membership and program sponsor or manager): the same set as
 * whereProjectVisible, for queries that should read a pm's or sponsor's few projects rather than
 * test every project. null when the user sees the whole portfolio.
 */
export function visibleProjectIds(conn: Conn, user: CurrentUser): Knex.QueryBuilder | null {
  if (seesWholePortfolio(user.role)) return null;
  const uid = user.id;
  return conn('projects')
    .select('projects.id')
    .where('projects.manager_id', uid)
    .union((q) => q.select('pvs.id').from('projects as pvs').where('pvs.sponsor_id', uid))
    .union((q) => q.select('pvm.project_id').from('project_members as pvm').where('pvm.user_id', uid))
    .union((q) =>
      q
        .select('pvp.id')
        .from('programs as pvg')
        .join('projects as pvp', 'pvp.program_id', 'pvg.id')
        .where((w) => w.where('pvg.sponsor_id', uid).orWhere('pvg.manager_id', uid)),
    );
}

/**
 * The ids of the programs a user sees, starting from the user like visibleProjectIds: the same
 * set as whereProgramVisible. null when the user sees the whole portfolio.
 */
export function visibleProgramIds(conn: Conn, user: CurrentUser): Knex.QueryBuilder | null {
  const projects = visibleProjectIds(conn, user);
  if (!projects) return null;
  const uid = user.id;
  return conn('programs')
    .select('programs.id')
    .where('programs.sponsor_id', uid)
    .union((q) => q.select('pgm.id').from('programs as pgm').where('pgm.manager_id', uid))
    .union((q) => q.select('pgp.program_id').from('projects as pgp').whereIn('pgp.id', projects));
}

export async function canSeeProject(conn: Conn, user: CurrentUser, projectId: number): Promise<boolean> {
  const row = await whereProjectVisible(
    conn('projects').select('projects.id').where('projects.id', projectId),
    user,
  ).first();
  return !!row;
}

export async function canSeeProgram(conn: Conn, user: CurrentUser, programId: number): Promise<boolean> {
  const row = await whereProgramVisible(
    conn('programs').select('programs.id').where('programs.id', programId),
    user,
  ).first();
  return !!row;
}

/** The project row if the user may see it; otherwise NotFound (404), exactly as if it did not exist. */
export async function loadVisibleProject<T = Record<string, unknown>>(
  conn: Conn,
  user: CurrentUser,
  projectId: number,
): Promise<T> {
  const row = await whereProjectVisible(
    conn('projects').select('projects.*').where('projects.id', projectId),
    user,
  ).first();
  if (!row) throw new NotFoundError();
  return row as T;
}

export interface ProjectPeople {
  managerId: number | null;
  sponsorId: number | null;
  programSponsorId?: number | null;
}

/** The project's manager (for pm actions: milestones, status reports, requests). */
export function isProjectManager(user: CurrentUser, p: ProjectPeople): boolean {
  return p.managerId === user.id;
}

/** The project's sponsor (final approvals). */
export function isProjectSponsor(user: CurrentUser, p: ProjectPeople): boolean {
  return p.sponsorId === user.id;
}
