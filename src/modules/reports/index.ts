import type { MasarModule } from '../module.js';
import { reportsRoutes } from './reports.routes.js';

export { preparePortfolioReport } from './portfolio-report.js';
export { prepareProjectReport } from './project-report.js';
export { writeReport } from './reports.output.js';
export type { PreparedReport, ReportEnv } from './reports.output.js';
export { takeMonthlySnapshot, SNAPSHOT_READER } from './reports.snapshots.js';

export const reportsModule: MasarModule = {
  name: 'reports',
  routes: reportsRoutes,
  nav: [
    {
      href: '/reports',
      key: 'common:nav.reports',
      roles: ['admin', 'pmo', 'pm', 'sponsor', 'viewer'],
    },
  ],
};
