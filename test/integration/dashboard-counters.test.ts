import { expect } from 'chai';
import type { Knex } from 'knex';
import type { CurrentUser } from '../../src/auth/current-user.js';
import { isPg, type Conn } from '../../src/db/knex.js';
import { governanceMetrics } from '../../src/modules/approvals/approvals.metrics.js';
import { refreshMetricsWindow } from '../../src/modules/approvals/approvals.metrics-repository.js';
import { APPROVAL_KINDS } from '../../src/modules/approvals/approvals.rules.js';
import { monthStart } from '../../src/modules/documents/documents.widget.js';
import { listPortfolioMilestones } from '../../src/modules/milestones/milestones.repository.js';
import { addDays } from '../../src/modules/portfolio/portfolio.rules.js';
import { whereProjectVisible } from '../../src/modules/projects/projects.access.js';
import type { DashboardWidget } from '../../src/modules/module.js';
import { refreshProjects } from '../../src/modules/portfolio/portfolio.health.js';
import { isoDay, milestoneSlipDays, type Rag } from '../../src/modules/portfolio/portfolio.rules.js';
import { dashboardModule } from '../../src/modules/dashboard/index.js';
import { modules } from '../../src/modules/registry.js';
import { overdueCutoffs } from '../../src/modules/status-reports/status-reports.rules.js';
import { triggerNames } from '../../migrations/20261128190000_dashboard_counters.js';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildGovernedProject, buildGateRequest, submitRequest } from '../factories/approvals.js';
import {
  addMember,
  buildMilestone,
  buildProgram,
  buildProject,
  buildStatusReport,
} from '../factories/portfolio.js';
import { countQueries } from '../factories/scene.js';

/**
 * The PMO dashboard reads counters the database keeps (migration 20261128190000). These tests
 * change the portfolio in every way that moves a figure — through the use cases where there is
 * one, directly otherwise (triggers do not care who writes) — and after each change compare every
 * PMO card with the figures computed from scratch the way the cards computed them before.
 */

const widgets = modules.flatMap((m) => m.widgets ?? []);
const widget = (id: string): DashboardWidget => widgets.find((w) => w.id === id)!;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// The figures from scratch: the cards' former queries over the source tables.

async function healthFromScratch(db: Conn) {
  const groups = (await db('projects as p')
    .select('p.health', 'p.phase', 'p.status')
    .count({ n: '*' })
    .sum({ bp: 'p.budget_planned', ba: 'p.budget_actual', late: 'p.late_milestones' })
    .select(db.raw('sum(p.progress_pct) as sp'), db.raw('sum(p.progress_pct * p.budget_planned) as wp'))
    .groupBy('p.health', 'p.phase', 'p.status')) as Record<string, unknown>[];
  const programs = await db('programs').count({ n: '*' }).first();
  const out = {
    wide: true,
    projects: 0,
    programs: num(programs?.n),
    health: { green: 0, amber: 0, red: 0 } as Record<Rag, number>,
    phase: {} as Record<string, number>,
    status: {} as Record<string, number>,
    budgetPlanned: 0,
    budgetActual: 0,
    progressPct: 0,
    lateMilestones: 0,
  };
  let count = 0;
  let budget = 0;
  let weighted = 0;
  let sum = 0;
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
      count += n;
      budget += num(g.bp);
      weighted += num(g.wp);
      sum += num(g.sp);
    }
  }
  out.progressPct = count === 0 ? 0 : budget > 0 ? weighted / budget : sum / count;
  return out;
}

async function overrunsFromScratch(db: Conn) {
  const rows = (await db('projects')
    .whereRaw('budget_actual > budget_planned')
    .orderByRaw('(budget_actual - budget_planned) desc')
    .orderBy('code')
    .limit(8)
    .select('id')) as { id: number }[];
  const n = await db('projects').whereRaw('budget_actual > budget_planned').count({ n: '*' }).first();
  return { ids: rows.map((r) => Number(r.id)), total: num(n?.n) };
}

async function lateFromScratch(db: Conn, pmo: CurrentUser, today: string) {
  const { rows, total } = await listPortfolioMilestones(db, pmo, { late: true, today }, 8);
  return {
    rows: rows.map((m) => ({ ...m, slipDays: milestoneSlipDays(m, today) })),
    total,
    link: '/milestones?late=1',
  };
}

async function reportsOverdueFromScratch(db: Conn, today: string, grace: number) {
  const cut = overdueCutoffs(today, grace);
  const scoped = () =>
    db('projects as p')
      .leftJoin(
        db('status_reports')
          .select('project_id')
          .max({ last_end: 'period_end' })
          .groupBy('project_id')
          .as('r'),
        'r.project_id',
        'p.id',
      )
      .where('p.status', 'active')
      .whereNot('p.phase', 'closed')
      .where((w) => {
        w.whereRaw('1 = 0');
        for (const f of ['weekly', 'monthly'] as const) {
          const end = cut[f];
          if (end)
            w.orWhere((x: Knex.QueryBuilder) =>
              x
                .where('p.report_frequency', f)
                .andWhere((y) => y.whereNull('r.last_end').orWhere('r.last_end', '<', end))
                .andWhere((y) =>
                  y
                    .whereRaw('coalesce(p.actual_start, p.planned_start) is null')
                    .orWhereRaw('coalesce(p.actual_start, p.planned_start) <= ?', [end]),
                ),
            );
        }
      });
  const rows = (await scoped()
    .leftJoin('users as u', 'u.id', 'p.manager_id')
    .select('p.id', 'p.code', 'p.name_en', 'p.name_ar', 'p.report_frequency', 'r.last_end')
    .select('u.name_en as manager_en', 'u.name_ar as manager_ar')
    .orderByRaw('case when r.last_end is null then 0 else 1 end')
    .orderBy([{ column: 'r.last_end' }, { column: 'p.code' }])
    .limit(8)) as Record<string, unknown>[];
  const n = await scoped().count({ n: '*' }).first();
  return {
    rows: rows.map((r) => ({
      id: Number(r.id),
      code: r.code as string,
      nameEn: r.name_en as string,
      nameAr: r.name_ar as string,
      frequency: r.report_frequency as string,
      lastEnd: (r.last_end as string | null) ?? null,
      managerEn: (r.manager_en as string | null) ?? null,
      managerAr: (r.manager_ar as string | null) ?? null,
    })),
    total: num(n?.n),
  };
}

async function approvalsOverdueFromScratch(db: Conn, now: string) {
  const base = () =>
    db('approval_requests as r')
      .join('projects as p', 'p.id', 'r.project_id')
      .join('programs as pg', 'pg.id', 'p.program_id')
      .join('users as u', 'u.id', 'r.requested_by')
      .leftJoin('approval_steps as s', function () {
        this.on('s.request_id', 'r.id').andOn('s.round', 'r.round').andOn('s.step_no', 'r.current_step');
      })
      .where('r.status', 'pending');
  const overdue = () => base().where('s.status', 'pending').where('s.due_at', '<', now);
  const rows = (await overdue()
    .select('r.id', 'r.title_en', 'p.code', 's.name_en as step_en', 's.due_at')
    .orderBy([{ column: 's.due_at' }, { column: 'r.id' }])
    .limit(8)) as Record<string, unknown>[];
  const o = await overdue().count({ n: 'r.id' }).first();
  const p = await base().count({ n: 'r.id' }).first();
  return {
    open: num(p?.n),
    overdue: num(o?.n),
    rows: rows.map((r) => ({
      id: Number(r.id),
      title: r.title_en,
      projectCode: r.code,
      step: r.step_en,
      dueAt: r.due_at,
    })),
  };
}

async function metricsFromScratch(db: Conn, now: Date) {
  const since = new Date(now.getTime() - 365 * DAY).toISOString();
  const requests = (await db('approval_requests')
    .whereIn('status', ['approved', 'rejected'])
    .whereNotNull('decided_at')
    .where('decided_at', '>=', since)
    .select('kind', 'submitted_at', 'decided_at')) as Record<string, string>[];
  const steps = (await db('approval_steps as s')
    .join('approval_requests as r', 'r.id', 's.request_id')
    .whereIn('s.status', ['approved', 'rejected', 'returned'])
    .whereNotNull('s.decided_at')
    .whereNotNull('s.started_at')
    .where('s.decided_at', '>=', since)
    .select(
      'r.kind',
      's.step_no',
      's.name_en',
      's.name_ar',
      's.started_at',
      's.decided_at',
      's.due_at',
    )) as Record<string, string>[];
  const m = governanceMetrics(
    requests.map((r) => ({ kind: r.kind, submittedAt: r.submitted_at, decidedAt: r.decided_at })),
    steps.map((s) => ({
      kind: s.kind,
      stepNo: Number(s.step_no),
      nameEn: s.name_en,
      nameAr: s.name_ar,
      startedAt: s.started_at,
      decidedAt: s.decided_at,
      dueAt: s.due_at,
    })),
    APPROVAL_KINDS,
  );
  return { ...m, byStep: m.byStep.map((s) => ({ ...s, name: s.nameEn })) };
}

async function paperFromScratch(db: Conn, now: Date) {
  const since = monthStart(now);
  const [f] = (await db('document_versions').select(
    db.raw('count(*) as files_total'),
    db.raw('coalesce(sum(case when uploaded_at >= ? then 1 else 0 end), 0) as files_month', [since]),
    db.raw('coalesce(sum(page_count), 0) as pages_total'),
    db.raw('coalesce(sum(case when uploaded_at >= ? then page_count else 0 end), 0) as pages_month', [since]),
  )) as Record<string, unknown>[];
  const [d] = (await db('approval_requests')
    .whereIn('status', ['approved', 'rejected'])
    .whereNotNull('decided_at')
    .select(
      db.raw('count(*) as total'),
      db.raw('coalesce(sum(case when decided_at >= ? then 1 else 0 end), 0) as month', [since]),
    )) as Record<string, unknown>[];
  return {
    filesMonth: num(f.files_month),
    filesTotal: num(f.files_total),
    pagesMonth: num(f.pages_month),
    pagesTotal: num(f.pages_total),
    approvalsMonth: num(d.month),
    approvalsTotal: num(d.total),
  };
}

// ---------------------------------------------------------------------------------------------

describe('dashboard counters: every PMO card equals its figures from scratch after each kind of change', () => {
  let ctx: TestContext;
  let now = new Date('2026-11-15T09:00:00.000Z');
  let pmo: Agent;
  let pm: Agent;
  let sponsor: Agent;
  let checks = 0;

  before(async () => {
    ctx = await createTestApp({ clock: () => now });
    pmo = await ctx.as('pmo');
    pm = await ctx.as('pm');
    sponsor = await ctx.as('sponsor');
  });
  after(() => ctx.close());

  const load = async (id: string) => (await widget(id).load(ctx.deps, pmo.user as CurrentUser, 'en'))!;

  /** Every PMO card against the figures from scratch (progress to floating-point rounding). */
  async function check(label: string) {
    checks++;
    const db = ctx.db;
    const today = isoDay(now);
    const user = pmo.user as CurrentUser;

    const health = (await load('portfolio-health')) as Record<string, unknown>;
    const healthWant = await healthFromScratch(db);
    expect(health.progressPct, `${label}: progress`).to.be.closeTo(healthWant.progressPct, 1e-6);
    expect({ ...health, progressPct: 0 }, `${label}: portfolio health`).to.deep.equal({
      ...healthWant,
      progressPct: 0,
    });

    const overruns = (await load('budget-overruns')) as { rows: { id: number }[]; total: number };
    expect(
      { ids: overruns.rows.map((r) => r.id), total: overruns.total },
      `${label}: budget overruns`,
    ).to.deep.equal(await overrunsFromScratch(db));

    expect(await load('milestones-late'), `${label}: late milestones`).to.deep.equal(
      await lateFromScratch(db, user, today),
    );

    expect(await load('reports-overdue'), `${label}: overdue reports`).to.deep.equal(
      await reportsOverdueFromScratch(db, today, ctx.config.health.statusReportGraceDays),
    );

    expect(await load('approvals-overdue'), `${label}: overdue approvals`).to.deep.equal(
      await approvalsOverdueFromScratch(db, now.toISOString()),
    );

    expect(await load('approvals-metrics'), `${label}: governance metrics`).to.deep.equal(
      await metricsFromScratch(db, now),
    );

    expect(await load('documents.paper-saved'), `${label}: paper saved`).to.deep.equal(
      await paperFromScratch(db, now),
    );
  }

  const decide = async (who: Agent, id: number, decision: string, comment?: string) => {
    const r = await ctx.db('approval_requests').where({ id }).first();
    const res = await who.post(`/approvals/${id}/decision`, { decision, comment, version: r.version });
    expect(res.status, `decision ${decision} on ${id}`).to.equal(303);
  };

  it('projects, milestones, status reports, approvals, documents and the passing of days', async function () {
    this.timeout(120_000);
    const db = ctx.db;
    await check('empty portfolio');

    // Programs and projects, written directly (as factories and bulk loads do).
    const program = await buildProgram(db);
    await check('a program without projects');
    const { project: a } = await buildGovernedProject(db, {
      manager: pm.user,
      sponsor: sponsor.user,
      program_id: program.id,
      phase: 'initiation',
      budget_planned: 1_000_000,
      budget_actual: 200_000,
    });
    const b = await buildProject(db, {
      program_id: program.id,
      manager_id: pm.user.id,
      budget_planned: 500_000,
      budget_actual: 700_000,
      report_frequency: 'weekly',
      actual_start: '2026-02-01',
    });
    const c = await buildProject(db, { budget_planned: 0, budget_actual: 50_000, status: 'on_hold' });
    await check('projects created');

    // Milestones: late by date, slipped forecast, due, done; the derived project columns refreshed.
    const late = await buildMilestone(db, a.id, { planned_date: '2026-10-01', status: 'in_progress' });
    const slipped = await buildMilestone(db, b.id, {
      planned_date: '2026-12-01',
      forecast_date: '2026-12-20',
      status: 'in_progress',
    });
    await buildMilestone(db, b.id, { planned_date: '2026-11-20' });
    await buildMilestone(db, b.id, {
      planned_date: '2026-09-01',
      status: 'completed',
      percent_complete: 100,
      actual_date: '2026-09-03',
    });
    for (let i = 0; i < 10; i++)
      await buildMilestone(db, c.id, {
        planned_date: `2026-0${1 + (i % 9)}-1${i % 10}`,
        status: 'not_started',
      });
    await refreshProjects(db, [a.id, b.id, c.id], isoDay(now), ctx.config.health);
    await check('milestones added and projects refreshed');

    // A milestone progress update through the use case (its project refreshed in the same transaction).
    const upd = await pm.post(`/projects/${a.id}/milestones/${late.id}/update`, {
      version: late.version,
      percentComplete: 100,
      status: 'completed',
      actualDate: '2026-11-10',
      note: 'Done',
    });
    expect(upd.status).to.equal(303);
    await check('a late milestone completed through its use case');
    await db('milestones').where({ id: slipped.id }).update({ forecast_date: null });
    await check('a forecast withdrawn');
    await db('milestones').where({ id: slipped.id }).update({ planned_date: '2026-11-01' });
    await check('a planned date moved into the past');
    await db('milestones').where({ id: slipped.id }).update({ status: 'cancelled' });
    await check('a milestone cancelled');
    await db('milestones').where({ id: slipped.id }).delete();
    await check('a milestone deleted');

    // Budgets, status and phase.
    await db('projects').where({ id: a.id }).update({ budget_actual: 5_000_000 });
    await check('a project over budget');
    await db('projects').where({ id: b.id }).update({ budget_planned: 900_000 });
    await check('a project back within budget');
    await db('projects').where({ id: a.id }).update({ status: 'on_hold' });
    await check('a project on hold');
    await db('projects').where({ id: a.id }).update({ status: 'active', phase: 'execution' });
    await check('a project active again, in another phase');
    await db('projects')
      .where({ id: c.id })
      .update({ progress_pct: 37.5, health: 'red', late_milestones: 4 });
    await check('derived columns written');

    // Status reports and what makes a project owe them.
    await buildStatusReport(db, a.id, { period_start: '2026-09-01', period_end: '2026-09-30' });
    await check('a report for an old month');
    await buildStatusReport(db, a.id, { period_start: '2026-10-01', period_end: '2026-10-31' });
    await check('a report for last month');
    await db('status_reports').where({ project_id: a.id, period_end: '2026-10-31' }).delete();
    await check('a report deleted');
    await db('projects').where({ id: b.id }).update({ actual_start: '2026-11-12' });
    await check('a start after the last week');
    await db('projects').where({ id: b.id }).update({ actual_start: null, planned_start: null });
    await check('no start date');
    await db('projects').where({ id: b.id }).update({ report_frequency: 'monthly' });
    await check('a change of reporting frequency');
    await db('projects').where({ id: a.id }).update({ phase: 'closed' });
    await check('a closed project owes nothing');
    await db('projects').where({ id: a.id }).update({ phase: 'execution' });

    // Approvals through their use cases: submitted, decided in every way, returned and revised,
    // withdrawn.
    const { project: g } = await buildGovernedProject(db, { manager: pm.user, sponsor: sponsor.user });
    const gate = await buildGateRequest(db, pm.user, g);
    await check('a gate request submitted');
    await decide(pmo, gate, 'approve');
    await check('its first step approved');
    const change = await submitRequest(db, pm.user, g.id, 'change_request', {
      proposed: { plannedEnd: '2027-03-31' },
      before: { plannedEnd: '2026-12-31' },
      justification: 'Vendor delay',
    });
    now = new Date(now.getTime() + 2 * 3600_000);
    await decide(pmo, change, 'return', 'Add the budget impact');
    await check('a change request returned');
    const revised = await pm.post(`/approvals/${change}/revise`, {
      version: (await db('approval_requests').where({ id: change }).first()).version,
      plannedEnd: '2027-03-31',
      budgetPlanned: '120000',
      justification: 'Vendor delay; budget impact added',
    });
    expect(revised.status).to.equal(303);
    await check('the change request revised (a new round)');
    now = new Date(now.getTime() + 5 * DAY);
    await check('days later: steps overdue');
    await decide(pmo, change, 'approve');
    now = new Date(now.getTime() + 3 * 3600_000);
    await decide(sponsor, change, 'approve');
    await check('the change request approved (the project changed)');
    const other = await submitRequest(db, pm.user, g.id, 'change_request', {
      proposed: { plannedEnd: '2027-04-30' },
      before: { plannedEnd: '2027-03-31' },
      justification: 'Scope',
    });
    await decide(pmo, other, 'reject', 'Not now');
    await check('a request rejected');
    const third = await submitRequest(db, pm.user, g.id, 'change_request', {
      proposed: { plannedEnd: '2027-05-31' },
      before: { plannedEnd: '2027-03-31' },
      justification: 'Scope',
    });
    const w = await pm.post(`/approvals/${third}/withdraw`, {
      version: (await db('approval_requests').where({ id: third }).first()).version,
    });
    expect(w.status).to.equal(303);
    await check('a request withdrawn');
    await db('approval_steps').where({ request_id: gate, step_no: 2 }).update({ due_at: now.toISOString() });
    now = new Date(now.getTime() + 1000);
    await check('a step due a second ago (today)');

    // Documents: versions filed this month and earlier, a version moved in time, a document deleted.
    const doc = await db('documents')
      .insert({
        project_id: g.id,
        category: 'other',
        title_en: 'Minutes',
        title_ar: 'محضر',
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .returning('id');
    const docId = Number((doc[0] as { id: number }).id ?? doc[0]);
    const version = (n: number, at: string, pages: number | null) =>
      db('document_versions').insert({
        document_id: docId,
        version_no: n,
        sha256: 'a'.repeat(64),
        original_name: 'minutes.pdf',
        media_type: 'application/pdf',
        size_bytes: 10,
        page_count: pages,
        uploaded_at: at,
      });
    await version(1, now.toISOString(), 4);
    await version(2, '2026-03-02T10:00:00.000Z', 7);
    await version(3, now.toISOString(), null);
    await check('document versions filed');
    await db('document_versions').where({ document_id: docId, version_no: 1 }).update({
      uploaded_at: '2026-01-05T10:00:00.000Z',
      page_count: 5,
    });
    await check('a version moved to another month');
    await db('documents').where({ id: docId }).delete();
    await check('a document deleted with its versions');

    // The passing of time alone: days (late milestones, overdue steps and reports), a month.
    for (const days of [1, 3, 14, 20]) {
      now = new Date(now.getTime() + days * DAY);
      await check(`${days} days later`);
    }

    // A project deleted with everything it has.
    await db('projects').where({ id: c.id }).delete();
    await check('a project deleted');
    await db('approval_requests').where({ id: other }).delete();
    await check('an approval request deleted');

    // More than a year later the decisions leave the metrics' window: exact before the refresher
    // has moved them out, and after.
    now = new Date(now.getTime() + 370 * DAY);
    await check('a year later, before the window refresher');
    const next = await refreshMetricsWindow(db, now);
    expect(next).to.equal(null);
    await check('a year later, after the window refresher');
    now = new Date(now.getTime() - 370 * DAY);
    await check('the clock back, before the refresher');
    await refreshMetricsWindow(db, now);
    await check('the clock back, after the refresher');
    expect(checks).to.be.greaterThan(40);
  });

  it('every counter trigger is in place', async () => {
    const dialect = isPg(ctx.db) ? 'pg' : 'sqlite';
    const rows = (
      dialect === 'pg'
        ? await ctx.db('pg_trigger').select('tgname as name').where('tgname', 'like', 'dashboard_%')
        : await ctx
            .db('sqlite_master')
            .select('name')
            .where({ type: 'trigger' })
            .where('name', 'like', 'dashboard_%')
    ) as { name: string }[];
    expect(rows.map((r) => r.name).sort()).to.deep.equal(
      triggerNames(dialect)
        .map((t) => t.name)
        .sort(),
    );
  });
});

describe("dashboard counters: the module's start-up work moves the metrics' window", () => {
  it('at start-up the decisions older than 365 days leave their groups; the next is timed', async () => {
    const now = new Date('2026-11-15T09:00:00.000Z');
    const ctx = await createTestApp({ clock: () => now });
    try {
      const pm = await ctx.as('pm');
      const pmo = await ctx.as('pmo');
      const { project } = await buildGovernedProject(ctx.db, { manager: pm.user });
      const ids: number[] = [];
      for (const p of [project, (await buildGovernedProject(ctx.db, { manager: pm.user })).project])
        ids.push(
          await submitRequest(ctx.db, pm.user, p.id, 'change_request', {
            proposed: { plannedEnd: '2027-01-31' },
            before: { plannedEnd: '2026-12-31' },
            justification: 'Vendor delay',
          }),
        );
      for (const id of ids) {
        const r = await ctx.db('approval_requests').where({ id }).first();
        expect(
          (await pmo.post(`/approvals/${id}/decision`, { decision: 'approve', version: r.version })).status,
        ).to.equal(303);
      }
      // One decision 400 days ago, the other 364.
      const at = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
      await ctx
        .db('approval_steps')
        .where({ request_id: ids[0] })
        .update({ decided_at: at(400), started_at: at(401) });
      await ctx
        .db('approval_steps')
        .where({ request_id: ids[1] })
        .update({ decided_at: at(364), started_at: at(365) });
      const inWindow = async () =>
        (
          (await ctx
            .db('approval_cycle_times')
            .where({ source: 's', in_window: 1 })
            .select('decided_at')) as {
            decided_at: string;
          }[]
        ).map((r) => r.decided_at);
      expect((await inWindow()).sort()).to.deep.equal([at(400), at(364)]);
      const stop = await dashboardModule.onStart!(ctx.deps);
      try {
        expect(await inWindow()).to.deep.equal([at(364)]);
        const groups = await ctx.db('approval_cycle_groups').where('step_no', 1).select('n');
        expect(groups.map((g) => Number(g.n))).to.deep.equal([1]);
        expect(await refreshMetricsWindow(ctx.db, now)).to.deep.equal(
          new Date(Date.parse(at(364)) + 365 * DAY),
        );
      } finally {
        if (stop) stop();
      }
    } finally {
      await ctx.close();
    }
  });
});

describe('dashboard counters: cycle-time quantiles follow every row that joins or leaves a group', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.close());

  it('the median and 90th-percentile pointers are at their ranks after random inserts, deletes and window moves', async function () {
    this.timeout(60_000);
    const db = ctx.db;
    const [group] = (await db('approval_cycle_groups')
      .insert({ kind: 'gate', step_no: 0, name_en: '', name_ar: '' })
      .returning('id')) as ({ id: number } | number)[];
    const groupId = Number(typeof group === 'object' ? group.id : group);
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let source = 0;
    for (let step = 0; step < 300; step++) {
      const rows = (await db('approval_cycle_times')
        .where({ group_id: groupId })
        .select('id', 'in_window')) as {
        id: number;
        in_window: number;
      }[];
      const op = rows.length < 3 ? 0 : rnd(10);
      if (op < 5) {
        await db('approval_cycle_times').insert({
          source: 'r',
          source_id: ++source,
          group_id: groupId,
          decided_at: '2026-11-01T00:00:00.000Z',
          // few distinct values: many ties
          cycle_ms: rnd(6) * 1000,
          within_sla: rnd(2),
          in_window: rnd(8) === 0 ? 0 : 1,
        });
      } else if (op < 8) {
        await db('approval_cycle_times')
          .where({ id: rows[rnd(rows.length)].id })
          .delete();
      } else {
        const r = rows[rnd(rows.length)];
        await db('approval_cycle_times')
          .where({ id: r.id })
          .update({ in_window: Number(r.in_window) === 1 ? 0 : 1 });
      }
      const inWindow = (await db('approval_cycle_times')
        .where({ group_id: groupId, in_window: 1 })
        .orderBy([{ column: 'cycle_ms' }, { column: 'id' }])
        .select('id', 'cycle_ms', 'within_sla')) as { id: number; cycle_ms: number; within_sla: number }[];
      const g = await db('approval_cycle_groups').where({ id: groupId }).first();
      const n = inWindow.length;
      const at = (rank: number) => (n ? inWindow[rank] : undefined);
      expect(Number(g.n), `step ${step}: count`).to.equal(n);
      expect(Number(g.within_sla), `step ${step}: within SLA`).to.equal(
        inWindow.reduce((s, r) => s + Number(r.within_sla), 0),
      );
      const med = at(Math.floor((n - 1) * 0.5));
      const p90 = at(Math.floor((n - 1) * 0.9));
      expect(g.med_id === null ? null : Number(g.med_id), `step ${step}: median`).to.equal(
        med ? Number(med.id) : null,
      );
      expect(g.p90_id === null ? null : Number(g.p90_id), `step ${step}: p90`).to.equal(
        p90 ? Number(p90.id) : null,
      );
      if (med) expect(Number(g.med_ms)).to.equal(Number(med.cycle_ms));
      if (p90) expect(Number(g.p90_ms)).to.equal(Number(p90.cycle_ms));
    }
  });
});

describe('dashboard: the PMO cards run the same queries for a small and a larger portfolio', () => {
  it('every card of every role, 3 and 30 projects with milestones, reports, approvals and documents', async function () {
    this.timeout(120_000);
    const now = new Date('2026-11-15T09:00:00Z');
    const ctx = await createTestApp({ clock: () => now });
    try {
      const users = [await ctx.as('pmo'), await ctx.as('admin'), await ctx.as('viewer')];
      const pm = await ctx.as('pm');
      const sponsor = await ctx.as('sponsor');
      const pmoAgent = users[0];
      const add = async (n: number) => {
        const ids: number[] = [];
        for (let i = 0; i < n; i++) {
          const { project } = await buildGovernedProject(ctx.db, {
            manager: pm.user,
            sponsor: sponsor.user,
            budget_planned: 100,
            budget_actual: 200 + i,
            report_frequency: i % 2 ? 'weekly' : 'monthly',
          });
          ids.push(project.id);
          await buildMilestone(ctx.db, project.id, { planned_date: '2026-10-01', status: 'in_progress' });
          await buildMilestone(ctx.db, project.id, { planned_date: '2026-11-20' });
          const id = await buildGateRequest(ctx.db, pm.user, project);
          if (i % 2) {
            const r = await ctx.db('approval_requests').where({ id }).first();
            await pmoAgent.post(`/approvals/${id}/decision`, { decision: 'approve', version: r.version });
          }
          const [doc] = await ctx
            .db('documents')
            .insert({
              project_id: project.id,
              category: 'other',
              title_en: 'D',
              title_ar: 'و',
              created_at: now.toISOString(),
              updated_at: now.toISOString(),
            })
            .returning('id');
          await ctx.db('document_versions').insert({
            document_id: Number((doc as { id: number }).id ?? doc),
            version_no: 1,
            sha256: 'b'.repeat(64),
            original_name: 'd.pdf',
            media_type: 'application/pdf',
            size_bytes: 1,
            page_count: 2,
            uploaded_at: now.toISOString(),
          });
        }
        await refreshProjects(ctx.db, ids, isoDay(now), ctx.config.health);
      };
      const measure = async () => {
        const out: Record<string, number> = {};
        for (const a of [...users, pm, sponsor])
          for (const w of widgets.filter((x) => x.roles.includes(a.user.role)))
            out[`${a.user.role}:${w.id}`] = await countQueries(ctx, () =>
              w.load(ctx.deps, a.user as CurrentUser, 'en'),
            );
        return out;
      };
      await add(3);
      const few = await measure();
      await add(27);
      const many = await measure();
      expect(Object.keys(few).length).to.be.greaterThan(15);
      expect(many).to.deep.equal(few);
      // The PMO's cards: one query each.
      for (const id of [
        'portfolio-health',
        'budget-overruns',
        'milestones-late',
        'reports-overdue',
        'approvals-overdue',
        'approvals-metrics',
        'documents.paper-saved',
      ])
        expect(many[`pmo:${id}`], id).to.equal(1);
      expect((await pmoAgent.agent.get('/')).status).to.equal(200);
    } finally {
      await ctx.close();
    }
  });
});

describe("dashboard: a pm's and a sponsor's cards start from their own projects and show what they showed", () => {
  it('projects, programs, milestones due and late: equal to the queries over every visible project', async function () {
    this.timeout(60_000);
    const now = new Date('2026-11-15T09:00:00Z');
    const today = isoDay(now);
    const ctx = await createTestApp({ clock: () => now });
    try {
      const db = ctx.db;
      const pm = await ctx.as('pm');
      const member = await ctx.as('pm');
      const sponsor = await ctx.as('sponsor');
      const programSponsor = await ctx.as('sponsor');
      const programManager = await ctx.as('pm');
      const outsider = await ctx.as('pm');
      const sponsored = await buildProgram(db, { sponsor_id: programSponsor.user.id });
      const managed = await buildProgram(db, { manager_id: programManager.user.id });
      const ids: number[] = [];
      for (let i = 0; i < 14; i++) {
        const p = await buildProject(db, {
          program_id: [sponsored.id, managed.id, (await buildProgram(db)).id][i % 3],
          manager_id: i % 4 === 0 ? pm.user.id : null,
          sponsor_id: i % 5 === 0 ? sponsor.user.id : null,
          status: i % 7 === 3 ? 'completed' : 'active',
          budget_actual: 10_000_000 * i,
        });
        if (i % 6 === 1) await addMember(db, p.id, member.user.id);
        await buildMilestone(db, p.id, { planned_date: addDays(today, -10 - i), status: 'in_progress' });
        await buildMilestone(db, p.id, { planned_date: addDays(today, 3 + (i % 9)) });
        await buildMilestone(db, p.id, {
          planned_date: addDays(today, 30),
          forecast_date: addDays(today, 40),
          status: 'in_progress',
        });
        ids.push(p.id);
      }
      await refreshProjects(db, ids, today, ctx.config.health);
      const oldCards = async (user: CurrentUser) => {
        const scoped = () =>
          whereProjectVisible(db('projects as p'), user, 'p')
            .whereNot('p.phase', 'closed')
            .whereNotIn('p.status', ['completed', 'cancelled']);
        const rows = (await scoped()
          .select('p.id')
          .orderByRaw("case p.health when 'red' then 0 when 'amber' then 1 else 2 end")
          .orderBy('p.code')
          .limit(10)) as { id: number }[];
        const health = { green: 0, amber: 0, red: 0 } as Record<Rag, number>;
        for (const c of (await scoped().select('p.health').count({ n: '*' }).groupBy('p.health')) as {
          health: Rag;
          n: unknown;
        }[])
          health[c.health] = num(c.n);
        return { ids: rows.map((r) => Number(r.id)), health };
      };
      const oldPrograms = async (user: CurrentUser) => {
        const rows = (await whereProjectVisible(db('projects as p'), user, 'p')
          .join('programs as g', 'g.id', 'p.program_id')
          .select('g.id', 'g.code')
          .count({ n: '*' })
          .groupBy('g.id', 'g.code')
          .orderBy('g.code')) as { id: number; n: unknown }[];
        return { ids: rows.slice(0, 10).map((r) => [Number(r.id), num(r.n)]), total: rows.length };
      };
      for (const a of [pm, member, sponsor, programSponsor, programManager, outsider]) {
        const user = a.user as CurrentUser;
        for (const id of [
          'my-projects',
          'sponsored-projects',
          'programs',
          'milestones-due',
          'milestones-late',
        ]) {
          const w = widget(id);
          if (!w.roles.includes(user.role)) continue;
          const got = (await w.load(ctx.deps, user, 'en')) as Record<string, unknown>;
          const label = `${user.role} ${user.email}: ${id}`;
          if (id === 'programs') {
            const rows = got.rows as { id: number; projects: number }[];
            expect({ ids: rows.map((r) => [r.id, r.projects]), total: got.total }, label).to.deep.equal(
              await oldPrograms(user),
            );
          } else if (id.startsWith('milestones')) {
            const q =
              id === 'milestones-late' ? { late: true, today } : { dueUntil: addDays(today, 14), today };
            const want = await listPortfolioMilestones(db, user, q, 8);
            const rows = got.rows as { id: number }[];
            expect({ ids: rows.map((r) => r.id), total: got.total }, label).to.deep.equal({
              ids: want.rows.map((r) => r.id),
              total: want.total,
            });
          } else {
            const want = await oldCards(user);
            const rows = got.rows as { id: number }[];
            expect({ ids: rows.map((r) => r.id), health: got.health }, label).to.deep.equal(want);
            expect(got.total, label).to.equal(want.health.green + want.health.amber + want.health.red);
          }
        }
      }
    } finally {
      await ctx.close();
    }
  });
});
