import type { Request, Router } from 'express';
import { anyUser, routes } from '../../http/access.js';
import { sendExport, type ExportFormat } from '../../http/export.js';
import { isoDay } from './portfolio.rules.js';
import { visibilityScope } from '../projects/projects.access.js';
import type { AppDeps } from '../module.js';
import { projectExportColumns } from './portfolio.export.js';
import {
  allProjects,
  filterOptions,
  programOverview,
  projectPage,
  type ProjectFilter,
  type ProjectSort,
} from './portfolio.repository.js';
import { parseProjectListQuery, type ProjectListQuery } from './portfolio.schema.js';
import { HEALTHS, PHASES, PROJECT_STATUSES } from './portfolio.values.js';

export const PAGE_SIZE = 25;
/** How many programs the portfolio page shows; the programs page lists them all, paged. */
export const PROGRAMS_SHOWN = 10;

/** The slip thresholds that colour schedule variance in lists (the health thresholds). */
export function slipThresholds(deps: AppDeps): { amber: number; red: number } {
  return { amber: deps.config.health.amberSlipDays, red: deps.config.health.redSlipDays };
}

function filterOf(q: ProjectListQuery): ProjectFilter {
  return {
    q: q.q,
    program: q.program,
    phase: q.phase,
    status: q.status,
    health: q.health,
    manager: q.manager,
    sponsor: q.sponsor,
    programText: q.programq,
    managerText: q.managerq,
    sponsorText: q.sponsorq,
  };
}

/** The list's order: by code unless a column header was clicked (ascending first, then descending). */
function sortOf(q: ProjectListQuery): ProjectSort {
  return { key: q.sort ?? 'code', dir: q.dir ?? 'asc' };
}

/** The export's query string: the page's filters and sort, without the page number. */
function exportQuery(req: Request): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query))
    if (typeof v === 'string' && v !== '' && k !== 'page' && k !== 'lang') p.set(k, v);
  const s = p.toString();
  return s ? '?' + s : '';
}

export function portfolioRoutes(deps: AppDeps): Router {
  const r = routes();

  // Kept until the data changes (render.ts): one copy per role for the roles that see everything.
  r.get('/portfolio', anyUser, (req, res) => {
    const user = req.user!;
    res.keptPage('portfolio/index', visibilityScope(user), async () => {
      const q = parseProjectListQuery(req.query);
      const filter = filterOf(q);
      const filtered = Object.values(filter).some((v) => v !== undefined);
      const { programs, totals } = await programOverview(deps.db, user, PROGRAMS_SHOWN);
      // Without filters the list is everything the user sees: its totals are the portfolio's.
      const known = filtered
        ? undefined
        : {
            total: totals.rollup.projects,
            budgetPlanned: totals.rollup.budgetPlanned,
            budgetActual: totals.rollup.budgetActual,
          };
      const list = await projectPage(deps.db, user, filter, sortOf(q), req.locale, q.page, PAGE_SIZE, known);
      const options = await filterOptions(deps.db, user, q);
      return {
        title: req.t('portfolio:title'),
        programs,
        totals,
        list,
        filter: q,
        sort: sortOf(q),
        options,
        phases: PHASES,
        statuses: PROJECT_STATUSES,
        healths: HEALTHS,
        exportQuery: exportQuery(req),
        filtered,
        slip: slipThresholds(deps),
      };
    });
  });

  for (const format of ['csv', 'xlsx'] as ExportFormat[]) {
    r.get(`/portfolio/export.${format}`, anyUser, async (req, res) => {
      const q = parseProjectListQuery(req.query);
      const rows = await allProjects(deps.db, req.user!, filterOf(q), sortOf(q), req.locale);
      await sendExport(
        res,
        format,
        `masar-projects-${isoDay(deps.clock())}`,
        projectExportColumns(req.t, req.locale),
        rows,
        { locale: req.locale, currency: deps.config.currency, sheetName: req.t('portfolio:exportSheet') },
      );
    });
  }

  return r.router;
}
