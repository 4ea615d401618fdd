import { updateVersioned } from '../../db/versioned.js';
import { ConflictError, ValidationError } from '../../http/errors.js';
import { audit, diff } from '../audit/audit.service.js';
import { isoDay, refreshProjects } from '../portfolio/index.js';
import { registerApprovalSubject } from './approvals.registry.js';
import { canPassGate, isPhase, type ChangeValues } from './approvals.rules.js';
import { approvalSettings } from './approvals.settings.js';

/**
 * What the final approval of the built-in kinds does, inside the deciding transaction:
 * a gate moves the project to its next phase, a change request is applied to the project,
 * a milestone sign-off is recorded. Rejection changes nothing.
 */

registerApprovalSubject('gate', {
  async onFinalApproval(trx, request, actor) {
    const from = request.payload.fromPhase;
    const to = request.payload.toPhase;
    if (!isPhase(from) || !isPhase(to) || !canPassGate(from, to))
      throw ValidationError.field('_form', 'approvals:errors.gateNotNext');
    const p = (await trx('projects').where({ id: request.projectId }).first('phase', 'version')) as {
      phase: string;
      version: number;
    };
    if (p.phase !== from) throw new ConflictError('approvals:errors.phaseChanged');
    const now = approvalSettings().clock().toISOString();
    const n = await trx('projects')
      .where({ id: request.projectId, phase: from, version: p.version })
      .update({ phase: to, version: p.version + 1, updated_at: now });
    if (n !== 1) throw new ConflictError('approvals:errors.phaseChanged');
    await audit(trx, actor, {
      action: 'project.phase',
      entity: 'project',
      entityId: request.projectId,
      before: { phase: from },
      after: { phase: to, approvalRequestId: request.id },
    });
  },
});

const COLUMN: Record<keyof ChangeValues, string> = {
  plannedStart: 'planned_start',
  plannedEnd: 'planned_end',
  budgetPlanned: 'budget_planned',
  scope: 'scope',
};

registerApprovalSubject('change_request', {
  async onFinalApproval(trx, request, actor) {
    const proposed = (request.payload.proposed ?? {}) as ChangeValues;
    const p = (await trx('projects').where({ id: request.projectId }).first()) as Record<string, unknown>;
    const current: ChangeValues = {
      plannedStart: (p.planned_start as string | null) ?? null,
      plannedEnd: (p.planned_end as string | null) ?? null,
      budgetPlanned: Number(p.budget_planned),
      scope: (p.scope as string | null) ?? null,
    };
    const update: Record<string, unknown> = {};
    const next: ChangeValues = {};
    for (const k of Object.keys(COLUMN) as (keyof ChangeValues)[]) {
      if (proposed[k] === undefined) continue;
      update[COLUMN[k]] = proposed[k];
      (next as Record<string, unknown>)[k] = proposed[k];
    }
    const start = (next.plannedStart !== undefined ? next.plannedStart : current.plannedStart) ?? null;
    const end = (next.plannedEnd !== undefined ? next.plannedEnd : current.plannedEnd) ?? null;
    if (start && end && start > end) throw ValidationError.field('_form', 'approvals:errors.datesOrder');
    const { clock, health } = approvalSettings();
    const now = clock();
    await updateVersioned(
      trx,
      'projects',
      request.projectId,
      Number(p.version),
      { ...update, updated_at: now.toISOString() },
      () => new ConflictError('errors:409.message'),
    );
    const d = diff(current as Record<string, unknown>, next as Record<string, unknown>);
    await audit(trx, actor, {
      action: 'project.change_request',
      entity: 'project',
      entityId: request.projectId,
      before: d.before,
      after: { ...d.after, approvalRequestId: request.id },
    });
    await refreshProjects(trx, [request.projectId], isoDay(now), health);
  },
});

registerApprovalSubject('milestone_signoff', {
  async onFinalApproval(trx, request, actor) {
    const m = (await trx('milestones').where({ id: request.subjectId }).first('id', 'status')) as
      { id: number; status: string } | undefined;
    if (!m || m.status !== 'completed')
      throw ValidationError.field('_form', 'approvals:errors.milestoneNotCompleted');
    const existing = await trx('milestone_signoffs').where({ milestone_id: m.id }).first('id');
    if (existing) throw new ConflictError('approvals:errors.alreadySignedOff');
    const at = approvalSettings().clock().toISOString();
    await trx('milestone_signoffs').insert({
      milestone_id: m.id,
      request_id: request.id,
      accepted_by: actor.user.id,
      accepted_at: at,
    });
    await audit(trx, actor, {
      action: 'milestone.signoff',
      entity: 'milestone',
      entityId: m.id,
      before: { signedOff: false },
      after: { signedOff: true, approvalRequestId: request.id, at },
    });
  },
  subjectLink: (r) => `/projects/${r.projectId}/milestones`,
});
