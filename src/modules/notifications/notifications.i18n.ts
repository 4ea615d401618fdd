import { bilingual } from '../../i18n/bilingual.js';

export const messages = bilingual({}, {});
