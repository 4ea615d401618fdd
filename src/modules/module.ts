import type { Request, Router } from 'express';
import type { Logger } from 'pino';
import type { CurrentUser } from '../auth/current-user.js';
import type { Role } from '../auth/roles.js';
import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import type { NavItem } from '../http/render.js';
import type { Locale } from '../i18n/locales.js';
import type { T } from '../i18n/index.js';
import type { PdfWriter } from '../pdf/types.js';

/** What every module receives: dependencies are passed in, never imported as globals. */
export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  /** The current time; tests pass a fixed clock. */
  clock: () => Date;
}

/** A card on the role dashboards, contributed by the module that owns its data. */
export interface DashboardWidget {
  id: string;
  roles: readonly Role[];
  /** Position on the dashboard, low first. */
  order: number;
  /** The EJS partial that renders it (receives `widget` = what load returned, plus the page locals). */
  view: string;
  /** The widget's data for this user, or null to leave it out. Keep it to a constant number of queries. */
  load(deps: AppDeps, user: CurrentUser, locale: Locale): Promise<Record<string, unknown> | null>;
}

/** A tab on the project page, contributed by the module that owns it. */
export interface ProjectTab {
  key: string;
  /** Message key of the tab's label. */
  label: string;
  /** The tab's path under /projects/:id (empty for the overview). */
  path: string;
  order: number;
}

/** What a contributed report section is given: who reads, in which language, and where to draw. */
export interface ReportSectionContext {
  /** The reader: show only what they may see (whereProjectVisible / whereProgramVisible). */
  reader: CurrentUser;
  locale: Locale;
  t: T;
  /** Read-only use; keep to a constant number of queries (or pages of rows). */
  db: Db;
  config: Config;
  /** 'YYYY-MM-DD' of the report. */
  today: string;
  /** What the report covers: the reader's whole visible portfolio, or one program. */
  scope: { kind: 'portfolio' } | { kind: 'program'; programId: number };
  pdf: PdfWriter;
}

/** A section another module adds to the portfolio (and program) PDF reports, after the built-in ones. */
export interface ReportSection {
  key: string;
  /** Position among contributed sections, low first. */
  order: number;
  /** Which reports include it (default: the portfolio report only). */
  reports?: readonly ('portfolio' | 'program')[];
  /** Draws the section, its heading included; draws nothing when the reader has nothing to see. */
  render(ctx: ReportSectionContext): Promise<void>;
}

/** A feature's one public door to the application. */
export interface MasarModule {
  name: string;
  routes?(deps: AppDeps): Router;
  nav?: NavItem[];
  widgets?: DashboardWidget[];
  projectTabs?: ProjectTab[];
  /** Values every page needs from this module (e.g. the unread notification count). One query at most. */
  pageLocals?(deps: AppDeps): (req: Request) => Promise<Record<string, unknown>>;
  /** Sections added to the portfolio / program PDF reports (e.g. strategy's objectives and KPIs). */
  reportSections?: ReportSection[];
  /** Work done once when the server starts (sweeps, background timers); returns a stopper. */
  onStart?(deps: AppDeps): Promise<(() => void) | void>;
}
