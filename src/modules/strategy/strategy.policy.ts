import type { CurrentUser } from '../../auth/current-user.js';
import { isGovernance } from '../../auth/roles.js';

/**
 * Who may do what in strategy alignment. Every signed-in user reads the strategy map, objectives,
 * KPIs and reviews (programs and projects inside them stay filtered by visibility). The PMO and
 * administrators manage them. The same functions decide the buttons a page shows and the checks
 * the services make.
 */

/** Strategies, objectives, links, KPIs, targets, review cycles and their entries. */
export function canManageStrategy(user: CurrentUser): boolean {
  return isGovernance(user.role);
}

/**
 * Record a measurement: the KPI's owner, or the PMO / an administrator; never a viewer, and never
 * by hand for a KPI Masar computes itself.
 */
export function canRecordMeasurement(
  user: CurrentUser,
  kpi: { ownerId: number | null; computed: boolean },
): boolean {
  if (kpi.computed || user.role === 'viewer') return false;
  return isGovernance(user.role) || kpi.ownerId === user.id;
}

/** Mark a review action done: its owner, or the PMO / an administrator. */
export function canCompleteAction(user: CurrentUser, action: { ownerId: number }): boolean {
  if (user.role === 'viewer') return false;
  return isGovernance(user.role) || action.ownerId === user.id;
}
