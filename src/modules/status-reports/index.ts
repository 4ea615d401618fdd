import type { MasarModule } from '../module.js';

export const statusReportsModule: MasarModule = { name: 'status-reports' };
