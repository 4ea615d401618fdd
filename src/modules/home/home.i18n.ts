import { bilingual } from '../../i18n/bilingual.js';

export const messages = bilingual(
  {
    title: 'Dashboard',
    welcome: 'Welcome, {{name}}',
    empty: 'Nothing to show on your dashboard yet.',
    widgetFailed: 'This card could not be loaded. Try again later.',
  },
  {
    title: 'لوحة المعلومات',
    welcome: 'مرحباً، {{name}}',
    empty: 'لا يوجد ما يُعرض في لوحة معلوماتك بعد.',
    widgetFailed: 'تعذّر تحميل هذه البطاقة. حاول مرة أخرى لاحقاً.',
  },
);
