import type { CurrentUser } from '../../auth/current-user.js';
import type { Locale } from '../../i18n/locales.js';
import { NotFoundError } from '../../http/errors.js';
import type { AppDeps } from '../module.js';
import { isoDay, milestoneState } from '../portfolio/portfolio.rules.js';
import { canSeeProgram, whereProjectVisible } from '../projects/projects.access.js';
import { listMilestonesOf, listVisiblePrograms } from '../milestones/milestones.repository.js';
import { layoutGantt, portfolioRows, type TimelineProject } from './timeline.layout.js';

export const TIMELINE_PAGE_SIZE = 20;

const PROJECT_COLUMNS = [
  'p.id',
  'p.code',
  'p.name_en',
  'p.name_ar',
  'p.program_id',
  'p.health',
  'p.progress_pct',
  'p.status',
  'p.phase',
  'p.planned_start',
  'p.planned_end',
  'p.actual_start',
  'p.actual_end',
];

/**
 * The portfolio and program timelines: a page of the visible projects (by program, then start)
 * with their milestones. Four queries whatever the page size.
 */
export function createTimelineService(deps: AppDeps) {
  const { db, clock, config } = deps;
  return {
    async page(user: CurrentUser, filter: { program?: number; page: number }, locale: Locale) {
      if (filter.program && !(await canSeeProgram(db, user, filter.program))) throw new NotFoundError();
      const today = isoDay(clock());
      const scoped = () => {
        const q = db('projects as p');
        whereProjectVisible(q, user, 'p');
        if (filter.program) q.where('p.program_id', filter.program);
        return q;
      };
      const [count, projects, programs] = await Promise.all([
        scoped().count({ n: '*' }).first(),
        scoped()
          .join('programs as g', 'g.id', 'p.program_id')
          .select([...PROJECT_COLUMNS, 'g.code as program_code'])
          .orderBy([{ column: 'g.code' }, { column: 'p.planned_start' }, { column: 'p.code' }])
          .limit(TIMELINE_PAGE_SIZE)
          .offset((filter.page - 1) * TIMELINE_PAGE_SIZE),
        listVisiblePrograms(db, user),
      ]);
      const total = Number((count as { n: number | string } | undefined)?.n ?? 0);
      const rows = projects as (TimelineProject & Record<string, unknown>)[];
      const milestones = await listMilestonesOf(
        db,
        rows.map((p) => p.id),
      );
      const gantt = layoutGantt(
        portfolioRows(rows, milestones, today, locale, config.health.atRiskDays),
        today,
        locale,
      );
      const byProject = new Map<number, ((typeof milestones)[number] & { state: string })[]>();
      for (const m of milestones) {
        const list = byProject.get(m.projectId) ?? [];
        list.push({ ...m, state: milestoneState(m, today, config.health.atRiskDays) });
        byProject.set(m.projectId, list);
      }
      return {
        today,
        gantt,
        projects: rows.map((p) => ({ ...p, milestones: byProject.get(p.id) ?? [] })),
        programs,
        program: programs.find((g) => g.id === filter.program) ?? null,
        total,
        page: filter.page,
        pages: Math.max(1, Math.ceil(total / TIMELINE_PAGE_SIZE)),
        pageSize: TIMELINE_PAGE_SIZE,
      };
    },
  };
}
