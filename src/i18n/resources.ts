import common from './messages/common.js';
import errors from './messages/errors.js';
import validation from './messages/validation.js';
import { messages as auth } from '../auth/auth.i18n.js';
import { messages as admin } from '../modules/admin/admin.i18n.js';
import { messages as audit } from '../modules/audit/audit.i18n.js';
import { messages as profile } from '../modules/profile/profile.i18n.js';
import { messages as home } from '../modules/home/home.i18n.js';

/** Every namespace of messages; a module adds its catalogue here. */
export const resources = { common, errors, validation, auth, admin, audit, profile, home };
