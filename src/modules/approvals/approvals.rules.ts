import type { Role } from '../../auth/roles.js';

/**
 * Pure rules of governance approvals: the phase state machine, request and step transitions, the
 * SLA calendar (working days), who may decide a step, who is a suitable delegate, escalation.
 * No database and no clock: "now" and "today" are always arguments.
 */

export const APPROVAL_KINDS = ['gate', 'change_request', 'milestone_signoff', 'document'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

export const REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'returned', 'withdrawn'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
/** The statuses of open requests, which the inbox lists: awaiting a decision, or returned for revision. */
export const INBOX_STATUSES = ['pending', 'returned'] as const;

export const STEP_STATUSES = ['waiting', 'pending', 'approved', 'rejected', 'returned', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const DECIDER_ROLES = ['pmo', 'sponsor', 'admin', 'user'] as const;
export type DeciderRole = (typeof DECIDER_ROLES)[number];

export const DECISIONS = ['approve', 'reject', 'return'] as const;
export type Decision = (typeof DECISIONS)[number];

export const SUBJECT_TYPES = ['project', 'milestone', 'document_version'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

// ---------------------------------------------------------------------------------------------
// The gated lifecycle of a project

export const PHASES = ['initiation', 'planning', 'execution', 'closure', 'closed'] as const;
export type Phase = (typeof PHASES)[number];
/** The phases a gate can be requested from (every phase but the last). */
export const GATE_FROM_PHASES = ['initiation', 'planning', 'execution', 'closure'] as const;
export type GatePhase = (typeof GATE_FROM_PHASES)[number];

export function isPhase(v: unknown): v is Phase {
  return typeof v === 'string' && (PHASES as readonly string[]).includes(v);
}

/** The phase a gate leads to from `phase`, or null when the project is closed (no gate left). */
export function nextPhase(phase: Phase): Phase | null {
  const i = PHASES.indexOf(phase);
  return i >= 0 && i < PHASES.length - 1 ? PHASES[i + 1] : null;
}

/** A gate moves exactly one phase forward; anything else is refused. */
export function canPassGate(from: Phase, to: Phase): boolean {
  return nextPhase(from) === to;
}

// ---------------------------------------------------------------------------------------------
// Requests and steps

export function isOpen(status: RequestStatus): boolean {
  return status === 'pending' || status === 'returned';
}

export function decisionComment(decision: Decision): 'required' | 'optional' {
  return decision === 'approve' ? 'optional' : 'required';
}

/** The step status and request outcome that a decision produces at a step. */
export function applyDecision(
  decision: Decision,
  stepNo: number,
  stepCount: number,
): { stepStatus: StepStatus; requestStatus: RequestStatus; nextStep: number | null; final: boolean } {
  if (decision === 'reject')
    return { stepStatus: 'rejected', requestStatus: 'rejected', nextStep: null, final: true };
  if (decision === 'return')
    return { stepStatus: 'returned', requestStatus: 'returned', nextStep: null, final: false };
  if (stepNo >= stepCount)
    return { stepStatus: 'approved', requestStatus: 'approved', nextStep: null, final: true };
  return { stepStatus: 'approved', requestStatus: 'pending', nextStep: stepNo + 1, final: false };
}

// ---------------------------------------------------------------------------------------------
// Who decides

export interface StepDecider {
  deciderRole: DeciderRole;
  deciderUserId: number | null;
}

export interface DeciderContext {
  /** The project's sponsor (or, when the project has none, its program's sponsor). */
  sponsorId: number | null;
  requestedBy: number;
}

/** Whether a user with this id and role holds the step's authority themselves (no delegation). */
export function holdsStep(step: StepDecider, ctx: DeciderContext, user: { id: number; role: Role }): boolean {
  switch (step.deciderRole) {
    case 'pmo':
      return user.role === 'pmo' || user.role === 'admin';
    case 'admin':
      return user.role === 'admin';
    case 'sponsor':
      return ctx.sponsorId !== null && ctx.sponsorId === user.id;
    case 'user':
      return step.deciderUserId !== null && step.deciderUserId === user.id;
  }
}

export type DecideRight =
  { ok: true; onBehalfOf: number | null } | { ok: false; reason: 'own_request' | 'not_decider' };

/**
 * Whether `user` may decide the step: holding it, or as the active delegate of one of
 * `delegators` (users with roles) who holds it. Nobody decides a request they submitted.
 */
export function decideRight(
  step: StepDecider,
  ctx: DeciderContext,
  user: { id: number; role: Role },
  delegators: { id: number; role: Role }[],
): DecideRight {
  if (user.id === ctx.requestedBy) return { ok: false, reason: 'own_request' };
  if (holdsStep(step, ctx, user)) return { ok: true, onBehalfOf: null };
  const via = delegators.find((d) => d.id !== ctx.requestedBy && holdsStep(step, ctx, d));
  return via ? { ok: true, onBehalfOf: via.id } : { ok: false, reason: 'not_decider' };
}

/**
 * A suitable delegate is an active user who could hold the delegator's approval role:
 * the same role, or PMO governance (pmo, admin) for any role but admin.
 */
export function suitableDelegate(delegatorRole: Role, delegateRole: Role): boolean {
  if (delegateRole === 'viewer' || delegatorRole === 'viewer') return false;
  if (delegateRole === delegatorRole) return true;
  if (delegatorRole === 'admin') return false;
  return delegateRole === 'pmo' || delegateRole === 'admin';
}

export function delegationActive(
  d: { startsOn: string; endsOn: string; endedAt: string | null },
  today: string,
): boolean {
  return d.endedAt === null && d.startsOn <= today && today <= d.endsOn;
}

// ---------------------------------------------------------------------------------------------
// SLA calendar

export interface WorkCalendar {
  /** Weekday numbers that are not worked: 0 = Sunday … 6 = Saturday (Friday–Saturday by default). */
  weekendDays: readonly number[];
  /** Public holidays as 'YYYY-MM-DD'. */
  holidays: ReadonlySet<string> | readonly string[];
}

function dayAfter(date: string): string {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, cal: WorkCalendar): boolean {
  const dow = new Date(date + 'T00:00:00Z').getUTCDay();
  if (cal.weekendDays.includes(dow)) return false;
  const h = cal.holidays;
  return !(h instanceof Set ? h.has(date) : (h as readonly string[]).includes(date));
}

/**
 * The date on which a step started on `startDate` falls due after `days` working days. The day it
 * starts on is day zero; counting moves forward one working day at a time, skipping weekends and
 * public holidays. With 0 days it is due the same day, or the next working day when it started on a
 * day off.
 */
export function addWorkingDays(startDate: string, days: number, cal: WorkCalendar): string {
  if (cal.weekendDays.length >= 7) throw new Error('a week needs at least one working day');
  let d = startDate;
  if (days === 0) {
    for (let guard = 0; !isWorkingDay(d, cal) && guard < 3660; guard++) d = dayAfter(d);
    return d;
  }
  let left = days;
  for (let guard = 0; left > 0 && guard < 36600; guard++) {
    d = dayAfter(d);
    if (isWorkingDay(d, cal)) left--;
  }
  return d;
}

/** Working days from `from` (exclusive) to `to` (inclusive); 0 when `to` is not after `from`. */
export function workingDaysBetween(from: string, to: string, cal: WorkCalendar): number {
  let n = 0;
  for (let d = from, guard = 0; d < to && guard < 36600; guard++) {
    d = dayAfter(d);
    if (isWorkingDay(d, cal)) n++;
  }
  return n;
}

/** A step's due moment: the end (UTC) of the due date. */
export function stepDueAt(startedAt: string, slaDays: number, cal: WorkCalendar): string {
  return addWorkingDays(startedAt.slice(0, 10), slaDays, cal) + 'T23:59:59.999Z';
}

export function isOverdue(dueAt: string | null, now: string): boolean {
  return dueAt !== null && dueAt < now;
}

/**
 * Overdue by at least `escalationDays` working days: the PMO is told. The moment is the end of the
 * day `escalationDays` working days after the due date.
 */
export function escalationDue(
  dueAt: string | null,
  now: string,
  escalationDays: number,
  cal: WorkCalendar,
): boolean {
  if (!dueAt || dueAt >= now) return false;
  const threshold = addWorkingDays(dueAt.slice(0, 10), escalationDays, cal) + 'T23:59:59.999Z';
  return escalationDays === 0 ? true : threshold < now;
}

// ---------------------------------------------------------------------------------------------
// Change requests

export const CHANGE_FIELDS = ['plannedStart', 'plannedEnd', 'budgetPlanned', 'scope'] as const;
export type ChangeField = (typeof CHANGE_FIELDS)[number];
export interface ChangeValues {
  plannedStart?: string | null;
  plannedEnd?: string | null;
  budgetPlanned?: number | null;
  scope?: string | null;
}

/** The proposed values that differ from the current ones (what a change request would change). */
export function effectiveChanges(current: ChangeValues, proposed: ChangeValues): ChangeValues {
  const out: ChangeValues = {};
  for (const k of CHANGE_FIELDS) {
    const v = proposed[k];
    if (v === undefined) continue;
    if ((current[k] ?? null) !== (v ?? null)) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** Dates of the project after the change must still be in order. */
export function datesInOrder(current: ChangeValues, proposed: ChangeValues): boolean {
  const start = proposed.plannedStart !== undefined ? proposed.plannedStart : current.plannedStart;
  const end = proposed.plannedEnd !== undefined ? proposed.plannedEnd : current.plannedEnd;
  return !start || !end || start <= end;
}
