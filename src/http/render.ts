import type { Express, NextFunction, Request, Response } from 'express';
import type { Config } from '../config.js';
import {
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
  moneyInputValue,
} from '../i18n/format.js';
import { pick } from '../i18n/locales.js';
import type { Role } from '../auth/roles.js';
import { csrfToken } from './csrf.js';
import { takeFlash } from './flash.js';

export interface NavItem {
  href: string;
  key: string;
  roles: readonly Role[];
  /** Where the item sits: the main bar, or the administration menu. */
  area?: 'main' | 'admin';
  /** Which paths mark the item as current (defaults to href prefix). */
  match?: RegExp;
}

/** Builds the query string of the current page with some parameters changed (filters, sorting, paging). */
function withQuery(req: Request) {
  return (changes: Record<string, string | number | null | undefined>): string => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string' && v !== '') params.set(k, v);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === undefined || v === '') params.delete(k);
      else params.set(k, String(v));
    }
    const s = params.toString();
    return req.path + (s ? '?' + s : '');
  };
}

/**
 * `res.page(view, model)` renders a view, then the layout around it. Every view gets the same
 * helpers: t, locale, dir, user, csrf token, formatting, the navigation for the user's role.
 */
export function installRenderer(
  app: Express,
  config: Config,
  nav: NavItem[],
  pageLocals: ((req: Request) => Promise<Record<string, unknown>>)[] = [],
) {
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.page = (view, model = {}, status = 200) => {
      const locale = req.locale;
      const locals = {
        ...model,
        config: { currency: config.currency, env: config.env },
        user: req.user,
        path: req.path,
        requestId: String(req.id ?? ''),
        csrfToken: req.session ? csrfToken(req) : '',
        flash: takeFlash(req),
        nav: req.user ? nav.filter((n) => n.roles.includes(req.user!.role)) : [],
        fmt: {
          date: (v: string | null | undefined) => formatDate(locale, v),
          dateTime: (v: string | null | undefined) => formatDateTime(locale, v),
          number: (v: number | null | undefined, d = 0) => formatNumber(locale, v, d),
          percent: (v: number | null | undefined) => formatPercent(locale, v),
          money: (v: number | null | undefined) => formatMoney(locale, v, config.currency),
          moneyInput: (v: number | null | undefined) => moneyInputValue(v, config.currency),
        },
        pick: (ar: string | null | undefined, en: string | null | undefined) => pick(locale, ar, en),
        withQuery: withQuery(req),
        errors: (model.errors as Record<string, unknown> | undefined) ?? {},
        values: (model.values as Record<string, unknown> | undefined) ?? {},
      };
      const extra =
        req.user && pageLocals.length ? Promise.all(pageLocals.map((f) => f(req))) : Promise.resolve([]);
      extra
        .then((parts) => {
          const all = Object.assign({ ...res.locals }, ...parts, locals);
          app.render(view, all, (err, body) => {
            if (err) return next(err);
            app.render('layouts/main', { ...all, body, view }, (err2, html) => {
              if (err2) return next(err2);
              res.status(status).type('html').send(html);
            });
          });
        })
        .catch(next);
    };
    next();
  });
}
