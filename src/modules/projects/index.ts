import type { MasarModule } from '../module.js';
import { projectsRoutes } from './projects.routes.js';

export {
  whereProjectVisible,
  whereProgramVisible,
  loadVisibleProject,
  canSeeProject,
  canSeeProgram,
} from './projects.access.js';

export const projectsModule: MasarModule = {
  name: 'projects',
  routes: projectsRoutes,
  projectTabs: [
    { key: 'overview', label: 'projects:tabs.overview', path: '', order: 10 },
    { key: 'team', label: 'projects:tabs.team', path: '/team', order: 60 },
    { key: 'history', label: 'projects:tabs.history', path: '/history', order: 90 },
  ],
};
