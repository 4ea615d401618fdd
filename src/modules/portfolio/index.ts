import { ROLES } from '../../auth/roles.js';
import type { MasarModule } from '../module.js';
import { refreshStaleProjects } from './portfolio.health.js';
import { portfolioRoutes } from './portfolio.routes.js';

export * from './portfolio.rules.js';
export * from './portfolio.values.js';
export { refreshProjects, refreshStaleProjects } from './portfolio.health.js';

export const portfolioModule: MasarModule = {
  name: 'portfolio',
  routes: portfolioRoutes,
  nav: [
    { href: '/portfolio', key: 'common:nav.portfolio', roles: ROLES, match: /^\/(portfolio|projects)(\/|$)/ },
  ],
  /** "Late" depends on the date: derived project health is refreshed at start-up and every hour. */
  async onStart(deps) {
    const run = () =>
      refreshStaleProjects(deps.db, deps.clock(), deps.config.health).catch((err: unknown) =>
        deps.logger.error({ err }, 'health refresh failed'),
      );
    await run();
    const timer = setInterval(run, 3600_000);
    timer.unref();
    return () => clearInterval(timer);
  },
};
