import type { MasarModule } from '../module.js';

export const reportsModule: MasarModule = { name: 'reports' };
