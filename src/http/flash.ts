import type { Request } from 'express';

type FlashType = 'success' | 'danger' | 'warning' | 'info';

/** A message shown once on the next page (after a 303 redirect). */
export function flash(
  req: Request,
  key: string,
  params?: Record<string, unknown>,
  type: FlashType = 'success',
): void {
  if (!req.session) return;
  (req.session.flash ??= []).push({ type, key, params });
}

export function takeFlash(req: Request) {
  const messages = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  return messages;
}
