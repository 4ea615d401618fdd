import type { MasarModule } from '../module.js';
import { anyUser, routes } from '../../http/access.js';
import { ROLES } from '../../auth/roles.js';

/** The landing page after sign-in. */
export const homeModule: MasarModule = {
  name: 'home',
  routes() {
    const r = routes();
    r.get('/', anyUser, (req, res) => {
      res.page('home/index', { title: req.t('home:title') });
    });
    return r.router;
  },
  nav: [{ href: '/', key: 'common:nav.home', roles: ROLES, match: /^\/$/ }],
};
