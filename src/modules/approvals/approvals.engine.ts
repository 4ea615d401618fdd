import type { TFunction } from 'i18next';
import type { Actor } from '../../auth/current-user.js';
import type { Role } from '../../auth/roles.js';
import type { Conn, Trx } from '../../db/knex.js';
import { insertOne } from '../../db/util.js';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors.js';
import { translator } from '../../i18n/index.js';
import { audit, canonicalJson } from '../audit/audit.service.js';
import { notify } from '../notifications/index.js';
import { isoDay } from '../portfolio/portfolio.rules.js';
import { gateCriterionType, type ApprovalRequestRecord } from './approvals.registry.js';
import {
  APPROVAL_KINDS,
  SUBJECT_TYPES,
  isPhase,
  nextPhase,
  stepDueAt,
  type ApprovalKind,
  type DeciderRole,
  type SubjectType,
  type WorkCalendar,
} from './approvals.rules.js';
import { approvalSettings, loadCalendar } from './approvals.settings.js';

/**
 * The workflow engine shared by every kind: submitting a request (steps copied from the kind's
 * current workflow), starting a step with its SLA due date, who decides a step, and the
 * notifications at each step. Everything runs inside the caller's transaction.
 */

export interface SubmitInput {
  kind: ApprovalKind;
  projectId: number;
  subjectType: SubjectType;
  subjectId: number;
  titleEn: string;
  titleAr: string;
  payload: Record<string, unknown>;
}

export interface RequestRow {
  id: number;
  kind: ApprovalKind;
  project_id: number;
  subject_type: SubjectType;
  subject_id: number;
  title_en: string;
  title_ar: string;
  status: 'pending' | 'approved' | 'rejected' | 'returned' | 'withdrawn';
  requested_by: number;
  submitted_at: string;
  decided_at: string | null;
  current_step: number | null;
  payload: string;
  round: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface StepRow {
  id: number;
  request_id: number;
  round: number;
  step_no: number;
  name_en: string;
  name_ar: string;
  decider_role: DeciderRole;
  decider_user_id: number | null;
  sla_days: number;
  status: 'waiting' | 'pending' | 'approved' | 'rejected' | 'returned' | 'skipped';
  started_at: string | null;
  due_at: string | null;
  decided_at: string | null;
  decided_by: number | null;
  on_behalf_of: number | null;
  comment: string | null;
  escalated_at: string | null;
}

export function parsePayload(s: string | null | undefined): Record<string, unknown> {
  try {
    const v = JSON.parse(s ?? '{}') as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function toRecord(r: RequestRow): ApprovalRequestRecord {
  return {
    id: r.id,
    kind: r.kind,
    projectId: r.project_id,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    titleEn: r.title_en,
    titleAr: r.title_ar,
    status: r.status,
    requestedBy: r.requested_by,
    payload: parsePayload(r.payload),
    round: r.round,
    version: r.version,
  };
}

/** The sponsor who decides sponsor steps: the project's, or else its program's. */
export async function projectSponsorId(conn: Conn, projectId: number): Promise<number | null> {
  const row = (await conn('projects as p')
    .leftJoin('programs as pg', 'pg.id', 'p.program_id')
    .where('p.id', projectId)
    .first('p.sponsor_id as project_sponsor', 'pg.sponsor_id as program_sponsor')) as
    { project_sponsor: number | null; program_sponsor: number | null } | undefined;
  return row?.project_sponsor ?? row?.program_sponsor ?? null;
}

/** Active delegations to `userId` on `today`, with the delegator's role. */
export async function delegatorsOf(
  conn: Conn,
  userId: number,
  today: string,
): Promise<{ id: number; role: Role }[]> {
  const rows = (await conn('approval_delegations as d')
    .join('users as u', 'u.id', 'd.delegator_id')
    .where('d.delegate_id', userId)
    .whereNull('d.ended_at')
    .where('d.starts_on', '<=', today)
    .where('d.ends_on', '>=', today)
    .where('u.active', true)
    .select('u.id', 'u.role')) as { id: number; role: Role }[];
  return rows;
}

/** Everyone who may decide the step now (holders and their active delegates), minus the requester. */
export async function stepDeciderIds(
  conn: Conn,
  step: Pick<StepRow, 'decider_role' | 'decider_user_id'>,
  projectId: number,
  requestedBy: number,
  today: string,
): Promise<number[]> {
  let holders: number[] = [];
  if (step.decider_role === 'pmo') {
    const rows = (await conn('users').where({ role: 'pmo', active: true }).select('id')) as { id: number }[];
    holders = rows.map((r) => r.id);
    if (holders.length === 0)
      holders = (
        (await conn('users').where({ role: 'admin', active: true }).select('id')) as { id: number }[]
      ).map((r) => r.id);
  } else if (step.decider_role === 'admin') {
    holders = (
      (await conn('users').where({ role: 'admin', active: true }).select('id')) as { id: number }[]
    ).map((r) => r.id);
  } else if (step.decider_role === 'sponsor') {
    const s = await projectSponsorId(conn, projectId);
    holders = s ? [s] : [];
  } else if (step.decider_user_id) {
    holders = [step.decider_user_id];
  }
  const delegates =
    holders.length === 0
      ? []
      : (
          (await conn('approval_delegations')
            .whereIn('delegator_id', holders)
            .whereNull('ended_at')
            .where('starts_on', '<=', today)
            .where('ends_on', '>=', today)
            .select('delegate_id')) as { delegate_id: number }[]
        ).map((r) => r.delegate_id);
  return [...new Set([...holders, ...delegates])].filter((id) => id !== requestedBy);
}

/** Bilingual interpolation values describing a request, for notifications. */
async function notifyParams(conn: Conn, r: RequestRow): Promise<Record<string, string | number>> {
  const p = (await conn('projects').where({ id: r.project_id }).first('code', 'name_en', 'name_ar')) as {
    code: string;
    name_en: string;
    name_ar: string;
  };
  const u = (await conn('users').where({ id: r.requested_by }).first('name_en', 'name_ar')) as {
    name_en: string;
    name_ar: string;
  };
  return {
    titleEn: r.title_en,
    titleAr: r.title_ar,
    code: p.code,
    projectEn: p.name_en,
    projectAr: p.name_ar,
    requesterEn: u.name_en,
    requesterAr: u.name_ar,
  };
}

export type RequesterEvent = 'submitted' | 'stepApproved' | 'approved' | 'rejected' | 'returned';

/** Tells the deciders of the now-pending step, and the requester what happened. */
export async function notifyStep(
  trx: Trx,
  r: RequestRow,
  event: RequesterEvent | null,
  pending: StepRow | null,
  extra: { comment?: string | null; decided?: StepRow | null } = {},
): Promise<void> {
  const today = isoDay(approvalSettings().clock());
  const base = await notifyParams(trx, r);
  const link = `/approvals/${r.id}`;
  if (pending) {
    const params = {
      ...base,
      stepEn: pending.name_en,
      stepAr: pending.name_ar,
      due: pending.due_at ? pending.due_at.slice(0, 10) : '',
    };
    for (const userId of await stepDeciderIds(trx, pending, r.project_id, r.requested_by, today)) {
      await notify(trx, {
        userId,
        kind: 'approval.pending',
        titleKey: 'approvals:notify.pending.title',
        bodyKey: 'approvals:notify.pending.body',
        params,
        link,
      });
    }
  }
  if (event) {
    const params: Record<string, string | number> = {
      ...base,
      comment: extra.comment ?? '',
      stepEn: extra.decided?.name_en ?? '',
      stepAr: extra.decided?.name_ar ?? '',
      nextEn: pending?.name_en ?? '',
      nextAr: pending?.name_ar ?? '',
    };
    await notify(trx, {
      userId: r.requested_by,
      kind: `approval.${event}`,
      titleKey: `approvals:notify.${event}.title`,
      bodyKey: `approvals:notify.${event}.body`,
      params,
      link,
    });
  }
}

/** Tells the deciders of a step that it no longer needs them (the request was withdrawn). */
export async function notifyWithdrawn(trx: Trx, r: RequestRow, step: StepRow): Promise<void> {
  const today = isoDay(approvalSettings().clock());
  const params = await notifyParams(trx, r);
  for (const userId of await stepDeciderIds(trx, step, r.project_id, r.requested_by, today)) {
    await notify(trx, {
      userId,
      kind: 'approval.withdrawn',
      titleKey: 'approvals:notify.withdrawn.title',
      bodyKey: 'approvals:notify.withdrawn.body',
      params,
      link: `/approvals/${r.id}`,
    });
  }
}

/** Makes a step the pending one: started now, due after its SLA in working days. */
export async function startStep(trx: Trx, stepId: number, slaDays: number, now: Date, cal: WorkCalendar) {
  const startedAt = now.toISOString();
  await trx('approval_steps')
    .where({ id: stepId })
    .update({ status: 'pending', started_at: startedAt, due_at: stepDueAt(startedAt, slaDays, cal) });
}

export async function addEvent(
  trx: Trx,
  e: {
    requestId: number;
    round: number;
    stepNo?: number | null;
    action: string;
    actorId: number | null;
    onBehalfOf?: number | null;
    comment?: string | null;
    at: string;
  },
): Promise<void> {
  await trx('approval_events').insert({
    request_id: e.requestId,
    round: e.round,
    step_no: e.stepNo ?? null,
    action: e.action,
    actor_id: e.actorId,
    on_behalf_of: e.onBehalfOf ?? null,
    comment: e.comment ?? null,
    at: e.at,
  });
}

// ---------------------------------------------------------------------------------------------
// Gate criteria

export interface CriterionCheck {
  id: number;
  type: string;
  params: Record<string, unknown>;
  known: boolean;
  met: boolean;
}

export async function evaluateGateCriteria(
  conn: Conn,
  projectId: number,
  fromPhase: string,
): Promise<CriterionCheck[]> {
  const rows = (await conn('gate_criteria')
    .where({ from_phase: fromPhase })
    .orderBy(['position', 'id'])
    .select('id', 'criterion_type', 'params')) as { id: number; criterion_type: string; params: string }[];
  const out: CriterionCheck[] = [];
  for (const c of rows) {
    const def = gateCriterionType(c.criterion_type);
    const params = parsePayload(c.params);
    out.push({
      id: c.id,
      type: c.criterion_type,
      params,
      known: !!def,
      met: def ? await def.evaluate(conn, projectId, params) : false,
    });
  }
  return out;
}

export function criterionLabel(t: TFunction, c: Pick<CriterionCheck, 'type' | 'params' | 'known'>): string {
  const def = gateCriterionType(c.type);
  if (!def) return String(t('approvals:criteria.unregistered', { type: c.type }));
  return def.label(t, c.params);
}

/** Refuses a gate whose checklist has an unmet item, naming the first one in the user's language. */
export async function assertGateCriteriaMet(conn: Conn, projectId: number, fromPhase: string, t: TFunction) {
  const checks = await evaluateGateCriteria(conn, projectId, fromPhase);
  const unmet = checks.filter((c) => !c.met);
  if (unmet.length) {
    const names = unmet.map((c) => criterionLabel(t, c)).join('; ');
    throw new ValidationError(
      { _form: [{ key: 'approvals:errors.criteriaUnmet', params: { names } }] },
      'approvals:errors.criteriaUnmet',
      { names },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Submitting

async function copyWorkflowSteps(trx: Trx, kind: ApprovalKind) {
  return (await trx('approval_workflow_steps as s')
    .join('approval_workflows as w', 'w.id', 's.workflow_id')
    .where('w.kind', kind)
    .orderBy('s.position')
    .select('s.name_en', 's.name_ar', 's.decider_role', 's.decider_user_id', 's.sla_days')) as Pick<
    StepRow,
    'name_en' | 'name_ar' | 'decider_role' | 'decider_user_id' | 'sla_days'
  >[];
}

/** Inserts a round of steps (the first pending, the rest waiting) and returns the pending one. */
export async function insertRound(
  trx: Trx,
  requestId: number,
  round: number,
  steps: Pick<StepRow, 'name_en' | 'name_ar' | 'decider_role' | 'decider_user_id' | 'sla_days'>[],
  now: Date,
  cal: WorkCalendar,
): Promise<StepRow> {
  let n = 0;
  let firstId = 0;
  for (const s of steps) {
    const id = await insertOne(trx, 'approval_steps', {
      request_id: requestId,
      round,
      step_no: ++n,
      name_en: s.name_en,
      name_ar: s.name_ar,
      decider_role: s.decider_role,
      decider_user_id: s.decider_user_id,
      sla_days: s.sla_days,
      status: 'waiting',
    });
    if (n === 1) firstId = id;
  }
  await startStep(trx, firstId, steps[0].sla_days, now, cal);
  return (await trx('approval_steps').where({ id: firstId }).first()) as StepRow;
}

export interface SubmitOptions {
  /** Labels of unmet gate criteria in this language (defaults to the actor's). */
  t?: TFunction;
}

/**
 * Creates a request and its steps from the kind's current workflow, inside the caller's
 * transaction, with its audit entry, its history event and the notifications (in-app now, email
 * after the transaction commits). A gate must go one phase forward from the project's phase with
 * every gate criterion met. One open request per kind and subject.
 */
export async function submitApprovalRequest(
  trx: Trx,
  actor: Actor,
  input: SubmitInput,
  opts: SubmitOptions = {},
): Promise<number> {
  if (!(APPROVAL_KINDS as readonly string[]).includes(input.kind))
    throw new Error(`unknown kind ${input.kind}`);
  if (!(SUBJECT_TYPES as readonly string[]).includes(input.subjectType))
    throw new Error(`unknown subject type ${input.subjectType}`);
  const { clock, weekendDays } = approvalSettings();
  const now = clock();
  const project = (await trx('projects').where({ id: input.projectId }).first('id', 'phase')) as
    { id: number; phase: string } | undefined;
  if (!project) throw new NotFoundError();
  if (input.kind === 'gate') {
    const from = input.payload.fromPhase;
    const to = input.payload.toPhase;
    if (!isPhase(project.phase) || from !== project.phase || to !== nextPhase(project.phase))
      throw ValidationError.field('_form', 'approvals:errors.gateNotNext');
    await assertGateCriteriaMet(trx, input.projectId, project.phase, opts.t ?? translator(actor.user.locale));
  }
  const open = await trx('approval_requests')
    .where({ kind: input.kind, subject_type: input.subjectType, subject_id: input.subjectId })
    .whereIn('status', ['pending', 'returned'])
    .first('id');
  if (open) throw new ConflictError('approvals:errors.alreadyOpen', undefined, { id: open.id });
  const steps = await copyWorkflowSteps(trx, input.kind);
  if (steps.length === 0) throw ValidationError.field('_form', 'approvals:errors.noWorkflow');
  const cal = await loadCalendar(trx, weekendDays);
  const at = now.toISOString();
  const id = await insertOne(trx, 'approval_requests', {
    kind: input.kind,
    project_id: input.projectId,
    subject_type: input.subjectType,
    subject_id: input.subjectId,
    title_en: input.titleEn.slice(0, 300),
    title_ar: input.titleAr.slice(0, 300),
    status: 'pending',
    requested_by: actor.user.id,
    submitted_at: at,
    current_step: 1,
    payload: canonicalJson(input.payload),
    round: 1,
    version: 1,
    created_at: at,
    updated_at: at,
  });
  const first = await insertRound(trx, id, 1, steps, now, cal);
  await addEvent(trx, {
    requestId: id,
    round: 1,
    stepNo: null,
    action: 'submitted',
    actorId: actor.user.id,
    at,
  });
  await audit(
    trx,
    actor,
    {
      action: 'approval.submit',
      entity: 'approval_request',
      entityId: id,
      after: {
        kind: input.kind,
        projectId: input.projectId,
        subjectType: input.subjectType,
        subjectId: input.subjectId,
        titleEn: input.titleEn,
        titleAr: input.titleAr,
        payload: input.payload,
        steps: steps.map((s) => ({ role: s.decider_role, userId: s.decider_user_id, slaDays: s.sla_days })),
      },
    },
    at,
  );
  const row = (await trx('approval_requests').where({ id }).first()) as RequestRow;
  await notifyStep(trx, row, 'submitted', first);
  return id;
}

/** The steps of the round a request is in (the workflow it started with, for a resubmission). */
export async function roundSteps(conn: Conn, requestId: number, round: number): Promise<StepRow[]> {
  return (await conn('approval_steps')
    .where({ request_id: requestId, round })
    .orderBy('step_no')) as StepRow[];
}
