import type { Direction, Unit } from './strategy.values.js';

/**
 * The KPIs Masar measures itself from its own data (the PMO's own performance indicators). A KPI
 * marked computed names one of these sources; its values are generated per period, never typed.
 */
export const COMPUTED_SOURCES = [
  'milestones_on_schedule',
  'approvals_within_sla',
  'approval_cycle_days',
  'documents_filed',
  'pdf_pages_filed',
] as const;
export type ComputedSource = (typeof COMPUTED_SOURCES)[number];

/** The unit and direction each source produces (a computed KPI must use them). */
export const SOURCE_META: Record<ComputedSource, { unit: Unit; direction: Direction }> = {
  milestones_on_schedule: { unit: 'percent', direction: 'higher' },
  approvals_within_sla: { unit: 'percent', direction: 'higher' },
  approval_cycle_days: { unit: 'days', direction: 'lower' },
  documents_filed: { unit: 'count', direction: 'higher' },
  pdf_pages_filed: { unit: 'count', direction: 'higher' },
};

export function isComputedSource(v: unknown): v is ComputedSource {
  return typeof v === 'string' && (COMPUTED_SOURCES as readonly string[]).includes(v);
}
