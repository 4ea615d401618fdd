import { expect } from 'chai';
import supertest from 'supertest';
import type { CurrentUser } from '../../src/auth/current-user.js';
import { dashboardWidgets } from '../../src/modules/dashboard/dashboard.widgets.js';
import { loadDashboard } from '../../src/modules/dashboard/index.js';
import { milestoneWidgets } from '../../src/modules/milestones/milestones.widgets.js';
import type { DashboardWidget } from '../../src/modules/module.js';
import { refreshProjects } from '../../src/modules/portfolio/portfolio.health.js';
import { statusReportWidgets } from '../../src/modules/status-reports/status-reports.widgets.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { buildMilestone, buildProject } from '../factories/portfolio.js';
import { buildScene, countQueries, type Scene } from '../factories/scene.js';

const NOW = new Date('2026-11-15T09:00:00Z');
const TODAY = '2026-11-15';
const MINE: DashboardWidget[] = [...dashboardWidgets, ...milestoneWidgets, ...statusReportWidgets];

describe('dashboard: widgets by role, scoped to what each user sees', () => {
  let ctx: TestContext;
  let s: Scene;

  const widgetIds = (html: string) => [...html.matchAll(/data-widget="([\w-]+)"/g)].map((m) => m[1]);

  before(async () => {
    ctx = await createTestApp({ clock: () => NOW });
    s = await buildScene(ctx);
    await ctx
      .db('projects')
      .where({ id: s.project.id })
      .update({ code: 'VIS-01', name_en: 'Visible project' });
    await ctx
      .db('projects')
      .where({ id: s.other.id })
      .update({ code: 'HID-01', name_en: 'Hidden project', budget_planned: 1000, budget_actual: 5000 });
    for (const [p, tag] of [
      [s.project.id, 'P'],
      [s.other.id, 'Q'],
    ] as const) {
      await buildMilestone(ctx.db, p, {
        title_en: `Late-on-${tag}`,
        planned_date: '2026-10-01',
        status: 'in_progress',
        percent_complete: 30,
      });
      await buildMilestone(ctx.db, p, { title_en: `Due-on-${tag}`, planned_date: '2026-11-20' });
    }
    await refreshProjects(ctx.db, [s.project.id, s.other.id], TODAY, ctx.config.health);
  });
  after(() => ctx.close());

  it('sends anonymous visitors to the login page', async () => {
    const res = await supertest(ctx.app).get('/');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login');
  });

  it('PM: my projects, milestones due in 14 days, late milestones, reports due — of my projects only', async () => {
    const res = await s.pm.agent.get('/');
    expect(res.status).to.equal(200);
    expect(widgetIds(res.text)).to.include.members([
      'my-projects',
      'milestones-due',
      'milestones-late',
      'reports-due',
    ]);
    expect(res.text).to.contain('VIS-01').and.contain('Late-on-P').and.contain('Due-on-P');
    expect(res.text).to.not.contain('HID-01').and.not.contain('Late-on-Q').and.not.contain('Due-on-Q');
    expect(res.text).to.contain(`/projects/${s.project.id}/status-reports/new`);
    const other = await s.otherPm.agent.get('/');
    expect(other.text).to.contain('HID-01').and.contain('Late-on-Q').and.not.contain('VIS-01');
    const ar = await s.otherPm.agent.get('/?lang=ar');
    expect(ar.text).to.contain('مشاريعي').and.contain('تقارير الحالة المستحقة').and.contain('HID-01');
  });

  it('sponsor: health and progress of what they sponsor, and its programs', async () => {
    const res = await s.sponsor.agent.get('/');
    expect(widgetIds(res.text)).to.include.members(['sponsored-projects', 'programs']);
    expect(widgetIds(res.text)).to.not.include('milestones-late');
    expect(res.text).to.contain('Projects I sponsor').and.contain('VIS-01').and.not.contain('HID-01');
    expect(res.text).to.contain(s.program.code);
  });

  it('viewer: the portfolio summary and programs, nothing to act on', async () => {
    const res = await s.viewer.agent.get('/');
    const ids = widgetIds(res.text);
    expect(ids).to.include.members(['portfolio-health', 'programs']);
    expect(ids).to.not.include.members(['budget-overruns', 'milestones-late', 'reports-overdue']);
    const otherProgram = await ctx.db('programs').where({ id: s.other.program_id }).first();
    expect(res.text)
      .to.contain('Portfolio health')
      .and.contain(s.program.code)
      .and.contain(otherProgram.code);
  });

  it('PMO: portfolio health, late milestones, projects without a recent report, budget overruns', async () => {
    const res = await s.pmo.agent.get('/');
    expect(widgetIds(res.text)).to.include.members([
      'portfolio-health',
      'milestones-late',
      'reports-overdue',
      'budget-overruns',
    ]);
    expect(res.text).to.contain('Late-on-P').and.contain('Late-on-Q');
    const overdue = res.text.slice(res.text.indexOf('data-widget="reports-overdue"'));
    expect(overdue).to.contain('VIS-01').and.contain('HID-01');
    const budget = res.text.slice(res.text.indexOf('data-widget="budget-overruns"'));
    expect(budget).to.contain('HID-01');
    const ar = await s.pmo.agent.get('/?lang=ar');
    expect(ar.text).to.contain('صحة المحفظة').and.contain('تجاوزات الميزانية');
  });

  it('a failing widget is shown as a card that could not load; the rest of the dashboard stays', async () => {
    const broken: DashboardWidget = {
      id: 'broken',
      roles: ['pm'],
      order: 1,
      view: 'x',
      load: () => Promise.reject(new Error('boom')),
    };
    const loaded = await loadDashboard(ctx.deps, [broken, ...MINE], s.pm.user, 'en');
    expect(loaded[0]).to.include({ id: 'broken', failed: true });
    expect(loaded.filter((w) => !w.failed).map((w) => w.id)).to.include('my-projects');
  });

  it('every widget runs the same number of queries for 3 and 30 projects', async () => {
    const fresh = await createTestApp({ clock: () => NOW });
    try {
      const scene = await buildScene(fresh);
      const pm = scene.pm.user as CurrentUser;
      const add = async (n: number) => {
        const ids: number[] = [];
        for (let i = 0; i < n; i++) {
          const p = await buildProject(fresh.db, {
            manager_id: pm.id,
            sponsor_id: scene.sponsor.user.id,
            budget_planned: 100,
            budget_actual: 200 + i,
          });
          ids.push(p.id);
          await buildMilestone(fresh.db, p.id, {
            planned_date: '2026-10-01',
            status: 'in_progress',
            percent_complete: 5,
          });
          await buildMilestone(fresh.db, p.id, { planned_date: '2026-11-20' });
        }
        await refreshProjects(fresh.db, ids, TODAY, fresh.config.health);
      };
      const users = [pm, scene.pmo.user, scene.sponsor.user, scene.viewer.user] as CurrentUser[];
      const measure = async () => {
        const out: Record<string, number> = {};
        for (const u of users)
          for (const w of MINE.filter((x) => x.roles.includes(u.role)))
            out[`${u.role}:${w.id}`] = await countQueries(fresh, () => w.load(fresh.deps, u, 'en'));
        return out;
      };
      await add(3);
      const few = await measure();
      await add(27);
      const many = await measure();
      expect(Object.keys(few).length).to.be.greaterThan(8);
      expect(many).to.deep.equal(few);
      // and the whole page for the PM (with every module's widgets) renders
      expect((await scene.pm.agent.get('/')).status).to.equal(200);
    } finally {
      await fresh.close();
    }
  });
});
