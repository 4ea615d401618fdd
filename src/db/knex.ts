import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { Pool } from 'tarn';
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
  const db = knexFactory(knexConfig(database));
  if (database.client === 'sqlite' && database.filename !== ':memory:' && (database.readers ?? 0) > 0)
    addReaders(db, database.readers!);
  return db;
}

const ON_WRITER = Symbol('reads on the writer');

/**
 * The same database, but reads also run on the writing connection, in order after the writes
 * already queued there. For state written after the response has started: express-session saves
 * a changed session while the response is going out, so a browser following a redirect can ask
 * for the session before that save commits; read on the writer, the read waits for it (the flash
 * message of a form sent is never lost). Without read connections it is `db` itself.
 */
export function readsOnWriter(db: Db): Db {
  const view = db.withUserParams({});
  (view.client as unknown as Record<symbol, unknown>)[ON_WRITER] = true;
  return view;
}

/** What a reader connection runs: plain queries for rows, outside any transaction. */
const READ_METHODS = new Set(['select', 'first', 'pluck']);

interface RawSqlite {
  exec(sql: string, cb: (err: Error | null) => void): void;
}
interface RunnerInternals {
  connection?: unknown;
  ensureConnection(
    cb: (runner: RunnerInternals, params: unknown) => unknown,
    params: unknown,
  ): Promise<unknown>;
}
interface ClientInternals {
  runner(builder: {
    _method?: string;
    _connection?: unknown;
    client?: Record<symbol, unknown>;
  }): RunnerInternals;
  acquireRawConnection(): Promise<RawSqlite>;
  destroyRawConnection(conn: RawSqlite): Promise<void>;
  destroy(cb?: unknown): Promise<void>;
}

/**
 * SQLite in WAL mode lets readers work beside the one writer. The writer stays the knex pool's
 * single connection (every transaction, write and raw statement runs there, one after another);
 * plain queries for rows made outside a transaction go to up to `count` read-only connections
 * (`PRAGMA query_only`), so that one request's reads do not wait behind another's, and their work
 * runs on libuv's threads in parallel. A read sees everything committed before it starts, as on
 * the one connection; a transaction's own reads stay on its connection.
 */
function addReaders(db: Knex, count: number): void {
  const client = db.client as unknown as ClientInternals;
  const exec = (conn: RawSqlite, sql: string) =>
    new Promise<void>((resolve, reject) => conn.exec(sql, (err) => (err ? reject(err) : resolve())));
  const readers = new Pool<RawSqlite>({
    create: async () => {
      const conn = await client.acquireRawConnection();
      await exec(conn, 'PRAGMA busy_timeout = 5000; PRAGMA query_only = 1;');
      return conn;
    },
    destroy: (conn) => client.destroyRawConnection(conn),
    min: 0,
    max: count,
    acquireTimeoutMillis: 60_000,
    idleTimeoutMillis: 60_000,
  });
  const runner = client.runner.bind(client);
  client.runner = (builder) => {
    const r = runner(builder);
    if (!READ_METHODS.has(builder._method ?? '') || builder._connection || builder.client?.[ON_WRITER])
      return r;
    r.ensureConnection = async (cb, params) => {
      const conn = await readers.acquire().promise;
      try {
        r.connection = conn;
        return await cb(r, params);
      } finally {
        readers.release(conn);
      }
    };
    return r;
  };
  const destroy = client.destroy.bind(client);
  client.destroy = async (cb) => {
    await readers.destroy();
    return destroy(cb);
  };
}

export function isPg(db: Conn): boolean {
  return db.client.config.client === 'pg';
}
