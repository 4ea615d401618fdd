import type { MasarModule } from '../module.js';

export const projectsModule: MasarModule = { name: 'projects' };
