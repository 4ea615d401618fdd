import { expect } from 'chai';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildGovernedProject, submitRequest } from '../factories/approvals.js';
import { buildMilestone, buildProgram, buildProject, projectForm } from '../factories/portfolio.js';
import { refreshStaleProjects } from '../../src/modules/portfolio/portfolio.health.js';
import { generateLargePortfolio } from '../../src/modules/portfolio/portfolio.generator.js';
import type { Conn } from '../../src/db/knex.js';

const NOW = new Date('2026-11-15T09:00:00Z');

interface Sums {
  projects: number;
  budget_planned: number;
  budget_actual: number;
  progress_budget: number;
  progress_sum: number;
  green: number;
  amber: number;
  red: number;
}

/** Every program's roll-up computed from scratch from its projects. */
async function recomputed(db: Conn): Promise<Map<number, Sums>> {
  const rows = (await db('programs as g')
    .leftJoin('projects as p', 'p.program_id', 'g.id')
    .groupBy('g.id')
    .select(
      'g.id',
      db.raw('count(p.id) as projects'),
      db.raw('coalesce(sum(p.budget_planned), 0) as budget_planned'),
      db.raw('coalesce(sum(p.budget_actual), 0) as budget_actual'),
      db.raw('coalesce(sum(p.progress_pct * p.budget_planned), 0) as progress_budget'),
      db.raw('coalesce(sum(p.progress_pct), 0) as progress_sum'),
      db.raw("coalesce(sum(case when p.health = 'green' then 1 else 0 end), 0) as green"),
      db.raw("coalesce(sum(case when p.health = 'amber' then 1 else 0 end), 0) as amber"),
      db.raw("coalesce(sum(case when p.health = 'red' then 1 else 0 end), 0) as red"),
    )) as Record<string, unknown>[];
  return new Map(rows.map((r) => [Number(r.id), sumsOf(r)]));
}

function sumsOf(r: Record<string, unknown>): Sums {
  return {
    projects: Number(r.projects),
    budget_planned: Number(r.budget_planned),
    budget_actual: Number(r.budget_actual),
    progress_budget: Number(r.progress_budget),
    progress_sum: Number(r.progress_sum),
    green: Number(r.green),
    amber: Number(r.amber),
    red: Number(r.red),
  };
}

/**
 * The maintained roll-ups equal a recomputation, for every program; the progress sums are floats
 * (PostgreSQL sums the `real` progress column in single precision), equal to within 1e-6.
 */
async function expectRollupsTrue(db: Conn, what: string): Promise<void> {
  const want = await recomputed(db);
  const have = new Map(
    ((await db('program_rollups').select('*')) as Record<string, unknown>[]).map((r) => [
      Number(r.program_id),
      sumsOf(r),
    ]),
  );
  expect([...have.keys()].sort(), `${what}: one roll-up per program`).to.deep.equal([...want.keys()].sort());
  for (const [id, w] of want) {
    const h = have.get(id)!;
    const { progress_budget: hpb, progress_sum: hps, ...hInts } = h;
    const { progress_budget: wpb, progress_sum: wps, ...wInts } = w;
    expect(hInts, `${what}: program ${id}`).to.deep.equal(wInts);
    expect(hpb, `${what}: program ${id} Σ progress × budget`).to.be.closeTo(wpb, Math.abs(wpb) * 1e-6 + 1e-6);
    expect(hps, `${what}: program ${id} Σ progress`).to.be.closeTo(wps, Math.abs(wps) * 1e-6 + 1e-6);
  }
}

async function rollupOf(db: Conn, programId: number): Promise<Sums> {
  return sumsOf(await db('program_rollups').where({ program_id: programId }).first());
}

describe('program roll-ups: maintained totals equal a recomputation after every kind of change', () => {
  let ctx: TestContext;
  let pmo: Agent;
  let pm: Agent;
  let sponsor: Agent;

  before(async () => {
    ctx = await createTestApp({ clock: () => NOW });
    pmo = await ctx.as('pmo');
    pm = await ctx.as('pm');
    sponsor = await ctx.as('sponsor');
  });
  after(() => ctx.close());

  it('a new program (through the form) starts with an empty roll-up', async () => {
    const res = await pmo.post('/programs', {
      code: 'RLP',
      nameEn: 'Roll-up program',
      nameAr: 'برنامج الملخص',
      status: 'active',
    });
    expect(res.status).to.equal(303);
    const g = await ctx.db('programs').where({ code: 'RLP' }).first();
    expect(await rollupOf(ctx.db, g.id)).to.deep.include({ projects: 0, budget_planned: 0, red: 0 });
    await expectRollupsTrue(ctx.db, 'program created');
  });

  it('creating, editing and moving a project (the project forms)', async () => {
    const a = await buildProgram(ctx.db, { code: 'RLA' });
    const b = await buildProgram(ctx.db, { code: 'RLB' });
    const res = await pmo.post('/projects', {
      code: 'RLA-01',
      programId: a.id,
      nameEn: 'Roll-up project',
      nameAr: 'مشروع الملخص',
      managerId: pm.user.id,
      status: 'active',
      priority: 'high',
      reportFrequency: 'monthly',
      plannedStart: '2026-01-01',
      plannedEnd: '2026-12-31',
      budgetPlanned: '1,000.000',
      budgetActual: '250.000',
    });
    expect(res.status).to.equal(303);
    expect(await rollupOf(ctx.db, a.id)).to.deep.include({ projects: 1, budget_planned: 1_000_000 });
    await expectRollupsTrue(ctx.db, 'project created');

    const row = await ctx.db('projects').where({ code: 'RLA-01' }).first();
    const edit = await pmo.post(`/projects/${row.id}`, projectForm(row, { budgetPlanned: '3,000.000' }));
    expect(edit.status).to.equal(303);
    expect((await rollupOf(ctx.db, a.id)).budget_planned).to.equal(3_000_000);
    await expectRollupsTrue(ctx.db, 'budget edited');

    const moved = await ctx.db('projects').where({ id: row.id }).first();
    const move = await pmo.post(`/projects/${row.id}`, projectForm(moved, { programId: b.id }));
    expect(move.status).to.equal(303);
    expect((await rollupOf(ctx.db, a.id)).projects).to.equal(0);
    expect(await rollupOf(ctx.db, b.id)).to.deep.include({ projects: 1, budget_planned: 3_000_000 });
    await expectRollupsTrue(ctx.db, 'project moved to another program');
  });

  it('milestone updates and status reports (progress and health)', async () => {
    const program = await buildProgram(ctx.db);
    const project = await buildProject(ctx.db, {
      program_id: program.id,
      manager_id: pm.user.id,
      planned_start: '2026-01-01',
      report_frequency: 'monthly',
    });
    const m = await buildMilestone(ctx.db, project.id, { planned_date: '2026-12-20', weight: 1 });
    const update = await pm.post(`/projects/${project.id}/milestones/${m.id}/update`, {
      percentComplete: 60,
      status: 'in_progress',
      version: 1,
      note: 'Half way.',
    });
    expect(update.status).to.equal(303);
    expect((await rollupOf(ctx.db, program.id)).progress_sum).to.be.closeTo(60, 1e-4);
    await expectRollupsTrue(ctx.db, 'milestone updated');

    const report = await pm.post(`/projects/${project.id}/status-reports`, {
      periodStart: '2026-10-01',
      overallRag: 'red',
      scheduleRag: 'red',
      budgetRag: 'green',
      scopeRag: 'green',
      riskRag: 'red',
      summary: 'Blocked by procurement.',
      achievements: '',
      nextSteps: '',
      escalations: '',
    });
    expect(report.status).to.equal(303);
    expect((await rollupOf(ctx.db, program.id)).red).to.equal(1);
    await expectRollupsTrue(ctx.db, 'status report submitted');
  });

  it('an approved change request (budget)', async () => {
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const id = await submitRequest(ctx.db, pm.user, project.id, 'change_request', {
      proposed: { budgetPlanned: 777_000 },
      before: { budgetPlanned: 100_000_000 },
      justification: 'Scope reduced.',
    });
    expect(
      (await pmo.post(`/approvals/${id}/decision`, { decision: 'approve', version: 1 })).status,
    ).to.equal(303);
    expect(
      (await sponsor.post(`/approvals/${id}/decision`, { decision: 'approve', version: 2 })).status,
    ).to.equal(303);
    expect((await rollupOf(ctx.db, project.program_id)).budget_planned).to.equal(777_000);
    await expectRollupsTrue(ctx.db, 'change request approved');
  });

  it('the hourly health refresh (a milestone becomes late)', async () => {
    const program = await buildProgram(ctx.db);
    const project = await buildProject(ctx.db, { program_id: program.id, planned_start: '2026-01-01' });
    await buildMilestone(ctx.db, project.id, { planned_date: '2026-11-20', percent_complete: 0 });
    await refreshStaleProjects(ctx.db, NOW, ctx.config.health);
    const before = await rollupOf(ctx.db, program.id);
    await refreshStaleProjects(ctx.db, new Date('2027-02-01T00:00:00Z'), ctx.config.health);
    const after = await rollupOf(ctx.db, program.id);
    expect(after.red).to.equal(1);
    expect(after).to.not.deep.equal(before);
    await expectRollupsTrue(ctx.db, 'hourly refresh');
  });

  it('the large-portfolio generator and direct writes (bulk insert, update, delete, program delete)', async () => {
    await generateLargePortfolio(ctx.db, {
      projects: 30,
      milestonesPerProject: 3,
      reportsPerProject: 1,
      health: ctx.config.health,
      log: () => {},
    });
    await expectRollupsTrue(ctx.db, 'generator');

    const g = await buildProgram(ctx.db);
    await ctx.db('projects').insert(
      [1, 2, 3].map((i) => ({
        code: `RLD-${i}`,
        program_id: g.id,
        name_en: `Direct ${i}`,
        name_ar: `مباشر ${i}`,
        budget_planned: i * 1000,
        budget_actual: i * 10,
        progress_pct: i * 10.5,
        health: i === 3 ? 'amber' : 'green',
        created_at: NOW.toISOString(),
        updated_at: NOW.toISOString(),
      })),
    );
    await expectRollupsTrue(ctx.db, 'bulk insert');
    await ctx.db('projects').where('code', 'like', 'RLD-%').update({ health: 'red', budget_actual: 5 });
    await expectRollupsTrue(ctx.db, 'bulk update');
    await ctx.db('projects').where({ code: 'RLD-2' }).delete();
    expect((await rollupOf(ctx.db, g.id)).projects).to.equal(2);
    await expectRollupsTrue(ctx.db, 'delete');
    await ctx.db('projects').where({ program_id: g.id }).delete();
    await ctx.db('programs').where({ id: g.id }).delete();
    expect(await ctx.db('program_rollups').where({ program_id: g.id }).first()).to.equal(undefined);
    await expectRollupsTrue(ctx.db, 'program deleted');
  });

  it('a write that changes nothing a roll-up counts leaves it as it was', async () => {
    const program = await buildProgram(ctx.db);
    const project = await buildProject(ctx.db, { program_id: program.id });
    const before = await rollupOf(ctx.db, program.id);
    await ctx.db('projects').where({ id: project.id }).update({ name_en: 'Renamed', phase: 'closure' });
    expect(await rollupOf(ctx.db, program.id)).to.deep.equal(before);
    await expectRollupsTrue(ctx.db, 'unrelated columns');
  });
});
