import type { Actor } from '../../auth/current-user.js';
import type { Conn } from '../../db/knex.js';
import { insertOne } from '../../db/util.js';
import { checkVersion, updateVersioned } from '../../db/versioned.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../http/errors.js';
import { audit, canonicalJson } from '../audit/audit.service.js';
import type { AppDeps } from '../module.js';
import { parsePeriodKey } from './strategy.periods.js';
import { canCompleteAction, canManageStrategy } from './strategy.policy.js';
import { findObjective, isOwnerCandidate, listKpis, listObjectives } from './strategy.repository.js';
import type { ReviewActionInput, ReviewEntryInput } from './strategy.schema.js';
import { group, loadSummaries, rollUp } from './strategy.summary.js';
import { formatPlain } from './strategy.values.js';

/**
 * Periodic strategy reviews. A review cycle (quarterly by default, e.g. 2026-Q3) holds, per
 * objective, the PMO's summary, decisions and actions (owner, due date, done or open). A closed
 * cycle is history: its entries no longer change, though its actions can still be marked done.
 */
type Row = Record<string, unknown>;

export interface ReviewCycle {
  id: number;
  periodKey: string;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
  version: number;
}

export interface ReviewAction {
  id: number;
  entryId: number;
  description: string;
  ownerId: number;
  ownerNameEn: string;
  ownerNameAr: string;
  dueDate: string;
  status: 'open' | 'done';
  doneAt: string | null;
  version: number;
}

export interface ReviewEntry {
  id: number;
  cycleId: number;
  objectiveId: number;
  summary: string;
  decisions: string | null;
  snapshot: { code: string; status: string; value: string | null; period: string | null }[];
  updatedAt: string;
  updatedByEn: string | null;
  updatedByAr: string | null;
  version: number;
  actions: ReviewAction[];
}

function toCycle(r: Row): ReviewCycle {
  return {
    id: Number(r.id),
    periodKey: String(r.period_key),
    status: r.status as ReviewCycle['status'],
    openedAt: String(r.opened_at),
    closedAt: (r.closed_at as string | null) ?? null,
    version: Number(r.version),
  };
}

function toAction(r: Row): ReviewAction {
  return {
    id: Number(r.id),
    entryId: Number(r.entry_id),
    description: String(r.description),
    ownerId: Number(r.owner_id),
    ownerNameEn: String(r.owner_name_en ?? ''),
    ownerNameAr: String(r.owner_name_ar ?? ''),
    dueDate: String(r.due_date),
    status: r.status as ReviewAction['status'],
    doneAt: (r.done_at as string | null) ?? null,
    version: Number(r.version),
  };
}

function parseSnapshot(text: unknown): ReviewEntry['snapshot'] {
  if (typeof text !== 'string' || !text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as ReviewEntry['snapshot']) : [];
  } catch {
    return [];
  }
}

async function entriesWithActions(conn: Conn, where: { cycleId?: number; objectiveId?: number }) {
  const rows = (await conn('review_entries as e')
    .leftJoin('users as u', 'u.id', 'e.updated_by')
    .select('e.*', 'u.name_en as updated_by_en', 'u.name_ar as updated_by_ar')
    .modify((q) => {
      if (where.cycleId) q.where('e.cycle_id', where.cycleId);
      if (where.objectiveId) q.where('e.objective_id', where.objectiveId);
    })) as Row[];
  const ids = rows.map((r) => Number(r.id));
  const actions = ids.length
    ? ((await conn('review_actions as a')
        .join('users as ou', 'ou.id', 'a.owner_id')
        .select('a.*', 'ou.name_en as owner_name_en', 'ou.name_ar as owner_name_ar')
        .whereIn('a.entry_id', ids)
        .orderBy(['a.due_date', 'a.id'])) as Row[])
    : [];
  const byEntry = group(actions.map(toAction), (a) => a.entryId);
  return rows.map((r): ReviewEntry => ({
    id: Number(r.id),
    cycleId: Number(r.cycle_id),
    objectiveId: Number(r.objective_id),
    summary: String(r.summary),
    decisions: (r.decisions as string | null) ?? null,
    snapshot: parseSnapshot(r.kpi_snapshot),
    updatedAt: String(r.updated_at),
    updatedByEn: (r.updated_by_en as string | null) ?? null,
    updatedByAr: (r.updated_by_ar as string | null) ?? null,
    version: Number(r.version),
    actions: byEntry.get(Number(r.id)) ?? [],
  }));
}

export function createReviewService(deps: AppDeps) {
  const { db, clock, config } = deps;
  const now = () => clock().toISOString();

  /** Someone closed or changed the cycle, entry or action first. */
  const changed = () => new ConflictError('strategy:reviews.changed');

  function mustManage(actor: Actor) {
    if (!canManageStrategy(actor.user)) throw new ForbiddenError();
  }

  async function cycleOr404(conn: Conn, id: number): Promise<ReviewCycle> {
    const r = await conn('review_cycles').where({ id }).first();
    if (!r) throw new NotFoundError();
    return toCycle(r);
  }

  /** The KPI statuses of an objective as the review sees them now (kept with the entry). */
  async function snapshotOf(conn: Conn, objectiveId: number): Promise<ReviewEntry['snapshot']> {
    const kpis = await listKpis(conn, { objectiveIds: [objectiveId] });
    const summaries = await loadSummaries(conn, kpis, now().slice(0, 10), config.kpi);
    return kpis.map((k) => {
      const s = summaries.get(k.id)!;
      return {
        code: k.code,
        status: s.status.status,
        value: s.latest ? formatPlain(s.latest.value) : null,
        period: s.latest?.periodKey ?? null,
      };
    });
  }

  return {
    async listCycles(): Promise<(ReviewCycle & { entries: number; openActions: number })[]> {
      const rows = (await db('review_cycles as c')
        .select(
          'c.*',
          db.raw('(select count(*) from review_entries e where e.cycle_id = c.id) as entries'),
          db.raw(
            "(select count(*) from review_actions a join review_entries e2 on e2.id = a.entry_id where e2.cycle_id = c.id and a.status = 'open') as open_actions",
          ),
        )
        .orderBy('c.period_key', 'desc')) as Row[];
      return rows.map((r) => ({
        ...toCycle(r),
        entries: Number(r.entries),
        openActions: Number(r.open_actions),
      }));
    },

    getCycle: (id: number) => cycleOr404(db, id),

    /** A cycle with every objective, its entry (if written) and the objective's current KPI status. */
    async cyclePage(id: number) {
      const cycle = await cycleOr404(db, id);
      const [objectives, entries, kpis] = await Promise.all([
        listObjectives(db),
        entriesWithActions(db, { cycleId: id }),
        listKpis(db),
      ]);
      const summaries = await loadSummaries(db, kpis, now().slice(0, 10), config.kpi);
      const kBy = group(kpis, (k) => k.objectiveId);
      return {
        cycle,
        objectives: objectives.map((o) => {
          const ks = (kBy.get(o.id) ?? []).map((k) => summaries.get(k.id)!);
          return {
            objective: o,
            kpis: ks,
            status: rollUp(ks.map((s) => s.status.status)),
            entry: entries.find((e) => e.objectiveId === o.id) ?? null,
          };
        }),
      };
    },

    async entryFor(cycleId: number, objectiveId: number): Promise<ReviewEntry | null> {
      const entries = await entriesWithActions(db, { cycleId, objectiveId });
      return entries[0] ?? null;
    },

    /** Every review entry of one objective, newest cycle first (the objective's review history). */
    async objectiveHistory(objectiveId: number) {
      const [cycles, entries] = await Promise.all([
        db('review_cycles').select('*'),
        entriesWithActions(db, { objectiveId }),
      ]);
      const byId = new Map((cycles as Row[]).map((c) => [Number(c.id), toCycle(c)]));
      return entries
        .map((e) => ({ entry: e, cycle: byId.get(e.cycleId)! }))
        .sort((a, b) => (a.cycle.periodKey < b.cycle.periodKey ? 1 : -1));
    },

    async openCycle(actor: Actor, periodKey: string): Promise<number> {
      mustManage(actor);
      const p = parsePeriodKey(periodKey);
      if (!p) throw ValidationError.field('periodKey', 'strategy:validation.period');
      if (p.start > now().slice(0, 10))
        throw ValidationError.field('periodKey', 'strategy:reviews.periodFuture');
      return db.transaction(async (trx) => {
        if (await trx('review_cycles').where({ period_key: p.key }).first())
          throw ValidationError.field('periodKey', 'strategy:reviews.duplicate');
        const id = await insertOne(trx, 'review_cycles', {
          period_key: p.key,
          status: 'open',
          opened_by: actor.user.id,
          opened_at: now(),
        });
        await audit(trx, actor, {
          action: 'review.open',
          entity: 'review_cycle',
          entityId: id,
          after: { period: p.key },
        });
        return id;
      });
    },

    async closeCycle(actor: Actor, id: number, version: number): Promise<void> {
      mustManage(actor);
      await db.transaction(async (trx) => {
        const c = await cycleOr404(trx, id);
        if (c.status === 'closed' || c.version !== version)
          throw new ConflictError('strategy:reviews.changed');
        await updateVersioned(
          trx,
          'review_cycles',
          id,
          version,
          { status: 'closed', closed_by: actor.user.id, closed_at: now() },
          changed,
        );
        await audit(trx, actor, {
          action: 'review.close',
          entity: 'review_cycle',
          entityId: id,
          before: { status: 'open' },
          after: { status: 'closed' },
        });
      });
    },

    /** Writes (version 0: creates) the entry of an objective in an open cycle. */
    async saveEntry(
      actor: Actor,
      cycleId: number,
      objectiveId: number,
      input: ReviewEntryInput,
    ): Promise<void> {
      mustManage(actor);
      await db.transaction(async (trx) => {
        const c = await cycleOr404(trx, cycleId);
        if (!(await findObjective(trx, objectiveId))) throw new NotFoundError();
        if (c.status !== 'open') throw new ForbiddenError('strategy:reviews.closedCycle');
        const current = (await trx('review_entries')
          .where({ cycle_id: cycleId, objective_id: objectiveId })
          .first()) as Row | undefined;
        const snapshot = canonicalJson(await snapshotOf(trx, objectiveId));
        const after = { summary: input.summary, decisions: input.decisions ?? null };
        if (!current) {
          if (input.version !== 0) throw new ConflictError('strategy:reviews.changed');
          const id = await insertOne(trx, 'review_entries', {
            cycle_id: cycleId,
            objective_id: objectiveId,
            summary: input.summary,
            decisions: input.decisions ?? null,
            kpi_snapshot: snapshot,
            created_by: actor.user.id,
            created_at: now(),
            updated_by: actor.user.id,
            updated_at: now(),
          });
          await audit(trx, actor, {
            action: 'review.entry.create',
            entity: 'review_cycle',
            entityId: cycleId,
            after: { entryId: id, objectiveId, ...after },
          });
          return;
        }
        const before = {
          summary: String(current.summary),
          decisions: (current.decisions as string | null) ?? null,
        };
        const conflict = () => new ConflictError('errors:409.message', before);
        await checkVersion(current.version, input.version, conflict);
        await updateVersioned(
          trx,
          'review_entries',
          Number(current.id),
          input.version,
          {
            summary: input.summary,
            decisions: input.decisions ?? null,
            kpi_snapshot: snapshot,
            updated_by: actor.user.id,
            updated_at: now(),
          },
          conflict,
        );
        await audit(trx, actor, {
          action: 'review.entry.update',
          entity: 'review_cycle',
          entityId: cycleId,
          before: { entryId: Number(current.id), ...before },
          after: { entryId: Number(current.id), ...after },
        });
      });
    },

    async addAction(
      actor: Actor,
      cycleId: number,
      objectiveId: number,
      input: ReviewActionInput,
    ): Promise<void> {
      mustManage(actor);
      await db.transaction(async (trx) => {
        const c = await cycleOr404(trx, cycleId);
        if (c.status !== 'open') throw new ForbiddenError('strategy:reviews.closedCycle');
        const entry = await trx('review_entries')
          .where({ cycle_id: cycleId, objective_id: objectiveId })
          .first();
        if (!entry) throw ValidationError.field('description', 'strategy:reviews.entryFirst');
        if (!(await isOwnerCandidate(trx, input.ownerId)))
          throw ValidationError.field('ownerId', 'validation:choice');
        const id = await insertOne(trx, 'review_actions', {
          entry_id: entry.id,
          description: input.description,
          owner_id: input.ownerId,
          due_date: input.dueDate,
          status: 'open',
          created_by: actor.user.id,
          created_at: now(),
          updated_at: now(),
        });
        await audit(trx, actor, {
          action: 'review.action.create',
          entity: 'review_cycle',
          entityId: cycleId,
          after: {
            actionId: id,
            objectiveId,
            description: input.description,
            ownerId: input.ownerId,
            dueDate: input.dueDate,
          },
        });
      });
    },

    async findAction(id: number): Promise<(ReviewAction & { cycleId: number }) | undefined> {
      const r = (await db('review_actions as a')
        .join('users as ou', 'ou.id', 'a.owner_id')
        .join('review_entries as e', 'e.id', 'a.entry_id')
        .select('a.*', 'ou.name_en as owner_name_en', 'ou.name_ar as owner_name_ar', 'e.cycle_id')
        .where('a.id', id)
        .first()) as Row | undefined;
      return r ? { ...toAction(r), cycleId: Number(r.cycle_id) } : undefined;
    },

    /** Marks an action done (its owner or the PMO), or open again; returns its cycle. */
    async setActionDone(actor: Actor, id: number, done: boolean, version: number): Promise<number> {
      return db.transaction(async (trx) => {
        const r = (await trx('review_actions as a')
          .join('review_entries as e', 'e.id', 'a.entry_id')
          .select('a.*', 'e.cycle_id')
          .where('a.id', id)
          .first()) as Row | undefined;
        if (!r) throw new NotFoundError();
        if (!canCompleteAction(actor.user, { ownerId: Number(r.owner_id) })) throw new ForbiddenError();
        await checkVersion(r.version, version, changed);
        const status = done ? 'done' : 'open';
        await updateVersioned(
          trx,
          'review_actions',
          id,
          version,
          {
            status,
            done_by: done ? actor.user.id : null,
            done_at: done ? now() : null,
            updated_at: now(),
          },
          changed,
        );
        await audit(trx, actor, {
          action: done ? 'review.action.done' : 'review.action.reopen',
          entity: 'review_cycle',
          entityId: Number(r.cycle_id),
          before: { actionId: id, status: r.status },
          after: { actionId: id, status },
        });
        return Number(r.cycle_id);
      });
    },
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;
