import type { MasarModule } from '../module.js';
import { dashboardWidgets } from './dashboard.widgets.js';

export { loadDashboard, type LoadedWidget } from './dashboard.service.js';

/** The portfolio cards of the role dashboards shown at '/' (the home module renders them). */
export const dashboardModule: MasarModule = { name: 'dashboard', widgets: dashboardWidgets };
