import type { MasarModule } from '../module.js';

export const programsModule: MasarModule = { name: 'programs' };
