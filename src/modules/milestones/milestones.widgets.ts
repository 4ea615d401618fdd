import type { Knex } from 'knex';
import type { CurrentUser } from '../../auth/current-user.js';
import type { Conn } from '../../db/knex.js';
import type { DashboardWidget } from '../module.js';
import { addDays, isoDay, milestoneSlipDays, milestoneState } from '../portfolio/portfolio.rules.js';
import { visibleProjectIds } from '../projects/projects.access.js';
import {
  PORTFOLIO_COLUMNS,
  toMilestoneInPortfolio,
  whereDueBetween,
  whereLate,
  type MilestoneInPortfolio,
} from './milestones.repository.js';

const LIMIT = 8;
export const DUE_WINDOW_DAYS = 14;

/**
 * Dashboard cards about milestones of the projects the user sees, in the order of the milestone
 * list, with how many there are: one query each, reading neither every milestone nor every project.
 */
export const milestoneWidgets: DashboardWidget[] = [
  {
    id: 'milestones-due',
    roles: ['pm'],
    order: 20,
    view: 'milestones/widgets/due',
    async load(deps, user) {
      const today = isoDay(deps.clock());
      const { rows, total } = await milestonesOnDashboard(
        deps.db,
        user,
        today,
        (qb) => whereDueBetween(qb, today, addDays(today, DUE_WINDOW_DAYS)),
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
      const { rows, total } = await milestonesOnDashboard(deps.db, user, today, 'late', LIMIT);
      return {
        rows: rows.map((m) => ({ ...m, slipDays: milestoneSlipDays(m, today) })),
        total,
        link: '/milestones?late=1',
      };
    },
  },
];

/**
 * The first `limit` milestones (planned date, project code, position) of the projects the user
 * sees that are late (`'late'`) or meet `condition`, and how many there are: one query.
 *
 * - A pm or sponsor: their projects' milestones (visibleProjectIds, then the index on project and
 *   planned date); the number beside each row.
 * - The whole portfolio, late: the rows are those planned no later than the `limit`-th late
 *   milestone, found by reading open milestones in planned order through
 *   milestones_open_planned_index (its condition written out so that the index applies); the
 *   number sums `milestone_open_days` (open milestones per planned date, kept by the database):
 *   every open milestone planned before today, and those planned later whose forecast slipped past
 *   the plan. No row means no late milestone.
 */
export async function milestonesOnDashboard(
  conn: Conn,
  user: CurrentUser,
  today: string,
  condition: 'late' | ((qb: Knex.QueryBuilder) => Knex.QueryBuilder),
  limit: number,
): Promise<{ rows: MilestoneInPortfolio[]; total: number }> {
  const ids = visibleProjectIds(conn, user);
  const qb = conn('milestones as m')
    .join('projects as p', 'p.id', 'm.project_id')
    .join('programs as g', 'g.id', 'p.program_id')
    .leftJoin('users as o', 'o.id', 'm.owner_id')
    .select(PORTFOLIO_COLUMNS)
    .orderBy([
      { column: 'm.planned_date' },
      { column: 'p.code' },
      { column: 'm.sort_order' },
      { column: 'm.id' },
    ])
    .limit(limit);
  if (ids) qb.whereIn('m.project_id', ids);
  if (condition === 'late') whereLate(qb, today);
  else condition(qb);
  if (ids || condition !== 'late') qb.select(conn.raw('count(*) over () as total'));
  else {
    const nth = conn('milestones as m2')
      .select('m2.planned_date')
      .whereRaw("m2.status not in ('completed', 'cancelled')")
      .andWhere((w) =>
        w
          .where('m2.planned_date', '<', today)
          .orWhere((x) =>
            x.whereNotNull('m2.forecast_date').andWhereRaw('m2.forecast_date > m2.planned_date'),
          ),
      )
      .orderBy('m2.planned_date')
      .limit(1)
      .offset(limit - 1);
    qb.where('m.planned_date', '<=', conn.raw("coalesce((?), '9999-12-31')", [nth])).select(
      conn.raw(
        '(select sum(case when planned_date < ? then open_n else slipped_n end) from milestone_open_days) as total',
        [today],
      ),
    );
  }
  const rows = (await qb) as Record<string, unknown>[];
  return {
    rows: rows.map(toMilestoneInPortfolio),
    total: Number(rows[0]?.total ?? 0),
  };
}
