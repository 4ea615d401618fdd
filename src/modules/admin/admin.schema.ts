import { z } from 'zod';
import { ROLES } from '../../auth/roles.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../auth/passwords.js';
import { LOCALES } from '../../i18n/locales.js';
import { checkbox, choice, email, optionalChoice, optionalText, text, version } from '../../http/fields.js';

const password = z.string().min(PASSWORD_MIN, 'validation:tooShort').max(PASSWORD_MAX);

export const createUserSchema = z.object({
  email: email(),
  nameEn: text(200),
  nameAr: text(200),
  role: choice(ROLES),
  locale: choice(LOCALES),
  password: z.preprocess((v) => (typeof v === 'string' ? v : ''), password),
});
export type CreateUserInput = z.output<typeof createUserSchema>;

export const updateUserSchema = z.object({
  email: email(),
  nameEn: text(200),
  nameAr: text(200),
  role: choice(ROLES),
  locale: choice(LOCALES),
  active: checkbox(),
  /** Optional reset by the administrator; blank keeps the current password. */
  password: z.preprocess((v) => (typeof v === 'string' && v !== '' ? v : undefined), password.optional()),
  version: version(),
});
export type UpdateUserInput = z.output<typeof updateUserSchema>;

export const userFilterSchema = z.object({
  q: optionalText(100),
  role: optionalChoice(ROLES),
  status: optionalChoice(['active', 'inactive']),
  page: z.coerce.number().int().min(1).max(100000).catch(1),
});
