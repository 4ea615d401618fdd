import type { Db } from './knex.js';

/**
 * The data version: the id of the newest audit entry that can change what a page or report shows.
 *
 * Every change Masar makes is written to the audit log in the transaction that makes it (system
 * jobs included), so while the data version is the same, no shared data has changed. Several app
 * processes on one PostgreSQL read the same audit log, so none can serve a kept copy that another
 * process's change has made stale. Kept answers (src/http/kept.ts) put it in their keys together
 * with the hour (`hourOf`), which covers what moves with the clock alone (lateness, due dates).
 */

/**
 * Audited actions that change nothing a kept page or report shows: signing in and out, a user's
 * password or language (the language is in every key), reading notifications (shown only outside
 * kept bodies: the navigation bar and the notifications page), a refused upload, a snapshot taken.
 * Without them, every sign-in would throw every kept copy away.
 */
export const ACTIONS_OUTSIDE_DATA_VERSION = [
  'auth.login',
  'auth.logout',
  'user.password',
  'user.language',
  'notification.read',
  'notification.read_all',
  'document.upload_refused',
  'report_snapshot.create',
] as const;

/** Read backwards along the primary key, so it stops at the first entry that counts. */
export async function dataVersion(db: Db): Promise<number> {
  const row = (await db('audit_log')
    .select('id')
    .whereNotIn('action', ACTIONS_OUTSIDE_DATA_VERSION)
    .orderBy('id', 'desc')
    .first()) as { id: number | string } | undefined;
  return Number(row?.id ?? 0);
}

/** The part of a key that moves with the clock: the UTC hour. */
export function hourOf(now: Date): string {
  return now.toISOString().slice(0, 13);
}
