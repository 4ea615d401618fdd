import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import {
  AppError,
  BadRequestError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from './errors.js';
import { translator } from '../i18n/index.js';

/** The form a handler came from, re-rendered with the user's input when its use case refuses it. */
export interface FormContext {
  view: string;
  model: Record<string, unknown>;
}

export function formContext(res: Response, view: string, model: Record<string, unknown>): void {
  res.locals.form = { view, model } satisfies FormContext;
}

function normalise(err: unknown, req: Request): AppError | undefined {
  if (err instanceof AppError) return err;
  const e = err as { code?: string; type?: string; status?: number; statusCode?: number; field?: string };
  if (e?.code === 'LIMIT_FILE_SIZE' || e?.type === 'entity.too.large')
    return new PayloadTooLargeError({ limit: res413Limit(req) });
  if (typeof e?.code === 'string' && e.code.startsWith('LIMIT_')) return new BadRequestError();
  if (
    e?.type === 'entity.parse.failed' ||
    e?.type === 'encoding.unsupported' ||
    e?.type === 'charset.unsupported'
  )
    return new BadRequestError();
  // URIError from a malformed %-escape in a path
  if (err instanceof URIError || e?.status === 400 || e?.statusCode === 400) return new BadRequestError();
  return undefined;
}

function res413Limit(req: Request): string {
  const limit = (req.app.get('uploadLimitLabel') as string | undefined) ?? '';
  return limit;
}

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction) {
  next(new NotFoundError());
}

/** The one place errors become responses. Nothing about a database or a stack reaches the user. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = normalise(err, req);
    const status = known?.status ?? 500;
    if (!known) logger.error({ err, reqId: req.id, url: req.originalUrl }, 'unhandled error');
    else if (status >= 500) logger.error({ err, reqId: req.id }, 'server error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const t = req.t ?? translator('en');
    const form = res.locals.form as FormContext | undefined;
    if (form && (known instanceof ValidationError || known instanceof ConflictError)) {
      const fieldErrors = known instanceof ValidationError ? known.fieldErrors : {};
      return res.page(
        form.view,
        {
          ...form.model,
          values: { ...((form.model.values as object) ?? {}), ...(req.body ?? {}) },
          errors: fieldErrors,
          formError: { key: known.messageKey, params: known.params },
          conflict: known instanceof ConflictError ? (known.current ?? {}) : undefined,
        },
        status,
      );
    }
    const messageKey = known?.messageKey ?? 'errors:500.message';
    const params = { ...(known?.params ?? {}), requestId: String(req.id ?? '') };
    if (req.accepts(['html', 'json']) === 'json' && !req.accepts('html')) {
      return res.status(status).json({ error: known?.code ?? 'internal', message: t(messageKey, params) });
    }
    if (!res.page) {
      return res.status(status).type('text').send(t(messageKey, params));
    }
    res.page(
      'errors/error',
      { title: t(`errors:${titleFor(status)}.title`), status, messageKey, params },
      status,
    );
  };
}

function titleFor(status: number): string {
  return ['400', '403', '404', '409', '413', '422', '429'].includes(String(status)) ? String(status) : '500';
}
