import crypto from 'node:crypto';
import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { createAuthService } from './auth/auth.service.js';
import { authRoutes } from './auth/auth.routes.js';
import { createPassport } from './auth/passport.js';
import { SessionStore } from './auth/session-store.js';
import { readsOnWriter } from './db/knex.js';
import { queryCounter } from './db/query-counter.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { localeMiddleware } from './http/locale.js';
import { installRenderer } from './http/render.js';
import type { AppDeps } from './modules/module.js';
import { modules } from './modules/registry.js';
import { PUBLIC_DIR, ROOT, VIEWS_DIR } from './paths.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the Express application from its dependencies; starts nothing. */
export function createApp(deps: AppDeps): Express {
  const { config, db, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  app.set('view cache', config.isProduction);
  app.set('uploadLimitLabel', `${Math.round(config.uploads.maxBytes / 1024 / 1024)} MB`);

  // Benchmarks only (BENCH_COUNT_QUERIES=true): SQL queries per request.
  if (config.benchCountQueries) {
    const counter = queryCounter(db);
    app.use(counter.middleware);
    app.use(counter.router);
  }

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url?.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: {
        ignore: (req) => (req.url ?? '').startsWith('/public/') || (req.url ?? '').startsWith('/vendor/'),
      },
    }),
  );

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          styleSrcAttr: ["'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'self'"],
          frameSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          ...(config.isProduction ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: config.isProduction,
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'same-origin' },
    }),
  );

  const staticOpts = { maxAge: config.isProduction ? '7d' : 0, index: false, fallthrough: true };
  app.use('/public', express.static(PUBLIC_DIR, staticOpts));
  app.use('/vendor/bootstrap', express.static(path.join(ROOT, 'node_modules/bootstrap/dist'), staticOpts));
  app.use(
    '/vendor/fonts',
    express.static(path.join(ROOT, 'node_modules/@fontsource/noto-sans-arabic/files'), staticOpts),
  );

  app.use(express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 2000 }));

  app.use(
    session({
      name: 'masar.sid',
      secret: config.sessionSecret,
      store: new SessionStore(
        {
          knex: readsOnWriter(db),
          createTable: false,
          cleanupInterval: config.env === 'test' ? 0 : 10 * 60_000,
        },
        // the idle expiry is written at most once a minute (a tenth of the idle time when shorter)
        Math.min(60_000, (config.sessionIdleMinutes * 60_000) / 10),
      ),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.isProduction,
        maxAge: config.sessionIdleMinutes * 60_000,
      },
    }),
  );
  const auth = createAuthService(db, config, deps.clock);
  const passport = createPassport(db, auth);
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(saveSessionBeforeRedirect);
  app.use(localeMiddleware(config));
  installRenderer(
    app,
    config,
    modules.flatMap((m) => m.nav ?? []),
    modules.flatMap((m) => (m.pageLocals ? [m.pageLocals(deps)] : [])),
    { db, clock: deps.clock },
  );

  // Contributions modules make to shared pages: dashboard widgets and project-page tabs.
  app.locals.widgets = modules.flatMap((m) => m.widgets ?? []).sort((a, b) => a.order - b.order);
  app.locals.projectTabs = modules.flatMap((m) => m.projectTabs ?? []).sort((a, b) => a.order - b.order);

  app.use(authRoutes({ db, passport, config }));
  for (const m of modules) if (m.routes) app.use(m.routes(deps));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

/**
 * A form sent (POST) and answered with a redirect saves its session before the redirect goes out.
 * express-session saves a changed session while the response is already being written, and a
 * browser may follow a redirect before that save is done: the next page would miss what the form
 * left in the session (its flash message). Saved first, the session is not written a second time.
 */
function saveSessionBeforeRedirect(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
    res.redirect = ((...args: unknown[]) => {
      // (a session ended by signing out is gone: nothing to save)
      if (!req.session) return redirect(...args);
      req.session.save((err) => (err ? next(err) : redirect(...args)));
    }) as Response['redirect'];
  }
  next();
}
