import type { CurrentUser } from '../../auth/current-user.js';
import { isGovernance } from '../../auth/roles.js';

/** PMO officers and administrators create and edit programs; everyone else reads what they may see. */
export function canManagePrograms(user: CurrentUser): boolean {
  return isGovernance(user.role);
}
