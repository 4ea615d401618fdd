import type { Actor, CurrentUser } from '../../auth/current-user.js';
import type { Conn } from '../../db/knex.js';
import { columnsOf, insertOne } from '../../db/util.js';
import { checkVersion, updateVersioned } from '../../db/versioned.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../http/errors.js';
import { audit, diff } from '../audit/audit.service.js';
import type { AppDeps } from '../module.js';
import { refreshProjects } from '../portfolio/portfolio.health.js';
import { ASSIGNABLE, assertAssignable } from '../portfolio/portfolio.people.js';
import { isoDay } from '../portfolio/portfolio.rules.js';
import { isProjectManager, loadVisibleProject } from './projects.access.js';
import { canCreateProjects, canManageTeam, projectEditMode } from './projects.policy.js';
import {
  findMember,
  findProject,
  projectCodeTaken,
  projectFacts,
  toProject,
  type ProjectFacts,
  type ProjectRecord,
} from './projects.repository.js';
import type {
  AddMemberInput,
  CreateProjectInput,
  PmUpdateProjectInput,
  UpdateProjectInput,
} from './projects.schema.js';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return (
    err?.code === '23505' || (err?.code === 'SQLITE_CONSTRAINT' && /UNIQUE|PRIMARY/.test(err.message ?? ''))
  );
}

/** The facts a create or full edit form gives (fields left empty are null). */
function factsOf(input: CreateProjectInput): ProjectFacts {
  return projectFacts({
    ...input,
    descriptionEn: input.descriptionEn ?? null,
    descriptionAr: input.descriptionAr ?? null,
    scope: input.scope ?? null,
    managerId: input.managerId ?? null,
    sponsorId: input.sponsorId ?? null,
    plannedStart: input.plannedStart ?? null,
    plannedEnd: input.plannedEnd ?? null,
    actualStart: input.actualStart ?? null,
    actualEnd: input.actualEnd ?? null,
  });
}

/**
 * Project use cases. Each checks visibility (404) and the policy (403) first, then runs one
 * transaction: business checks, the write guarded by the version, derived health, the audit entry.
 */
export function createProjectsService({ db, clock, config }: Deps) {
  const today = () => isoDay(clock());

  function actualNotInFuture(v: { actualStart?: string | null; actualEnd?: string | null }) {
    const t = today();
    if (v.actualStart && v.actualStart > t)
      throw ValidationError.field('actualStart', 'projects:validation.actualInFuture');
    if (v.actualEnd && v.actualEnd > t)
      throw ValidationError.field('actualEnd', 'projects:validation.actualInFuture');
  }

  async function assertProgram(conn: Conn, programId: number) {
    if (!(await conn('programs').select('id').where({ id: programId }).first()))
      throw ValidationError.field('programId', 'validation:id');
  }

  function conflictWith(current: ProjectRecord) {
    return new ConflictError('errors:409.message', { ...projectFacts(current), version: current.version });
  }

  /** Writes the changed facts when the version still matches; audit with before/after. */
  async function save(trx: Conn, actor: Actor, current: ProjectRecord, next: ProjectFacts, version: number) {
    await checkVersion(current.version, version, () => conflictWith(current));
    const d = diff(projectFacts(current), next);
    if (Object.keys(d.after).length === 0) return;
    // Someone committed first while we waited for the row: show what they saved, not what we read.
    await updateVersioned(
      trx,
      'projects',
      current.id,
      version,
      { ...columnsOf(d.after), updated_at: clock().toISOString() },
      async () => conflictWith((await findProject(trx, current.id)) ?? current),
    );
    await refreshProjects(trx, [current.id], today(), config.health);
    await audit(trx, actor, {
      action: 'project.update',
      entity: 'project',
      entityId: current.id,
      before: d.before,
      after: d.after,
    });
  }

  /** The project if the user may see it; otherwise 404. */
  async function get(user: CurrentUser, id: number): Promise<ProjectRecord> {
    return toProject(await loadVisibleProject(db, user, id));
  }

  return {
    get,

    async create(actor: Actor, input: CreateProjectInput): Promise<number> {
      if (!canCreateProjects(actor.user)) throw new ForbiddenError();
      actualNotInFuture(input);
      const facts = factsOf(input);
      return db.transaction(async (trx) => {
        await assertProgram(trx, facts.programId);
        if (await projectCodeTaken(trx, facts.code)) throw ValidationError.field('code', 'validation:unique');
        await assertAssignable(trx, 'managerId', facts.managerId, ASSIGNABLE.projectManager);
        await assertAssignable(trx, 'sponsorId', facts.sponsorId, ASSIGNABLE.projectSponsor);
        const now = clock().toISOString();
        const id = await insertOne(trx, 'projects', {
          ...columnsOf(facts),
          phase: 'initiation',
          currency: config.currency,
          version: 1,
          created_at: now,
          updated_at: now,
        });
        await refreshProjects(trx, [id], today(), config.health);
        await audit(trx, actor, {
          action: 'project.create',
          entity: 'project',
          entityId: id,
          after: { ...facts, phase: 'initiation', currency: config.currency },
        });
        return id;
      });
    },

    /** PMO / admin: every field but the phase. */
    async update(actor: Actor, id: number, input: UpdateProjectInput): Promise<void> {
      const visible = await get(actor.user, id);
      if (projectEditMode(actor.user, visible) !== 'full') throw new ForbiddenError();
      actualNotInFuture(input);
      const { version, ...rest } = input;
      await db.transaction(async (trx) => {
        const current = await findProject(trx, id);
        if (!current) throw new NotFoundError();
        const next = factsOf(rest);
        await checkVersion(current.version, version, () => conflictWith(current));
        if (next.programId !== current.programId) await assertProgram(trx, next.programId);
        if (await projectCodeTaken(trx, next.code, id))
          throw ValidationError.field('code', 'validation:unique');
        await assertAssignable(
          trx,
          'managerId',
          next.managerId,
          ASSIGNABLE.projectManager,
          current.managerId,
        );
        await assertAssignable(
          trx,
          'sponsorId',
          next.sponsorId,
          ASSIGNABLE.projectSponsor,
          current.sponsorId,
        );
        await save(trx, actor, current, next, version);
      });
    },

    /** The project's manager: only the PM fields; everything else stays as it is. */
    async updateAsManager(actor: Actor, id: number, input: PmUpdateProjectInput): Promise<void> {
      const visible = await get(actor.user, id);
      if (!isProjectManager(actor.user, visible)) throw new ForbiddenError();
      actualNotInFuture(input);
      await db.transaction(async (trx) => {
        const current = await findProject(trx, id);
        if (!current) throw new NotFoundError();
        const next = projectFacts({
          ...projectFacts(current),
          descriptionEn: input.descriptionEn ?? null,
          descriptionAr: input.descriptionAr ?? null,
          actualStart: input.actualStart ?? null,
          actualEnd: input.actualEnd ?? null,
          budgetActual: input.budgetActual,
          reportFrequency: input.reportFrequency,
        });
        await save(trx, actor, current, next, input.version);
      });
    },

    async addMember(actor: Actor, projectId: number, input: AddMemberInput): Promise<void> {
      const project = await get(actor.user, projectId);
      if (!canManageTeam(actor.user, project)) throw new ForbiddenError();
      await db.transaction(async (trx) => {
        await assertAssignable(trx, 'userId', input.userId, ASSIGNABLE.teamMember);
        if (await findMember(trx, projectId, input.userId))
          throw ValidationError.field('userId', 'projects:validation.alreadyMember');
        try {
          await trx('project_members').insert({
            project_id: projectId,
            user_id: input.userId,
            role_en: input.roleEn,
            role_ar: input.roleAr,
            added_at: clock().toISOString(),
          });
        } catch (e) {
          if (isUniqueViolation(e))
            throw ValidationError.field('userId', 'projects:validation.alreadyMember');
          throw e;
        }
        await audit(trx, actor, {
          action: 'project.member.add',
          entity: 'project',
          entityId: projectId,
          after: { userId: input.userId, roleEn: input.roleEn, roleAr: input.roleAr },
        });
      });
    },

    async removeMember(actor: Actor, projectId: number, userId: number): Promise<void> {
      const project = await get(actor.user, projectId);
      if (!canManageTeam(actor.user, project)) throw new ForbiddenError();
      await db.transaction(async (trx) => {
        const member = await findMember(trx, projectId, userId);
        if (!member) throw new NotFoundError();
        await trx('project_members').where({ project_id: projectId, user_id: userId }).delete();
        await audit(trx, actor, {
          action: 'project.member.remove',
          entity: 'project',
          entityId: projectId,
          before: { userId, roleEn: member.roleEn, roleAr: member.roleAr },
        });
      });
    },
  };
}

export type ProjectsService = ReturnType<typeof createProjectsService>;
