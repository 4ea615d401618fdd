import type { Knex } from 'knex';
import type { Config } from '../../config.js';
import type { Conn } from '../../db/knex.js';
import { insertOne } from '../../db/util.js';
import { translator } from '../../i18n/index.js';
import { isLocale, pick, type Locale } from '../../i18n/locales.js';
import { canonicalJson } from '../audit/audit.service.js';
import { kickSendersFor } from './notifications.mailer.js';

/**
 * In-app notifications and the mail that goes with them. `notify` runs inside the caller's
 * transaction: it writes the notification and queues the email (rendered in the recipient's
 * language) in `mail_outbox`; the mail sender drains the queue once the transaction commits.
 */
export interface NotifyInput {
  userId: number;
  /** What happened, e.g. 'approval.pending' (kept for filtering; free text up to 60 characters). */
  kind: string;
  /** Message key of the title (subject of the email), e.g. 'approvals:notify.pending.title'. */
  titleKey: string;
  /**
   * Interpolation values. A pair `xEn` / `xAr` also gives `x` in the reader's language, so
   * bilingual names need no special handling by the caller.
   */
  params?: Record<string, string | number | null>;
  /** A path inside Masar (starting with '/'), shown as the link. */
  link?: string | null;
  /** Message key of the email body's main sentence; defaults to the title. */
  bodyKey?: string;
  /** false: in-app only. */
  email?: boolean;
}

/** Adds `x` = the reader's-language value of every `xEn`/`xAr` pair. */
export function localiseParams(
  locale: Locale,
  params: Record<string, unknown> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params };
  for (const k of Object.keys(params)) {
    const m = /^(\w+)En$/.exec(k);
    if (m && `${m[1]}Ar` in params && !(m[1] in params)) {
      out[m[1]] = pick(locale, params[`${m[1]}Ar`] as string | null, params[k] as string | null);
    }
  }
  return out;
}

/** Only local paths are links (nothing that leaves Masar). */
export function safeLink(link: string | null | undefined): string | null {
  if (!link || !link.startsWith('/') || link.startsWith('//') || link.includes('\\')) return null;
  return link.slice(0, 500);
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The email of a notification in the recipient's language. */
export function renderMail(
  locale: Locale,
  recipientName: string,
  input: Pick<NotifyInput, 'titleKey' | 'bodyKey' | 'params' | 'link'>,
  publicUrl: string,
): RenderedMail {
  const t = translator(locale);
  const params = localiseParams(locale, input.params ?? {});
  const subject = String(t(input.titleKey, params)).slice(0, 300);
  const body = String(t(input.bodyKey ?? input.titleKey, params));
  const greeting = String(t('notifications:email.greeting', { name: recipientName }));
  const link = safeLink(input.link);
  const url = link ? publicUrl.replace(/\/+$/, '') + link : null;
  const open = String(t('notifications:email.open'));
  const footer = String(t('notifications:email.footer'));
  const text = [greeting, '', body, ...(url ? ['', `${open}: ${url}`] : []), '', '-- ', footer].join('\n');
  const dir = locale === 'ar' ? 'rtl' : 'ltr';
  const html =
    `<!doctype html><html lang="${locale}" dir="${dir}"><body style="font-family:sans-serif">` +
    `<p>${escapeHtml(greeting)}</p><p>${escapeHtml(body)}</p>` +
    (url ? `<p><a href="${escapeHtml(url)}">${escapeHtml(open)}</a></p>` : '') +
    `<hr><p style="color:#666;font-size:small">${escapeHtml(footer)}</p></body></html>`;
  return { subject, text, html };
}

let mailConfig: Pick<Config, 'publicUrl'> = { publicUrl: 'http://localhost:3000' };
/** The address links in emails start with (set once by the module from config). */
export function setMailConfig(c: Pick<Config, 'publicUrl'>): void {
  mailConfig = { publicUrl: c.publicUrl };
}

/**
 * Writes the in-app notification and queues its email in the recipient's language, inside the
 * caller's transaction; the email is sent after the transaction commits. Inactive users get
 * neither. Returns the notification id (or null).
 */
export async function notify(trx: Conn, input: NotifyInput): Promise<number | null> {
  const user = (await trx('users')
    .select('id', 'email', 'name_en', 'name_ar', 'locale', 'active')
    .where({ id: input.userId })
    .first()) as
    | { id: number; email: string; name_en: string; name_ar: string; locale: string; active: unknown }
    | undefined;
  if (!user || !(user.active === true || user.active === 1 || user.active === '1')) return null;
  const now = new Date().toISOString();
  const params = input.params ?? {};
  const link = safeLink(input.link);
  const id = await insertOne(trx, 'notifications', {
    user_id: user.id,
    kind: input.kind.slice(0, 60),
    title_key: input.titleKey,
    params: canonicalJson(params),
    link,
    created_at: now,
  });
  if (input.email !== false) {
    const locale: Locale = isLocale(user.locale) ? user.locale : 'en';
    const mail = renderMail(locale, pick(locale, user.name_ar, user.name_en), input, mailConfig.publicUrl);
    await trx('mail_outbox').insert({
      notification_id: id,
      user_id: user.id,
      to_address: user.email,
      locale,
      subject: mail.subject,
      body_text: mail.text,
      body_html: mail.html,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    });
    afterCommit(trx, () => kickSendersFor(trx));
  }
  return id;
}

/** Runs `fn` once the transaction commits (never when it rolls back); at once outside one. */
export function afterCommit(conn: Conn, fn: () => void): void {
  const trx = conn as Knex.Transaction;
  if (trx.isTransaction && trx.executionPromise) {
    trx.executionPromise.then(
      () => fn(),
      () => undefined,
    );
  } else {
    queueMicrotask(fn);
  }
}
