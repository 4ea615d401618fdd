import type { Db } from '../../db/knex.js';

/**
 * Finished report PDFs, kept in memory so that a report asked for again is sent at once instead of
 * built again (a project report costs tens of milliseconds of CPU, the portfolio report seconds).
 *
 * What makes a cached copy still true is the key: the report's scope and language, the reader (a
 * report shows what its reader may see and names them), the hour, and the newest audit entry.
 * Every change Masar makes is written to the audit log in its own transaction, so while the newest
 * audit id is the same, no data a report shows has changed; the hour covers what moves with the
 * clock alone (lateness, due reports, the hourly refresh of derived columns). Several app
 * processes on one PostgreSQL each keep their own copies and read the same audit id, so none can
 * serve a copy another process's change has made stale.
 *
 * Bounded by bytes (least recently used copies go first); a report larger than a tenth of the
 * budget is streamed and not kept. While a report is being built, the same request waits for it
 * instead of building it a second time.
 */
export class ReportCache {
  private readonly entries = new Map<string, Buffer>();
  private readonly building = new Map<string, Promise<Buffer | null>>();
  private bytes = 0;

  constructor(
    readonly maxBytes: number,
    readonly maxEntryBytes = Math.floor(maxBytes / 10),
  ) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  get(key: string): Buffer | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // most recently used last
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, pdf: Buffer): void {
    if (!this.enabled || pdf.length > this.maxEntryBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.length;
      this.entries.delete(key);
    }
    this.entries.set(key, pdf);
    this.bytes += pdf.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.length;
    }
  }

  /** The build of `key` in progress, if any: it settles with the PDF, or null when none was kept. */
  inProgress(key: string): Promise<Buffer | null> | undefined {
    return this.building.get(key);
  }

  /** Marks `key` as being built; call the returned function with the PDF (or null) when done. */
  begin(key: string): (pdf: Buffer | null) => void {
    let settle!: (pdf: Buffer | null) => void;
    this.building.set(
      key,
      new Promise((resolve) => {
        settle = resolve;
      }),
    );
    return (pdf) => {
      this.building.delete(key);
      if (pdf) this.set(key, pdf);
      settle(pdf);
    };
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}

/**
 * Audited actions that change nothing a report shows: signing in and out, a user's password or
 * language, reading notifications, a refused upload, a snapshot taken. Without them, every sign-in
 * would throw away every kept report.
 */
export const ACTIONS_NOT_IN_REPORTS = [
  'auth.login',
  'auth.logout',
  'user.password',
  'user.language',
  'notification.read',
  'notification.read_all',
  'document.upload_refused',
  'report_snapshot.create',
] as const;

/**
 * The newest audit entry that can change a report: changes whenever anything a report shows has
 * changed. Read backwards along the primary key, so it stops at the first such entry.
 */
export async function dataVersion(db: Db): Promise<number> {
  const row = (await db('audit_log')
    .select('id')
    .whereNotIn('action', ACTIONS_NOT_IN_REPORTS)
    .orderBy('id', 'desc')
    .first()) as { id: number | string } | undefined;
  return Number(row?.id ?? 0);
}

/** The part of a cache key that moves with the clock: the UTC hour. */
export function hourOf(now: Date): string {
  return now.toISOString().slice(0, 13);
}
