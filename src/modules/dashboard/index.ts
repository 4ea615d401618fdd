import type { MasarModule } from '../module.js';

export const dashboardModule: MasarModule = { name: 'dashboard' };
