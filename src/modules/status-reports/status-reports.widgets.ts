import type { Knex } from 'knex';
import type { DashboardWidget } from '../module.js';
import { isoDay, reportDueState, type ReportFrequency } from '../portfolio/portfolio.rules.js';
import { whereProjectVisible } from '../projects/projects.access.js';
import { overdueCutoffs, reportablePeriods } from './status-reports.rules.js';

const COLUMNS = [
  'p.id',
  'p.code',
  'p.name_en',
  'p.name_ar',
  'p.report_frequency',
  'p.planned_start',
  'p.actual_start',
];

/** Dashboard cards about status reports: one query each. */
export const statusReportWidgets: DashboardWidget[] = [
  {
    id: 'reports-due',
    roles: ['pm'],
    order: 40,
    view: 'status-reports/widgets/due',
    async load(deps, user) {
      const today = isoDay(deps.clock());
      const grace = deps.config.health.statusReportGraceDays;
      // The latest period of each of the manager's projects: one index seek each (status_reports
      // is unique on project and period end), never a pass over every project's reports.
      const rows = (await deps
        .db('projects as p')
        .select(COLUMNS)
        .select(
          deps.db.raw(
            '(select max(s.period_end) from status_reports s where s.project_id = p.id) as last_end',
          ),
        )
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
      // project_report_dues (kept by the database) has a row per project that owes reports, with
      // the first period end that makes it overdue: one query, an index range per frequency, the
      // number of overdue projects beside each of the first rows (no row: none overdue).
      const scoped = () => {
        const q = deps.db('project_report_dues as d').join('projects as p', 'p.id', 'd.project_id');
        whereProjectVisible(q, user, 'p');
        const due = (['weekly', 'monthly'] as const).filter((f) => cut[f]);
        if (!due.length) return q.whereRaw('1 = 0');
        // One index range per frequency (an OR of ranges, which both databases read as such).
        return q.where((w) => {
          for (const f of due)
            w.orWhere((x: Knex.QueryBuilder) =>
              x.where('d.frequency', f).andWhere('d.due_from', '<=', cut[f]!),
            );
        });
      };
      const rows = (await scoped()
        .leftJoin('users as u', 'u.id', 'p.manager_id')
        .select(['p.id', 'p.code', 'p.name_en', 'p.name_ar', 'p.report_frequency', 'd.last_end'])
        .select(['u.name_en as manager_en', 'u.name_ar as manager_ar'])
        .select(deps.db.raw('count(*) over () as total'))
        .orderBy([{ column: 'd.last_end' }, { column: 'p.code' }])
        .limit(8)) as Record<string, unknown>[];
      return {
        rows: rows.map((r) => ({
          id: Number(r.id),
          code: r.code as string,
          nameEn: r.name_en as string,
          nameAr: r.name_ar as string,
          frequency: r.report_frequency as ReportFrequency,
          lastEnd: (r.last_end as string) || null,
          managerEn: (r.manager_en as string | null) ?? null,
          managerAr: (r.manager_ar as string | null) ?? null,
        })),
        total: Number(rows[0]?.total ?? 0),
      };
    },
  },
];
