import type { Express } from 'express';
import { listRoutes, type DeclaredRoute } from '../../../src/http/access.js';
import type { Role } from '../../../src/auth/roles.js';

/**
 * The pages of Masar, derived from the routes the application registers: every GET route that a
 * signed-in user may ask for. Concrete addresses for routes with parameters are found by following
 * the links of the pages a user sees, so a page added tomorrow is covered as soon as it is linked.
 */

export interface PagePattern {
  path: string;
  regex: RegExp;
  /** Roles the access rule admits (visibility of the data may still say 404). */
  roles: readonly Role[] | 'all';
  params: boolean;
}

/** Addresses that answer with a file rather than a page (checked again by content type). */
const DOWNLOAD = /\.(pdf|csv|xlsx|zip|json|txt)$|\/(export|download|preview)(\/|$)|\/export\b/;

function toRegex(path: string): RegExp {
  const src = path
    .split(/(:\w+)/)
    .map((part) => (part.startsWith(':') ? '([^/]+?)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp('^' + src + '$');
}

export function pagePatterns(app: Express): PagePattern[] {
  const seen = new Set<string>();
  const out: PagePattern[] = [];
  for (const r of listRoutes(app) as DeclaredRoute[]) {
    if (r.method !== 'GET' || !r.rule || r.rule.kind === 'public') continue;
    if (DOWNLOAD.test(r.path) || seen.has(r.path)) continue;
    seen.add(r.path);
    out.push({
      path: r.path,
      regex: toRegex(r.path),
      roles: r.rule.kind === 'roles' ? r.rule.roles : 'all',
      params: r.path.includes(':'),
    });
  }
  // Literal paths first, so '/approvals/mine' is not taken for '/approvals/:id'.
  return out.sort((a, b) => Number(a.params) - Number(b.params));
}

export function patternOf(patterns: PagePattern[], pathname: string): PagePattern | undefined {
  return patterns.find((p) => p.regex.test(pathname));
}

export function admits(p: PagePattern, role: Role): boolean {
  return p.roles === 'all' || p.roles.includes(role);
}
