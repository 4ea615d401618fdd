import type { MasarModule } from '../module.js';
import { profileRoutes } from './profile.routes.js';

export const profileModule: MasarModule = { name: 'profile', routes: profileRoutes };
