import type { Actor, CurrentUser } from '../../auth/current-user.js';
import type { Conn } from '../../db/knex.js';
import { columnsOf, insertOne } from '../../db/util.js';
import { checkVersion, updateVersioned } from '../../db/versioned.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../http/errors.js';
import type { FieldErrors } from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import type { AppDeps } from '../module.js';
import { refreshProjects } from '../portfolio/portfolio.health.js';
import {
  isoDay,
  milestoneSlipDays,
  milestoneState,
  type MilestoneState,
} from '../portfolio/portfolio.rules.js';
import { loadVisibleProject } from '../projects/projects.access.js';
import { canManageMilestones, canUpdateProgress } from './milestones.policy.js';
import {
  findProjectMilestone,
  insertMilestoneUpdate,
  isActiveUser,
  listMilestoneUpdates,
  listOwnerChoices,
  listProjectMilestones,
  nextSortOrder,
  type Milestone,
  type MilestoneUpdate,
} from './milestones.repository.js';
import { changesBetween, settleProgress, type ProgressFields, type RuleErrors } from './milestones.rules.js';
import type { EditMilestoneInput, MilestoneInput, ProgressUpdateInput } from './milestones.schema.js';

/** The projects.* columns milestone pages use (the row loadVisibleProject returns). */
export interface ProjectRow {
  id: number;
  code: string;
  program_id: number;
  name_en: string;
  name_ar: string;
  manager_id: number | null;
  sponsor_id: number | null;
  phase: string;
  status: string;
  health: string;
  progress_pct: number;
  report_frequency: 'weekly' | 'monthly';
  planned_start: string | null;
  planned_end: string | null;
  actual_start: string | null;
  actual_end: string | null;
}

export interface MilestoneView extends Milestone {
  state: MilestoneState;
  slipDays: number;
}

/** What a milestone is, field by field, in the names the forms and the history use. */
export function milestoneSnapshot(m: Omit<Milestone, 'id' | 'projectId' | 'createdAt' | 'updatedAt'>) {
  return {
    titleEn: m.titleEn,
    titleAr: m.titleAr,
    plannedDate: m.plannedDate,
    forecastDate: m.forecastDate,
    actualDate: m.actualDate,
    percentComplete: m.percentComplete,
    weight: m.weight,
    ownerId: m.ownerId,
    status: m.status,
    notes: m.notes,
  };
}
type Snapshot = ReturnType<typeof milestoneSnapshot>;

/** The values of a create or edit form, with progress settled by the rules. */
function formValues(input: MilestoneInput, progress: ProgressFields): Snapshot {
  return {
    titleEn: input.titleEn,
    titleAr: input.titleAr,
    plannedDate: input.plannedDate,
    ownerId: input.ownerId,
    weight: input.weight,
    notes: input.notes,
    ...progress,
  };
}

function ruleErrors(errors: RuleErrors & { ownerId?: string }): FieldErrors | null {
  const entries = Object.entries(errors).filter(([, v]) => v);
  if (entries.length === 0) return null;
  return Object.fromEntries(entries.map(([k, v]) => [k, [{ key: v as string }]]));
}

/** The values someone else saved first, and who saved them, for the 409 page. */
async function conflictOf(conn: Conn, current: Milestone): Promise<ConflictError> {
  const [last] = await listMilestoneUpdates(conn, current.id, 1);
  return new ConflictError('milestones:conflict.message', {
    values: milestoneSnapshot(current),
    version: current.version,
    ownerEn: current.ownerEn,
    ownerAr: current.ownerAr,
    byEn: last?.userEn ?? null,
    byAr: last?.userAr ?? null,
    at: last?.at ?? current.updatedAt,
  });
}

/** Milestone use cases: each opens one transaction, checks visibility (404) and policy (403). */
export function createMilestonesService(deps: AppDeps) {
  const { db, clock, config } = deps;
  const today = () => isoDay(clock());
  const atRisk = config.health.atRiskDays;

  function view(m: Milestone, day: string): MilestoneView {
    return { ...m, state: milestoneState(m, day, atRisk), slipDays: milestoneSlipDays(m, day) };
  }

  async function projectFor(conn: Conn, user: CurrentUser, projectId: number): Promise<ProjectRow> {
    return loadVisibleProject<ProjectRow>(conn, user, projectId);
  }

  async function milestoneFor(conn: Conn, projectId: number, id: number): Promise<Milestone> {
    const m = await findProjectMilestone(conn, projectId, id);
    if (!m) throw new NotFoundError();
    return m;
  }

  /** Names of the owners a history mentions, resolved in one query. */
  async function ownerNames(updates: MilestoneUpdate[]): Promise<Record<string, { en: string; ar: string }>> {
    const ids = new Set<number>();
    for (const u of updates) for (const v of u.changes.ownerId ?? []) if (typeof v === 'number') ids.add(v);
    if (ids.size === 0) return {};
    const people = (await db('users')
      .select('id', 'name_en', 'name_ar')
      .whereIn('id', [...ids])) as {
      id: number;
      name_en: string;
      name_ar: string;
    }[];
    return Object.fromEntries(people.map((p) => [String(p.id), { en: p.name_en, ar: p.name_ar }]));
  }

  async function checkOwner(conn: Conn, ownerId: number | null, errors: Record<string, string>) {
    if (ownerId !== null && !(await isActiveUser(conn, ownerId)))
      errors.ownerId = 'milestones:rules.ownerInactive';
  }

  return {
    today,

    /** The project if the user may see it (else 404). */
    visibleProject(user: CurrentUser, projectId: number): Promise<ProjectRow> {
      return projectFor(db, user, projectId);
    },

    /** The project's milestones tab: milestones in planned-date order with their derived state. */
    async projectMilestones(user: CurrentUser, projectId: number) {
      const project = await projectFor(db, user, projectId);
      const day = today();
      const milestones = (await listProjectMilestones(db, projectId)).map((m) => view(m, day));
      return {
        project,
        milestones,
        today: day,
        canManage: canManageMilestones(user, project),
      };
    },

    /** One milestone with its history (owners named in the history resolved in one query). */
    async milestonePage(user: CurrentUser, projectId: number, id: number) {
      const project = await projectFor(db, user, projectId);
      const milestone = view(await milestoneFor(db, projectId, id), today());
      const updates = await listMilestoneUpdates(db, id);
      const names = await ownerNames(updates);
      return {
        project,
        milestone,
        updates,
        names,
        canManage: canManageMilestones(user, project),
        canUpdate: canUpdateProgress(user, project),
      };
    },

    /** What the create/edit form needs; only for those who may manage milestones (else 403). */
    async formModel(user: CurrentUser, projectId: number, id?: number) {
      const project = await projectFor(db, user, projectId);
      const milestone = id === undefined ? undefined : await milestoneFor(db, projectId, id);
      if (!canManageMilestones(user, project)) throw new ForbiddenError();
      const owners = await listOwnerChoices(db);
      return { project, milestone, owners };
    },

    /** What the quick update form needs; only for those who may update progress (else 403). */
    async updateModel(user: CurrentUser, projectId: number, id: number) {
      const project = await projectFor(db, user, projectId);
      const milestone = view(await milestoneFor(db, projectId, id), today());
      if (!canUpdateProgress(user, project)) throw new ForbiddenError();
      const updates = await listMilestoneUpdates(db, id, 5);
      return { project, milestone, updates, names: await ownerNames(updates) };
    },

    async create(actor: Actor, projectId: number, input: MilestoneInput): Promise<number> {
      return db.transaction(async (trx) => {
        const project = await projectFor(trx, actor.user, projectId);
        if (!canManageMilestones(actor.user, project)) throw new ForbiddenError();
        const day = today();
        const settled = settleProgress(input, day);
        const errors: Record<string, string> = { ...settled.errors };
        await checkOwner(trx, input.ownerId, errors);
        const fieldErrors = ruleErrors(errors);
        if (fieldErrors) throw new ValidationError(fieldErrors);
        const values = formValues(input, settled.values);
        const now = clock().toISOString();
        const id = await insertOne(trx, 'milestones', {
          project_id: projectId,
          ...columnsOf(values),
          sort_order: await nextSortOrder(trx, projectId),
          version: 1,
          created_at: now,
          updated_at: now,
        });
        const empty: Record<string, unknown> = Object.fromEntries(Object.keys(values).map((k) => [k, null]));
        await insertMilestoneUpdate(trx, {
          milestoneId: id,
          userId: actor.user.id,
          at: now,
          note: input.note,
          changes: changesBetween(empty, values),
        });
        await refreshProjects(trx, [projectId], day, config.health);
        await audit(
          trx,
          actor,
          { action: 'milestone.create', entity: 'milestone', entityId: id, after: { projectId, ...values } },
          now,
        );
        return id;
      });
    },

    /** Edits every field of a milestone; returns false when nothing changed and no note was given. */
    async edit(actor: Actor, projectId: number, id: number, input: EditMilestoneInput): Promise<boolean> {
      return db.transaction(async (trx) => {
        const project = await projectFor(trx, actor.user, projectId);
        const current = await milestoneFor(trx, projectId, id);
        if (!canManageMilestones(actor.user, project)) throw new ForbiddenError();
        await checkVersion(current.version, input.version, () => conflictOf(trx, current));
        const day = today();
        const settled = settleProgress(input, day, current);
        const errors: Record<string, string> = { ...settled.errors };
        if (input.ownerId !== current.ownerId) await checkOwner(trx, input.ownerId, errors);
        const fieldErrors = ruleErrors(errors);
        if (fieldErrors) throw new ValidationError(fieldErrors);
        const next = formValues(input, settled.values);
        return save(trx, actor, project, current, next, input.note, 'milestone.update');
      });
    },

    /** The project manager's quick update: progress, forecast, actual date, status and a note. */
    async updateProgress(
      actor: Actor,
      projectId: number,
      id: number,
      input: ProgressUpdateInput,
    ): Promise<boolean> {
      return db.transaction(async (trx) => {
        const project = await projectFor(trx, actor.user, projectId);
        const current = await milestoneFor(trx, projectId, id);
        if (!canUpdateProgress(actor.user, project)) throw new ForbiddenError();
        await checkVersion(current.version, input.version, () => conflictOf(trx, current));
        const settled = settleProgress(input, today(), current);
        const fieldErrors = ruleErrors(settled.errors);
        if (fieldErrors) throw new ValidationError(fieldErrors);
        const next = { ...milestoneSnapshot(current), ...settled.values };
        return save(trx, actor, project, current, next, input.note, 'milestone.progress');
      });
    },
  };

  /** Writes a changed milestone under its version, its history row, the project refresh and audit. */
  async function save(
    trx: Conn,
    actor: Actor,
    project: ProjectRow,
    current: Milestone,
    next: Snapshot,
    note: string | null,
    action: string,
  ): Promise<boolean> {
    const before = milestoneSnapshot(current);
    const changes = changesBetween(before, next);
    if (Object.keys(changes).length === 0 && !note) return false;
    const now = clock().toISOString();
    await updateVersioned(
      trx,
      'milestones',
      current.id,
      current.version,
      { ...columnsOf(next), updated_at: now },
      async () => {
        const latest = await findProjectMilestone(trx, project.id, current.id);
        return latest ? conflictOf(trx, latest) : new NotFoundError();
      },
    );
    await insertMilestoneUpdate(trx, {
      milestoneId: current.id,
      userId: actor.user.id,
      at: now,
      note,
      changes,
    });
    await refreshProjects(trx, [project.id], isoDay(clock()), config.health);
    const b: Record<string, unknown> = {};
    const a: Record<string, unknown> = {};
    for (const [k, [x, y]] of Object.entries(changes)) {
      b[k] = x;
      a[k] = y;
    }
    await audit(
      trx,
      actor,
      {
        action,
        entity: 'milestone',
        entityId: current.id,
        before: b,
        after: note ? { ...a, note } : a,
      },
      now,
    );
    return true;
  }
}

export type MilestonesService = ReturnType<typeof createMilestonesService>;
