import type { MasarModule } from '../module.js';
import { anyUser, routes } from '../../http/access.js';
import { ROLES } from '../../auth/roles.js';
import type { DashboardWidget } from '../module.js';
import { loadDashboard } from '../dashboard/index.js';

/** The landing page after sign-in: the dashboard of the user's role, built from module widgets. */
export const homeModule: MasarModule = {
  name: 'home',
  routes(deps) {
    const r = routes();
    r.get('/', anyUser, async (req, res) => {
      const all = (req.app.locals.widgets ?? []) as DashboardWidget[];
      const widgets = await loadDashboard(deps, all, req.user!, req.locale, req.log ?? deps.logger);
      res.page('home/index', { title: req.t('home:title'), widgets });
    });
    return r.router;
  },
  nav: [{ href: '/', key: 'common:nav.home', roles: ROLES, match: /^\/$/ }],
};
