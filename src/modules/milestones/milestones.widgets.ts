import type { DashboardWidget } from '../module.js';
import { addDays, isoDay, milestoneSlipDays, milestoneState } from '../portfolio/portfolio.rules.js';
import { listPortfolioMilestones } from './milestones.repository.js';

const LIMIT = 8;
export const DUE_WINDOW_DAYS = 14;

/** Dashboard cards about milestones, scoped to the projects the user sees: two queries each. */
export const milestoneWidgets: DashboardWidget[] = [
  {
    id: 'milestones-due',
    roles: ['pm'],
    order: 20,
    view: 'milestones/widgets/due',
    async load(deps, user) {
      const today = isoDay(deps.clock());
      const { rows, total } = await listPortfolioMilestones(
        deps.db,
        user,
        { dueUntil: addDays(today, DUE_WINDOW_DAYS), today },
        LIMIT,
      );
      return {
        rows: rows.map((m) => ({ ...m, state: milestoneState(m, today, deps.config.health.atRiskDays) })),
        total,
        days: DUE_WINDOW_DAYS,
        link: `/milestones?due=${DUE_WINDOW_DAYS}`,
      };
    },
  },
  {
    id: 'milestones-late',
    roles: ['pm', 'pmo', 'admin'],
    order: 30,
    view: 'milestones/widgets/late',
    async load(deps, user) {
      const today = isoDay(deps.clock());
      const { rows, total } = await listPortfolioMilestones(deps.db, user, { late: true, today }, LIMIT);
      return {
        rows: rows.map((m) => ({ ...m, slipDays: milestoneSlipDays(m, today) })),
        total,
        link: '/milestones?late=1',
      };
    },
  },
];
