import crypto from 'node:crypto';
import type { Conn, Db } from '../../db/knex.js';
import { isPg } from '../../db/knex.js';
import type { Actor } from '../../auth/current-user.js';

/**
 * The audit log: append-only, every change with who, what, when, before and after. Each entry's
 * hash covers the previous entry's hash and its own content, so an edited or deleted entry breaks
 * the chain from that point on (`npm run audit:verify`).
 */
export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

export const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const obj = value as Record<string, unknown>;
  return (
    '{' +
    Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k]))
      .join(',') +
    '}'
  );
}

interface Row {
  id: number;
  at: string;
  actor_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export function entryHash(prevHash: string, r: Omit<Row, 'id' | 'prev_hash' | 'hash'>): string {
  const content = canonicalJson({
    at: r.at,
    actorId: r.actor_id,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: r.before,
    after: r.after,
    requestId: r.request_id,
  });
  return crypto
    .createHash('sha256')
    .update(prevHash + '\n' + content)
    .digest('hex');
}

/**
 * Records one change. Call it inside the use case's transaction, after the writes, so the entry
 * exists exactly when the change does. Actor may be null for system jobs.
 */
export async function audit(
  trx: Conn,
  actor: Actor | null,
  entry: AuditEntry,
  at = new Date().toISOString(),
): Promise<void> {
  // On PostgreSQL several processes append at once: one lock per transaction keeps the chain linear.
  if (isPg(trx)) await trx.raw('SELECT pg_advisory_xact_lock(?)', [20261128]);
  const last = await trx('audit_log').select('hash').orderBy('id', 'desc').first();
  const prev = (last?.hash as string | undefined) ?? GENESIS;
  const row = {
    at,
    actor_id: actor?.user.id ?? null,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    before: entry.before === undefined ? null : canonicalJson(entry.before),
    after: entry.after === undefined ? null : canonicalJson(entry.after),
    request_id: actor?.requestId ?? null,
  };
  await trx('audit_log').insert({ ...row, prev_hash: prev, hash: entryHash(prev, row) });
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  brokenAt?: number;
  reason?: 'hash' | 'link';
}

/** Walks the chain in id order, in batches; names the first entry whose hash or link is wrong. */
export async function verifyChain(db: Db, batch = 5000): Promise<VerifyResult> {
  let prev = GENESIS;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows = (await db('audit_log').where('id', '>', lastId).orderBy('id').limit(batch)) as Row[];
    if (rows.length === 0) return { ok: true, checked };
    for (const r of rows) {
      if (r.prev_hash !== prev) return { ok: false, checked, brokenAt: r.id, reason: 'link' };
      if (entryHash(prev, r) !== r.hash) return { ok: false, checked, brokenAt: r.id, reason: 'hash' };
      prev = r.hash;
      lastId = r.id;
      checked++;
    }
  }
}

/** Before/after of only the fields that changed, for compact audit entries. */
export function diff<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const k of Object.keys(after) as (keyof T)[]) {
    if (canonicalJson(before[k]) !== canonicalJson(after[k])) {
      b[k] = before[k];
      a[k] = after[k];
    }
  }
  return { before: b, after: a };
}
