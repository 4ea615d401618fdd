import { z } from 'zod';
import {
  checkbox,
  choice,
  date,
  id,
  int,
  optionalDate,
  optionalId,
  optionalMoney,
  optionalText,
  text,
  version,
} from '../../http/fields.js';
import {
  APPROVAL_KINDS,
  DECIDER_ROLES,
  DECISIONS,
  GATE_FROM_PHASES,
  INBOX_STATUSES,
} from './approvals.rules.js';

/** One schema per user action; the inferred types are the use cases' inputs. */

export const decisionSchema = z.object({
  decision: choice(DECISIONS),
  comment: optionalText(4000),
  version: version(),
});
export type DecisionInput = z.output<typeof decisionSchema>;

export const versionOnlySchema = z.object({ version: version() });

export const commentSchema = z.object({ comment: text(4000) });

export const gateSchema = z.object({ note: optionalText(4000) });
export type GateInput = z.output<typeof gateSchema>;

export const changeSchema = (currency: string) =>
  z.object({
    plannedStart: optionalDate(),
    plannedEnd: optionalDate(),
    budgetPlanned: optionalMoney(currency),
    scope: optionalText(5000),
    justification: text(4000),
  });
export type ChangeInput = z.output<ReturnType<typeof changeSchema>>;

export const signoffSchema = z.object({ milestoneId: id(), note: optionalText(4000) });
export type SignoffInput = z.output<typeof signoffSchema>;

/** Revising a returned request: a change request's proposal, or a note for the other kinds. */
export const reviseSchema = (currency: string) =>
  changeSchema(currency)
    .partial({ justification: true })
    .extend({ note: optionalText(4000), version: version() });
export type ReviseInput = z.output<ReturnType<typeof reviseSchema>>;

export const workflowStepSchema = z.object({
  nameEn: text(120),
  nameAr: text(120),
  deciderRole: choice(DECIDER_ROLES),
  deciderUserId: optionalId(),
  slaDays: int(0, 365),
  version: version(),
});
export type WorkflowStepInput = z.output<typeof workflowStepSchema>;

export const moveSchema = z.object({ direction: choice(['up', 'down'] as const), version: version() });

export const criterionSchema = z.object({
  fromPhase: choice(GATE_FROM_PHASES),
  criterionType: text(60),
  params: optionalText(1000),
});
export type CriterionInput = z.output<typeof criterionSchema>;

export const criterionMoveSchema = z.object({ direction: choice(['up', 'down'] as const) });

export const holidaySchema = z.object({ date: date(), nameEn: text(200), nameAr: text(200) });
export type HolidayInput = z.output<typeof holidaySchema>;

export const delegationSchema = z.object({
  delegateId: id(),
  startsOn: date(),
  endsOn: date(),
  reason: optionalText(500),
});
export type DelegationInput = z.output<typeof delegationSchema>;

export const kindParam = choice(APPROVAL_KINDS);

/**
 * A search text from the URL: without control characters (PostgreSQL refuses NUL), trimmed, at
 * most 100 characters; anything else is no search.
 */
const searchText = () =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .replace(/\p{Cc}/gu, '')
            .trim()
            .slice(0, 100) || undefined
        : undefined,
    z.string().optional(),
  );

/** Inbox and list filters: anything invalid is ignored. */
export const inboxFilterSchema = z.object({
  scope: z.enum(['mine', 'all']).catch('mine'),
  kind: z.enum(APPROVAL_KINDS).optional().catch(undefined),
  /** Who decides the current step (its decider role). */
  step: z.enum(DECIDER_ROLES).optional().catch(undefined),
  /** Open requests: pending a decision, or returned to their requester (all open requests only). */
  status: z.enum(INBOX_STATUSES).catch('pending'),
  /** A project's code or name, resolved to the matching projects the user sees. */
  q: searchText(),
  project: z.coerce.number().int().min(1).max(2147483647).optional().catch(undefined),
  program: z.coerce.number().int().min(1).max(2147483647).optional().catch(undefined),
  /** A program's code or name, when there are too many programs for a list. */
  programQ: searchText(),
  overdue: checkbox().catch(false),
  page: z.coerce.number().int().min(1).max(100000).catch(1),
});
export type InboxFilter = z.output<typeof inboxFilterSchema>;

export const listFilterSchema = z.object({
  status: z.enum(['pending', 'approved', 'rejected', 'returned', 'withdrawn']).optional().catch(undefined),
  kind: z.enum(APPROVAL_KINDS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1),
});
export type ListFilter = z.output<typeof listFilterSchema>;

/** "key=value" lines → an object (values stay strings). */
export function parseParamLines(s: string | undefined): Record<string, string> | null {
  const out: Record<string, string> = {};
  if (!s) return out;
  for (const line of s.split(/\r?\n/)) {
    const l = line.trim();
    if (!l) continue;
    const m = /^([A-Za-z][\w-]{0,39})\s*=\s*(.{1,200})$/.exec(l);
    if (!m) return null;
    out[m[1]] = m[2].trim();
  }
  return out;
}
