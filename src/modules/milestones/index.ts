import type { MasarModule } from '../module.js';
import { milestonesRoutes } from './milestones.routes.js';
import { milestoneWidgets } from './milestones.widgets.js';

export { listMilestonesOf, listVisiblePrograms, type Milestone } from './milestones.repository.js';

export const milestonesModule: MasarModule = {
  name: 'milestones',
  routes: milestonesRoutes,
  projectTabs: [{ key: 'milestones', label: 'milestones:tab', path: '/milestones', order: 20 }],
  widgets: milestoneWidgets,
};
