import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config.js';
import { translator } from '../i18n/index.js';
import { dirOf, isLocale, type Locale } from '../i18n/locales.js';

export const LANG_COOKIE = 'masar_lang';

function fromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const first = header.split(',')[0]?.trim().slice(0, 2).toLowerCase();
  return isLocale(first) ? first : undefined;
}

/** The reader's language: ?lang=, then their profile, then the cookie, then the browser, then the default. */
export function localeMiddleware(config: Config) {
  return (req: Request, res: Response, next: NextFunction) => {
    const q = req.query.lang;
    const cookie = parseCookie(req.headers.cookie, LANG_COOKIE);
    const locale: Locale =
      (isLocale(q) ? q : undefined) ??
      req.user?.locale ??
      (isLocale(cookie) ? cookie : undefined) ??
      fromAcceptLanguage(req.headers['accept-language']) ??
      config.defaultLocale;
    req.locale = locale;
    req.t = translator(locale);
    res.locals.locale = locale;
    res.locals.dir = dirOf(locale);
    res.locals.t = req.t;
    next();
  };
}

export function parseCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}
