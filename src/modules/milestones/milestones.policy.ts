import type { CurrentUser } from '../../auth/current-user.js';
import { isGovernance } from '../../auth/roles.js';

/** The project columns the milestone policies read (a projects.* row). */
export interface ProjectForPolicy {
  manager_id: number | null;
}

/**
 * Who changes milestones: PMO and admin, and the project's own manager (they create milestones,
 * edit all their fields and post progress updates). Everyone else who can see the project reads.
 * Used by the service (the check) and the views (which buttons to show).
 */
export function canManageMilestones(user: CurrentUser, project: ProjectForPolicy): boolean {
  return isGovernance(user.role) || (user.role !== 'viewer' && project.manager_id === user.id);
}

/** The quick progress update: the same people, the project's manager being the usual one. */
export function canUpdateProgress(user: CurrentUser, project: ProjectForPolicy): boolean {
  return canManageMilestones(user, project);
}
