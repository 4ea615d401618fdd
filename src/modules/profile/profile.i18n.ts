import { bilingual } from '../../i18n/bilingual.js';

export const messages = bilingual(
  {
    title: 'Your profile',
    account: 'Account',
    preferences: 'Preferences',
    language: 'Language',
    savePreferences: 'Save preferences',
    changePassword: 'Change password',
    currentPassword: 'Current password',
    newPassword: 'New password',
    confirmPassword: 'Repeat the new password',
    passwordHint: 'At least 10 characters. Your other sessions will be signed out.',
    passwordChanged: 'Password changed. Your other sessions have been signed out.',
    preferencesSaved: 'Preferences saved.',
  },
  {
    title: 'ملفك الشخصي',
    account: 'الحساب',
    preferences: 'التفضيلات',
    language: 'اللغة',
    savePreferences: 'حفظ التفضيلات',
    changePassword: 'تغيير كلمة المرور',
    currentPassword: 'كلمة المرور الحالية',
    newPassword: 'كلمة المرور الجديدة',
    confirmPassword: 'أعد إدخال كلمة المرور الجديدة',
    passwordHint: '10 أحرف على الأقل. سيتم تسجيل خروج جلساتك الأخرى.',
    passwordChanged: 'تم تغيير كلمة المرور، وتم تسجيل خروج جلساتك الأخرى.',
    preferencesSaved: 'تم حفظ التفضيلات.',
  },
);
