import { seesWholePortfolio } from '../../auth/roles.js';
import type { Conn } from '../../db/knex.js';
import type { DashboardWidget } from '../module.js';
import { addDays, isoDay, milestoneSlipDays, milestoneState } from '../portfolio/portfolio.rules.js';
import {
  listPortfolioMilestones,
  toMilestone,
  whereLate,
  type MilestoneInPortfolio,
} from './milestones.repository.js';

const LIMIT = 8;
export const DUE_WINDOW_DAYS = 14;

/** Dashboard cards about milestones, scoped to the projects the user sees: two queries each. */
export const milestoneWidgets: DashboardWidget[] = [
  {
    id: 'milestones-due',
    roles: ['pm'],
    order: 20,
    view: 'milestones/widgets/due',
    async load(deps, user) {
      const today = isoDay(deps.clock());
      const { rows, total } = await listPortfolioMilestones(
        deps.db,
        user,
        { dueUntil: addDays(today, DUE_WINDOW_DAYS), today },
        LIMIT,
      );
      return {
        rows: rows.map((m) => ({ ...m, state: milestoneState(m, today, deps.config.health.atRiskDays) })),
        total,
        days: DUE_WINDOW_DAYS,
        link: `/milestones?due=${DUE_WINDOW_DAYS}`,
      };
    },
  },
  {
    id: 'milestones-late',
    roles: ['pm', 'pmo', 'admin'],
    order: 30,
    view: 'milestones/widgets/late',
    async load(deps, user) {
      const today = isoDay(deps.clock());
      const { rows, total } = seesWholePortfolio(user.role)
        ? await lateInPortfolio(deps.db, today, LIMIT)
        : await listPortfolioMilestones(deps.db, user, { late: true, today }, LIMIT);
      return {
        rows: rows.map((m) => ({ ...m, slipDays: milestoneSlipDays(m, today) })),
        total,
        link: '/milestones?late=1',
      };
    },
  },
];

/**
 * The first late milestones of the whole portfolio (in the order of the milestone list) and how
 * many there are: one query that reads neither every late milestone nor every project. The rows
 * are those planned no later than the `limit`-th late milestone, found by reading open milestones
 * in planned order through milestones_open_planned_index (its condition is written out so that the
 * index applies). The count, beside each row, sums `milestone_open_days` (open milestones per
 * planned date, kept by the database): every open milestone planned before today, and those
 * planned later whose forecast slipped past the plan. No row means no late milestone.
 */
export async function lateInPortfolio(
  conn: Conn,
  today: string,
  limit: number,
): Promise<{ rows: MilestoneInPortfolio[]; total: number }> {
  const nth = conn('milestones as m2')
    .select('m2.planned_date')
    .whereRaw("m2.status not in ('completed', 'cancelled')")
    .andWhere((w) =>
      w
        .where('m2.planned_date', '<', today)
        .orWhere((x) => x.whereNotNull('m2.forecast_date').andWhereRaw('m2.forecast_date > m2.planned_date')),
    )
    .orderBy('m2.planned_date')
    .limit(1)
    .offset(limit - 1);
  const rows = (await whereLate(
    conn('milestones as m')
      .join('projects as p', 'p.id', 'm.project_id')
      .join('programs as g', 'g.id', 'p.program_id')
      .leftJoin('users as o', 'o.id', 'm.owner_id'),
    today,
  )
    .where('m.planned_date', '<=', conn.raw("coalesce((?), '9999-12-31')", [nth]))
    .select(
      'm.id',
      'm.project_id',
      'm.title_en',
      'm.title_ar',
      'm.planned_date',
      'm.forecast_date',
      'm.actual_date',
      'm.percent_complete',
      'm.weight',
      'm.owner_id',
      'o.name_en as owner_en',
      'o.name_ar as owner_ar',
      'm.status',
      'm.notes',
      'm.version',
      'm.created_at',
      'm.updated_at',
      'p.code as project_code',
      'p.name_en as project_en',
      'p.name_ar as project_ar',
      'p.program_id',
      'g.code as program_code',
    )
    .orderBy([
      { column: 'm.planned_date' },
      { column: 'p.code' },
      { column: 'm.sort_order' },
      { column: 'm.id' },
    ])
    .select(
      conn.raw(
        '(select sum(case when planned_date < ? then open_n else slipped_n end) from milestone_open_days) as total',
        [today],
      ),
    )
    .limit(limit)) as Record<string, unknown>[];
  return {
    rows: rows.map((r) => ({
      ...toMilestone(r),
      projectCode: r.project_code as string,
      projectEn: r.project_en as string,
      projectAr: r.project_ar as string,
      programId: Number(r.program_id),
      programCode: r.program_code as string,
    })),
    total: Number(rows[0]?.total ?? 0),
  };
}
