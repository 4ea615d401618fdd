import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Config } from '../config.js';
import { migrationSource } from './migration-source.js';

export type Db = Knex;
export type Trx = Knex.Transaction;
/** Repositories accept either the database or a transaction. */
export type Conn = Knex | Knex.Transaction;

// One representation on both databases: timestamps as ISO-8601 UTC strings, calendar dates as
// 'YYYY-MM-DD' strings, counts and sums as numbers.
pg.types.setTypeParser(1184, (v) => new Date(v).toISOString()); // timestamptz
pg.types.setTypeParser(1114, (v) => new Date(v + 'Z').toISOString()); // timestamp
pg.types.setTypeParser(1082, (v) => v); // date
pg.types.setTypeParser(20, (v) => Number(v)); // int8 (count, sum of integers)
pg.types.setTypeParser(1700, (v) => Number(v)); // numeric

export function knexConfig(database: Config['database']): Knex.Config {
  const migrations = { migrationSource: migrationSource(), tableName: 'knex_migrations' };
  if (database.client === 'pg') {
    return { client: 'pg', connection: database.url, pool: { min: 0, max: 10 }, migrations };
  }
  if (database.filename !== ':memory:') fs.mkdirSync(path.dirname(database.filename), { recursive: true });
  return {
    client: 'sqlite3',
    connection: { filename: database.filename },
    useNullAsDefault: true,
    // SQLite allows one writer; a single connection serialises every transaction in-process.
    pool: {
      min: 1,
      max: 1,
      afterCreate(
        conn: { exec(sql: string, cb: (err: Error | null) => void): void },
        done: (err: Error | null, c: unknown) => void,
      ) {
        conn.exec(
          'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
          (err) => done(err, conn),
        );
      },
    },
    migrations,
  };
}

export function createDb(database: Config['database']): Db {
  return knexFactory(knexConfig(database));
}

export function isPg(db: Conn): boolean {
  return db.client.config.client === 'pg';
}
