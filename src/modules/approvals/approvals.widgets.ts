import type { DashboardWidget } from '../module.js';
import { pick } from '../../i18n/locales.js';
import { metricsOfGroups } from './approvals.metrics.js';
import { cycleGroups, METRICS_WINDOW_MS, overdueApprovals } from './approvals.metrics-repository.js';
import { APPROVAL_KINDS } from './approvals.rules.js';
import { approvalSettings } from './approvals.settings.js';

/**
 * PMO dashboard cards: overdue approvals (three queries), and governance metrics (two queries),
 * read from counters and quantiles the database keeps (approvals.metrics-repository).
 */
export const approvalWidgets: DashboardWidget[] = [
  {
    id: 'approvals-overdue',
    roles: ['pmo', 'admin'],
    order: 30,
    view: 'approvals/widget-overdue',
    async load(deps, user, locale) {
      const now = approvalSettings().clock().toISOString();
      const { rows, overdue, open } = await overdueApprovals(deps.db, user, now);
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
      const since = new Date(now.getTime() - METRICS_WINDOW_MS).toISOString();
      const m = metricsOfGroups(await cycleGroups(deps.db, since), APPROVAL_KINDS);
      return {
        ...m,
        byStep: m.byStep.map((s) => ({ ...s, name: pick(locale, s.nameAr, s.nameEn) })),
      };
    },
  },
];
