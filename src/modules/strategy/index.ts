import { Router } from 'express';
import { ROLES } from '../../auth/roles.js';
import type { MasarModule } from '../module.js';
import { generateComputedMeasurements } from './computed.js';
import { kpiRoutes } from './kpis.routes.js';
import { objectivesReportSection } from './strategy.report.js';
import { reviewRoutes } from './reviews.routes.js';
import { strategyRoutes } from './strategy.routes.js';
import { strategyWidget } from './strategy.widget.js';

export { objectivesSectionData } from './strategy.report.js';
export { generateComputedMeasurements } from './computed.js';

/** Strategy alignment: objectives, KPIs and their measurements, reviews (see CONTEXT.md). */
export const strategyModule: MasarModule = {
  name: 'strategy',
  routes(deps) {
    const router = Router();
    router.use(reviewRoutes(deps));
    router.use(kpiRoutes(deps));
    router.use(strategyRoutes(deps));
    return router;
  },
  nav: [{ href: '/strategy', key: 'common:nav.strategy', roles: ROLES }],
  widgets: [strategyWidget],
  projectTabs: [{ key: 'objectives', label: 'strategy:tab.label', path: '/objectives', order: 70 }],
  reportSections: [objectivesReportSection],
  /** Computed KPIs get their values for periods that have ended: at start-up, then every hour. */
  async onStart(deps) {
    const run = () =>
      generateComputedMeasurements(deps.db, deps.clock()).catch((err: unknown) =>
        deps.logger.error({ err }, 'computed KPI measurements failed'),
      );
    await run();
    const timer = setInterval(run, 3600_000);
    timer.unref();
    return () => clearInterval(timer);
  },
};
