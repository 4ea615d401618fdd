import type { TFunction } from 'i18next';
import type { Actor, CurrentUser } from '../../auth/current-user.js';
import type { Db, Trx } from '../../db/knex.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../http/errors.js';
import { pick } from '../../i18n/locales.js';
import { audit, canonicalJson } from '../audit/audit.service.js';
import { isoDay } from '../portfolio/index.js';
import { canSeeProject, loadVisibleProject } from '../projects/projects.access.js';
import {
  addEvent,
  delegatorsOf,
  insertRound,
  notifyStep,
  notifyWithdrawn,
  parsePayload,
  projectSponsorId,
  roundSteps,
  startStep,
  submitApprovalRequest,
  assertGateCriteriaMet,
  toRecord,
  type RequestRow,
  type StepRow,
} from './approvals.engine.js';
import { canRevise, canSubmitFor, canWithdraw } from './approvals.policy.js';
import { subjectHooks } from './approvals.registry.js';
import {
  applyDecision,
  datesInOrder,
  decideRight,
  effectiveChanges,
  isPhase,
  nextPhase,
  type ChangeValues,
  type DecideRight,
} from './approvals.rules.js';
import type { ChangeInput, DecisionInput, GateInput, ReviseInput, SignoffInput } from './approvals.schema.js';
import { approvalSettings, loadCalendar } from './approvals.settings.js';

export interface ProjectRow {
  id: number;
  code: string;
  name_en: string;
  name_ar: string;
  program_id: number;
  manager_id: number | null;
  sponsor_id: number | null;
  phase: string;
  status: string;
  planned_start: string | null;
  planned_end: string | null;
  budget_planned: number;
  scope: string | null;
  health: string;
  progress_pct: number;
  version: number;
}

const people = (p: ProjectRow) => ({ managerId: p.manager_id, sponsorId: p.sponsor_id });

/** The use cases of approvals: submit, decide, withdraw, revise, comment. */
export function createApprovalsService(db: Db) {
  const now = () => approvalSettings().clock();
  const today = () => isoDay(now());

  /** Whether the user may decide the request's current step now (and on whose behalf). */
  async function rightOnCurrentStep(
    conn: Db | Trx,
    user: CurrentUser,
    r: RequestRow,
  ): Promise<{ step: StepRow | null; right: DecideRight }> {
    if (r.status !== 'pending' || r.current_step === null)
      return { step: null, right: { ok: false, reason: 'not_decider' } };
    const step = (await conn('approval_steps')
      .where({ request_id: r.id, round: r.round, step_no: r.current_step })
      .first()) as StepRow | undefined;
    if (!step) return { step: null, right: { ok: false, reason: 'not_decider' } };
    const sponsorId = await projectSponsorId(conn, r.project_id);
    const delegators = await delegatorsOf(conn, user.id, today());
    return {
      step,
      right: decideRight(
        { deciderRole: step.decider_role, deciderUserId: step.decider_user_id },
        { sponsorId, requestedBy: r.requested_by },
        user,
        delegators,
      ),
    };
  }

  /**
   * A request the user may see: one of a project they see, or one whose current step they may
   * decide as someone's delegate. Anything else is 404.
   */
  async function visibleRequest(conn: Db | Trx, user: CurrentUser, id: number): Promise<RequestRow> {
    const r = (await conn('approval_requests').where({ id }).first()) as RequestRow | undefined;
    if (!r) throw new NotFoundError();
    if (await canSeeProject(conn, user, r.project_id)) return r;
    const { right } = await rightOnCurrentStep(conn, user, r);
    if (right.ok) return r;
    throw new NotFoundError();
  }

  async function submittableProject(trx: Trx, user: CurrentUser, projectId: number): Promise<ProjectRow> {
    const p = await loadVisibleProject<ProjectRow>(trx, user, projectId);
    if (!canSubmitFor(user, people(p))) throw new ForbiddenError('approvals:errors.cannotRequest');
    return p;
  }

  function gateTitles(from: string, to: string, t: TFunction, tAr: TFunction, tEn: TFunction) {
    void t;
    return {
      titleEn: `${tEn('approvals:kind.gate')}: ${tEn('common:phase.' + from)} → ${tEn('common:phase.' + to)}`,
      titleAr: `${tAr('approvals:kind.gate')}: ${tAr('common:phase.' + from)} ← ${tAr('common:phase.' + to)}`,
    };
  }

  function currentValues(p: ProjectRow): ChangeValues {
    return {
      plannedStart: p.planned_start,
      plannedEnd: p.planned_end,
      budgetPlanned: Number(p.budget_planned),
      scope: p.scope,
    };
  }

  function proposedFrom(input: Partial<ChangeInput>): ChangeValues {
    const out: ChangeValues = {};
    if (input.plannedStart !== undefined) out.plannedStart = input.plannedStart;
    if (input.plannedEnd !== undefined) out.plannedEnd = input.plannedEnd;
    if (input.budgetPlanned !== undefined) out.budgetPlanned = input.budgetPlanned;
    if (input.scope !== undefined) out.scope = input.scope;
    return out;
  }

  function changePayload(p: ProjectRow, input: Partial<ChangeInput>) {
    const current = currentValues(p);
    const proposed = effectiveChanges(current, proposedFrom(input));
    if (Object.keys(proposed).length === 0) throw ValidationError.field('_form', 'approvals:errors.noChange');
    if (!datesInOrder(current, proposed))
      throw ValidationError.field('plannedEnd', 'approvals:errors.datesOrder');
    const before: ChangeValues = {};
    for (const k of Object.keys(proposed) as (keyof ChangeValues)[])
      (before as Record<string, unknown>)[k] = current[k] ?? null;
    return { proposed, before };
  }

  async function finish(trx: Trx, r: RequestRow, actor: Actor, outcome: 'approved' | 'rejected') {
    const hooks = subjectHooks(r.kind);
    const record = toRecord({ ...r, status: outcome });
    if (outcome === 'approved') await hooks?.onFinalApproval?.(trx, record, actor);
    else await hooks?.onRejected?.(trx, record, actor);
  }

  return {
    visibleRequest,
    rightOnCurrentStep,

    async submitGate(
      actor: Actor,
      projectId: number,
      input: GateInput,
      t: TFunction,
      tEn: TFunction,
      tAr: TFunction,
    ) {
      return db.transaction(async (trx) => {
        const p = await submittableProject(trx, actor.user, projectId);
        const to = isPhase(p.phase) ? nextPhase(p.phase) : null;
        if (!to) throw ValidationError.field('_form', 'approvals:errors.gateNotNext');
        await assertGateCriteriaMet(trx, p.id, p.phase, t);
        return submitApprovalRequest(
          trx,
          actor,
          {
            kind: 'gate',
            projectId: p.id,
            subjectType: 'project',
            subjectId: p.id,
            ...gateTitles(p.phase, to, t, tAr, tEn),
            payload: { fromPhase: p.phase, toPhase: to, ...(input.note ? { note: input.note } : {}) },
          },
          { t },
        );
      });
    },

    async submitChange(actor: Actor, projectId: number, input: ChangeInput, tEn: TFunction, tAr: TFunction) {
      return db.transaction(async (trx) => {
        const p = await submittableProject(trx, actor.user, projectId);
        const { proposed, before } = changePayload(p, input);
        const fieldsEn = Object.keys(proposed)
          .map((k) => tEn('approvals:changeField.' + k))
          .join(', ');
        const fieldsAr = Object.keys(proposed)
          .map((k) => tAr('approvals:changeField.' + k))
          .join('، ');
        return submitApprovalRequest(trx, actor, {
          kind: 'change_request',
          projectId: p.id,
          subjectType: 'project',
          subjectId: p.id,
          titleEn: `${tEn('approvals:kind.change_request')}: ${fieldsEn}`,
          titleAr: `${tAr('approvals:kind.change_request')}: ${fieldsAr}`,
          payload: { proposed, before, justification: input.justification },
        });
      });
    },

    async submitSignoff(
      actor: Actor,
      projectId: number,
      input: SignoffInput,
      tEn: TFunction,
      tAr: TFunction,
    ) {
      return db.transaction(async (trx) => {
        const p = await submittableProject(trx, actor.user, projectId);
        const m = (await trx('milestones')
          .where({ id: input.milestoneId, project_id: p.id })
          .first('id', 'status', 'title_en', 'title_ar')) as
          { id: number; status: string; title_en: string; title_ar: string } | undefined;
        if (!m) throw ValidationError.field('milestoneId', 'validation:choice');
        if (m.status !== 'completed')
          throw ValidationError.field('milestoneId', 'approvals:errors.milestoneNotCompleted');
        if (await trx('milestone_signoffs').where({ milestone_id: m.id }).first('id'))
          throw ValidationError.field('milestoneId', 'approvals:errors.alreadySignedOff');
        return submitApprovalRequest(trx, actor, {
          kind: 'milestone_signoff',
          projectId: p.id,
          subjectType: 'milestone',
          subjectId: m.id,
          titleEn: `${tEn('approvals:kind.milestone_signoff')}: ${m.title_en}`,
          titleAr: `${tAr('approvals:kind.milestone_signoff')}: ${m.title_ar}`,
          payload: { milestoneId: m.id, ...(input.note ? { note: input.note } : {}) },
        });
      });
    },

    /**
     * A decision at the current step. Exactly one of several simultaneous deciders wins: the step
     * is updated only while still pending and the request only at the version the decider saw;
     * the others get 409.
     */
    async decide(actor: Actor, id: number, input: DecisionInput): Promise<RequestRow> {
      await db.transaction(async (trx) => {
        const r = await visibleRequest(trx, actor.user, id);
        if (r.status !== 'pending' || r.version !== input.version)
          throw new ConflictError('approvals:errors.alreadyDecided');
        const { step, right } = await rightOnCurrentStep(trx, actor.user, r);
        if (!step) throw new ConflictError('approvals:errors.alreadyDecided');
        if (!right.ok)
          throw new ForbiddenError(
            right.reason === 'own_request' ? 'approvals:errors.ownRequest' : 'approvals:errors.notDecider',
          );
        if (input.decision !== 'approve' && !input.comment)
          throw ValidationError.field('comment', 'validation:required');
        const at = now().toISOString();
        const steps = await roundSteps(trx, r.id, r.round);
        const outcome = applyDecision(input.decision, step.step_no, steps.length);
        const won = await trx('approval_steps')
          .where({ id: step.id, status: 'pending' })
          .update({
            status: outcome.stepStatus,
            decided_at: at,
            decided_by: actor.user.id,
            on_behalf_of: right.onBehalfOf,
            comment: input.comment ?? null,
          });
        if (won !== 1) throw new ConflictError('approvals:errors.alreadyDecided');
        const moved = await trx('approval_requests')
          .where({ id: r.id, version: r.version, status: 'pending' })
          .update({
            status: outcome.requestStatus,
            current_step: outcome.nextStep,
            decided_at: outcome.final ? at : null,
            version: r.version + 1,
            updated_at: at,
          });
        if (moved !== 1) throw new ConflictError('approvals:errors.alreadyDecided');
        if (outcome.requestStatus !== 'pending')
          await trx('approval_steps')
            .where({ request_id: r.id, round: r.round, status: 'waiting' })
            .update({ status: 'skipped' });
        let next: StepRow | null = null;
        if (outcome.nextStep) {
          const s = steps.find((x) => x.step_no === outcome.nextStep)!;
          await startStep(
            trx,
            s.id,
            s.sla_days,
            now(),
            await loadCalendar(trx, approvalSettings().weekendDays),
          );
          next = (await trx('approval_steps').where({ id: s.id }).first()) as StepRow;
        }
        const updated = (await trx('approval_requests').where({ id: r.id }).first()) as RequestRow;
        if (outcome.final)
          await finish(trx, updated, actor, outcome.requestStatus === 'approved' ? 'approved' : 'rejected');
        await addEvent(trx, {
          requestId: r.id,
          round: r.round,
          stepNo: step.step_no,
          action: outcome.stepStatus,
          actorId: actor.user.id,
          onBehalfOf: right.onBehalfOf,
          comment: input.comment ?? null,
          at,
        });
        if (outcome.final && outcome.requestStatus === 'approved')
          await addEvent(trx, { requestId: r.id, round: r.round, action: 'completed', actorId: null, at });
        await audit(trx, actor, {
          action: `approval.${input.decision}`,
          entity: 'approval_request',
          entityId: r.id,
          before: { status: r.status, currentStep: r.current_step, stepStatus: 'pending' },
          after: {
            status: outcome.requestStatus,
            currentStep: outcome.nextStep,
            step: step.step_no,
            stepStatus: outcome.stepStatus,
            decidedBy: actor.user.id,
            onBehalfOf: right.onBehalfOf,
            comment: input.comment ?? null,
          },
        });
        const event =
          outcome.requestStatus === 'approved'
            ? 'approved'
            : outcome.requestStatus === 'rejected'
              ? 'rejected'
              : outcome.requestStatus === 'returned'
                ? 'returned'
                : 'stepApproved';
        await notifyStep(trx, updated, event, next, { comment: input.comment ?? null, decided: step });
      });
      return (await db('approval_requests').where({ id }).first()) as RequestRow;
    },

    async withdraw(actor: Actor, id: number, version: number) {
      await db.transaction(async (trx) => {
        const r = await visibleRequest(trx, actor.user, id);
        if (!canWithdraw(actor.user, { requestedBy: r.requested_by, status: r.status })) {
          if (r.requested_by !== actor.user.id) throw new ForbiddenError('approvals:errors.notRequester');
          throw new ConflictError('approvals:errors.notPending');
        }
        const at = now().toISOString();
        const pendingStep = (await trx('approval_steps')
          .where({ request_id: r.id, round: r.round, status: 'pending' })
          .first()) as StepRow | undefined;
        const n = await trx('approval_requests')
          .where({ id: r.id, version })
          .whereIn('status', ['pending', 'returned'])
          .update({
            status: 'withdrawn',
            current_step: null,
            decided_at: at,
            version: r.version + 1,
            updated_at: at,
          });
        if (n !== 1) throw new ConflictError('approvals:errors.alreadyDecided');
        await trx('approval_steps')
          .where({ request_id: r.id, round: r.round })
          .whereIn('status', ['pending', 'waiting'])
          .update({ status: 'skipped' });
        await addEvent(trx, {
          requestId: r.id,
          round: r.round,
          action: 'withdrawn',
          actorId: actor.user.id,
          at,
        });
        await audit(trx, actor, {
          action: 'approval.withdraw',
          entity: 'approval_request',
          entityId: r.id,
          before: { status: r.status },
          after: { status: 'withdrawn' },
        });
        if (pendingStep) await notifyWithdrawn(trx, r, pendingStep);
      });
    },

    /** A returned request revised by its requester starts a new round of the same steps. */
    async revise(actor: Actor, id: number, input: ReviseInput, t: TFunction) {
      await db.transaction(async (trx) => {
        const r = await visibleRequest(trx, actor.user, id);
        if (!canRevise(actor.user, { requestedBy: r.requested_by, status: r.status })) {
          if (r.requested_by !== actor.user.id) throw new ForbiddenError('approvals:errors.notRequester');
          throw new ConflictError('approvals:errors.notReturned');
        }
        if (r.version !== input.version) throw new ConflictError('errors:409.message');
        const payload = parsePayload(r.payload);
        const p = (await trx('projects').where({ id: r.project_id }).first()) as ProjectRow;
        let nextPayload: Record<string, unknown> = { ...payload };
        if (r.kind === 'change_request') {
          if (!input.justification) throw ValidationError.field('justification', 'validation:required');
          const { proposed, before } = changePayload(p, input);
          nextPayload = { proposed, before, justification: input.justification };
        } else if (r.kind === 'gate') {
          const to = isPhase(p.phase) ? nextPhase(p.phase) : null;
          if (p.phase !== payload.fromPhase || to !== payload.toPhase)
            throw ValidationError.field('_form', 'approvals:errors.phaseChanged');
          await assertGateCriteriaMet(trx, p.id, p.phase, t);
        }
        if (input.note) nextPayload.note = input.note;
        else delete nextPayload.note;
        const at = now().toISOString();
        const round = r.round + 1;
        const n = await trx('approval_requests')
          .where({ id: r.id, version: r.version, status: 'returned' })
          .update({
            status: 'pending',
            round,
            current_step: 1,
            payload: canonicalJson(nextPayload),
            version: r.version + 1,
            updated_at: at,
          });
        if (n !== 1) throw new ConflictError('errors:409.message');
        // The request keeps the workflow it started with: the steps of its first round.
        const first = await insertRound(
          trx,
          r.id,
          round,
          await roundSteps(trx, r.id, 1),
          now(),
          await loadCalendar(trx, approvalSettings().weekendDays),
        );
        await addEvent(trx, {
          requestId: r.id,
          round,
          action: 'resubmitted',
          actorId: actor.user.id,
          comment: input.note ?? null,
          at,
        });
        await audit(trx, actor, {
          action: 'approval.resubmit',
          entity: 'approval_request',
          entityId: r.id,
          before: { status: 'returned', round: r.round, payload },
          after: { status: 'pending', round, payload: nextPayload },
        });
        const updated = (await trx('approval_requests').where({ id: r.id }).first()) as RequestRow;
        await notifyStep(trx, updated, 'submitted', first);
      });
    },

    async comment(actor: Actor, id: number, text: string) {
      await db.transaction(async (trx) => {
        const r = await visibleRequest(trx, actor.user, id);
        const at = now().toISOString();
        await addEvent(trx, {
          requestId: r.id,
          round: r.round,
          action: 'commented',
          actorId: actor.user.id,
          comment: text,
          at,
        });
        await audit(trx, actor, {
          action: 'approval.comment',
          entity: 'approval_request',
          entityId: r.id,
          after: { comment: text },
        });
      });
    },

    displayName(u: { name_en: string; name_ar: string } | undefined, locale: 'en' | 'ar') {
      return u ? pick(locale, u.name_ar, u.name_en) : '';
    },
  };
}

export type ApprovalsService = ReturnType<typeof createApprovalsService>;
