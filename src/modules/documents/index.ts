import type { MasarModule } from '../module.js';

export const documentsModule: MasarModule = { name: 'documents' };
