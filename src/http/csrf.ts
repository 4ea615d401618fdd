import type { NextFunction, Request, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import { ForbiddenError } from './errors.js';

/**
 * Synchroniser-token CSRF protection: the token lives in the session and every state-changing
 * request must echo it (form field `_csrf`, or header `x-csrf-token` for scripts).
 */
const { generateToken, isRequestValid } = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
    const header = req.headers['x-csrf-token'];
    return fromBody ?? (typeof header === 'string' ? header : undefined);
  },
});

export function csrfToken(req: Request): string {
  return generateToken(req);
}

export function verifyCsrf(req: Request, _res: Response, next: NextFunction): void {
  if (!req.session || !isRequestValid(req)) return next(new ForbiddenError('errors:403.csrf'));
  req.csrfVerified = true;
  next();
}
