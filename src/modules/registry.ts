import type { MasarModule } from './module.js';
import { homeModule } from './home/index.js';
import { profileModule } from './profile/index.js';
import { adminModule } from './admin/index.js';
import { auditModule } from './audit/index.js';
import { portfolioModule } from './portfolio/index.js';
import { programsModule } from './programs/index.js';
import { projectsModule } from './projects/index.js';
import { milestonesModule } from './milestones/index.js';
import { statusReportsModule } from './status-reports/index.js';
import { dashboardModule } from './dashboard/index.js';
import { timelineModule } from './timeline/index.js';
import { approvalsModule } from './approvals/index.js';
import { notificationsModule } from './notifications/index.js';
import { documentsModule } from './documents/index.js';
import { reportsModule } from './reports/index.js';
import { strategyModule } from './strategy/index.js';

/** The features of Masar, mounted in this order; each module declares its own routes and navigation. */
export const modules: MasarModule[] = [
  homeModule,
  dashboardModule,
  portfolioModule,
  programsModule,
  projectsModule,
  milestonesModule,
  statusReportsModule,
  timelineModule,
  approvalsModule,
  notificationsModule,
  documentsModule,
  reportsModule,
  strategyModule,
  profileModule,
  adminModule,
  auditModule,
];
