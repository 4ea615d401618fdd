import type { NextFunction, Request, Response } from 'express';
import type { PassportStatic } from 'passport';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import { anyUser, publicAccess, routes } from '../http/access.js';
import { flash } from '../http/flash.js';
import { LANG_COOKIE } from '../http/locale.js';
import { isLocale } from '../i18n/locales.js';
import type { LoginResult } from './auth.service.js';
import { audit } from '../modules/audit/audit.service.js';
import type { Config } from '../config.js';

const loginSchema = z.object({
  email: z.string().max(254).default(''),
  password: z.string().max(1000).default(''),
});

/** Only same-site paths are followed after login or a language switch. */
function safeReturn(to: unknown, fallback = '/'): string {
  return typeof to === 'string' && /^\/(?!\/)[^\s\\]*$/.test(to) ? to : fallback;
}

export function authRoutes(deps: { db: Db; passport: PassportStatic; config: Config }) {
  const r = routes();

  r.get('/login', publicAccess, (req, res) => {
    if (req.user) return res.redirect(303, '/');
    res.page('auth/login', { title: req.t('auth:login.title'), values: {} });
  });

  r.post('/login', publicAccess, (req: Request, res: Response, next: NextFunction) => {
    const input = loginSchema.safeParse(req.body ?? {});
    const values = { email: input.success ? input.data.email : '' };
    if (!input.success || !input.data.email || !input.data.password) {
      return res.page(
        'auth/login',
        { title: req.t('auth:login.title'), values, loginError: req.t('auth:login.invalid') },
        422,
      );
    }
    req.body = { ...req.body, email: input.data.email, password: input.data.password };
    const returnTo = safeReturn(req.session.returnTo);
    deps.passport.authenticate(
      'local',
      (err: unknown, user: Express.User | false, info: LoginResult | undefined) => {
        if (err) return next(err);
        if (!user) {
          const throttledInfo = info && !info.ok && info.reason === 'throttled' ? info : undefined;
          const message = throttledInfo
            ? req.t('auth:login.throttled', { minutes: throttledInfo.minutes })
            : req.t('auth:login.invalid');
          return res.page(
            'auth/login',
            { title: req.t('auth:login.title'), values, loginError: message },
            throttledInfo ? 429 : 401,
          );
        }
        // passport regenerates the session id at login (fixation defence)
        req.logIn(user, (err2) => {
          if (err2) return next(err2);
          res.cookie(LANG_COOKIE, user.locale, {
            httpOnly: true,
            sameSite: 'lax',
            secure: deps.config.isProduction,
            maxAge: 365 * 86400_000,
          });
          res.redirect(303, returnTo);
        });
      },
    )(req, res, next);
  });

  r.post('/logout', anyUser, async (req, res, next) => {
    const user = req.user!;
    await deps.db.transaction((trx) =>
      audit(
        trx,
        { user, requestId: String(req.id) },
        { action: 'auth.logout', entity: 'user', entityId: user.id },
      ),
    );
    req.logout((err) => {
      if (err) return next(err);
      req.session.regenerate((err2) => {
        if (err2) return next(err2);
        flash(req, 'auth:login.signedOut', undefined, 'info');
        res.redirect(303, '/login');
      });
    });
  });

  /** The language switch: kept in a cookie, and on the profile when signed in. */
  r.post('/language', publicAccess, async (req, res) => {
    const lang = (req.body as Record<string, unknown>)?.lang;
    if (!isLocale(lang))
      return res.redirect(303, safeReturn((req.body as Record<string, unknown>)?.returnTo));
    res.cookie(LANG_COOKIE, lang, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.isProduction,
      maxAge: 365 * 86400_000,
    });
    if (req.user && req.user.locale !== lang) {
      const user = req.user;
      await deps.db.transaction(async (trx) => {
        await trx('users')
          .where({ id: user.id })
          .update({ locale: lang, updated_at: new Date().toISOString() });
        await audit(
          trx,
          { user, requestId: String(req.id) },
          {
            action: 'user.language',
            entity: 'user',
            entityId: user.id,
            before: { locale: user.locale },
            after: { locale: lang },
          },
        );
      });
    }
    res.redirect(303, safeReturn((req.body as Record<string, unknown>)?.returnTo));
  });

  return r.router;
}
