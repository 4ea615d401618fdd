import type { Knex } from 'knex';
import type { DashboardWidget } from '../module.js';
import { isoDay, reportDueState, type ReportFrequency } from '../portfolio/portfolio.rules.js';
import { whereProjectVisible } from '../projects/projects.access.js';
import { latestPeriodEnds } from './status-reports.repository.js';
import { overdueCutoffs, reportablePeriods } from './status-reports.rules.js';

const COLUMNS = [
  'p.id',
  'p.code',
  'p.name_en',
  'p.name_ar',
  'p.report_frequency',
  'p.planned_start',
  'p.actual_start',
  'r.last_end',
];

/** Dashboard cards about status reports: one query for the PM's card, two for the PMO's. */
export const statusReportWidgets: DashboardWidget[] = [
  {
    id: 'reports-due',
    roles: ['pm'],
    order: 40,
    view: 'status-reports/widgets/due',
    async load(deps, user) {
      const today = isoDay(deps.clock());
      const grace = deps.config.health.statusReportGraceDays;
      const rows = (await deps
        .db('projects as p')
        .leftJoin(latestPeriodEnds(deps.db), 'r.project_id', 'p.id')
        .select(COLUMNS)
        .where('p.manager_id', user.id)
        .where('p.status', 'active')
        .whereNot('p.phase', 'closed')
        .orderBy('p.code')) as Record<string, unknown>[];
      const items = rows
        .map((r) => {
          const frequency = r.report_frequency as ReportFrequency;
          const start = (r.actual_start as string | null) ?? (r.planned_start as string | null);
          const last = (r.last_end as string | null) ?? null;
          const state = reportDueState(frequency, last, today, grace, start);
          const [period] = reportablePeriods(frequency, today, last ? [last] : [], start);
          return {
            id: Number(r.id),
            code: r.code as string,
            nameEn: r.name_en as string,
            nameAr: r.name_ar as string,
            frequency,
            lastEnd: last,
            state,
            period: period ?? null,
          };
        })
        .filter((i) => i.state !== 'submitted')
        .sort((a, b) =>
          a.state === b.state ? a.code.localeCompare(b.code) : a.state === 'overdue' ? -1 : 1,
        );
      return { rows: items, projects: rows.length };
    },
  },
  {
    id: 'reports-overdue',
    roles: ['pmo', 'admin'],
    order: 40,
    view: 'status-reports/widgets/overdue',
    async load(deps, user) {
      const today = isoDay(deps.clock());
      const cut = overdueCutoffs(today, deps.config.health.statusReportGraceDays);
      const scoped = () => {
        const q = deps
          .db('projects as p')
          .leftJoin(latestPeriodEnds(deps.db), 'r.project_id', 'p.id')
          .where('p.status', 'active')
          .whereNot('p.phase', 'closed');
        whereProjectVisible(q, user, 'p');
        return q.where((w) => {
          w.whereRaw('1 = 0');
          for (const f of ['weekly', 'monthly'] as const) {
            const end = cut[f];
            if (end) w.orWhere((x: Knex.QueryBuilder) => overdueFor(x, f, end));
          }
        });
      };
      const [rows, count] = await Promise.all([
        scoped()
          .leftJoin('users as u', 'u.id', 'p.manager_id')
          .select([...COLUMNS, 'u.name_en as manager_en', 'u.name_ar as manager_ar'])
          .orderByRaw('case when r.last_end is null then 0 else 1 end')
          .orderBy([{ column: 'r.last_end' }, { column: 'p.code' }])
          .limit(8),
        scoped().count({ n: '*' }).first(),
      ]);
      return {
        rows: (rows as Record<string, unknown>[]).map((r) => ({
          id: Number(r.id),
          code: r.code as string,
          nameEn: r.name_en as string,
          nameAr: r.name_ar as string,
          frequency: r.report_frequency as ReportFrequency,
          lastEnd: (r.last_end as string | null) ?? null,
          managerEn: (r.manager_en as string | null) ?? null,
          managerAr: (r.manager_ar as string | null) ?? null,
        })),
        total: Number((count as { n: unknown } | undefined)?.n ?? 0),
      };
    },
  },
];

/** Projects of this frequency with no report for the period that ended on `end`, started by then. */
function overdueFor(q: Knex.QueryBuilder, frequency: ReportFrequency, end: string): Knex.QueryBuilder {
  return q
    .where('p.report_frequency', frequency)
    .andWhere((x) => x.whereNull('r.last_end').orWhere('r.last_end', '<', end))
    .andWhere((x) =>
      x
        .whereRaw('coalesce(p.actual_start, p.planned_start) is null')
        .orWhereRaw('coalesce(p.actual_start, p.planned_start) <= ?', [end]),
    );
}
