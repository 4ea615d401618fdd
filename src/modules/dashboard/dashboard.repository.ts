import type { CurrentUser } from '../../auth/current-user.js';
import type { Conn } from '../../db/knex.js';
import type { Rag } from '../portfolio/portfolio.rules.js';
import { whereProgramVisible, whereProjectVisible } from '../projects/projects.access.js';

/** Aggregates for the role dashboards, always scoped to what the user may see. */

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

/** Counts by health, phase and status, budget totals and progress: two queries. */
export async function portfolioCounts(conn: Conn, user: CurrentUser): Promise<PortfolioCounts> {
  const [groups, programs] = await Promise.all([
    whereProjectVisible(conn('projects as p'), user, 'p')
      .select('p.health', 'p.phase', 'p.status')
      .count({ n: '*' })
      .sum({ bp: 'p.budget_planned', ba: 'p.budget_actual', late: 'p.late_milestones' })
      .select(conn.raw('sum(p.progress_pct) as sp'), conn.raw('sum(p.progress_pct * p.budget_planned) as wp'))
      .groupBy('p.health', 'p.phase', 'p.status'),
    whereProgramVisible(conn('programs'), user).count({ n: '*' }).first(),
  ]);
  const out: PortfolioCounts = {
    projects: 0,
    programs: num((programs as { n: unknown } | undefined)?.n),
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
  for (const g of groups as Record<string, unknown>[]) {
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
 * The user's open projects (not closed, completed or cancelled), red first, with each one's next
 * open milestone: three queries.
 */
export async function openProjectCards(
  conn: Conn,
  user: CurrentUser,
  limit: number,
): Promise<{ rows: ProjectCard[]; total: number; health: Record<Rag, number> }> {
  const scoped = () =>
    whereProjectVisible(conn('projects as p'), user, 'p')
      .whereNot('p.phase', 'closed')
      .whereNotIn('p.status', ['completed', 'cancelled']);
  const [rows, counts] = await Promise.all([
    scoped()
      .select(CARD_COLUMNS)
      .orderByRaw("case p.health when 'red' then 0 when 'amber' then 1 else 2 end")
      .orderBy('p.code')
      .limit(limit),
    scoped().select('p.health').count({ n: '*' }).groupBy('p.health'),
  ]);
  const cards = (rows as Record<string, unknown>[]).map(toCard);
  const health: Record<Rag, number> = { green: 0, amber: 0, red: 0 };
  for (const c of counts as { health: Rag; n: unknown }[]) health[c.health] = num(c.n);
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

/** The visible projects spending most over their planned budget: two queries. */
export async function budgetOverruns(conn: Conn, user: CurrentUser, limit: number) {
  const scoped = () =>
    whereProjectVisible(conn('projects as p'), user, 'p').whereRaw('p.budget_actual > p.budget_planned');
  const [rows, count] = await Promise.all([
    scoped()
      .select(CARD_COLUMNS)
      .orderByRaw('(p.budget_actual - p.budget_planned) desc')
      .orderBy('p.code')
      .limit(limit),
    scoped().count({ n: '*' }).first(),
  ]);
  return {
    rows: (rows as Record<string, unknown>[]).map(toCard),
    total: num((count as { n: unknown } | undefined)?.n),
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
 * Program roll-ups over the projects the user sees (never over projects they may not see): one
 * query. Progress is weighted by planned budget, equally when no project has a budget.
 */
export async function programCards(conn: Conn, user: CurrentUser): Promise<ProgramCard[]> {
  const rows = (await whereProjectVisible(conn('projects as p'), user, 'p')
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
    )
    .groupBy('g.id', 'g.code', 'g.name_en', 'g.name_ar')
    .orderBy('g.code')) as Record<string, unknown>[];
  return rows.map((r) => {
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
  });
}
