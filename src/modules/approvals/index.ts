import type { MasarModule } from '../module.js';

export const approvalsModule: MasarModule = { name: 'approvals' };
