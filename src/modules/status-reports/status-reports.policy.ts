import type { CurrentUser } from '../../auth/current-user.js';

/**
 * Who submits a project's status report: its manager, and nobody else (the PMO reads and follows
 * up; sponsors and viewers read). Reports are frozen once submitted: no one edits them.
 */
export function canSubmitReport(user: CurrentUser, project: { manager_id: number | null }): boolean {
  return user.role !== 'viewer' && project.manager_id === user.id;
}
