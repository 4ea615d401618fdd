import type { DashboardWidget } from '../module.js';

/** The first instant of the clock's calendar month (UTC), as stored timestamps are. */
export function monthStart(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
}

export interface PaperSaved {
  filesMonth: number;
  filesTotal: number;
  pagesMonth: number;
  pagesTotal: number;
  approvalsMonth: number;
  approvalsTotal: number;
}

/** Paper saved, counted in SQL: files and PDF pages filed, approvals decided, this month and in total. */
export async function paperSaved(deps: Parameters<DashboardWidget['load']>[0]): Promise<PaperSaved> {
  const since = monthStart(deps.clock());
  const db = deps.db;
  const [files] = (await db('document_versions').select(
    db.raw('count(*) as files_total'),
    db.raw('coalesce(sum(case when uploaded_at >= ? then 1 else 0 end), 0) as files_month', [since]),
    db.raw('coalesce(sum(page_count), 0) as pages_total'),
    db.raw('coalesce(sum(case when uploaded_at >= ? then page_count else 0 end), 0) as pages_month', [since]),
  )) as Record<string, number | string | null>[];
  const [decided] = (await db('approval_requests')
    .whereIn('status', ['approved', 'rejected'])
    .whereNotNull('decided_at')
    .select(
      db.raw('count(*) as total'),
      db.raw('coalesce(sum(case when decided_at >= ? then 1 else 0 end), 0) as month', [since]),
    )) as Record<string, number | string | null>[];
  return {
    filesMonth: Number(files.files_month ?? 0),
    filesTotal: Number(files.files_total ?? 0),
    pagesMonth: Number(files.pages_month ?? 0),
    pagesTotal: Number(files.pages_total ?? 0),
    approvalsMonth: Number(decided.month ?? 0),
    approvalsTotal: Number(decided.total ?? 0),
  };
}

export const paperSavedWidget: DashboardWidget = {
  id: 'documents.paper-saved',
  roles: ['pmo', 'admin'],
  order: 60,
  view: 'documents/_paper-widget',
  async load(deps) {
    return { ...(await paperSaved(deps)) };
  },
};
