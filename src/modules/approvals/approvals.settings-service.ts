import type { Actor } from '../../auth/current-user.js';
import type { Role } from '../../auth/roles.js';
import type { Db, Trx } from '../../db/knex.js';
import { insertOne } from '../../db/util.js';
import { checkVersion, updateVersioned } from '../../db/versioned.js';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors.js';
import { audit, canonicalJson } from '../audit/audit.service.js';
import { isoDay } from '../portfolio/index.js';
import {
  canDelegate,
  canEndDelegation,
  canManageApprovalSettings,
  canManageHolidays,
} from './approvals.policy.js';
import { gateCriterionTypes } from './approvals.registry.js';
import { suitableDelegate, type ApprovalKind } from './approvals.rules.js';
import {
  parseParamLines,
  type CriterionInput,
  type DelegationInput,
  type HolidayInput,
  type WorkflowStepInput,
} from './approvals.schema.js';
import { approvalSettings } from './approvals.settings.js';

interface WorkflowStep {
  id: number;
  position: number;
  name_en: string;
  name_ar: string;
  decider_role: string;
  decider_user_id: number | null;
  sla_days: number;
}

/** Workflows, gate criteria, public holidays and delegations: each change audited, in one transaction. */
export function createApprovalSettingsService(db: Db) {
  const now = () => approvalSettings().clock();

  const conflict = () => new ConflictError('errors:409.message');

  function requireSettings(actor: Actor) {
    if (!canManageApprovalSettings(actor.user)) throw new NotFoundError();
  }

  async function workflowFor(trx: Trx, kind: ApprovalKind, version: number) {
    const wf = (await trx('approval_workflows').where({ kind }).first()) as
      { id: number; version: number } | undefined;
    if (!wf) throw new NotFoundError();
    await checkVersion(wf.version, version, conflict);
    return { wf, steps: await stepsOf(trx, wf.id) };
  }

  async function stepsOf(trx: Trx, workflowId: number) {
    return (await trx('approval_workflow_steps')
      .where({ workflow_id: workflowId })
      .orderBy('position')) as WorkflowStep[];
  }

  /** A workflow's steps changed: its version moves on, and the change is audited. */
  async function stepsChanged(
    trx: Trx,
    actor: Actor,
    kind: ApprovalKind,
    wf: { id: number; version: number },
    before: WorkflowStep[],
    after: WorkflowStep[],
  ) {
    await updateVersioned(
      trx,
      'approval_workflows',
      wf.id,
      wf.version,
      { updated_at: now().toISOString() },
      conflict,
    );
    await audit(trx, actor, {
      action: 'workflow.update',
      entity: 'approval_workflow',
      entityId: kind,
      before: snapshot(before),
      after: snapshot(after),
    });
  }

  const snapshot = (steps: WorkflowStep[]) =>
    steps.map((s) => ({
      nameEn: s.name_en,
      nameAr: s.name_ar,
      role: s.decider_role,
      userId: s.decider_user_id,
      slaDays: s.sla_days,
    }));

  async function renumber(trx: Trx, ids: number[]) {
    // Two passes keep positions unique at every moment (no unique index, but a stable order).
    let i = 0;
    for (const id of ids) await trx('approval_workflow_steps').where({ id }).update({ position: ++i });
  }

  async function namedDeciderOk(trx: Trx, userId: number | undefined): Promise<boolean> {
    if (!userId) return false;
    const u = await trx('users').where({ id: userId, active: true }).whereNot('role', 'viewer').first('id');
    return !!u;
  }

  return {
    async addStep(actor: Actor, kind: ApprovalKind, input: WorkflowStepInput) {
      requireSettings(actor);
      await db.transaction(async (trx) => {
        const { wf, steps } = await workflowFor(trx, kind, input.version);
        if (input.deciderRole === 'user' && !(await namedDeciderOk(trx, input.deciderUserId)))
          throw ValidationError.field('deciderUserId', 'approvals:errors.namedUserRequired');
        await trx('approval_workflow_steps').insert({
          workflow_id: wf.id,
          position: steps.length + 1,
          name_en: input.nameEn,
          name_ar: input.nameAr,
          decider_role: input.deciderRole,
          decider_user_id: input.deciderRole === 'user' ? input.deciderUserId : null,
          sla_days: input.slaDays,
        });
        await stepsChanged(trx, actor, kind, wf, steps, await stepsOf(trx, wf.id));
      });
    },

    async removeStep(actor: Actor, kind: ApprovalKind, stepId: number, version: number) {
      requireSettings(actor);
      await db.transaction(async (trx) => {
        const { wf, steps } = await workflowFor(trx, kind, version);
        if (!steps.some((s) => s.id === stepId)) throw new NotFoundError();
        if (steps.length <= 1) throw ValidationError.field('_form', 'approvals:settings.lastStep');
        await trx('approval_workflow_steps').where({ id: stepId }).delete();
        const rest = steps.filter((s) => s.id !== stepId);
        await renumber(
          trx,
          rest.map((s) => s.id),
        );
        await stepsChanged(trx, actor, kind, wf, steps, rest);
      });
    },

    async moveStep(
      actor: Actor,
      kind: ApprovalKind,
      stepId: number,
      direction: 'up' | 'down',
      version: number,
    ) {
      requireSettings(actor);
      await db.transaction(async (trx) => {
        const { wf, steps } = await workflowFor(trx, kind, version);
        const i = steps.findIndex((s) => s.id === stepId);
        if (i < 0) throw new NotFoundError();
        const j = direction === 'up' ? i - 1 : i + 1;
        if (j < 0 || j >= steps.length) return;
        const order = [...steps];
        [order[i], order[j]] = [order[j], order[i]];
        await renumber(
          trx,
          order.map((s) => s.id),
        );
        await stepsChanged(trx, actor, kind, wf, steps, order);
      });
    },

    async addCriterion(actor: Actor, input: CriterionInput) {
      requireSettings(actor);
      if (!gateCriterionTypes().includes(input.criterionType))
        throw ValidationError.field('criterionType', 'validation:choice');
      const params = parseParamLines(input.params);
      if (params === null) throw ValidationError.field('params', 'approvals:errors.params');
      await db.transaction(async (trx) => {
        const last = (
          await trx('gate_criteria').where({ from_phase: input.fromPhase }).max({ m: 'position' })
        )[0] as {
          m: number | null;
        };
        const id = await insertOne(trx, 'gate_criteria', {
          from_phase: input.fromPhase,
          criterion_type: input.criterionType,
          params: canonicalJson(params),
          position: Number(last?.m ?? 0) + 1,
        });
        await audit(trx, actor, {
          action: 'gate_criterion.create',
          entity: 'gate_criterion',
          entityId: id,
          after: { fromPhase: input.fromPhase, type: input.criterionType, params },
        });
      });
    },

    async removeCriterion(actor: Actor, id: number) {
      requireSettings(actor);
      await db.transaction(async (trx) => {
        const c = (await trx('gate_criteria').where({ id }).first()) as
          { id: number; from_phase: string; criterion_type: string; params: string } | undefined;
        if (!c) throw new NotFoundError();
        await trx('gate_criteria').where({ id }).delete();
        await audit(trx, actor, {
          action: 'gate_criterion.delete',
          entity: 'gate_criterion',
          entityId: id,
          before: { fromPhase: c.from_phase, type: c.criterion_type, params: c.params },
        });
      });
    },

    async moveCriterion(actor: Actor, id: number, direction: 'up' | 'down') {
      requireSettings(actor);
      await db.transaction(async (trx) => {
        const c = (await trx('gate_criteria').where({ id }).first()) as
          { id: number; from_phase: string } | undefined;
        if (!c) throw new NotFoundError();
        const list = (await trx('gate_criteria')
          .where({ from_phase: c.from_phase })
          .orderBy(['position', 'id'])
          .select('id', 'position')) as { id: number; position: number }[];
        const i = list.findIndex((x) => x.id === id);
        const j = direction === 'up' ? i - 1 : i + 1;
        if (j < 0 || j >= list.length) return;
        const order = list.map((x) => x.id);
        [order[i], order[j]] = [order[j], order[i]];
        let pos = 0;
        for (const cid of order) await trx('gate_criteria').where({ id: cid }).update({ position: ++pos });
        await audit(trx, actor, {
          action: 'gate_criterion.reorder',
          entity: 'gate_criterion',
          entityId: id,
          before: { order: list.map((x) => x.id) },
          after: { order },
        });
      });
    },

    async addHoliday(actor: Actor, input: HolidayInput) {
      if (!canManageHolidays(actor.user)) throw new NotFoundError();
      await db.transaction(async (trx) => {
        if (await trx('public_holidays').where({ date: input.date }).first('id'))
          throw ValidationError.field('date', 'approvals:holidays.duplicate');
        const id = await insertOne(trx, 'public_holidays', {
          date: input.date,
          name_en: input.nameEn,
          name_ar: input.nameAr,
          created_at: now().toISOString(),
        });
        await audit(trx, actor, {
          action: 'holiday.create',
          entity: 'public_holiday',
          entityId: id,
          after: input,
        });
      });
    },

    async removeHoliday(actor: Actor, id: number) {
      if (!canManageHolidays(actor.user)) throw new NotFoundError();
      await db.transaction(async (trx) => {
        const h = (await trx('public_holidays').where({ id }).first()) as
          { date: string; name_en: string; name_ar: string } | undefined;
        if (!h) throw new NotFoundError();
        await trx('public_holidays').where({ id }).delete();
        await audit(trx, actor, {
          action: 'holiday.delete',
          entity: 'public_holiday',
          entityId: id,
          before: { date: h.date, nameEn: h.name_en, nameAr: h.name_ar },
        });
      });
    },

    /** The users who could receive this user's approval authority. */
    async suitableDelegates(delegator: { id: number; role: Role }) {
      const rows = (await db('users')
        .where({ active: true })
        .whereNot('id', delegator.id)
        .orderBy('name_en')
        .select('id', 'name_en', 'name_ar', 'role', 'email')) as {
        id: number;
        name_en: string;
        name_ar: string;
        role: Role;
        email: string;
      }[];
      return rows.filter((u) => suitableDelegate(delegator.role, u.role));
    },

    async createDelegation(actor: Actor, input: DelegationInput) {
      if (!canDelegate(actor.user)) throw new NotFoundError();
      const today = isoDay(now());
      if (input.endsOn < input.startsOn)
        throw ValidationError.field('endsOn', 'approvals:delegations.endBeforeStart');
      if (input.endsOn < today) throw ValidationError.field('endsOn', 'approvals:delegations.inPast');
      if (input.delegateId === actor.user.id)
        throw ValidationError.field('delegateId', 'approvals:delegations.self');
      return db.transaction(async (trx) => {
        const d = (await trx('users').where({ id: input.delegateId, active: true }).first('id', 'role')) as
          { id: number; role: Role } | undefined;
        if (!d || !suitableDelegate(actor.user.role, d.role))
          throw ValidationError.field('delegateId', 'approvals:delegations.unsuitable');
        const id = await insertOne(trx, 'approval_delegations', {
          delegator_id: actor.user.id,
          delegate_id: d.id,
          starts_on: input.startsOn,
          ends_on: input.endsOn,
          reason: input.reason ?? null,
          created_by: actor.user.id,
          version: 1,
          created_at: now().toISOString(),
        });
        await audit(trx, actor, {
          action: 'delegation.create',
          entity: 'approval_delegation',
          entityId: id,
          after: {
            delegatorId: actor.user.id,
            delegateId: d.id,
            startsOn: input.startsOn,
            endsOn: input.endsOn,
          },
        });
        return id;
      });
    },

    async endDelegation(actor: Actor, id: number) {
      await db.transaction(async (trx) => {
        const d = (await trx('approval_delegations').where({ id }).first()) as
          | {
              id: number;
              delegator_id: number;
              delegate_id: number;
              created_by: number;
              ended_at: string | null;
              version: number;
            }
          | undefined;
        if (!d) throw new NotFoundError();
        const may = canEndDelegation(actor.user, {
          delegatorId: d.delegator_id,
          delegateId: d.delegate_id,
          createdBy: d.created_by,
        });
        if (!may) throw new NotFoundError();
        if (d.ended_at) return;
        const at = now().toISOString();
        const n = await trx('approval_delegations')
          .where({ id, version: d.version })
          .whereNull('ended_at')
          .update({ ended_at: at, version: d.version + 1 });
        if (n !== 1) throw new ConflictError('errors:409.message');
        await audit(trx, actor, {
          action: 'delegation.end',
          entity: 'approval_delegation',
          entityId: id,
          before: { endedAt: null },
          after: { endedAt: at },
        });
      });
    },
  };
}

export type ApprovalSettingsService = ReturnType<typeof createApprovalSettingsService>;
