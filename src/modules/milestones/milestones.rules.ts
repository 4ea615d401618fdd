/**
 * Pure milestone rules: what a consistent milestone looks like after an edit, and what an edit
 * changed. No database, no clock: "today" is an argument. Words in CONTEXT.md beside this file.
 */
import type { MilestoneStatus } from '../portfolio/portfolio.rules.js';

export const MILESTONE_STATUSES = ['not_started', 'in_progress', 'completed', 'cancelled'] as const;

/** The fields a progress update (by the project manager) may change. */
export interface ProgressFields {
  percentComplete: number;
  forecastDate: string | null;
  actualDate: string | null;
  status: MilestoneStatus;
}

export type RuleErrors = Partial<Record<keyof ProgressFields, string>>;

/**
 * Settles the progress fields of a milestone after an edit, or names what is inconsistent.
 * - completed ⇒ 100 % complete and an actual date (today when none is given);
 * - an actual date belongs only to a completed milestone, and is never in the future;
 * - a milestone not started has 0 % complete;
 * - a new forecast for an open milestone is not in the past (a slipped date is forecast forward).
 * `before` is the stored milestone (absent on creation): an unchanged forecast is not re-checked.
 */
export function settleProgress(
  next: ProgressFields,
  today: string,
  before?: Pick<ProgressFields, 'forecastDate'>,
): { values: ProgressFields; errors: RuleErrors } {
  const values: ProgressFields = {
    percentComplete: next.percentComplete,
    forecastDate: next.forecastDate,
    actualDate: next.actualDate,
    status: next.status,
  };
  const errors: RuleErrors = {};
  if (values.status === 'completed') {
    values.percentComplete = 100;
    values.actualDate ??= today;
  } else if (values.actualDate !== null) {
    errors.actualDate = 'milestones:rules.actualOnlyWhenCompleted';
  }
  if (values.actualDate !== null && values.actualDate > today)
    errors.actualDate = 'milestones:rules.actualInFuture';
  if (values.status === 'not_started' && values.percentComplete > 0)
    errors.percentComplete = 'milestones:rules.notStartedHasProgress';
  if (values.percentComplete < 0 || values.percentComplete > 100)
    errors.percentComplete = 'milestones:rules.percentRange';
  const open = values.status === 'not_started' || values.status === 'in_progress';
  const forecastChanged = !before || before.forecastDate !== values.forecastDate;
  if (open && forecastChanged && values.forecastDate !== null && values.forecastDate < today)
    errors.forecastDate = 'milestones:rules.forecastInPast';
  return { values, errors };
}

export type Changes = Record<string, [unknown, unknown]>;

/** Field → [before, after] for every field whose value differs (the history row of an update). */
export function changesBetween<T extends Record<string, unknown>>(before: T, after: Partial<T>): Changes {
  const out: Changes = {};
  for (const k of Object.keys(after)) {
    const b = before[k] ?? null;
    const a = after[k] ?? null;
    if (b !== a) out[k] = [b, a];
  }
  return out;
}

/** The date a milestone is expected on: done → its actual date; open → its forecast, else the plan. */
export function expectedDate(m: {
  plannedDate: string;
  forecastDate: string | null;
  actualDate: string | null;
}): string {
  return m.actualDate ?? m.forecastDate ?? m.plannedDate;
}
