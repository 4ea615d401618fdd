import type { MasarModule } from '../module.js';

export const milestonesModule: MasarModule = { name: 'milestones' };
