import type { Knex } from 'knex';
import type { Conn } from './knex.js';

/** The id of a row inserted with `.returning('id')`, on SQLite and PostgreSQL alike. */
export function idOf(rows: unknown[]): number {
  const r = rows[0];
  return Number(typeof r === 'object' && r !== null ? (r as { id: number }).id : r);
}

/** Inserts one row and returns its id. */
export async function insertOne(db: Conn, table: string, row: Record<string, unknown>): Promise<number> {
  return idOf(await db(table).insert(row).returning('id'));
}

/** Row columns for camelCase values (`nameEn` → `name_en`); undefined values are left out. */
export function columnsOf(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values))
    if (v !== undefined) out[k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())] = v;
  return out;
}

/**
 * Restricts `qb` to rows where any of `columns` (qualified names) contains `text`, ignoring case,
 * with LIKE's wildcards in the text taken literally. On SQLite and PostgreSQL alike.
 */
export function whereContains(qb: Knex.QueryBuilder, columns: string[], text: string): Knex.QueryBuilder {
  const like = likePattern(text.toLowerCase());
  return qb.where((w) => {
    for (const c of columns) w.orWhereRaw("lower(??) like ? escape '\\'", [c, like]);
  });
}

/** Escapes a user's search text for LIKE (with ESCAPE '\'). */
export function likePattern(q: string): string {
  return '%' + q.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

export function bool(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 't';
}
