import fs from 'node:fs';
import path from 'node:path';
import type { Conn, Db } from '../../db/knex.js';
import { isPg } from '../../db/knex.js';

/**
 * The content-addressed file store: a file's bytes live at files/ab/cd/<sha256> under the data
 * directory, outside the web root, and are only ever read through the document routes. The same
 * bytes are stored once, whatever the number of versions naming them.
 *
 * Consistency with the database: a file is put in place and its rows written in one transaction
 * holding a per-hash lock; a file is deleted only under that lock and only when no committed row
 * names its hash. So no row is ever without its bytes, and bytes without a row are removed at once
 * when a transaction fails, or by the sweep when the process died in between.
 */
export interface FileStore {
  root: string;
  tempDir: string;
  pathOf(sha256: string): string;
}

const SHA = /^[0-9a-f]{64}$/;

export function fileStore(dataDir: string): FileStore {
  const root = path.join(dataDir, 'files');
  return {
    root,
    tempDir: path.join(dataDir, 'tmp', 'uploads'),
    pathOf(sha256: string) {
      if (!SHA.test(sha256)) throw new Error('not a SHA-256 hex digest');
      return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    },
  };
}

/** Serialises every placement and deletion of one hash (PostgreSQL; SQLite has one writer anyway). */
export async function lockHash(trx: Conn, sha256: string): Promise<void> {
  if (!isPg(trx)) return;
  // Two 32-bit keys: a namespace for file hashes, and 32 bits of the hash.
  const key = parseInt(sha256.slice(0, 8), 16) | 0;
  await trx.raw('SELECT pg_advisory_xact_lock(?, ?)', [20261129, key]);
}

async function fsyncPath(p: string): Promise<void> {
  const fh = await fs.promises.open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Moves a temporary file into the store under its hash (durably: file and folder synced).
 * Returns true when this call created the stored file, false when the bytes were already there.
 * Call inside the transaction that writes the rows, after `lockHash`.
 */
export async function placeFile(store: FileStore, tempPath: string, sha256: string): Promise<boolean> {
  const target = store.pathOf(sha256);
  const dir = path.dirname(target);
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  const exists = await fs.promises
    .stat(target)
    .then((s) => s.isFile())
    .catch(() => false);
  if (exists) {
    await fs.promises.rm(tempPath, { force: true });
    return false;
  }
  await fsyncPath(tempPath);
  await fs.promises.rename(tempPath, target);
  await fs.promises.chmod(target, 0o400).catch(() => undefined);
  await fsyncPath(dir).catch(() => undefined);
  return true;
}

export async function isReferenced(conn: Conn, sha256: string): Promise<boolean> {
  return !!(await conn('document_versions').select('id').where({ sha256 }).first());
}

/** Deletes a stored file unless a committed row names it. Runs in its own short transaction. */
export async function removeIfUnreferenced(db: Db, store: FileStore, sha256: string): Promise<boolean> {
  return db.transaction(async (trx) => {
    await lockHash(trx, sha256);
    if (await isReferenced(trx, sha256)) return false;
    await fs.promises.rm(store.pathOf(sha256), { force: true });
    return true;
  });
}

export async function storedFileExists(store: FileStore, sha256: string): Promise<boolean> {
  return fs.promises
    .stat(store.pathOf(sha256))
    .then((s) => s.isFile())
    .catch(() => false);
}

/** Every hash in the store, walking ab/cd/ folders. */
async function* storedHashes(store: FileStore): AsyncGenerator<{ sha256: string; path: string }> {
  const list = (p: string) => fs.promises.readdir(p).catch(() => [] as string[]);
  for (const a of await list(store.root)) {
    for (const b of await list(path.join(store.root, a))) {
      for (const name of await list(path.join(store.root, a, b))) {
        const p = path.join(store.root, a, b, name);
        if (SHA.test(name) && name.startsWith(a + b)) yield { sha256: name, path: p };
      }
    }
  }
}

/**
 * Removes stored files no row names (a crash between placing a file and committing its row),
 * older than `minAgeMs` so an upload committing in another process is never touched.
 */
export async function sweepOrphans(
  db: Db,
  store: FileStore,
  minAgeMs: number,
  now = Date.now(),
): Promise<number> {
  let removed = 0;
  let batch: { sha256: string; path: string }[] = [];
  const flush = async () => {
    const known = new Set(
      (
        (await db('document_versions')
          .distinct('sha256')
          .whereIn(
            'sha256',
            batch.map((b) => b.sha256),
          )) as { sha256: string }[]
      ).map((r) => r.sha256),
    );
    for (const b of batch) {
      if (known.has(b.sha256)) continue;
      const st = await fs.promises.stat(b.path).catch(() => undefined);
      if (!st || now - st.mtimeMs < minAgeMs) continue;
      if (await removeIfUnreferenced(db, store, b.sha256)) removed++;
    }
    batch = [];
  };
  for await (const f of storedHashes(store)) {
    batch.push(f);
    if (batch.length >= 500) await flush();
  }
  if (batch.length) await flush();
  return removed;
}
