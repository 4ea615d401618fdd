import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { CurrentUser } from '../../auth/current-user.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/knex.js';
import { translator } from '../../i18n/index.js';
import { pick, type Locale } from '../../i18n/locales.js';
import { ReportAborted, ReportPdf } from '../../pdf/writer.js';
import type { ReportSection } from '../module.js';

/** Who a report is built for, in which language, and when. */
export interface ReportEnv {
  db: Db;
  config: Config;
  reader: CurrentUser;
  locale: Locale;
  now: Date;
  /** Sections other modules add to portfolio and program reports. */
  sections: readonly ReportSection[];
}

/** A report whose data has been checked (visibility) and whose pages can now be written. */
export interface PreparedReport {
  title: string;
  subtitle?: string;
  /** ASCII file name for Content-Disposition, e.g. masar-project-GOV-01-2026-11-28-en.pdf. */
  fileName: string;
  keywords: string[];
  render(w: ReportPdf): Promise<void>;
}

export function readerName(env: ReportEnv): string {
  return pick(env.locale, env.reader.nameAr, env.reader.nameEn);
}

/** Keeps file names to safe ASCII (codes are free text to the database). */
export function safePart(s: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'x'
  );
}

export interface WriteResult {
  pages: number;
}

/**
 * Writes a prepared report into `out` as pdfkit produces it. When `out` goes away early (the
 * client disconnected) building stops at the next batch of rows and the promise rejects with
 * ReportAborted. `tap`, when given, sees every chunk written (to keep a copy).
 */
export async function writeReport(
  env: ReportEnv,
  report: PreparedReport,
  out: Writable,
  tap?: (chunk: Buffer) => void,
): Promise<WriteResult> {
  const t = translator(env.locale);
  const w = new ReportPdf({
    locale: env.locale,
    t,
    title: report.title,
    subtitle: report.subtitle,
    readerName: readerName(env),
    generatedAt: env.now,
    currency: env.config.currency,
    keywords: report.keywords,
  });
  // Settles (never rejects) when `out` finishes or fails, so an early close is never an unhandled rejection.
  const done = finished(out).then(
    () => null,
    (e: unknown) => e,
  );
  let closedEarly = false;
  const onClose = () => {
    if (!out.writableFinished) {
      closedEarly = true;
      w.abort();
    }
  };
  out.once('close', onClose);
  if (tap) w.doc.on('data', tap);
  w.doc.pipe(out);
  try {
    await report.render(w);
    if (closedEarly) throw new ReportAborted();
    const pages = w.finish();
    const failed = await done;
    if (failed) throw failed;
    return { pages };
  } catch (err) {
    w.abort();
    w.doc.unpipe(out);
    if (!out.destroyed) out.destroy();
    await done;
    const premature = (err as { code?: string } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
    throw closedEarly || premature || err instanceof ReportAborted ? new ReportAborted() : err;
  } finally {
    out.off('close', onClose);
  }
}
