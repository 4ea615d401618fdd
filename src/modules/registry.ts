import type { MasarModule } from './module.js';
import { homeModule } from './home/index.js';
import { profileModule } from './profile/index.js';
import { adminModule } from './admin/index.js';
import { auditModule } from './audit/index.js';

/** The features of Masar, mounted in this order; each module declares its own routes and navigation. */
export const modules: MasarModule[] = [homeModule, profileModule, adminModule, auditModule];
