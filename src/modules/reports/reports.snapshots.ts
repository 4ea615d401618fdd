import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import type { Actor, CurrentUser } from '../../auth/current-user.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/knex.js';
import { insertOne } from '../../db/util.js';
import { AppError } from '../../http/errors.js';
import { LOCALES, type Locale } from '../../i18n/locales.js';
import { audit } from '../audit/index.js';
import { isoDay } from '../portfolio/portfolio.rules.js';
import type { ReportSection } from '../module.js';
import { preparePortfolioReport } from './portfolio-report.js';
import { writeReport } from './reports.output.js';

/**
 * Monthly snapshots: the portfolio report of a month, in both languages, generated for the whole
 * portfolio (as a PMO-level reader named "Masar"), written once under <dataDir>/snapshots/ with
 * its SHA-256 in report_snapshots. A month that has a snapshot keeps it: running again changes
 * nothing (frozen). Downloads re-hash the file and refuse it when it no longer matches.
 */

export interface SnapshotRow {
  id: number;
  month: string;
  locale: Locale;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  pages: number;
  createdBy: number | null;
  createdAt: string;
}

/** The reader a snapshot is generated for: sees the whole portfolio, named after the system. */
export const SNAPSHOT_READER: CurrentUser = Object.freeze({
  id: 0,
  email: 'masar@localhost',
  nameEn: 'Masar',
  nameAr: 'مسار',
  role: 'pmo',
  locale: 'en',
  active: true,
  sessionEpoch: 0,
  version: 0,
});

export interface SnapshotDeps {
  db: Db;
  config: Config;
  clock: () => Date;
  sections: readonly ReportSection[];
}

export function snapshotDir(config: Config): string {
  return path.join(config.dataDir, 'snapshots');
}

function toRow(r: Record<string, unknown>): SnapshotRow {
  return {
    id: Number(r.id),
    month: String(r.month),
    locale: r.locale as Locale,
    fileName: String(r.file_name),
    sha256: String(r.sha256),
    sizeBytes: Number(r.size_bytes),
    pages: Number(r.pages),
    createdBy: r.created_by === null || r.created_by === undefined ? null : Number(r.created_by),
    createdAt: String(r.created_at),
  };
}

export async function listSnapshots(db: Db): Promise<SnapshotRow[]> {
  const rows = await db('report_snapshots').orderBy('month', 'desc').orderBy('locale');
  return (rows as Record<string, unknown>[]).map(toRow);
}

/** Counts bytes and hashes them on their way to the file. */
class Digest extends Transform {
  readonly hash = crypto.createHash('sha256');
  size = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    cb(null, chunk);
  }
}

export interface SnapshotResult {
  month: string;
  created: SnapshotRow[];
  existing: SnapshotRow[];
}

/** Takes the current month's snapshot in each language that does not have one yet. */
export async function takeMonthlySnapshot(deps: SnapshotDeps, actor: Actor | null): Promise<SnapshotResult> {
  const { db, config } = deps;
  const now = deps.clock();
  const month = isoDay(now).slice(0, 7);
  const dir = snapshotDir(config);
  fs.mkdirSync(dir, { recursive: true });
  const result: SnapshotResult = { month, created: [], existing: [] };
  for (const locale of LOCALES) {
    const existing = await db('report_snapshots').where({ month, locale }).first();
    if (existing) {
      result.existing.push(toRow(existing));
      continue;
    }
    const fileName = `portfolio-${month}-${locale}.pdf`;
    const tmp = path.join(dir, `.${fileName}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
    try {
      const env = { db, config, reader: SNAPSHOT_READER, locale, now, sections: deps.sections };
      const report = await preparePortfolioReport(env, { kind: 'portfolio' });
      const digest = new Digest();
      const file = fs.createWriteStream(tmp, { flags: 'wx' });
      digest.pipe(file);
      const fileDone = new Promise<void>((resolve, reject) => {
        file.on('close', resolve);
        file.on('error', reject);
      });
      const { pages } = await writeReport(env, report, digest);
      await fileDone;
      const sha256 = digest.hash.digest('hex');
      const createdAt = new Date().toISOString();
      const row = await db.transaction(async (trx) => {
        const id = await insertOne(trx, 'report_snapshots', {
          month,
          locale,
          file_name: fileName,
          sha256,
          size_bytes: digest.size,
          pages,
          created_by: actor?.user.id || null,
          created_at: createdAt,
        });
        await audit(trx, actor, {
          action: 'report_snapshot.create',
          entity: 'report_snapshot',
          entityId: id,
          after: { month, locale, sha256, sizeBytes: digest.size, pages },
        });
        // The file becomes visible under its name in the transaction that records it.
        fs.renameSync(tmp, path.join(dir, fileName));
        return (await trx('report_snapshots').where({ id }).first()) as Record<string, unknown>;
      });
      result.created.push(toRow(row));
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      // Another run stored the same month meanwhile (unique month + locale): it stays as issued.
      const raced = await db('report_snapshots').where({ month, locale }).first();
      if (raced) result.existing.push(toRow(raced));
      else throw err;
    }
  }
  return result;
}

export class SnapshotIntegrityError extends AppError {
  constructor(messageKey: 'reports:snapshots.tampered' | 'reports:snapshots.missing') {
    super(500, 'snapshot_integrity', messageKey);
  }
}

/** The bytes of a snapshot exactly as issued, or an integrity error when the file changed or is gone. */
export async function readSnapshot(
  db: Db,
  config: Config,
  month: string,
  locale: Locale,
): Promise<{ row: SnapshotRow; bytes: Buffer } | null> {
  const r = await db('report_snapshots').where({ month, locale }).first();
  if (!r) return null;
  const row = toRow(r);
  const file = path.join(snapshotDir(config), path.basename(row.fileName));
  let bytes: Buffer;
  try {
    const stat = await fs.promises.stat(file);
    if (stat.size !== row.sizeBytes) throw new SnapshotIntegrityError('reports:snapshots.tampered');
    bytes = await fs.promises.readFile(file);
  } catch (err) {
    if (err instanceof SnapshotIntegrityError) throw err;
    throw new SnapshotIntegrityError('reports:snapshots.missing');
  }
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  if (sha !== row.sha256) throw new SnapshotIntegrityError('reports:snapshots.tampered');
  return { row, bytes };
}
