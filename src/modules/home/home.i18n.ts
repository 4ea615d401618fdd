import { bilingual } from '../../i18n/bilingual.js';

export const messages = bilingual(
  {
    title: 'Dashboard',
    welcome: 'Welcome, {{name}}',
    signedInAs: 'Signed in as {{role}}.',
  },
  {
    title: 'لوحة المعلومات',
    welcome: 'مرحباً، {{name}}',
    signedInAs: 'تم تسجيل الدخول بصفة {{role}}.',
  },
);
