import type { MasarModule } from '../module.js';
import { adminRoutes } from './admin.routes.js';

export const adminModule: MasarModule = {
  name: 'admin',
  routes: adminRoutes,
  nav: [{ href: '/admin/users', key: 'common:nav.users', roles: ['admin'], area: 'admin' }],
};
