import type { Router } from 'express';
import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../auth/passwords.js';
import { LOCALES } from '../../i18n/locales.js';
import { actorOf } from '../../http/actor.js';
import { anyUser, routes } from '../../http/access.js';
import { formContext } from '../../http/error-handler.js';
import { choice } from '../../http/fields.js';
import { flash } from '../../http/flash.js';
import { LANG_COOKIE } from '../../http/locale.js';
import { parse } from '../../http/validate.js';
import type { AppDeps } from '../module.js';
import { createProfileService } from './profile.service.js';

const passwordSchema = z
  .object({
    currentPassword: z
      .string({ error: 'validation:required' })
      .min(1, 'validation:required')
      .max(PASSWORD_MAX),
    newPassword: z
      .string({ error: 'validation:required' })
      .min(PASSWORD_MIN, 'validation:tooShort')
      .max(PASSWORD_MAX),
    confirmPassword: z.string({ error: 'validation:required' }).max(PASSWORD_MAX),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ['confirmPassword'],
    message: 'validation:passwordMismatch',
  });

const preferencesSchema = z.object({ locale: choice(LOCALES) });

export function profileRoutes(deps: AppDeps): Router {
  const svc = createProfileService(deps.db, deps.clock);
  const r = routes();
  const model = (title: string) => ({ title, locales: LOCALES });

  r.get('/profile', anyUser, (req, res) => {
    res.page('profile/index', { ...model(req.t('profile:title')), values: { locale: req.user!.locale } });
  });

  r.post('/profile/password', anyUser, async (req, res, next) => {
    formContext(res, 'profile/index', {
      ...model(req.t('profile:title')),
      values: { locale: req.user!.locale },
    });
    const input = parse(passwordSchema, req.body);
    const user = await svc.changePassword(actorOf(req), input.currentPassword, input.newPassword);
    // This session continues with the new epoch (passport regenerates its id); the others end.
    req.logIn(user, (err) => {
      if (err) return next(err);
      flash(req, 'profile:passwordChanged');
      res.redirect(303, '/profile');
    });
  });

  r.post('/profile/preferences', anyUser, async (req, res) => {
    formContext(res, 'profile/index', model(req.t('profile:title')));
    const input = parse(preferencesSchema, req.body);
    await svc.setLocale(actorOf(req), input.locale);
    res.cookie(LANG_COOKIE, input.locale, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.isProduction,
      maxAge: 365 * 86400_000,
    });
    flash(req, 'profile:preferencesSaved');
    res.redirect(303, '/profile');
  });

  return r.router;
}
