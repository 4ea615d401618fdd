import common from './messages/common.js';
import errors from './messages/errors.js';
import validation from './messages/validation.js';
import { messages as auth } from '../auth/auth.i18n.js';
import { messages as admin } from '../modules/admin/admin.i18n.js';
import { messages as audit } from '../modules/audit/audit.i18n.js';
import { messages as profile } from '../modules/profile/profile.i18n.js';
import { messages as home } from '../modules/home/home.i18n.js';
import { messages as portfolio } from '../modules/portfolio/portfolio.i18n.js';
import { messages as programs } from '../modules/programs/programs.i18n.js';
import { messages as projects } from '../modules/projects/projects.i18n.js';
import { messages as milestones } from '../modules/milestones/milestones.i18n.js';
import { messages as statusReports } from '../modules/status-reports/status-reports.i18n.js';
import { messages as dashboard } from '../modules/dashboard/dashboard.i18n.js';
import { messages as timeline } from '../modules/timeline/timeline.i18n.js';
import { messages as approvals } from '../modules/approvals/approvals.i18n.js';
import { messages as notifications } from '../modules/notifications/notifications.i18n.js';
import { messages as documents } from '../modules/documents/documents.i18n.js';
import { messages as reports } from '../modules/reports/reports.i18n.js';
import { messages as strategy } from '../modules/strategy/strategy.i18n.js';

/** Every namespace of messages (namespace = module name in camelCase); a module adds its catalogue here. */
export const resources = {
  common,
  errors,
  validation,
  auth,
  admin,
  audit,
  profile,
  home,
  portfolio,
  programs,
  projects,
  milestones,
  statusReports,
  dashboard,
  timeline,
  approvals,
  notifications,
  documents,
  reports,
  strategy,
};
