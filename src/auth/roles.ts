export const ROLES = ['admin', 'pmo', 'pm', 'sponsor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** admin, pmo and viewer see the whole portfolio; pm and sponsor see what they are attached to. */
export function seesWholePortfolio(role: Role): boolean {
  return role === 'admin' || role === 'pmo' || role === 'viewer';
}

/** admin and pmo manage programs, projects and governance settings. */
export function isGovernance(role: Role): boolean {
  return role === 'admin' || role === 'pmo';
}
