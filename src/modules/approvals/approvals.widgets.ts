import type { DashboardWidget } from '../module.js';
import { pick } from '../../i18n/locales.js';
import { governanceMetrics } from './approvals.metrics.js';
import { metricsFacts, overdueRequests } from './approvals.repository.js';
import { APPROVAL_KINDS } from './approvals.rules.js';
import { approvalSettings } from './approvals.settings.js';

/** PMO dashboard cards: overdue approvals, and governance metrics. Three queries each at most. */
export const approvalWidgets: DashboardWidget[] = [
  {
    id: 'approvals-overdue',
    roles: ['pmo', 'admin'],
    order: 30,
    view: 'approvals/widget-overdue',
    async load(deps, user, locale) {
      const now = approvalSettings().clock().toISOString();
      const { rows, overdue, open } = await overdueRequests(deps.db, user, now);
      return {
        open,
        overdue,
        rows: rows.map((r) => ({
          id: r.id,
          title: pick(locale, r.title_ar, r.title_en),
          projectCode: r.project_code,
          step: pick(locale, r.step_ar, r.step_en),
          dueAt: r.due_at,
        })),
      };
    },
  },
  {
    id: 'approvals-metrics',
    roles: ['pmo', 'admin'],
    order: 31,
    view: 'approvals/widget-metrics',
    async load(deps, user, locale) {
      void user;
      const now = approvalSettings().clock();
      const since = new Date(now.getTime() - 365 * 86_400_000).toISOString();
      const facts = await metricsFacts(deps.db, since);
      const m = governanceMetrics(facts.requests, facts.steps, APPROVAL_KINDS);
      return {
        ...m,
        byStep: m.byStep.map((s) => ({ ...s, name: pick(locale, s.nameAr, s.nameEn) })),
      };
    },
  },
];
