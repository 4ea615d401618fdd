import { ROLES } from '../../auth/roles.js';
import type { MasarModule } from '../module.js';
import { programsRoutes } from './programs.routes.js';

export const programsModule: MasarModule = {
  name: 'programs',
  routes: programsRoutes,
  nav: [{ href: '/programs', key: 'common:nav.programs', roles: ROLES }],
};
