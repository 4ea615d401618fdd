import type { CurrentUser } from '../../auth/current-user.js';
import type { AppDeps } from '../module.js';
import { addDays, isoDay, milestoneSlipDays, milestoneState } from '../portfolio/portfolio.rules.js';
import {
  listPortfolioMilestones,
  listVisiblePrograms,
  type MilestoneInPortfolio,
} from './milestones.repository.js';
import type { MilestoneFilter } from './milestones.schema.js';

const PAGE_SIZE = 50;

/** The portfolio-wide milestone list and its exports: only milestones of projects the user sees. */
export function createMilestoneListService(deps: AppDeps) {
  const { db, clock, config } = deps;

  function query(filter: MilestoneFilter, today: string) {
    return {
      programId: filter.program,
      projectId: filter.project,
      late: filter.late,
      dueUntil: filter.due ? addDays(today, filter.due) : undefined,
      today,
    };
  }

  function withState(rows: MilestoneInPortfolio[], today: string) {
    return rows.map((m) => ({
      ...m,
      state: milestoneState(m, today, config.health.atRiskDays),
      slipDays: milestoneSlipDays(m, today),
    }));
  }

  return {
    PAGE_SIZE,
    /** One page of the list, its total and the programs to filter by: three queries. */
    async page(user: CurrentUser, filter: MilestoneFilter) {
      const today = isoDay(clock());
      const [list, programs] = await Promise.all([
        listPortfolioMilestones(db, user, query(filter, today), PAGE_SIZE, (filter.page - 1) * PAGE_SIZE),
        listVisiblePrograms(db, user),
      ]);
      return {
        rows: withState(list.rows, today),
        total: list.total,
        page: filter.page,
        pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
        programs,
        today,
      };
    },

    /** Every milestone matching the filter (no paging), for CSV and XLSX exports: one query. */
    async all(user: CurrentUser, filter: MilestoneFilter) {
      const today = isoDay(clock());
      const list = await listPortfolioMilestones(db, user, query(filter, today), null);
      return { rows: withState(list.rows, today), today };
    },
  };
}
