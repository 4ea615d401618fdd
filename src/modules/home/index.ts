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
    // Kept until the data changes (render.ts), one copy per user (it greets them by name); a
    // dashboard with a card that failed to load is not kept.
    r.get('/', anyUser, (req, res) => {
      res.keptPage('home/index', `user:${req.user!.id}`, async () => {
        const all = (req.app.locals.widgets ?? []) as DashboardWidget[];
        const widgets = await loadDashboard(deps, all, req.user!, req.locale, req.log ?? deps.logger);
        return { title: req.t('home:title'), widgets, keep: !widgets.some((w) => w.failed) };
      });
    });
    return r.router;
  },
  nav: [{ href: '/', key: 'common:nav.home', roles: ROLES, match: /^\/$/ }],
};
