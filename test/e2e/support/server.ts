import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { pino } from 'pino';
import { createApp } from '../../../src/app.js';
import { loadConfig, type Config } from '../../../src/config.js';
import { createDb, type Db } from '../../../src/db/knex.js';
import { migrateLatest } from '../../../src/db/migrate.js';
import { runSeeds } from '../../../src/db/seed.js';
import type { AppDeps } from '../../../src/modules/module.js';
import { modules } from '../../../src/modules/registry.js';
import type { Express } from 'express';

/**
 * The application under test, started in this process on a free port with a fresh database holding
 * the demo data. The demo data is built once per run (migrations + every seed) into a template data
 * directory; each started application gets its own copy (file copy on SQLite, CREATE DATABASE …
 * TEMPLATE on PostgreSQL when DATABASE_URL=postgres://… is set), so journeys never see each
 * other's changes.
 */

const pgUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined;
const runId = `${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'masar-e2e-'));
const templateDir = path.join(root, 'template');
const templateDb = `masar_e2e_${runId}_tpl`;
const createdDbs: string[] = [];
let counter = 0;
let template: Promise<void> | undefined;

export interface RunningApp {
  url: string;
  app: Express;
  db: Db;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

function pgAdmin() {
  return knexFactory({ client: 'pg', connection: pgUrl, pool: { min: 0, max: 1 } });
}

function pgUrlFor(name: string): string {
  const u = new URL(pgUrl!);
  u.pathname = '/' + name;
  return u.toString();
}

function configFor(dataDir: string, database: string | undefined): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'e2e-secret-e2e-secret-e2e-secret-0123456',
    DATA_DIR: dataDir,
    DATABASE_URL: database,
  });
}

/** Migrates a new database and loads the demo data into it, once per run. */
function buildTemplate(): Promise<void> {
  template ??= (async () => {
    fs.mkdirSync(templateDir, { recursive: true });
    let database: string;
    if (pgUrl) {
      const admin = pgAdmin();
      await admin.raw(`CREATE DATABASE "${templateDb}"`);
      await admin.destroy();
      createdDbs.push(templateDb);
      database = pgUrlFor(templateDb);
    } else {
      database = 'sqlite:' + path.join(templateDir, 'masar.sqlite');
    }
    const config = configFor(templateDir, database);
    const db = createDb(config.database);
    await migrateLatest(db);
    await runSeeds(db, config);
    if (!pgUrl) await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    await db.destroy();
  })();
  return template;
}

/** Starts Masar on a free port with its own copy of the demo database and data directory. */
export async function startApp(): Promise<RunningApp> {
  await buildTemplate();
  const n = ++counter;
  const dataDir = path.join(root, `app-${n}`);
  fs.cpSync(templateDir, dataDir, { recursive: true });
  let database: string;
  if (pgUrl) {
    const name = `masar_e2e_${runId}_${n}`;
    const admin = pgAdmin();
    await admin.raw(`CREATE DATABASE "${name}" TEMPLATE "${templateDb}"`);
    await admin.destroy();
    createdDbs.push(name);
    database = pgUrlFor(name);
  } else {
    database = 'sqlite:' + path.join(dataDir, 'masar.sqlite');
  }
  const config = configFor(dataDir, database);
  const db = createDb(config.database);
  const logger = pino({ level: process.env.E2E_LOG_LEVEL ?? 'error' });
  const deps: AppDeps = { config, db, logger, clock: () => new Date() };
  const stoppers: (() => void)[] = [];
  for (const m of modules) {
    const stop = await m.onStart?.(deps);
    if (stop) stoppers.push(stop);
  }
  const app = createApp(deps);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    db,
    config,
    dataDir,
    async close() {
      stoppers.forEach((s) => s());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.destroy();
    },
  };
}

/** Drops the databases this run created and removes its temporary files. */
export async function cleanupApps(): Promise<void> {
  if (pgUrl && createdDbs.length) {
    const admin = pgAdmin();
    for (const name of createdDbs.reverse()) {
      await admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    }
    await admin.destroy();
  }
  fs.rmSync(root, { recursive: true, force: true });
}
