import type { Knex } from 'knex';
import type { Conn, Db } from '../../db/knex.js';
import { auditPage, type AuditRow } from '../audit/audit.repository.js';

/**
 * A project's history: the audit-log entries about the project itself and about the records that
 * belong to it (milestones, status reports, documents and their versions, approval requests),
 * read in one query. Records of features whose tables do not exist in this database are left out.
 */
interface Source {
  entity: string;
  /** The table whose ids are the audit entries' entity ids, and how it reaches the project. */
  table: string;
  ids(conn: Conn, projectId: number): Knex.QueryBuilder;
}

const idText = (conn: Conn, column: string) => conn.raw(`cast(${column} as varchar(60))`);

const SOURCES: Source[] = [
  {
    entity: 'milestone',
    table: 'milestones',
    ids: (c, id) => c('milestones').select(idText(c, 'milestones.id')).where('milestones.project_id', id),
  },
  {
    entity: 'status_report',
    table: 'status_reports',
    ids: (c, id) =>
      c('status_reports').select(idText(c, 'status_reports.id')).where('status_reports.project_id', id),
  },
  {
    entity: 'document',
    table: 'documents',
    ids: (c, id) => c('documents').select(idText(c, 'documents.id')).where('documents.project_id', id),
  },
  {
    entity: 'document_version',
    table: 'document_versions',
    ids: (c, id) =>
      c('document_versions as dv')
        .join('documents as d', 'd.id', 'dv.document_id')
        .select(idText(c, 'dv.id'))
        .where('d.project_id', id),
  },
  {
    entity: 'approval_request',
    table: 'approval_requests',
    ids: (c, id) =>
      c('approval_requests')
        .select(idText(c, 'approval_requests.id'))
        .where('approval_requests.project_id', id),
  },
];

// Which tables exist is fixed for the life of a database connection pool (migrations run first).
const present = new WeakMap<object, Promise<Set<string>>>();

async function presentTables(db: Db): Promise<Set<string>> {
  let p = present.get(db);
  if (!p) {
    p = (async () => {
      const out = new Set<string>();
      for (const s of SOURCES) if (await db.schema.hasTable(s.table)) out.add(s.table);
      return out;
    })();
    present.set(db, p);
  }
  return p;
}

export type HistoryRow = Omit<AuditRow, 'requestId' | 'hash'>;

export async function projectHistory(
  db: Db,
  projectId: number,
  limit: number,
  offset: number,
): Promise<{ rows: HistoryRow[]; total: number }> {
  const tables = await presentTables(db);
  return auditPage(
    db,
    (q) =>
      q.where((w) => {
        w.where((x) => x.where('a.entity', 'project').andWhere('a.entity_id', String(projectId)));
        for (const s of SOURCES)
          if (tables.has(s.table))
            w.orWhere((x) => x.where('a.entity', s.entity).whereIn('a.entity_id', s.ids(db, projectId)));
      }),
    limit,
    offset,
  );
}
