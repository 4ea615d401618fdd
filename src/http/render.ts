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
import { dataVersion, hourOf } from '../db/data-version.js';
import type { Db } from '../db/knex.js';
import { KeptCache } from './kept.js';
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

/** A kept page body (`res.keptPage`): the view's HTML and the title the layout shows. */
interface KeptBody {
  body: string;
  title: unknown;
}

/**
 * `res.page(view, model)` renders a view, then the layout around it. Every view gets the same
 * helpers: t, locale, dir, user, csrf token, formatting, the navigation for the user's role.
 *
 * `res.keptPage(view, scope, build)` does the same for the heaviest read-only pages (portfolio,
 * dashboard) and keeps the rendered view, without the layout, in memory (`PAGE_CACHE_MB`). The
 * key is the view, `scope` (whose copy: a role that sees the whole portfolio, or one user), the
 * language, the address with its query, the data version and the hour (src/db/data-version.ts):
 * the same key means the same body. The layout (navigation, unread count, form tokens, flash
 * messages) is rendered for every request. The model may say `keep: false` (a part failed to
 * load) to send the page without keeping it. The body must not show anything personal to the
 * request beyond `scope` and the language.
 */
export function installRenderer(
  app: Express,
  config: Config,
  nav: NavItem[],
  pageLocals: ((req: Request) => Promise<Record<string, unknown>>)[],
  data: { db: Db; clock: () => Date },
) {
  const kept = new KeptCache<KeptBody>(config.pages.cacheBytes, (k) => 2 * k.body.length + 64);
  const render = (view: string, locals: object) =>
    new Promise<string>((resolve, reject) =>
      app.render(view, locals, (err, html) => (err ? reject(err) : resolve(html))),
    );

  app.use((req: Request, res: Response, next: NextFunction) => {
    const localsOf = async (model: Record<string, unknown>) => {
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
      const parts = req.user && pageLocals.length ? await Promise.all(pageLocals.map((f) => f(req))) : [];
      return Object.assign({ ...res.locals }, ...parts, locals) as Record<string, unknown>;
    };
    const send = async (view: string, all: Record<string, unknown>, body: string, status: number) => {
      const html = await render('layouts/main', { ...all, body, view });
      res.status(status).type('html').send(html);
    };

    res.page = (view, model = {}, status = 200) => {
      void (async () => {
        const all = await localsOf(model);
        await send(view, all, await render(view, all), status);
      })().catch(next);
    };

    res.keptPage = (view, scope, build) => {
      void (async () => {
        if (!kept.enabled) {
          const all = await localsOf(await build());
          return send(view, all, await render(view, all), 200);
        }
        // the version is read before the data: a copy is never older than its key says
        const key = [
          view,
          scope,
          req.locale,
          req.originalUrl,
          await dataVersion(data.db),
          hourOf(data.clock()),
        ].join('|');
        const hit = kept.get(key);
        if (hit) return send(view, await localsOf({ title: hit.title }), hit.body, 200);
        const model = await build();
        const all = await localsOf(model);
        const body = await render(view, all);
        if (model.keep !== false) kept.set(key, { body, title: model.title });
        return send(view, all, body, 200);
      })().catch(next);
    };
    next();
  });
}
