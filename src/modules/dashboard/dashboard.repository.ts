import type { CurrentUser } from '../../auth/current-user.js';
import { seesWholePortfolio } from '../../auth/roles.js';
import type { Conn } from '../../db/knex.js';
import type { Rag } from '../portfolio/portfolio.rules.js';
import type { Knex } from 'knex';
import { visibleProjectIds, whereProgramVisible } from '../projects/projects.access.js';

/** Aggregates for the role dashboards, always scoped to what the user may see. */

/**
 * Projects (aliased `alias`) the user sees. For a pm or sponsor the query starts from their own
 * projects (visibleProjectIds: a union over indexes), so it reads a few projects however large
 * the portfolio; those who see the whole portfolio are not restricted.
 */
function visibleTo(conn: Conn, qb: Knex.QueryBuilder, user: CurrentUser, alias = 'p'): Knex.QueryBuilder {
  const ids = visibleProjectIds(conn, user);
  return ids ? qb.whereIn(`${alias}.id`, ids) : qb;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export interface PortfolioCounts {
  projects: number;
  programs: number;
  /** Health of the active projects. */
  health: Record<Rag, number>;
  phase: Record<string, number>;
  status: Record<string, number>;
  budgetPlanned: number;
  budgetActual: number;
  /** Progress of the active projects weighted by planned budget (equal weights without budgets). */
  progressPct: number;
  /** Late milestones of every visible project (as the derived project columns last counted them). */
  lateMilestones: number;
}

/**
 * Counts by health, phase and status, budget totals and progress. For those who see the whole
 * portfolio, one query: the groups from `portfolio_totals` (kept by the database, one row per
 * health, phase and status) beside the number of programs. For the others, two queries over the
 * projects and programs they see.
 */
export async function portfolioCounts(conn: Conn, user: CurrentUser): Promise<PortfolioCounts> {
  let groups: Record<string, unknown>[];
  let programs: unknown;
  if (seesWholePortfolio(user.role)) {
    // Left-joined to the count so that a portfolio without projects still counts its programs.
    groups = (await conn
      .select('c.programs', 't.health', 't.phase', 't.status', {
        n: 't.projects',
        bp: 't.budget_planned',
        ba: 't.budget_actual',
        late: 't.late_milestones',
        sp: 't.progress_sum',
        wp: 't.progress_budget',
      })
      .from(conn('programs').count({ programs: '*' }).as('c'))
      .leftJoin('portfolio_totals as t', (j) => j.on('t.projects', '>', conn.raw('0')))) as Record<
      string,
      unknown
    >[];
    programs = groups[0]?.programs;
    groups = groups.filter((g) => g.health !== null && g.health !== undefined);
  } else {
    const [g, p] = await Promise.all([
      visibleTo(conn, conn('projects as p'), user)
        .select('p.health', 'p.phase', 'p.status')
        .count({ n: '*' })
        .sum({ bp: 'p.budget_planned', ba: 'p.budget_actual', late: 'p.late_milestones' })
        .select(
          conn.raw('sum(p.progress_pct) as sp'),
          conn.raw('sum(p.progress_pct * p.budget_planned) as wp'),
        )
        .groupBy('p.health', 'p.phase', 'p.status'),
      whereProgramVisible(conn('programs'), user).count({ n: '*' }).first(),
    ]);
    groups = g as Record<string, unknown>[];
    programs = (p as { n: unknown } | undefined)?.n;
  }
  const out: PortfolioCounts = {
    projects: 0,
    programs: num(programs),
    health: { green: 0, amber: 0, red: 0 },
    phase: {},
    status: {},
    budgetPlanned: 0,
    budgetActual: 0,
    progressPct: 0,
    lateMilestones: 0,
  };
  let activeCount = 0;
  let activeBudget = 0;
  let activeWeighted = 0;
  let activeSum = 0;
  for (const g of groups) {
    const n = num(g.n);
    out.projects += n;
    out.phase[g.phase as string] = (out.phase[g.phase as string] ?? 0) + n;
    out.status[g.status as string] = (out.status[g.status as string] ?? 0) + n;
    out.budgetPlanned += num(g.bp);
    out.budgetActual += num(g.ba);
    out.lateMilestones += num(g.late);
    if (g.status === 'active') {
      out.health[g.health as Rag] += n;
      activeCount += n;
      activeBudget += num(g.bp);
      activeWeighted += num(g.wp);
      activeSum += num(g.sp);
    }
  }
  out.progressPct =
    activeCount === 0 ? 0 : activeBudget > 0 ? activeWeighted / activeBudget : activeSum / activeCount;
  return out;
}

export interface ProjectCard {
  id: number;
  code: string;
  nameEn: string;
  nameAr: string;
  health: Rag;
  phase: string;
  status: string;
  progressPct: number;
  lateMilestones: number;
  budgetPlanned: number;
  budgetActual: number;
  nextMilestone: { id: number; titleEn: string; titleAr: string; date: string } | null;
}

function toCard(r: Record<string, unknown>): ProjectCard {
  return {
    id: Number(r.id),
    code: r.code as string,
    nameEn: r.name_en as string,
    nameAr: r.name_ar as string,
    health: r.health as Rag,
    phase: r.phase as string,
    status: r.status as string,
    progressPct: num(r.progress_pct),
    lateMilestones: num(r.late_milestones),
    budgetPlanned: num(r.budget_planned),
    budgetActual: num(r.budget_actual),
    nextMilestone: null,
  };
}

const CARD_COLUMNS = [
  'p.id',
  'p.code',
  'p.name_en',
  'p.name_ar',
  'p.health',
  'p.phase',
  'p.status',
  'p.progress_pct',
  'p.late_milestones',
  'p.budget_planned',
  'p.budget_actual',
];

/**
 * The user's open projects (not closed, completed or cancelled), red first, the count of each
 * health beside them, and each one's next open milestone: two queries.
 */
export async function openProjectCards(
  conn: Conn,
  user: CurrentUser,
  limit: number,
): Promise<{ rows: ProjectCard[]; total: number; health: Record<Rag, number> }> {
  const rows = (await visibleTo(conn, conn('projects as p'), user)
    .whereNot('p.phase', 'closed')
    .whereNotIn('p.status', ['completed', 'cancelled'])
    .select(CARD_COLUMNS)
    .select(
      conn.raw("sum(case when p.health = 'green' then 1 else 0 end) over () as n_green"),
      conn.raw("sum(case when p.health = 'amber' then 1 else 0 end) over () as n_amber"),
      conn.raw("sum(case when p.health = 'red' then 1 else 0 end) over () as n_red"),
    )
    .orderByRaw("case p.health when 'red' then 0 when 'amber' then 1 else 2 end")
    .orderBy('p.code')
    .limit(limit)) as Record<string, unknown>[];
  const cards = rows.map(toCard);
  const health: Record<Rag, number> = {
    green: num(rows[0]?.n_green),
    amber: num(rows[0]?.n_amber),
    red: num(rows[0]?.n_red),
  };
  const total = health.green + health.amber + health.red;
  if (cards.length) {
    const open = (await conn('milestones')
      .select('id', 'project_id', 'title_en', 'title_ar', 'planned_date', 'forecast_date')
      .whereIn(
        'project_id',
        cards.map((c) => c.id),
      )
      .whereIn('status', ['not_started', 'in_progress'])) as Record<string, unknown>[];
    const byId = new Map(cards.map((c) => [c.id, c]));
    for (const m of open) {
      const card = byId.get(Number(m.project_id))!;
      const date = (m.forecast_date as string | null) ?? (m.planned_date as string);
      if (!card.nextMilestone || date < card.nextMilestone.date)
        card.nextMilestone = {
          id: Number(m.id),
          titleEn: m.title_en as string,
          titleAr: m.title_ar as string,
          date,
        };
    }
  }
  return { rows: cards, total, health };
}

/**
 * The visible projects spending most over their planned budget, read in order of overrun through
 * projects_overrun_index, and how many there are: for those who see the whole portfolio one query
 * (the number from `portfolio_totals`; no row means no overrun), otherwise two.
 */
export async function budgetOverruns(conn: Conn, user: CurrentUser, limit: number) {
  const whole = seesWholePortfolio(user.role);
  const scoped = () =>
    visibleTo(conn, conn('projects as p'), user).whereRaw('p.budget_actual > p.budget_planned');
  const rowsQuery = scoped()
    .select(CARD_COLUMNS)
    .orderByRaw('(p.budget_actual - p.budget_planned) desc')
    .orderBy('p.code')
    .limit(limit);
  if (whole) rowsQuery.select(conn.raw('(select sum(overruns) from portfolio_totals) as total'));
  const [rows, count] = await Promise.all([rowsQuery, whole ? null : scoped().count({ n: '*' }).first()]);
  const list = rows as Record<string, unknown>[];
  return {
    rows: list.map(toCard),
    total: whole ? num(list[0]?.total) : num((count as { n: unknown } | undefined)?.n),
  };
}

export interface ProgramCard {
  id: number;
  code: string;
  nameEn: string;
  nameAr: string;
  projects: number;
  progressPct: number;
  budgetPlanned: number;
  budgetActual: number;
  health: Record<Rag, number>;
}

/**
 * The first `limit` programs (by code) of those with projects the user sees, with their roll-ups
 * over those projects only, and how many such programs there are: one query. For those who see
 * the whole portfolio the roll-ups are the maintained `program_rollups` rows (read in code order,
 * a few rows whatever the number of programs); for the others they are aggregated over their
 * projects. Progress is weighted by planned budget, equally when no project has a budget.
 */
export async function programCards(
  conn: Conn,
  user: CurrentUser,
  limit: number,
): Promise<{ rows: ProgramCard[]; total: number }> {
  const rows = (
    seesWholePortfolio(user.role)
      ? await conn('programs as g')
          .join('program_rollups as r', 'r.program_id', 'g.id')
          .where('r.projects', '>', 0)
          .select('g.id', 'g.code', 'g.name_en', 'g.name_ar', {
            n: 'r.projects',
            bp: 'r.budget_planned',
            ba: 'r.budget_actual',
            sp: 'r.progress_sum',
            wp: 'r.progress_budget',
            green: 'r.green',
            amber: 'r.amber',
            red: 'r.red',
          })
          .select(conn.raw('(select count(*) from program_rollups where projects > 0) as total'))
          .orderBy('g.code')
          .limit(limit)
      : await visibleTo(conn, conn('projects as p'), user)
          .join('programs as g', 'g.id', 'p.program_id')
          .select('g.id', 'g.code', 'g.name_en', 'g.name_ar')
          .count({ n: '*' })
          .sum({ bp: 'p.budget_planned', ba: 'p.budget_actual' })
          .select(
            conn.raw('sum(p.progress_pct) as sp'),
            conn.raw('sum(p.progress_pct * p.budget_planned) as wp'),
            conn.raw("sum(case when p.health = 'green' then 1 else 0 end) as green"),
            conn.raw("sum(case when p.health = 'amber' then 1 else 0 end) as amber"),
            conn.raw("sum(case when p.health = 'red' then 1 else 0 end) as red"),
            conn.raw('count(*) over () as total'),
          )
          .groupBy('g.id', 'g.code', 'g.name_en', 'g.name_ar')
          .orderBy('g.code')
          .limit(limit)
  ) as Record<string, unknown>[];
  return {
    rows: rows.map((r) => {
      const n = num(r.n);
      const bp = num(r.bp);
      return {
        id: Number(r.id),
        code: r.code as string,
        nameEn: r.name_en as string,
        nameAr: r.name_ar as string,
        projects: n,
        progressPct: n === 0 ? 0 : bp > 0 ? num(r.wp) / bp : num(r.sp) / n,
        budgetPlanned: bp,
        budgetActual: num(r.ba),
        health: { green: num(r.green), amber: num(r.amber), red: num(r.red) },
      };
    }),
    total: num(rows[0]?.total),
  };
}
