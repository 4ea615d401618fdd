import type { MasarModule } from '../module.js';
import { statusReportsRoutes } from './status-reports.routes.js';
import { statusReportWidgets } from './status-reports.widgets.js';

export const statusReportsModule: MasarModule = {
  name: 'status-reports',
  routes: statusReportsRoutes,
  projectTabs: [{ key: 'status-reports', label: 'statusReports:tab', path: '/status-reports', order: 30 }],
  widgets: statusReportWidgets,
};
