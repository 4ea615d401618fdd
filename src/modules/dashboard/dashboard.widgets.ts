import type { DashboardWidget } from '../module.js';
import { budgetOverruns, openProjectCards, portfolioCounts, programCards } from './dashboard.repository.js';

const PROJECT_LIMIT = 10;
const PROGRAM_LIMIT = 10;

/** Portfolio cards of the role dashboards; each a constant number of queries, scoped by visibility. */
export const dashboardWidgets: DashboardWidget[] = [
  {
    id: 'portfolio-health',
    roles: ['pmo', 'admin', 'viewer'],
    order: 5,
    view: 'dashboard/widgets/portfolio-health',
    async load(deps, user) {
      return { wide: true, ...(await portfolioCounts(deps.db, user)) };
    },
  },
  {
    id: 'my-projects',
    roles: ['pm'],
    order: 10,
    view: 'dashboard/widgets/projects',
    async load(deps, user) {
      return {
        wide: true,
        kind: 'pm',
        link: '/portfolio',
        ...(await openProjectCards(deps.db, user, PROJECT_LIMIT)),
      };
    },
  },
  {
    id: 'sponsored-projects',
    roles: ['sponsor'],
    order: 10,
    view: 'dashboard/widgets/projects',
    async load(deps, user) {
      return {
        wide: true,
        kind: 'sponsor',
        link: '/portfolio',
        ...(await openProjectCards(deps.db, user, PROJECT_LIMIT)),
      };
    },
  },
  {
    id: 'programs',
    roles: ['sponsor', 'viewer'],
    order: 15,
    view: 'dashboard/widgets/programs',
    async load(deps, user) {
      return { wide: true, link: '/programs', ...(await programCards(deps.db, user, PROGRAM_LIMIT)) };
    },
  },
  {
    id: 'budget-overruns',
    roles: ['pmo', 'admin'],
    order: 50,
    view: 'dashboard/widgets/budget',
    async load(deps, user) {
      return budgetOverruns(deps.db, user, 8);
    },
  },
];
