import type { CurrentUser } from '../../auth/current-user.js';
import { isGovernance } from '../../auth/roles.js';

/**
 * Who may do what with documents. Seeing a project's documents is seeing the project
 * (projects.access.ts); these rules say who, among those, may change them.
 */
export interface ProjectForPolicy {
  manager_id: number | null;
}

/** The project's manager, and PMO/administrators, file documents and new versions. */
export function canUploadDocuments(user: CurrentUser, project: ProjectForPolicy): boolean {
  return isGovernance(user.role) || (user.role !== 'viewer' && project.manager_id === user.id);
}

/** The same people put a version forward for approval. */
export function canSubmitDocument(user: CurrentUser, project: ProjectForPolicy): boolean {
  return canUploadDocuments(user, project);
}
