import express from 'express';
import type { MasarModule } from '../module.js';
import './approvals.criteria.js';
import './approvals.subjects.js';
import { escalateOverdue } from './approvals.jobs.js';
import { approvalsRoutes } from './approvals.routes.js';
import { approvalSettingsRoutes } from './approvals.settings-routes.js';
import { setApprovalSettings } from './approvals.settings.js';
import { approvalWidgets } from './approvals.widgets.js';

/**
 * Governance approvals: gates, change requests, milestone sign-offs and documents decided in
 * recorded steps, with SLA, delegation and notifications. The one public door of the module.
 */
export { submitApprovalRequest, type SubmitInput } from './approvals.engine.js';
export {
  registerApprovalSubject,
  registerGateCriterion,
  type ApprovalRequestRecord,
  type ApprovalSubjectHooks,
  type GateCriterionType,
} from './approvals.registry.js';
export type { ApprovalKind } from './approvals.rules.js';
export { milestoneSignoffs } from './approvals.repository.js';
export { escalateOverdue } from './approvals.jobs.js';

export const approvalsModule: MasarModule = {
  name: 'approvals',
  routes(deps) {
    setApprovalSettings(deps.config, deps.clock);
    const router = express.Router();
    // Fixed paths (settings, holidays, delegations) before /approvals/:id.
    router.use(approvalSettingsRoutes(deps));
    router.use(approvalsRoutes(deps));
    return router;
  },
  nav: [
    {
      href: '/approvals',
      key: 'common:nav.approvals',
      roles: ['admin', 'pmo', 'pm', 'sponsor', 'viewer'],
      match: /^\/approvals(\/\d+(\/.*)?)?$/,
    },
    { href: '/approvals/mine', key: 'common:nav.myRequests', roles: ['pm', 'pmo', 'admin'] },
    {
      href: '/approvals/delegations',
      key: 'approvals:nav.delegations',
      roles: ['sponsor', 'pm'],
      area: 'admin',
    },
    { href: '/approvals/settings', key: 'approvals:nav.settings', roles: ['pmo', 'admin'], area: 'admin' },
  ],
  widgets: approvalWidgets,
  projectTabs: [{ key: 'approvals', label: 'approvals:tab', path: '/approvals', order: 40 }],
  /** Escalates overdue steps to the PMO at start-up and every 15 minutes (each step once). */
  async onStart(deps) {
    setApprovalSettings(deps.config, deps.clock);
    const run = () =>
      escalateOverdue(deps.db).catch((err: unknown) =>
        deps.logger.error({ err }, 'approval escalation failed'),
      );
    await run();
    const timer = setInterval(run, 15 * 60_000);
    timer.unref();
    return () => clearInterval(timer);
  },
};
