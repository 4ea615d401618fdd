import type { Actor, CurrentUser } from '../../auth/current-user.js';
import type { Conn } from '../../db/knex.js';
import { columnsOf, insertOne } from '../../db/util.js';
import { checkVersion, updateVersioned } from '../../db/versioned.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../http/errors.js';
import { audit, diff } from '../audit/audit.service.js';
import { canSeeProgram, canSeeProject } from '../projects/projects.access.js';
import type { AppDeps } from '../module.js';
import { SOURCE_META, type ComputedSource } from './computed.sources.js';
import { countMeasurements } from './measurements.repository.js';
import { parsePeriodKey } from './strategy.periods.js';
import { canManageStrategy } from './strategy.policy.js';
import {
  codeTaken,
  findKpi,
  findLink,
  findObjective,
  findStrategy,
  findTarget,
  isOwnerCandidate,
  listKpis,
  listObjectives,
  listStrategies,
  listTargets,
  listVisibleLinks,
  type Kpi,
  type Link,
  type Objective,
  type Strategy,
} from './strategy.repository.js';
import type {
  KpiInput,
  LinkInput,
  LinkUpdateInput,
  ObjectiveInput,
  StrategyInput,
  TargetInput,
} from './strategy.schema.js';
import { loadSummaries, rollUp, type KpiSummary } from './strategy.summary.js';
import type { KpiStatus } from './strategy.rules.js';

/** Strategies, objectives, their links to programs and projects, KPIs and targets. */
export function createStrategyService(deps: AppDeps) {
  const { db, clock, config } = deps;
  const now = () => clock().toISOString();
  const today = () => now().slice(0, 10);

  function mustManage(actor: Actor) {
    if (!canManageStrategy(actor.user)) throw new ForbiddenError();
  }

  async function ownerValid(conn: Conn, ownerId: number | undefined | null, field = 'ownerId') {
    if (ownerId && !(await isOwnerCandidate(conn, ownerId)))
      throw ValidationError.field(field, 'validation:choice');
  }

  /** What an objective must satisfy to be saved (`id`: the one being edited). */
  async function checkObjective(trx: Conn, input: ObjectiveInput, id?: number) {
    if (!(await findStrategy(trx, input.strategyId)))
      throw ValidationError.field('strategyId', 'validation:choice');
    if (await codeTaken(trx, 'objectives', input.code, id))
      throw ValidationError.field('code', 'validation:unique');
    await ownerValid(trx, input.ownerId);
  }

  /** What a KPI must satisfy to be saved (`id`: the one being edited). */
  async function checkKpi(trx: Conn, input: KpiInput, id?: number) {
    if (await codeTaken(trx, 'kpis', input.code, id))
      throw ValidationError.field('code', 'validation:unique');
    await ownerValid(trx, input.ownerId);
    checkSource(input);
  }

  /** Inserts a strategy, objective or KPI row and audits `<entity>.create` with what was saved. */
  async function createAudited(
    trx: Conn,
    actor: Actor,
    e: { table: string; entity: string; columns: Record<string, unknown>; after: Record<string, unknown> },
  ): Promise<number> {
    const id = await insertOne(trx, e.table, { ...e.columns, created_at: now(), updated_at: now() });
    await audit(trx, actor, { action: `${e.entity}.create`, entity: e.entity, entityId: id, after: e.after });
    return id;
  }

  /**
   * Edits a strategy, objective or KPI in one transaction: 404 when gone, 409 with the current
   * values when the version moved, the entity's own checks, the versioned write, `<entity>.update`
   * audited with the changed values.
   */
  async function updateAudited<R extends { version: number }, S extends Record<string, unknown>>(
    actor: Actor,
    id: number,
    version: number,
    e: {
      table: string;
      entity: string;
      find: (conn: Conn, id: number) => Promise<R | undefined>;
      snap: (r: R) => S;
      next: S;
      columns: Record<string, unknown>;
      check?: (trx: Conn, current: R) => Promise<void>;
    },
  ): Promise<void> {
    mustManage(actor);
    await db.transaction(async (trx) => {
      const current = await e.find(trx, id);
      if (!current) throw new NotFoundError();
      const conflict = () => new ConflictError('errors:409.message', e.snap(current));
      await checkVersion(current.version, version, conflict);
      if (e.check) await e.check(trx, current);
      await updateVersioned(trx, e.table, id, version, { ...e.columns, updated_at: now() }, conflict);
      const d = diff(e.snap(current), e.next);
      await audit(trx, actor, { action: `${e.entity}.update`, entity: e.entity, entityId: id, ...d });
    });
  }

  return {
    // ---- reading

    listStrategies: () => listStrategies(db),

    async getStrategy(id: number): Promise<Strategy> {
      const s = await findStrategy(db, id);
      if (!s) throw new NotFoundError();
      return s;
    },

    /** The strategy map: strategies → objectives (rolled-up status) → KPIs → visible programs and projects. */
    async map(user: CurrentUser) {
      const [strategies, objectives, kpis] = await Promise.all([
        listStrategies(db),
        listObjectives(db),
        listKpis(db),
      ]);
      const [summaries, links] = await Promise.all([
        loadSummaries(db, kpis, today(), config.kpi),
        listVisibleLinks(db, user, { objectiveIds: objectives.map((o) => o.id) }),
      ]);
      const objectiveViews = objectives.map((o) => {
        const ks = kpis.filter((k) => k.objectiveId === o.id).map((k) => summaries.get(k.id)!);
        return {
          objective: o,
          kpis: ks,
          status: rollUp(ks.map((s) => s.status.status)),
          links: links.filter((l) => l.objectiveId === o.id),
        };
      });
      const counts: Record<KpiStatus, number> = { on_track: 0, at_risk: 0, off_track: 0, no_data: 0 };
      for (const s of summaries.values()) counts[s.status.status]++;
      return {
        strategies: strategies.map((s) => ({
          strategy: s,
          objectives: objectiveViews.filter((v) => v.objective.strategyId === s.id),
        })),
        counts,
        kpiCount: kpis.length,
      };
    },

    async getObjective(id: number): Promise<Objective> {
      const o = await findObjective(db, id);
      if (!o) throw new NotFoundError();
      return o;
    },

    async objectivePage(user: CurrentUser, id: number) {
      const objective = await findObjective(db, id);
      if (!objective) throw new NotFoundError();
      const [strategy, kpis, links] = await Promise.all([
        findStrategy(db, objective.strategyId),
        listKpis(db, { objectiveIds: [id] }),
        listVisibleLinks(db, user, { objectiveIds: [id] }),
      ]);
      const summaries = await loadSummaries(db, kpis, today(), config.kpi);
      const ks = kpis.map((k) => summaries.get(k.id)!);
      return {
        objective,
        strategy: strategy!,
        kpis: ks,
        status: rollUp(ks.map((s) => s.status.status)),
        links,
      };
    },

    async getKpi(id: number): Promise<Kpi> {
      const k = await findKpi(db, id);
      if (!k) throw new NotFoundError();
      return k;
    },

    async kpiSummary(kpi: Kpi): Promise<KpiSummary> {
      return (await loadSummaries(db, [kpi], today(), config.kpi)).get(kpi.id)!;
    },

    /** The objectives a project serves, directly or through its program (visible project only). */
    async projectObjectives(user: CurrentUser, project: { id: number; program_id: number }) {
      const links = [
        ...(await listVisibleLinks(db, user, { projectId: project.id })),
        ...(await listVisibleLinks(db, user, { programIds: [project.program_id] })).filter(
          (l) => l.kind === 'program',
        ),
      ];
      const objectiveIds = [...new Set(links.map((l) => l.objectiveId))];
      const objectives = (await listObjectives(db)).filter((o) => objectiveIds.includes(o.id));
      const kpis = await listKpis(db, { objectiveIds });
      const summaries = await loadSummaries(db, kpis, today(), config.kpi);
      return objectives.map((o) => {
        const ks = kpis.filter((k) => k.objectiveId === o.id).map((k) => summaries.get(k.id)!);
        return {
          objective: o,
          kpis: ks,
          status: rollUp(ks.map((s) => s.status.status)),
          links: links.filter((l) => l.objectiveId === o.id),
        };
      });
    },

    // ---- strategies

    async createStrategy(actor: Actor, input: StrategyInput): Promise<number> {
      mustManage(actor);
      return db.transaction((trx) =>
        createAudited(trx, actor, {
          table: 'strategies',
          entity: 'strategy',
          columns: columnsOf(strategySnap(input)),
          after: strategySnap(input),
        }),
      );
    },

    async updateStrategy(
      actor: Actor,
      id: number,
      input: StrategyInput & { version: number },
    ): Promise<void> {
      await updateAudited(actor, id, input.version, {
        table: 'strategies',
        entity: 'strategy',
        find: findStrategy,
        snap: strategySnap,
        next: strategySnap(input),
        columns: columnsOf(strategySnap(input)),
      });
    },

    // ---- objectives

    async createObjective(actor: Actor, input: ObjectiveInput): Promise<number> {
      mustManage(actor);
      return db.transaction(async (trx) => {
        await checkObjective(trx, input);
        return createAudited(trx, actor, {
          table: 'objectives',
          entity: 'objective',
          columns: columnsOf(objectiveSnap(input)),
          after: objectiveSnap(input),
        });
      });
    },

    async updateObjective(
      actor: Actor,
      id: number,
      input: ObjectiveInput & { version: number },
    ): Promise<void> {
      await updateAudited(actor, id, input.version, {
        table: 'objectives',
        entity: 'objective',
        find: findObjective,
        snap: objectiveSnap,
        next: objectiveSnap(input),
        columns: columnsOf(objectiveSnap(input)),
        check: (trx) => checkObjective(trx, input, id),
      });
    },

    // ---- links

    async getLink(user: CurrentUser, id: number): Promise<Link> {
      const row = await findLink(db, id);
      if (!row) throw new NotFoundError();
      const links = await listVisibleLinks(db, user, { objectiveIds: [Number(row.objective_id)] });
      const link = links.find((l) => l.id === id);
      if (!link) throw new NotFoundError();
      return link;
    },

    async createLink(actor: Actor, input: LinkInput): Promise<number> {
      mustManage(actor);
      return db.transaction(async (trx) => {
        if (!(await findObjective(trx, input.objectiveId)))
          throw ValidationError.field('objectiveId', 'validation:choice');
        const { kind, id: targetId } = input.target;
        const visible =
          kind === 'program'
            ? await canSeeProgram(trx, actor.user, targetId)
            : await canSeeProject(trx, actor.user, targetId);
        if (!visible) throw ValidationError.field('target', 'validation:choice');
        const column = kind === 'program' ? 'program_id' : 'project_id';
        const dup = await trx('objective_links')
          .where({ objective_id: input.objectiveId, [column]: targetId })
          .first();
        if (dup) throw ValidationError.field('target', 'strategy:links.duplicate');
        const id = await insertOne(trx, 'objective_links', {
          objective_id: input.objectiveId,
          [column]: targetId,
          note_en: input.noteEn ?? null,
          note_ar: input.noteAr ?? null,
          created_by: actor.user.id,
          created_at: now(),
          updated_at: now(),
        });
        await audit(trx, actor, {
          action: 'objective.link',
          entity: 'objective',
          entityId: input.objectiveId,
          after: { linkId: id, [kind]: targetId, noteEn: input.noteEn ?? null, noteAr: input.noteAr ?? null },
        });
        return id;
      });
    },

    async updateLink(actor: Actor, id: number, input: LinkUpdateInput): Promise<number> {
      mustManage(actor);
      return db.transaction(async (trx) => {
        const current = await findLink(trx, id);
        if (!current) throw new NotFoundError();
        const before = { noteEn: current.note_en ?? null, noteAr: current.note_ar ?? null };
        const conflict = () => new ConflictError('errors:409.message', before);
        await checkVersion(current.version, input.version, conflict);
        await updateVersioned(
          trx,
          'objective_links',
          id,
          input.version,
          { note_en: input.noteEn ?? null, note_ar: input.noteAr ?? null, updated_at: now() },
          conflict,
        );
        await audit(trx, actor, {
          action: 'objective.link.update',
          entity: 'objective',
          entityId: Number(current.objective_id),
          before: { linkId: id, ...before },
          after: { linkId: id, noteEn: input.noteEn ?? null, noteAr: input.noteAr ?? null },
        });
        return Number(current.objective_id);
      });
    },

    async deleteLink(actor: Actor, id: number, version: number): Promise<number> {
      mustManage(actor);
      return db.transaction(async (trx) => {
        const current = await findLink(trx, id);
        if (!current) throw new NotFoundError();
        const n = await trx('objective_links').where({ id, version }).delete();
        if (n !== 1) throw new ConflictError();
        await audit(trx, actor, {
          action: 'objective.unlink',
          entity: 'objective',
          entityId: Number(current.objective_id),
          before: {
            linkId: id,
            program: current.program_id ?? undefined,
            project: current.project_id ?? undefined,
            noteEn: current.note_en ?? null,
            noteAr: current.note_ar ?? null,
          },
        });
        return Number(current.objective_id);
      });
    },

    // ---- KPIs

    async createKpi(actor: Actor, objectiveId: number, input: KpiInput): Promise<number> {
      mustManage(actor);
      return db.transaction(async (trx) => {
        if (!(await findObjective(trx, objectiveId))) throw new NotFoundError();
        await checkKpi(trx, input);
        return createAudited(trx, actor, {
          table: 'kpis',
          entity: 'kpi',
          columns: { objective_id: objectiveId, ...kpiColumns(input) },
          after: { objectiveId, ...kpiSnap(input) },
        });
      });
    },

    async updateKpi(actor: Actor, id: number, input: KpiInput & { version: number }): Promise<void> {
      await updateAudited(actor, id, input.version, {
        table: 'kpis',
        entity: 'kpi',
        find: findKpi,
        snap: kpiSnap,
        next: kpiSnap(input),
        columns: kpiColumns(input),
        async check(trx, current) {
          await checkKpi(trx, input, id);
          const { total, firstEnd } = await countMeasurements(trx, id);
          if (total > 0) {
            // Values already recorded keep their meaning: their unit, period kind and source are fixed.
            if (input.unit !== current.unit)
              throw ValidationError.field('unit', 'strategy:kpis.fixedOnceMeasured');
            if (input.frequency !== current.frequency)
              throw ValidationError.field('frequency', 'strategy:kpis.fixedOnceMeasured');
            if ((input.sourceKey ?? null) !== current.sourceKey)
              throw ValidationError.field('sourceKey', 'strategy:kpis.fixedOnceMeasured');
            if (firstEnd && input.baselineDate >= firstEnd)
              throw ValidationError.field('baselineDate', 'strategy:kpis.baselineAfterValues');
          }
        },
      });
    },

    listTargets: (kpiId: number) => listTargets(db, [kpiId]),

    async addTarget(actor: Actor, kpiId: number, input: TargetInput): Promise<void> {
      mustManage(actor);
      await db.transaction(async (trx) => {
        const kpi = await findKpi(trx, kpiId);
        if (!kpi) throw new NotFoundError();
        const p = parsePeriodKey(input.periodKey);
        if (!p) throw ValidationError.field('periodKey', 'strategy:validation.period');
        if (p.end <= kpi.baselineDate)
          throw ValidationError.field('periodKey', 'strategy:targets.beforeBaseline');
        const clash = await trx('kpi_targets').where({ kpi_id: kpiId }).where('period_end', p.end).first();
        if (clash) throw ValidationError.field('periodKey', 'strategy:targets.duplicate');
        const id = await insertOne(trx, 'kpi_targets', {
          kpi_id: kpiId,
          period_key: p.key,
          period_end: p.end,
          value: input.value,
          created_at: now(),
          updated_at: now(),
        });
        await audit(trx, actor, {
          action: 'kpi.target.create',
          entity: 'kpi',
          entityId: kpiId,
          after: { targetId: id, period: p.key, value: input.value },
        });
      });
    },

    async updateTarget(
      actor: Actor,
      kpiId: number,
      targetId: number,
      input: { value: number; version: number },
    ) {
      mustManage(actor);
      await db.transaction(async (trx) => {
        const t = await findTarget(trx, kpiId, targetId);
        if (!t) throw new NotFoundError();
        const before = { period: t.periodKey, value: t.value };
        const conflict = () => new ConflictError('errors:409.message', before);
        await checkVersion(t.version, input.version, conflict);
        await updateVersioned(
          trx,
          'kpi_targets',
          targetId,
          input.version,
          { value: input.value, updated_at: now() },
          conflict,
        );
        await audit(trx, actor, {
          action: 'kpi.target.update',
          entity: 'kpi',
          entityId: kpiId,
          before: { targetId, ...before },
          after: { targetId, period: t.periodKey, value: input.value },
        });
      });
    },

    async deleteTarget(actor: Actor, kpiId: number, targetId: number, version: number) {
      mustManage(actor);
      await db.transaction(async (trx) => {
        const t = await findTarget(trx, kpiId, targetId);
        if (!t) throw new NotFoundError();
        const n = await trx('kpi_targets').where({ id: targetId, version }).delete();
        if (n !== 1) throw new ConflictError();
        await audit(trx, actor, {
          action: 'kpi.target.delete',
          entity: 'kpi',
          entityId: kpiId,
          before: { targetId, period: t.periodKey, value: t.value },
        });
      });
    },
  };
}

const strategySnap = (s: StrategyInput | Strategy) => ({
  nameEn: s.nameEn,
  nameAr: s.nameAr,
  descriptionEn: s.descriptionEn ?? null,
  descriptionAr: s.descriptionAr ?? null,
  startYear: s.startYear,
  endYear: s.endYear,
});
const objectiveSnap = (o: ObjectiveInput | Objective) => ({
  strategyId: o.strategyId,
  code: o.code,
  nameEn: o.nameEn,
  nameAr: o.nameAr,
  descriptionEn: o.descriptionEn ?? null,
  descriptionAr: o.descriptionAr ?? null,
  ownerId: o.ownerId ?? null,
  sortOrder: o.sortOrder,
});
const kpiSnap = (k: KpiInput | Kpi) => ({
  code: k.code,
  nameEn: k.nameEn,
  nameAr: k.nameAr,
  unit: k.unit,
  direction: k.direction,
  baselineValue: k.baselineValue,
  baselineDate: k.baselineDate,
  frequency: k.frequency,
  ownerId: k.ownerId ?? null,
  dataSourceEn: k.dataSourceEn ?? null,
  dataSourceAr: k.dataSourceAr ?? null,
  sourceKey: k.sourceKey ?? null,
  sortOrder: k.sortOrder,
});

/** A computed KPI uses the unit and direction its source produces. */
function checkSource(input: KpiInput) {
  if (!input.sourceKey) return;
  const meta = SOURCE_META[input.sourceKey as ComputedSource];
  if (input.unit !== meta.unit) throw ValidationError.field('unit', 'strategy:kpis.sourceUnit');
  if (input.direction !== meta.direction)
    throw ValidationError.field('direction', 'strategy:kpis.sourceDirection');
}

function kpiColumns(input: KpiInput) {
  return { ...columnsOf(kpiSnap(input)), computed: !!input.sourceKey };
}

export type StrategyService = ReturnType<typeof createStrategyService>;
