import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import type { Role } from '../auth/roles.js';
import { ForbiddenError, NotFoundError } from './errors.js';
import { verifyCsrf } from './csrf.js';

/**
 * Deny by default: every route is registered through `routes()` and must name who may use it.
 * The rule's middleware is tagged, and a test walks the application's routes and fails when
 * one has no tagged rule first in its chain.
 */
export const ACCESS = Symbol.for('masar.access');

export type Rule =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'roles'; roles: readonly Role[]; denyStatus: 403 | 404 };

export const publicAccess: Rule = { kind: 'public' };
export const anyUser: Rule = { kind: 'authenticated' };
/** Only these roles; anybody else gets 404 (the area does not exist for them). */
export function allow(...roles: Role[]): Rule {
  return { kind: 'roles', roles, denyStatus: 404 };
}
/** Only these roles; others who can see the page are told 403 (for actions on visible things). */
export function allowOr403(...roles: Role[]): Rule {
  return { kind: 'roles', roles, denyStatus: 403 };
}

export type GuardHandler = RequestHandler & { [ACCESS]: Rule };

function guard(rule: Rule): GuardHandler {
  const fn = ((req: Request, res: Response, next: NextFunction) => {
    if (rule.kind === 'public') return next();
    if (!req.user) {
      if (req.method === 'GET' && req.session) req.session.returnTo = req.originalUrl;
      return res.redirect(303, '/login');
    }
    if (rule.kind === 'roles' && !rule.roles.includes(req.user.role)) {
      return next(rule.denyStatus === 403 ? new ForbiddenError() : new NotFoundError());
    }
    next();
  }) as GuardHandler;
  fn[ACCESS] = rule;
  return fn;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Add = (path: string, rule: Rule, ...handlers: RequestHandler[]) => void;

export interface Routes {
  router: Router;
  get: Add;
  post: Add;
  put: Add;
  patch: Add;
  delete: Add;
}

/**
 * A router whose every route declares its access rule. State-changing methods get the CSRF check
 * just before their final handler, after any body parser the route adds (multipart uploads).
 */
export function routes(): Routes {
  const router = express.Router();
  const add =
    (method: Method): Add =>
    (path, rule, ...handlers) => {
      if (handlers.length === 0) throw new Error(`route ${method.toUpperCase()} ${path} has no handler`);
      const last = handlers[handlers.length - 1];
      const middle = handlers.slice(0, -1);
      const chain: RequestHandler[] = [guard(rule), ...middle];
      if (method !== 'get') chain.push(verifyCsrf);
      chain.push(last);
      router[method](path, ...chain);
    };
  return {
    router,
    get: add('get'),
    post: add('post'),
    put: add('put'),
    patch: add('patch'),
    delete: add('delete'),
  };
}

export interface DeclaredRoute {
  method: string;
  path: string;
  rule: Rule | undefined;
}

interface Layer {
  route?: { path: string; stack: { method?: string; handle: RequestHandler & { [ACCESS]?: Rule } }[] };
  handle: RequestHandler & { stack?: Layer[] };
  matchers?: unknown[];
}

/** Lists every route of an Express application with the rule it declares (undefined = none). */
export function listRoutes(app: express.Express): DeclaredRoute[] {
  const out: DeclaredRoute[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const first = layer.route.stack[0];
        const methods = [...new Set(layer.route.stack.map((s) => s.method).filter(Boolean))] as string[];
        for (const m of methods)
          out.push({ method: m.toUpperCase(), path: layer.route.path, rule: first?.handle[ACCESS] });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  const router = (app as unknown as { router: { stack: Layer[] } }).router;
  walk(router.stack);
  return out;
}
