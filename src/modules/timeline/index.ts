import { ROLES } from '../../auth/roles.js';
import type { Locale } from '../../i18n/locales.js';
import type { MasarModule } from '../module.js';
import { layoutGantt, projectRows, type TimelineMilestone, type TimelineProject } from './timeline.layout.js';
import { timelineRoutes } from './timeline.routes.js';

export type { Gantt } from './timeline.layout.js';

/** The Gantt of one project: the project's span, then one row per milestone (planned vs expected). */
export function ganttForProject(
  project: TimelineProject,
  milestones: TimelineMilestone[],
  today: string,
  locale: Locale,
  atRiskDays: number,
) {
  return layoutGantt(projectRows(project, milestones, today, locale, atRiskDays), today, locale);
}

export const timelineModule: MasarModule = {
  name: 'timeline',
  routes: timelineRoutes,
  nav: [{ href: '/timeline', key: 'common:nav.timeline', roles: ROLES }],
};
