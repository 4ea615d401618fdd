import { expect } from 'chai';
import supertest from 'supertest';
import { listRoutes } from '../../src/http/access.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { buildProject, buildStatusReport } from '../factories/portfolio.js';
import { buildScene, countQueries, type Scene } from '../factories/scene.js';

const NOW = new Date('2026-11-15T09:00:00Z');

describe('status reports: tab, form, submission, frozen history', () => {
  let ctx: TestContext;
  let s: Scene;
  let base: string;

  const count = async () => Number((await ctx.db('status_reports').count({ n: '*' }))[0].n);
  const form = (o: Record<string, string> = {}) => ({
    periodStart: '2026-10-01',
    overallRag: 'red',
    scheduleRag: 'amber',
    budgetRag: 'green',
    scopeRag: 'green',
    riskRag: 'red',
    summary: 'UAT delayed two weeks pending security review.',
    achievements: 'Vendor mobilised.',
    nextSteps: 'Close the security findings.',
    escalations: '',
    ...o,
  });

  before(async () => {
    ctx = await createTestApp({ clock: () => NOW });
    s = await buildScene(ctx, { report_frequency: 'monthly', planned_start: '2026-01-01' });
    base = `/projects/${s.project.id}/status-reports`;
  });
  after(() => ctx.close());

  it('sends anonymous visitors to the login page', async () => {
    for (const url of [base, `${base}/new`, `${base}/1`]) {
      const res = await supertest(ctx.app).get(url);
      expect(res.status, url).to.equal(303);
      expect(res.headers.location).to.equal('/login');
    }
    expect((await supertest(ctx.app).post(base)).headers.location).to.equal('/login');
  });

  it('another project manager gets 404; sponsor, viewer and PMO read but get 403 on submitting', async () => {
    const r = await buildStatusReport(ctx.db, s.project.id, {
      period_start: '2026-08-01',
      period_end: '2026-08-31',
    });
    for (const url of [base, `${base}/new`, `${base}/${r.id}`])
      expect((await s.otherPm.agent.get(url)).status, url).to.equal(404);
    expect((await s.otherPm.post(base, form())).status).to.equal(404);
    for (const who of [s.sponsor, s.viewer, s.pmo]) {
      const tab = await who.agent.get(base);
      expect(tab.status).to.equal(200);
      expect(tab.text).to.not.contain(`${base}/new`);
      expect((await who.agent.get(`${base}/${r.id}`)).status).to.equal(200);
      expect((await who.agent.get(`${base}/new`)).status).to.equal(403);
      expect((await who.post(base, form())).status).to.equal(403);
    }
    // a report id of another project, or not an id
    const foreign = await buildStatusReport(ctx.db, s.other.id);
    expect((await s.pm.agent.get(`${base}/${foreign.id}`)).status).to.equal(404);
    expect((await s.pm.agent.get(`${base}/x1`)).status).to.equal(404);
    await ctx.db('status_reports').whereIn('id', [r.id, foreign.id]).del();
  });

  it('the tab flags an overdue report and the form offers the open periods, oldest first', async () => {
    const tab = await s.pm.agent.get(base);
    expect(tab.status).to.equal(200);
    expect(tab.text).to.contain('Overdue').and.contain('1 Oct 2026');
    const ar = await s.pm.agent.get(`${base}?lang=ar`);
    expect(ar.text).to.contain('التقرير متأخر');
    const page = await s.pm.agent.get(`${base}/new`);
    expect(page.status).to.equal(200);
    const options = [...page.text.matchAll(/<option value="(\d{4}-\d{2}-\d{2})"( selected)?/g)];
    expect(options.map((m) => m[1])).to.deep.equal(['2026-10-01', '2026-11-01']);
    expect(options[0][2]).to.equal(' selected');
    for (const rag of ['overallRag', 'scheduleRag', 'budgetRag', 'scopeRag', 'riskRag'])
      expect(page.text).to.contain(`name="${rag}" id="f-${rag}-red"`);
  });

  it('refuses invalid input with 422 and Arabic messages, writing nothing', async () => {
    const before = await count();
    const res = await s.pm.post(
      `${base}?lang=ar`,
      form({ overallRag: '', riskRag: 'purple', summary: '  ' }),
    );
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('هذا الحقل مطلوب').and.contain('اختر أحد الخيارات المتاحة');
    expect(res.text).to.contain('Vendor mobilised.');
    for (const periodStart of ['2026-12-01', '2026-09-01', '2026-10-02', 'yesterday']) {
      const bad = await s.pm.post(`${base}?lang=ar`, form({ periodStart }));
      expect(bad.status, periodStart).to.equal(422);
    }
    const notOpen = await s.pm.post(`${base}?lang=ar`, form({ periodStart: '2026-12-01' }));
    expect(notOpen.text).to.contain('اختر إحدى الفترات المعروضة');
    expect(await count()).to.equal(before);
  });

  it('the manager submits a report: audit entry, project health refreshed from its overall RAG', async () => {
    const res = await s.pm.post(base, form());
    expect(res.status).to.equal(303);
    const row = await ctx
      .db('status_reports')
      .where({ project_id: s.project.id, period_end: '2026-10-31' })
      .first();
    expect(res.headers.location).to.equal(`${base}/${row.id}`);
    expect(row).to.include({
      period_start: '2026-10-01',
      overall_rag: 'red',
      risk_rag: 'red',
      submitted_by: s.pm.user.id,
      escalations: null,
    });
    const a = await ctx
      .db('audit_log')
      .where({ action: 'status_report.submit', entity_id: String(row.id) })
      .first();
    expect(a.actor_id).to.equal(s.pm.user.id);
    const project = await ctx.db('projects').where({ id: s.project.id }).first();
    expect(project.health).to.equal('red');
    expect(project.last_report_at).to.equal(row.submitted_at);
    const show = await s.sponsor.agent.get(`${base}/${row.id}`);
    expect(show.status).to.equal(200);
    expect(show.text).to.contain('UAT delayed two weeks').and.contain('Close the security findings.');
    // the previous period is covered now: the tab says due (current period), not overdue
    const tab = await s.pm.agent.get(base);
    expect(tab.text).to.contain('Report due for').and.not.contain('Report overdue');
  });

  it('a second report for the same period is refused with a clear message', async () => {
    const before = await count();
    const res = await s.pm.post(base, form({ summary: 'Second attempt' }));
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('has already been submitted');
    const ar = await s.pm.post(`${base}?lang=ar`, form({ summary: 'Second attempt' }));
    expect(ar.text).to.contain('سبق تقديم تقرير حالة للفترة');
    expect(await count()).to.equal(before);
    const row = await ctx
      .db('status_reports')
      .where({ project_id: s.project.id, period_end: '2026-10-31' })
      .first();
    expect(row.summary).to.not.equal('Second attempt');
  });

  it('two submissions for the same period at once: exactly one is kept', async () => {
    const p = await buildProject(ctx.db, { manager_id: s.pm.user.id, report_frequency: 'weekly' });
    const url = `/projects/${p.id}/status-reports`;
    const [a, b] = await Promise.all([
      s.pm.post(url, form({ periodStart: '2026-11-15', summary: 'First' })),
      s.pm.post(url, form({ periodStart: '2026-11-15', summary: 'Second' })),
    ]);
    expect([a.status, b.status].sort()).to.deep.equal([303, 422]);
    expect(await ctx.db('status_reports').where({ project_id: p.id })).to.have.length(1);
  });

  it('is frozen: no route edits, replaces or deletes a submitted report', async () => {
    const changing = listRoutes(ctx.app).filter(
      (r) => r.method !== 'GET' && r.path.startsWith('/projects/:id/status-reports'),
    );
    expect(changing.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['POST /projects/:id/status-reports']);
    const row = await ctx.db('status_reports').where({ project_id: s.project.id }).first();
    for (const url of [`${base}/${row.id}`, `${base}/${row.id}/edit`, `${base}/${row.id}/delete`])
      expect((await s.pm.post(url, form({ summary: 'Changed' }))).status, url).to.equal(404);
    expect((await s.pm.agent.get(`${base}/${row.id}/edit`)).status).to.equal(404);
    expect((await ctx.db('status_reports').where({ id: row.id }).first()).summary).to.not.equal('Changed');
  });

  it('a project that does not run owes no report; the form then offers nothing once all is covered', async () => {
    const held = await buildProject(ctx.db, { manager_id: s.pm.user.id, status: 'on_hold' });
    const tab = await s.pm.agent.get(`/projects/${held.id}/status-reports`);
    expect(tab.text).to.contain('does not owe status reports');
    const p = await buildProject(ctx.db, { manager_id: s.pm.user.id });
    await buildStatusReport(ctx.db, p.id, { period_start: '2026-10-01', period_end: '2026-10-31' });
    await buildStatusReport(ctx.db, p.id, { period_start: '2026-11-01', period_end: '2026-11-30' });
    const page = await s.pm.agent.get(`/projects/${p.id}/status-reports/new`);
    expect(page.status).to.equal(200);
    expect(page.text).to.not.contain('name="summary"');
    expect(
      (await s.pm.post(`/projects/${p.id}/status-reports`, form({ periodStart: '2026-11-01' }))).status,
    ).to.equal(422);
  });

  it('the tab runs the same number of queries for 3 and 30 reports', async () => {
    const p = await buildProject(ctx.db, { manager_id: s.pm.user.id, report_frequency: 'weekly' });
    const url = `/projects/${p.id}/status-reports`;
    let end = '2026-11-14';
    const add = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const d = new Date(end + 'T00:00:00Z');
        const start = new Date(d.getTime() - 6 * 86400000).toISOString().slice(0, 10);
        await buildStatusReport(ctx.db, p.id, {
          period_start: start,
          period_end: end,
          submitted_by: s.pm.user.id,
        });
        end = new Date(d.getTime() - 7 * 86400000).toISOString().slice(0, 10);
      }
    };
    await add(3);
    await s.pm.agent.get(url);
    const few = await countQueries(ctx, () => s.pm.agent.get(url).expect(200));
    await add(27);
    const many = await countQueries(ctx, () => s.pm.agent.get(url).expect(200));
    expect(many).to.equal(few);
  });
});
