import type { CurrentUser } from '../../auth/current-user.js';
import { isGovernance } from '../../auth/roles.js';
import { isProjectManager, type ProjectPeople } from '../projects/projects.access.js';
import { isOpen, type RequestStatus } from './approvals.rules.js';

/** Who may do what with approvals; the same functions decide the buttons and the service checks. */

/** Workflows and gate criteria: PMO governance. */
export function canManageApprovalSettings(user: CurrentUser): boolean {
  return isGovernance(user.role);
}

/** Public holidays: administrators. */
export function canManageHolidays(user: CurrentUser): boolean {
  return user.role === 'admin';
}

/** Gate, change and sign-off requests: the project's manager, or PMO governance. */
export function canSubmitFor(user: CurrentUser, project: ProjectPeople): boolean {
  return isProjectManager(user, project) || isGovernance(user.role);
}

export function canWithdraw(user: CurrentUser, r: { requestedBy: number; status: RequestStatus }): boolean {
  return r.requestedBy === user.id && isOpen(r.status);
}

export function canRevise(user: CurrentUser, r: { requestedBy: number; status: RequestStatus }): boolean {
  return r.requestedBy === user.id && r.status === 'returned';
}

/** Anyone who may decide something may hand it to a delegate while away. */
export function canDelegate(user: CurrentUser): boolean {
  return user.role !== 'viewer';
}

export function canEndDelegation(
  user: CurrentUser,
  d: { delegatorId: number; createdBy: number; delegateId: number },
): boolean {
  return (
    d.delegatorId === user.id ||
    d.createdBy === user.id ||
    d.delegateId === user.id ||
    isGovernance(user.role)
  );
}
