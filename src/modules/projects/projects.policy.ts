import type { CurrentUser } from '../../auth/current-user.js';
import { isGovernance } from '../../auth/roles.js';
import { isProjectManager, type ProjectPeople } from './projects.access.js';

/**
 * Who may change a project they can see: PMO officers and administrators edit every field but
 * the phase ('full'); the project's manager edits the PM fields and the team ('pm'); nobody else.
 * The same functions decide the buttons the pages show and the checks the services make.
 */
export type ProjectEditMode = 'full' | 'pm';

export function projectEditMode(user: CurrentUser, p: ProjectPeople): ProjectEditMode | null {
  if (isGovernance(user.role)) return 'full';
  if (isProjectManager(user, p)) return 'pm';
  return null;
}

export function canCreateProjects(user: CurrentUser): boolean {
  return isGovernance(user.role);
}

export function canManageTeam(user: CurrentUser, p: ProjectPeople): boolean {
  return projectEditMode(user, p) !== null;
}

/**
 * The keys of a submitted edit form that this editor may not write (phase for everyone; for a
 * project manager, everything outside the PM fields). A non-empty answer refuses the whole save.
 */
export function fieldsOutside(
  body: Record<string, unknown>,
  allowed: readonly string[],
  formKeys: readonly string[],
): string[] {
  return Object.keys(body).filter((k) => !allowed.includes(k) && !formKeys.includes(k));
}
