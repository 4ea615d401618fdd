import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { loadConfig, type Config } from '../../src/config.js';
import { createDb, type Db } from '../../src/db/knex.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { audit } from '../../src/modules/audit/audit.service.js';

/**
 * One migrated template database per test run; each test file gets its own copy (a file copy on
 * SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), so files are isolated and fast.
 * DATABASE_URL=postgres://… runs the whole suite on PostgreSQL.
 */
const pgUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined;
const runId = `${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
export const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'masar-test-'));
const templateName = `masar_t_${runId}_tpl`;
const templateFile = path.join(tmpRoot, 'template.sqlite');
const created: string[] = [];
let counter = 0;
let prepared: Promise<void> | undefined;

function pgAdmin() {
  return knexFactory({ client: 'pg', connection: pgUrl, pool: { min: 0, max: 1 } });
}

function pgUrlFor(dbName: string): string {
  const u = new URL(pgUrl!);
  u.pathname = '/' + dbName;
  return u.toString();
}

export function isPostgresRun(): boolean {
  return !!pgUrl;
}

export function testConfig(overrides: Record<string, string> = {}, database?: string): Config {
  const dataDir = path.join(tmpRoot, `data-${++counter}`);
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    DATA_DIR: dataDir,
    DATABASE_URL: database,
    ...overrides,
  });
}

export async function prepareTemplate(): Promise<void> {
  prepared ??= (async () => {
    if (pgUrl) {
      const admin = pgAdmin();
      await admin.raw(`CREATE DATABASE "${templateName}"`);
      created.push(templateName);
      await admin.destroy();
      const db = createDb({ client: 'pg', url: pgUrlFor(templateName) });
      await migrateLatest(db);
      await db.destroy();
    } else {
      const db = createDb({ client: 'sqlite', filename: templateFile });
      await migrateLatest(db);
      await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
      await db.destroy();
    }
  })();
  return prepared;
}

/** A new, migrated, empty database for one test file. */
export async function freshDb(overrides: Record<string, string> = {}): Promise<{ db: Db; config: Config }> {
  await prepareTemplate();
  if (pgUrl) {
    const name = `masar_t_${runId}_${++counter}`;
    const admin = pgAdmin();
    await admin.raw(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`);
    await admin.destroy();
    created.push(name);
    const config = testConfig(overrides, pgUrlFor(name));
    return { db: createDb(config.database), config };
  }
  const file = path.join(tmpRoot, `db-${++counter}.sqlite`);
  fs.copyFileSync(templateFile, file);
  const config = testConfig(overrides, 'sqlite:' + file);
  return { db: createDb(config.database), config };
}

/** Drops one test file's PostgreSQL database as soon as the file is done (keeps the server small). */
export async function dropDatabase(config: Config): Promise<void> {
  if (config.database.client !== 'pg') return;
  const name = new URL(config.database.url).pathname.slice(1);
  const admin = pgAdmin();
  try {
    await admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const i = created.indexOf(name);
    if (i >= 0) created.splice(i, 1);
  } finally {
    await admin.destroy();
  }
}

/** Drops every database this run created and removes its temporary files. */
export async function cleanupAll(): Promise<void> {
  if (pgUrl && created.length) {
    const admin = pgAdmin();
    for (const name of created.reverse()) {
      await admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    }
    await admin.destroy();
  }
  fs.rmSync(tmpRoot, { recursive: true, force: true });
}

/**
 * Writes an audit entry, as every change made through Masar does: pages and reports kept until
 * the data changes (src/db/data-version.ts) are built afresh after it. For tests that change rows
 * with factories (which write no audit entries) and then need the page built, not its kept copy.
 */
export async function moveDataVersion(db: Db): Promise<void> {
  await db.transaction((trx) => audit(trx, null, { action: 'test.fixture', entity: 'test' }));
}
