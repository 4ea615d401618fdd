import type { MasarModule } from '../module.js';
import { auditRoutes } from './audit.routes.js';

export { audit, diff, verifyChain, canonicalJson } from './audit.service.js';
export type { AuditEntry } from './audit.service.js';

export const auditModule: MasarModule = {
  name: 'audit',
  routes: auditRoutes,
  nav: [{ href: '/admin/audit', key: 'common:nav.auditLog', roles: ['admin'], area: 'admin' }],
};
