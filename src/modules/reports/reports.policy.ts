import { isGovernance, seesWholePortfolio, type Role } from '../../auth/roles.js';

/**
 * Monthly snapshots hold the whole portfolio, so only the roles that see the whole portfolio
 * (admin, pmo, viewer) may list and download them; a sponsor or a project manager, who sees part of
 * it, never gets one (404). Taking a snapshot is a governance act: pmo and admin.
 */
export const SNAPSHOT_READERS: Role[] = ['admin', 'pmo', 'viewer'];
export const SNAPSHOT_TAKERS: Role[] = ['admin', 'pmo'];

export function canReadSnapshots(role: Role): boolean {
  return seesWholePortfolio(role);
}

export function canTakeSnapshot(role: Role): boolean {
  return isGovernance(role);
}
