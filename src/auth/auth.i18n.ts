import { bilingual } from '../i18n/bilingual.js';

export const messages = bilingual(
  {
    login: {
      title: 'Sign in to Masar',
      intro: 'One secure place for the PMO, project managers and sponsors.',
      email: 'Email',
      password: 'Password',
      submit: 'Sign in',
      invalid: 'The email or password is not correct.',
      throttled: 'Too many failed sign-in attempts. Try again in {{minutes}} minutes.',
      signedOut: 'You have signed out.',
      expired: 'Your session has ended. Please sign in again.',
    },
  },
  {
    login: {
      title: 'تسجيل الدخول إلى مسار',
      intro: 'منصة آمنة واحدة لمكتب إدارة المشاريع ومديري المشاريع والرعاة.',
      email: 'البريد الإلكتروني',
      password: 'كلمة المرور',
      submit: 'دخول',
      invalid: 'البريد الإلكتروني أو كلمة المرور غير صحيحة.',
      throttled: 'محاولات دخول فاشلة كثيرة. حاول مرة أخرى بعد {{minutes}} دقيقة.',
      signedOut: 'تم تسجيل خروجك.',
      expired: 'انتهت جلستك. يرجى تسجيل الدخول مرة أخرى.',
    },
  },
);
