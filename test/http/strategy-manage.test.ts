import { expect } from 'chai';
import supertest from 'supertest';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildKpi, buildMeasurement, buildObjective, buildStrategy } from '../factories/strategy.js';
import { buildProgram, buildProject } from '../factories/portfolio.js';

const NOW = new Date('2026-11-28T10:00:00Z');

describe('strategy: managing strategies, objectives, links, KPIs and targets', () => {
  let ctx: TestContext;
  let pmo: Agent;
  let admin: Agent;
  let pm: Agent;
  let viewer: Agent;
  let sponsor: Agent;

  const rows = async (table: string) => Number((await ctx.db(table).count({ n: '*' }))[0].n);
  const audited = async (action: string) => !!(await ctx.db('audit_log').where({ action }).first());

  before(async () => {
    ctx = await createTestApp({ clock: () => NOW });
    pmo = await ctx.as('pmo');
    admin = await ctx.as('admin');
    pm = await ctx.as('pm');
    viewer = await ctx.as('viewer');
    sponsor = await ctx.as('sponsor');
  });
  after(() => ctx.close());

  describe('strategies', () => {
    it('anonymous → login; other roles → 403 on the forms and posts', async () => {
      const a = supertest(ctx.app);
      for (const url of ['/strategy/strategies/new', '/strategy/strategies/1/edit'])
        expect((await a.get(url)).headers.location).to.equal('/login');
      for (const who of [pm, viewer, sponsor]) {
        expect((await who.agent.get('/strategy/strategies/new')).status).to.equal(403);
        expect((await who.post('/strategy/strategies', { nameEn: 'X', nameAr: 'س' })).status).to.equal(403);
      }
    });

    it('creates and edits a strategy, with audit entries; 422 on bad years; 409 on a stale version', async () => {
      expect((await pmo.agent.get('/strategy/strategies/new')).status).to.equal(200);
      const bad = await pmo.post('/strategy/strategies', {
        nameEn: 'S',
        nameAr: 'س',
        startYear: 2026,
        endYear: 2016,
      });
      expect(bad.status).to.equal(422);
      expect(bad.text).to.contain('The last year must not be before the first year.');
      const before = await rows('strategies');
      const res = await pmo.post('/strategy/strategies', {
        nameEn: 'National e-Government Strategy',
        nameAr: 'الاستراتيجية الوطنية للحكومة الإلكترونية',
        startYear: 2016,
        endYear: 2026,
      });
      expect(res.status).to.equal(303);
      expect(await rows('strategies')).to.equal(before + 1);
      const s = await ctx.db('strategies').orderBy('id', 'desc').first();
      expect((await admin.agent.get(`/strategy/strategies/${s.id}/edit`)).status).to.equal(200);
      const upd = await admin.post(`/strategy/strategies/${s.id}`, {
        nameEn: 'National e-Government Strategy 2016–2026',
        nameAr: 'الاستراتيجية',
        startYear: 2016,
        endYear: 2026,
        version: 1,
      });
      expect(upd.status).to.equal(303);
      const stale = await admin.post(`/strategy/strategies/${s.id}`, {
        nameEn: 'Other',
        nameAr: 'أخرى',
        startYear: 2016,
        endYear: 2026,
        version: 1,
      });
      expect(stale.status).to.equal(409);
      expect(stale.text).to.contain('value="Other"');
      expect(await audited('strategy.create')).to.equal(true);
      expect(await audited('strategy.update')).to.equal(true);
      expect((await pmo.agent.get('/strategy/strategies/999999/edit')).status).to.equal(404);
    });
  });

  describe('objectives', () => {
    it('creates, shows and edits an objective; 403 for others; 422 on a duplicate code', async () => {
      const s = await buildStrategy(ctx.db);
      expect((await pm.agent.get('/strategy/objectives/new')).status).to.equal(403);
      expect((await viewer.post('/strategy/objectives', { strategyId: s.id })).status).to.equal(403);
      expect((await pmo.agent.get('/strategy/objectives/new')).status).to.equal(200);
      const form = {
        strategyId: String(s.id),
        code: 'so9',
        nameEn: 'Deliver every suitable service electronically',
        nameAr: 'تقديم جميع الخدمات الملائمة إلكترونياً',
        ownerId: String(pmo.user.id),
        sortOrder: '1',
      };
      const res = await pmo.post('/strategy/objectives', form);
      expect(res.status).to.equal(303);
      const o = await ctx.db('objectives').where({ code: 'SO9' }).first();
      expect(res.headers.location).to.equal(`/strategy/objectives/${o.id}`);
      const before = await rows('objectives');
      const dup = await pmo.post('/strategy/objectives', { ...form, code: 'SO9' });
      expect(dup.status).to.equal(422);
      expect(dup.text).to.contain('This value is already in use.');
      const badOwner = await pmo.post('/strategy/objectives', {
        ...form,
        code: 'SO10',
        ownerId: String(viewer.user.id),
      });
      expect(badOwner.status).to.equal(422);
      const missing = await pmo.post('/strategy/objectives', { ...form, code: 'bad code!', nameEn: '' });
      expect(missing.status).to.equal(422);
      expect(await rows('objectives')).to.equal(before);

      for (const who of [viewer, pm, sponsor]) {
        const page = await who.agent.get(`/strategy/objectives/${o.id}`);
        expect(page.status).to.equal(200);
        expect(page.text).to.contain('Deliver every suitable service electronically');
        expect(page.text).to.not.contain(`/strategy/objectives/${o.id}/edit`);
      }
      const ar = await viewer.agent.get(`/strategy/objectives/${o.id}?lang=ar`);
      expect(ar.text).to.contain('تقديم جميع الخدمات الملائمة إلكترونياً');
      expect((await pmo.agent.get(`/strategy/objectives/${o.id}/edit`)).status).to.equal(200);
      expect((await pm.agent.get(`/strategy/objectives/${o.id}/edit`)).status).to.equal(403);
      const upd = await pmo.post(`/strategy/objectives/${o.id}`, {
        ...form,
        nameEn: 'Renamed',
        version: '1',
      });
      expect(upd.status).to.equal(303);
      expect((await ctx.db('objectives').where({ id: o.id }).first()).name_en).to.equal('Renamed');
      const stale = await pmo.post(`/strategy/objectives/${o.id}`, {
        ...form,
        nameEn: 'Again',
        version: '1',
      });
      expect(stale.status).to.equal(409);
      expect(await audited('objective.update')).to.equal(true);
      expect((await pmo.agent.get('/strategy/objectives/999999')).status).to.equal(404);
    });
  });

  describe('links to programs and projects', () => {
    it('links a project and a program with a note, edits the note, removes it', async () => {
      const o = await buildObjective(ctx.db);
      const program = await buildProgram(ctx.db);
      const project = await buildProject(ctx.db, { program_id: program.id });
      expect((await pm.agent.get(`/strategy/links/new?objective=${o.id}`)).status).to.equal(403);
      const form = await pmo.agent.get(`/strategy/links/new?project=${project.id}`);
      expect(form.status).to.equal(200);
      expect(form.text).to.contain(`value="project:${project.id}" selected`);
      const bad = await pmo.post('/strategy/links', { objectiveId: String(o.id), target: 'project:abc' });
      expect(bad.status).to.equal(422);
      const res = await pmo.post('/strategy/links', {
        objectiveId: String(o.id),
        target: `project:${project.id}`,
        noteEn: 'Builds the portal',
        noteAr: 'يبني البوابة',
      });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/strategy/objectives/${o.id}`);
      const dup = await pmo.post('/strategy/links', {
        objectiveId: String(o.id),
        target: `project:${project.id}`,
      });
      expect(dup.status).to.equal(422);
      expect(dup.text).to.contain('already linked');
      expect(
        (await pmo.post('/strategy/links', { objectiveId: String(o.id), target: `program:${program.id}` }))
          .status,
      ).to.equal(303);
      expect(
        (await pmo.post('/strategy/links', { objectiveId: String(o.id), target: 'program:999999' })).status,
      ).to.equal(422);
      const link = await ctx
        .db('objective_links')
        .where({ objective_id: o.id, project_id: project.id })
        .first();
      expect(link.note_ar).to.equal('يبني البوابة');
      const page = await pmo.agent.get(`/strategy/objectives/${o.id}`);
      expect(page.text).to.contain('Builds the portal').and.contain(project.code).and.contain(program.code);

      expect((await pmo.agent.get(`/strategy/links/${link.id}/edit`)).status).to.equal(200);
      expect((await viewer.agent.get(`/strategy/links/${link.id}/edit`)).status).to.equal(403);
      const upd = await pmo.post(`/strategy/links/${link.id}`, {
        noteEn: 'Rebuilds the portal',
        noteAr: '',
        version: 1,
      });
      expect(upd.status).to.equal(303);
      const tooLong = await pmo.post(`/strategy/links/${link.id}`, { noteEn: 'x'.repeat(501), version: 2 });
      expect(tooLong.status).to.equal(422);
      const stale = await pmo.post(`/strategy/links/${link.id}/delete`, { version: 1 });
      expect(stale.status).to.equal(409);
      expect((await pm.post(`/strategy/links/${link.id}/delete`, { version: 2 })).status).to.equal(403);
      const del = await pmo.post(`/strategy/links/${link.id}/delete`, { version: 2 });
      expect(del.status).to.equal(303);
      expect(await ctx.db('objective_links').where({ id: link.id }).first()).to.equal(undefined);
      for (const a of ['objective.link', 'objective.link.update', 'objective.unlink'])
        expect(await audited(a), a).to.equal(true);
      expect((await pmo.agent.get('/strategy/links/999999/edit')).status).to.equal(404);
    });
  });

  describe('KPIs and targets', () => {
    it('creates a KPI with an exact baseline, refuses invalid ones, and edits it', async () => {
      const o = await buildObjective(ctx.db);
      expect((await pm.agent.get(`/strategy/objectives/${o.id}/kpis/new`)).status).to.equal(403);
      expect((await pmo.agent.get(`/strategy/objectives/${o.id}/kpis/new`)).status).to.equal(200);
      expect((await pmo.agent.get('/strategy/objectives/999999/kpis/new')).status).to.equal(404);
      const form = {
        code: 'so9-k1',
        nameEn: 'Share of services online',
        nameAr: 'نسبة الخدمات الإلكترونية',
        unit: 'percent',
        direction: 'higher',
        baselineValue: '62.5',
        baselineDate: '2024-12-31',
        frequency: 'quarterly',
        ownerId: String(pm.user.id),
        dataSourceEn: 'Services catalogue',
        sortOrder: '1',
      };
      const before = await rows('kpis');
      for (const bad of [
        { baselineValue: '101' },
        { baselineValue: 'sixty' },
        { unit: 'furlongs' },
        { frequency: 'weekly' },
        { baselineDate: '2024-02-30' },
        { sourceKey: 'approval_cycle_days' }, // a days source on a percent KPI
      ]) {
        const res = await pmo.post(`/strategy/objectives/${o.id}/kpis`, { ...form, ...bad });
        expect(res.status, JSON.stringify(bad)).to.equal(422);
      }
      expect(await rows('kpis')).to.equal(before);
      const res = await pmo.post(`/strategy/objectives/${o.id}/kpis`, form);
      expect(res.status).to.equal(303);
      const k = await ctx.db('kpis').where({ code: 'SO9-K1' }).first();
      expect(res.headers.location).to.equal(`/strategy/kpis/${k.id}/targets`);
      expect(Number(k.baseline_value)).to.equal(625000);

      expect((await pmo.agent.get(`/strategy/kpis/${k.id}/edit`)).status).to.equal(200);
      expect((await viewer.agent.get(`/strategy/kpis/${k.id}/edit`)).status).to.equal(403);
      const upd = await pmo.post(`/strategy/kpis/${k.id}`, { ...form, frequency: 'monthly', version: '1' });
      expect(upd.status).to.equal(303);
      // Once measured, the frequency and unit stay.
      await buildMeasurement(ctx.db, k.id, '2026-M01', 70);
      const fixed = await pmo.post(`/strategy/kpis/${k.id}`, {
        ...form,
        frequency: 'quarterly',
        version: '2',
      });
      expect(fixed.status).to.equal(422);
      expect(fixed.text).to.contain('cannot change once values have been recorded');
      const stale = await pmo.post(`/strategy/kpis/${k.id}`, { ...form, frequency: 'monthly', version: '1' });
      expect(stale.status).to.equal(409);
      expect(await audited('kpi.create')).to.equal(true);
      expect(await audited('kpi.update')).to.equal(true);
    });

    it('sets, edits and removes targets per period', async () => {
      const k = await buildKpi(ctx.db, { targets: {} });
      const url = `/strategy/kpis/${k.id}/targets`;
      expect((await pm.agent.get(url)).status).to.equal(403);
      expect((await pmo.agent.get(url)).status).to.equal(200);
      expect((await pm.post(url, { periodKey: '2025', value: '70' })).status).to.equal(403);
      for (const bad of [
        { periodKey: '2025', value: '170' },
        { periodKey: 'next year', value: '70' },
        { periodKey: '2024', value: '70' }, // ends on the baseline date
      ]) {
        const res = await pmo.post(url, bad);
        expect(res.status, JSON.stringify(bad)).to.equal(422);
      }
      expect((await pmo.post(url, { periodKey: '2025', value: '70' })).status).to.equal(303);
      expect((await pmo.post(url, { periodKey: '2026-Q4', value: '80' })).status).to.equal(303);
      const dup = await pmo.post(url, { periodKey: '2026', value: '81' }); // ends the same day as 2026-Q4
      expect(dup.status).to.equal(422);
      const t = await ctx.db('kpi_targets').where({ kpi_id: k.id, period_key: '2025' }).first();
      expect(Number(t.value)).to.equal(700000);
      const badEdit = await pmo.post(`${url}/${t.id}`, { value: '-1', version: 1 });
      expect(badEdit.status).to.equal(422);
      expect(badEdit.text).to.contain('The value cannot be negative.');
      expect((await pmo.post(`${url}/${t.id}`, { value: '72.5', version: 1 })).status).to.equal(303);
      expect(Number((await ctx.db('kpi_targets').where({ id: t.id }).first()).value)).to.equal(725000);
      expect((await pmo.post(`${url}/${t.id}`, { value: '73', version: 1 })).status).to.equal(409);
      expect((await pmo.post(`${url}/${t.id}/delete`, { version: 2 })).status).to.equal(303);
      expect((await pmo.post(`${url}/999999/delete`, { version: 1 })).status).to.equal(404);
      for (const a of ['kpi.target.create', 'kpi.target.update', 'kpi.target.delete'])
        expect(await audited(a), a).to.equal(true);
    });
  });
});
