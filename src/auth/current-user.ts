import type { Locale } from '../i18n/locales.js';
import type { Role } from './roles.js';

export interface CurrentUser {
  id: number;
  email: string;
  nameEn: string;
  nameAr: string;
  role: Role;
  locale: Locale;
  active: boolean;
  sessionEpoch: number;
  version: number;
}

/** What every use case receives about who acts and in which request (for the audit log). */
export interface Actor {
  user: CurrentUser;
  requestId: string;
}
