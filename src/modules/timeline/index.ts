import type { MasarModule } from '../module.js';

export const timelineModule: MasarModule = { name: 'timeline' };
