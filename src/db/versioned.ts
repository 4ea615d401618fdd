import type { Conn } from './knex.js';

/**
 * Builds the error a lost edit answers (usually a `ConflictError` carrying the current values for
 * the 409 page). Called only on a conflict, so it may read the row again to show what won.
 */
export type ConflictOf = () => Error | Promise<Error>;

/** The record's version (as read) is still the one the user loaded; otherwise the conflict. */
export async function checkVersion(
  version: unknown,
  expectedVersion: number,
  conflict: ConflictOf,
): Promise<void> {
  if (Number(version) !== expectedVersion) throw await conflict();
}

/**
 * Writes `changes` to row `id` of `table` only while it is still at `expectedVersion`, and moves
 * the version on by one. No row written means someone committed first: the conflict.
 */
export async function updateVersioned(
  conn: Conn,
  table: string,
  id: number,
  expectedVersion: number,
  changes: Record<string, unknown>,
  conflict: ConflictOf,
): Promise<void> {
  const n = await conn(table)
    .where({ id, version: expectedVersion })
    .update({ ...changes, version: expectedVersion + 1 });
  if (n !== 1) throw await conflict();
}
