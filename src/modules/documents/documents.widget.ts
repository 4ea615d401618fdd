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

/**
 * Paper saved: files and PDF pages filed, approvals decided, this month and in total. One query
 * over `paper_saved_months` (one row per month, kept by the database from document versions and
 * decided approval requests); "this month" is every month from the clock's on, as the upload or
 * decision time compared with the month's first instant was.
 */
export async function paperSaved(deps: Parameters<DashboardWidget['load']>[0]): Promise<PaperSaved> {
  const month = monthStart(deps.clock()).slice(0, 7);
  const db = deps.db;
  const [row] = (await db('paper_saved_months').select(
    db.raw('coalesce(sum(files), 0) as files_total'),
    db.raw('coalesce(sum(case when month >= ? then files else 0 end), 0) as files_month', [month]),
    db.raw('coalesce(sum(pages), 0) as pages_total'),
    db.raw('coalesce(sum(case when month >= ? then pages else 0 end), 0) as pages_month', [month]),
    db.raw('coalesce(sum(approvals), 0) as approvals_total'),
    db.raw('coalesce(sum(case when month >= ? then approvals else 0 end), 0) as approvals_month', [month]),
  )) as Record<string, number | string | null>[];
  return {
    filesMonth: Number(row.files_month ?? 0),
    filesTotal: Number(row.files_total ?? 0),
    pagesMonth: Number(row.pages_month ?? 0),
    pagesTotal: Number(row.pages_total ?? 0),
    approvalsMonth: Number(row.approvals_month ?? 0),
    approvalsTotal: Number(row.approvals_total ?? 0),
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
