import type { MasarModule } from '../module.js';

export const strategyModule: MasarModule = { name: 'strategy' };
