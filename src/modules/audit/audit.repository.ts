import type { Knex } from 'knex';
import type { Conn } from '../../db/knex.js';
import { likePattern } from '../../db/util.js';

export interface AuditFilter {
  actorId?: number;
  entity?: string;
  entityId?: string;
  action?: string;
  from?: string;
  to?: string;
}

export interface AuditRow {
  id: number;
  at: string;
  actorId: number | null;
  actorEn: string | null;
  actorAr: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: string | null;
  after: string | null;
  requestId: string | null;
  hash: string;
}

export async function listAudit(
  db: Conn,
  f: AuditFilter,
  limit: number,
  offset: number,
): Promise<{ rows: AuditRow[]; total: number }> {
  return auditPage(
    db,
    (q) => {
      if (f.actorId) q.where('a.actor_id', f.actorId);
      if (f.entity) q.where('a.entity', f.entity);
      if (f.entityId) q.where('a.entity_id', f.entityId);
      if (f.action) q.whereRaw("a.action like ? escape '\\'", [likePattern(f.action)]);
      if (f.from) q.where('a.at', '>=', f.from);
      if (f.to) q.where('a.at', '<', nextDay(f.to));
    },
    limit,
    offset,
  );
}

/**
 * One page of the audit entries that `where` keeps (the log is aliased `a`), newest first, with
 * the acting user's names, and how many entries there are in all.
 */
export async function auditPage(
  db: Conn,
  where: (q: Knex.QueryBuilder) => void,
  limit: number,
  offset: number,
): Promise<{ rows: AuditRow[]; total: number }> {
  const base = db('audit_log as a').modify(where);
  const [{ n }] = (await base.clone().count({ n: '*' })) as { n: number | string }[];
  const rows = await base
    .clone()
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select(
      'a.id',
      'a.at',
      'a.actor_id as actorId',
      'u.name_en as actorEn',
      'u.name_ar as actorAr',
      'a.action',
      'a.entity',
      'a.entity_id as entityId',
      'a.before',
      'a.after',
      'a.request_id as requestId',
      'a.hash',
    )
    .orderBy('a.id', 'desc')
    .limit(limit)
    .offset(offset);
  return { rows: rows as AuditRow[], total: Number(n) };
}

export async function auditEntities(db: Conn): Promise<string[]> {
  const rows = await db('audit_log').distinct('entity').orderBy('entity');
  return rows.map((r: { entity: string }) => r.entity);
}

function nextDay(d: string): string {
  const x = new Date(d + 'T00:00:00Z');
  x.setUTCDate(x.getUTCDate() + 1);
  return x.toISOString();
}
