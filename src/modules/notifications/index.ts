import type { MasarModule } from '../module.js';

export const notificationsModule: MasarModule = { name: 'notifications' };
