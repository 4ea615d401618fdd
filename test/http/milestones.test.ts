import { expect } from 'chai';
import supertest from 'supertest';
import { verifyChain } from '../../src/modules/audit/audit.service.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { buildMilestone, buildProject } from '../factories/portfolio.js';
import { buildScene, countQueries, type Scene } from '../factories/scene.js';

const NOW = new Date('2026-11-15T09:00:00Z');
const TODAY = '2026-11-15';

describe('milestones: tab, page, create, edit, progress update', () => {
  let ctx: TestContext;
  let s: Scene;
  let base: string;
  let otherBase: string;

  const count = async (table: string) => Number((await ctx.db(table).count({ n: '*' }))[0].n);
  const milestone = (id: number) => ctx.db('milestones').where({ id }).first();
  const newForm = (o: Record<string, string | number> = {}) => ({
    titleEn: 'Design approved',
    titleAr: 'اعتماد التصميم',
    plannedDate: '2026-12-20',
    forecastDate: '',
    actualDate: '',
    percentComplete: 0,
    weight: 2,
    ownerId: '',
    status: 'not_started',
    notes: '',
    note: '',
    ...o,
  });

  before(async () => {
    ctx = await createTestApp({ clock: () => NOW });
    s = await buildScene(ctx);
    base = `/projects/${s.project.id}/milestones`;
    otherBase = `/projects/${s.other.id}/milestones`;
  });
  after(() => ctx.close());

  it('sends anonymous visitors to the login page', async () => {
    const m = await buildMilestone(ctx.db, s.project.id);
    for (const url of [
      base,
      `${base}/new`,
      `${base}/${m.id}`,
      `${base}/${m.id}/edit`,
      `${base}/${m.id}/update`,
    ]) {
      const res = await supertest(ctx.app).get(url);
      expect(res.status, url).to.equal(303);
      expect(res.headers.location).to.equal('/login');
    }
    expect((await supertest(ctx.app).post(`${base}/${m.id}/update`)).headers.location).to.equal('/login');
  });

  it('another project manager gets 404 for every page and action of a project they cannot see', async () => {
    const m = await buildMilestone(ctx.db, s.project.id);
    for (const url of [
      base,
      `${base}/new`,
      `${base}/${m.id}`,
      `${base}/${m.id}/edit`,
      `${base}/${m.id}/update`,
    ])
      expect((await s.otherPm.agent.get(url)).status, url).to.equal(404);
    expect((await s.otherPm.post(base, newForm())).status).to.equal(404);
    expect((await s.otherPm.post(`${base}/${m.id}`, { ...newForm(), version: 1 })).status).to.equal(404);
    expect(
      (
        await s.otherPm.post(`${base}/${m.id}/update`, {
          percentComplete: 10,
          status: 'in_progress',
          version: 1,
        })
      ).status,
    ).to.equal(404);
    // a milestone id of another project, and ids that are not ids
    const foreign = await buildMilestone(ctx.db, s.other.id);
    expect((await s.pm.agent.get(`${base}/${foreign.id}`)).status).to.equal(404);
    expect((await s.pm.agent.get(`${base}/abc`)).status).to.equal(404);
    expect((await s.pm.agent.get(`/projects/0/milestones`)).status).to.equal(404);
    expect((await s.pm.agent.get(`${otherBase}`)).status).to.equal(404);
  });

  it('sponsor and viewer read the milestones (no buttons) and get 403 on every change', async () => {
    const m = await buildMilestone(ctx.db, s.project.id, { title_en: 'Readable milestone' });
    for (const who of [s.viewer, s.sponsor]) {
      const tab = await who.agent.get(base);
      expect(tab.status).to.equal(200);
      expect(tab.text).to.contain('Readable milestone').and.not.contain(`${base}/new`);
      expect((await who.agent.get(`${base}/${m.id}`)).status).to.equal(200);
      expect((await who.agent.get(`${base}/new`)).status).to.equal(403);
      expect((await who.agent.get(`${base}/${m.id}/edit`)).status).to.equal(403);
      expect((await who.agent.get(`${base}/${m.id}/update`)).status).to.equal(403);
      expect((await who.post(base, newForm())).status).to.equal(403);
      expect((await who.post(`${base}/${m.id}`, { ...newForm(), version: 1 })).status).to.equal(403);
      expect(
        (await who.post(`${base}/${m.id}/update`, { percentComplete: 10, status: 'in_progress', version: 1 }))
          .status,
      ).to.equal(403);
    }
    expect((await milestone(m.id)).version).to.equal(1);
  });

  it('the tab lists milestones by planned date with their derived state in words', async () => {
    const p = await buildProject(ctx.db, { manager_id: s.pm.user.id });
    await buildMilestone(ctx.db, p.id, {
      title_en: 'Second',
      planned_date: '2026-12-01',
      percent_complete: 60,
      status: 'in_progress',
    });
    await buildMilestone(ctx.db, p.id, {
      title_en: 'First late',
      planned_date: '2026-10-01',
      status: 'in_progress',
      percent_complete: 10,
    });
    await buildMilestone(ctx.db, p.id, { title_en: 'Third', planned_date: '2027-03-01' });
    const res = await s.pm.agent.get(`/projects/${p.id}/milestones`);
    expect(res.status).to.equal(200);
    const order = ['First late', 'Second', 'Third'].map((t) => res.text.indexOf(t));
    expect(order).to.deep.equal([...order].sort((a, b) => a - b));
    expect(res.text).to.contain('>Late<').and.contain('>On track<');
    expect(res.text).to.contain('role="img"').and.contain('<title id="project-gantt-title">');
    expect(res.text).to.contain(`/projects/${p.id}/milestones/new`);
    const ar = await s.pm.agent.get(`/projects/${p.id}/milestones?lang=ar`);
    expect(ar.text).to.contain('dir="rtl"').and.contain('متأخر').and.contain('direction="rtl"');
  });

  it('the project manager creates a milestone: history row, audit entry, project health refreshed', async () => {
    const before = await count('milestones');
    const res = await s.pm.post(base, newForm({ ownerId: s.pm.user.id, note: 'Agreed at kick-off' }));
    expect(res.status).to.equal(303);
    expect(await count('milestones')).to.equal(before + 1);
    const row = await ctx
      .db('milestones')
      .where({ project_id: s.project.id, title_en: 'Design approved' })
      .first();
    expect(res.headers.location).to.equal(`${base}/${row.id}`);
    expect(row).to.include({ title_ar: 'اعتماد التصميم', planned_date: '2026-12-20', weight: 2, version: 1 });
    const history = await ctx.db('milestone_updates').where({ milestone_id: row.id });
    expect(history).to.have.length(1);
    expect(history[0].note).to.equal('Agreed at kick-off');
    expect(JSON.parse(history[0].changes).titleEn).to.deep.equal([null, 'Design approved']);
    const a = await ctx
      .db('audit_log')
      .where({ action: 'milestone.create', entity_id: String(row.id) })
      .first();
    expect(a.actor_id).to.equal(s.pm.user.id);
    const project = await ctx.db('projects').where({ id: s.project.id }).first();
    expect(project.health_computed_on).to.equal(TODAY);
    expect(project.next_milestone_date).to.be.a('string');
    const page = await s.pm.agent.get(`${base}/${row.id}`);
    expect(page.text).to.contain('Agreed at kick-off').and.contain('Created the milestone');
  });

  it('PMO creates milestones too', async () => {
    const res = await s.pmo.post(base, newForm({ titleEn: 'PMO checkpoint' }));
    expect(res.status).to.equal(303);
  });

  it('refuses invalid input with 422 and Arabic messages for an Arabic user, writing nothing', async () => {
    const before = await count('milestones');
    const audits = await count('audit_log');
    const res = await s.pm.post(
      `${base}?lang=ar`,
      newForm({ titleEn: '', percentComplete: 150, plannedDate: '2026-02-30', status: 'done' }),
    );
    expect(res.status).to.equal(422);
    expect(res.text)
      .to.contain('هذا الحقل مطلوب')
      .and.contain('أدخل قيمة لا تزيد على 100')
      .and.contain('أدخل تاريخاً صحيحاً')
      .and.contain('اختر أحد الخيارات المتاحة');
    expect(res.text).to.contain('value="اعتماد التصميم"');
    const future = await s.pm.post(
      `${base}?lang=ar`,
      newForm({ status: 'completed', actualDate: '2026-11-20' }),
    );
    expect(future.status).to.equal(422);
    expect(future.text).to.contain('لا يمكن أن يكون تاريخ الإنجاز الفعلي في المستقبل');
    const notStarted = await s.pm.post(base, newForm({ percentComplete: 30 }));
    expect(notStarted.status).to.equal(422);
    expect(notStarted.text).to.contain('has not started is 0% complete');
    const inactive = await s.pm.post(base, newForm({ ownerId: 999999 }));
    expect(inactive.status).to.equal(422);
    expect(await count('milestones')).to.equal(before);
    expect(await count('audit_log')).to.equal(audits);
  });

  it('a progress update is kept as history, audited, and refreshes the project in the same save', async () => {
    const m = await buildMilestone(ctx.db, s.project.id, {
      title_en: 'Build complete',
      planned_date: '2026-12-01',
      status: 'in_progress',
      percent_complete: 40,
    });
    const form = await s.pm.agent.get(`${base}/${m.id}/update`);
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('name="version" value="1"');
    const res = await s.pm.post(`${base}/${m.id}/update`, {
      percentComplete: 60,
      forecastDate: '2026-12-10',
      actualDate: '',
      status: 'in_progress',
      note: 'Vendor late by ten days',
      version: 1,
    });
    expect(res.status).to.equal(303);
    const row = await milestone(m.id);
    expect(row).to.include({ percent_complete: 60, forecast_date: '2026-12-10', version: 2 });
    const [h] = await ctx.db('milestone_updates').where({ milestone_id: m.id });
    expect(h.user_id).to.equal(s.pm.user.id);
    expect(h.note).to.equal('Vendor late by ten days');
    expect(JSON.parse(h.changes)).to.deep.equal({
      forecastDate: [null, '2026-12-10'],
      percentComplete: [40, 60],
    });
    const a = await ctx
      .db('audit_log')
      .where({ action: 'milestone.progress', entity_id: String(m.id) })
      .first();
    expect(JSON.parse(a.before)).to.deep.equal({ forecastDate: null, percentComplete: 40 });
    expect(JSON.parse(a.after)).to.include({ percentComplete: 60, note: 'Vendor late by ten days' });
    // forecast past the plan: late, which the project's derived columns now count
    const project = await ctx.db('projects').where({ id: s.project.id }).first();
    expect(project.late_milestones).to.be.greaterThan(0);
    const page = await s.pm.agent.get(`${base}/${m.id}`);
    expect(page.text).to.contain('Vendor late by ten days').and.contain('Percent complete:');
    expect((await verifyChain(ctx.db)).ok).to.equal(true);
  });

  it('completing a milestone sets 100 % and today as its actual date', async () => {
    const m = await buildMilestone(ctx.db, s.project.id, { status: 'in_progress', percent_complete: 70 });
    const res = await s.pm.post(`${base}/${m.id}/update`, {
      percentComplete: 70,
      status: 'completed',
      version: 1,
    });
    expect(res.status).to.equal(303);
    expect(await milestone(m.id)).to.include({
      status: 'completed',
      percent_complete: 100,
      actual_date: TODAY,
    });
  });

  it('refuses an inconsistent progress update with 422 in Arabic, writing nothing', async () => {
    const m = await buildMilestone(ctx.db, s.project.id, { status: 'in_progress', percent_complete: 20 });
    const updates = await count('milestone_updates');
    const res = await s.pm.post(`${base}/${m.id}/update?lang=ar`, {
      percentComplete: 30,
      actualDate: '2026-11-01',
      forecastDate: '2026-10-01',
      status: 'in_progress',
      version: 1,
    });
    expect(res.status).to.equal(422);
    expect(res.text)
      .to.contain('يُحدَّد تاريخ الإنجاز الفعلي للمعلم المكتمل فقط')
      .and.contain('لا يمكن أن يكون التاريخ المتوقع لمعلم مفتوح في الماضي');
    const bad = await s.pm.post(`${base}/${m.id}/update`, {
      percentComplete: 'lots',
      status: 'in_progress',
      version: 1,
    });
    expect(bad.status).to.equal(422);
    expect(await milestone(m.id)).to.include({ percent_complete: 20, version: 1 });
    expect(await count('milestone_updates')).to.equal(updates);
  });

  it('two people saving the same milestone at once: one succeeds, the other gets 409 with their input', async () => {
    const m = await buildMilestone(ctx.db, s.project.id, { status: 'in_progress', percent_complete: 10 });
    const [a, b] = await Promise.all([
      s.pm.post(`${base}/${m.id}/update`, {
        percentComplete: 50,
        status: 'in_progress',
        note: 'from the PM',
        version: 1,
      }),
      s.pmo.post(`${base}/${m.id}/update`, {
        percentComplete: 80,
        status: 'in_progress',
        note: 'from the PMO',
        version: 1,
      }),
    ]);
    expect([a.status, b.status].sort()).to.deep.equal([303, 409]);
    const loser = a.status === 409 ? a : b;
    const winnerPct = a.status === 409 ? 80 : 50;
    expect(loser.text).to.contain('What changed since you opened the form');
    expect(loser.text).to.contain(a.status === 409 ? 'from the PM' : 'from the PMO');
    const row = await milestone(m.id);
    expect(row).to.include({ percent_complete: winnerPct, version: 2 });
    expect(await ctx.db('milestone_updates').where({ milestone_id: m.id })).to.have.length(1);
    // the 409 form now carries the current version: saving again overwrites knowingly
    expect(loser.text).to.contain('name="version" value="2"');
  });

  it('editing all fields checks the version: a stale save gets 409 keeping the input, no lost update', async () => {
    const m = await buildMilestone(ctx.db, s.project.id, {
      title_en: 'Original',
      planned_date: '2026-12-05',
    });
    const edit = await s.pmo.agent.get(`${base}/${m.id}/edit`);
    expect(edit.status).to.equal(200);
    expect(edit.text).to.contain('value="Original"');
    const form = newForm({ titleEn: 'Renamed by PMO', plannedDate: '2026-12-05', version: 1 });
    expect((await s.pmo.post(`${base}/${m.id}`, form)).status).to.equal(303);
    const stale = await s.pm.post(`${base}/${m.id}`, { ...form, titleEn: 'Renamed by PM' });
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('value="Renamed by PM"').and.contain('Renamed by PMO');
    expect(await milestone(m.id)).to.include({ title_en: 'Renamed by PMO', version: 2 });
    const a = await ctx
      .db('audit_log')
      .where({ action: 'milestone.update', entity_id: String(m.id) })
      .first();
    expect(JSON.parse(a.after)).to.include({ titleEn: 'Renamed by PMO' });
    // nothing changed: no write, no history
    const same = await s.pmo.post(`${base}/${m.id}`, { ...form, titleEn: 'Renamed by PMO', version: 2 });
    expect(same.status).to.equal(303);
    expect(await milestone(m.id)).to.include({ version: 2 });
  });

  it('the tab runs the same number of queries for 3 and 30 milestones', async () => {
    const p = await buildProject(ctx.db, { manager_id: s.pm.user.id });
    const url = `/projects/${p.id}/milestones`;
    for (let i = 0; i < 3; i++) await buildMilestone(ctx.db, p.id, { owner_id: s.pm.user.id });
    await s.pm.agent.get(url);
    const few = await countQueries(ctx, () => s.pm.agent.get(url).expect(200));
    for (let i = 0; i < 27; i++) await buildMilestone(ctx.db, p.id, { owner_id: s.pm.user.id });
    const many = await countQueries(ctx, () => s.pm.agent.get(url).expect(200));
    expect(many).to.equal(few);
  });
});
