import { expect } from 'chai';
import supertest from 'supertest';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildUser } from '../factories/users.js';
import { buildProgram, buildProject } from '../factories/portfolio.js';

describe('programs: list, page and edits', () => {
  let ctx: TestContext;
  let pmo: Agent;
  let pm: Agent;
  let programId: number;
  const count = async () => Number((await ctx.db('programs').count({ n: '*' }))[0].n);
  const form = (p: Record<string, unknown>, o: Record<string, string | number> = {}) => ({
    code: p.code as string,
    nameEn: p.name_en as string,
    nameAr: p.name_ar as string,
    descriptionEn: (p.description_en as string) ?? '',
    descriptionAr: (p.description_ar as string) ?? '',
    sponsorId: (p.sponsor_id as number) ?? '',
    managerId: (p.manager_id as number) ?? '',
    plannedStart: (p.planned_start as string) ?? '',
    plannedEnd: (p.planned_end as string) ?? '',
    status: p.status as string,
    version: p.version as number,
    ...o,
  });

  before(async () => {
    ctx = await createTestApp();
    pmo = await ctx.as('pmo');
    pm = await ctx.as('pm');
    const program = await buildProgram(ctx.db, {
      code: 'DST',
      name_en: 'Digital Services',
      name_ar: 'الخدمات الرقمية',
    });
    programId = program.id;
    await buildProject(ctx.db, {
      program_id: programId,
      manager_id: pm.user.id,
      budget_planned: 300_000_000,
      budget_actual: 100_000_000,
      progress_pct: 50,
      health: 'green',
    });
    await buildProject(ctx.db, {
      program_id: programId,
      budget_planned: 100_000_000,
      budget_actual: 150_000_000,
      progress_pct: 10,
      health: 'red',
    });
  });
  after(() => ctx.close());

  it('sends anonymous visitors to the login page', async () => {
    const anon = supertest(ctx.app);
    for (const url of ['/programs', '/programs/new', `/programs/${programId}`, `/programs/${programId}/edit`])
      expect((await anon.get(url)).headers.location, url).to.equal('/login');
    expect((await anon.post('/programs')).status).to.equal(303);
    expect((await anon.post(`/programs/${programId}`)).status).to.equal(303);
  });

  it('shows roll-ups: progress weighted by planned budget, budget sums and variance, health counts', async () => {
    const res = await pmo.agent.get(`/programs/${programId}`);
    expect(res.status).to.equal(200);
    // (50 × 300k + 10 × 100k) / 400k = 40 %
    expect(res.text).to.contain('40%');
    expect(res.text)
      .to.match(/BHD\s400,000\.000/)
      .and.match(/BHD\s250,000\.000/)
      .and.match(/BHD\s150,000\.000/);
    expect(res.text).to.contain('Green: 1').and.contain('Red: 1');
    const list = await pmo.agent.get('/programs?lang=ar');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain('الخدمات الرقمية');
  });

  it('lets a project manager see only programs of their projects, rolled up over what they see', async () => {
    const other = await buildProgram(ctx.db, { code: 'HIDDEN', name_en: 'Hidden program' });
    const list = await pm.agent.get('/programs');
    expect(list.text).to.contain('Digital Services').and.not.contain('Hidden program');
    expect((await pm.agent.get(`/programs/${other.id}`)).status).to.equal(404);
    const page = await pm.agent.get(`/programs/${programId}`);
    expect(page.status).to.equal(200);
    expect(page.text)
      .to.match(/BHD\s300,000\.000/)
      .and.not.match(/BHD\s400,000\.000/);
    expect((await pm.agent.get(`/programs/${programId}/edit`)).status).to.equal(403);
    expect((await pm.agent.get(`/programs/${other.id}/edit`)).status).to.equal(404);
    expect((await pm.post(`/programs/${other.id}`, { code: 'X', version: 1 })).status).to.equal(404);
    expect((await pm.agent.get('/programs/new')).status).to.equal(404);
    expect((await pm.post('/programs', { code: 'NEW' })).status).to.equal(404);
    expect((await pm.agent.get('/programs/abc')).status).to.equal(404);
  });

  it('lets a viewer read every program but change none (403)', async () => {
    const viewer = await ctx.as('viewer');
    expect((await viewer.agent.get(`/programs/${programId}`)).status).to.equal(200);
    const p = await ctx.db('programs').where({ id: programId }).first();
    const res = await viewer.post(`/programs/${programId}`, form(p, { nameEn: 'Changed by viewer' }));
    expect(res.status).to.equal(403);
    expect((await ctx.db('programs').where({ id: programId }).first()).name_en).to.equal('Digital Services');
  });

  it('creates a program with an audit entry; refuses invalid input with 422 and writes nothing', async () => {
    const sponsor = await buildUser(ctx.db, { role: 'sponsor' });
    const before = await count();
    const bad = await pmo.post('/programs?lang=ar', {
      code: 'no spaces!',
      nameEn: '',
      nameAr: 'برنامج',
      sponsorId: pm.user.id,
      status: 'dreaming',
      plannedStart: '2027-01-01',
      plannedEnd: '2026-01-01',
    });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('هذا الحقل مطلوب').and.contain('استخدم من 1 إلى 20');
    const wrongSponsor = await pmo.post('/programs', {
      code: 'CXF',
      nameEn: 'Customer Experience',
      nameAr: 'تجربة المتعاملين',
      sponsorId: pm.user.id,
      status: 'active',
    });
    expect(wrongSponsor.status).to.equal(422);
    expect(wrongSponsor.text).to.contain('Choose an active person');
    const dup = await pmo.post('/programs', {
      code: 'dst',
      nameEn: 'Again',
      nameAr: 'مرة',
      status: 'active',
    });
    expect(dup.status).to.equal(422);
    expect(await count()).to.equal(before);
    const ok = await pmo.post('/programs', {
      code: 'cxf',
      nameEn: 'Customer Experience',
      nameAr: 'تجربة المتعاملين',
      sponsorId: sponsor.id,
      plannedStart: '2026-01-01',
      plannedEnd: '2027-12-31',
      status: 'planned',
    });
    expect(ok.status).to.equal(303);
    const created = await ctx.db('programs').where({ code: 'CXF' }).first();
    expect(ok.headers.location).to.equal(`/programs/${created.id}`);
    expect(created.sponsor_id).to.equal(sponsor.id);
    expect(
      await ctx.db('audit_log').where({ action: 'program.create', entity_id: String(created.id) }),
    ).to.have.length(1);
  });

  it('edits with a version check: a stale save gets 409 with the input kept and the saved values shown', async () => {
    const p = await ctx.db('programs').where({ id: programId }).first();
    expect((await pmo.agent.get(`/programs/${programId}/edit`)).status).to.equal(200);
    const ok = await pmo.post(
      `/programs/${programId}`,
      form(p, { nameEn: 'Digital Services Transformation' }),
    );
    expect(ok.status).to.equal(303);
    const stale = await pmo.post(`/programs/${programId}`, form(p, { nameEn: 'My late edit' }));
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('My late edit').and.contain('Digital Services Transformation');
    const after = await ctx.db('programs').where({ id: programId }).first();
    expect(after.name_en).to.equal('Digital Services Transformation');
    expect(after.version).to.equal(p.version + 1);
    const audit = await ctx
      .db('audit_log')
      .where({ action: 'program.update', entity_id: String(programId) })
      .first();
    expect(JSON.parse(audit.before)).to.deep.equal({ nameEn: 'Digital Services' });
    expect(JSON.parse(audit.after)).to.deep.equal({ nameEn: 'Digital Services Transformation' });
  });

  it('lists programs 25 to a page, in code order, with the totals of the whole portfolio', async () => {
    const fresh = await createTestApp();
    try {
      const viewer = await fresh.as('viewer');
      for (let i = 1; i <= 30; i++) {
        const g = await buildProgram(fresh.db, { code: `PP${String(i).padStart(2, '0')}` });
        await buildProject(fresh.db, { program_id: g.id, budget_planned: 2_000_000, health: 'amber' });
      }
      const first = await viewer.agent.get('/programs');
      expect(first.status).to.equal(200);
      expect(first.text.match(/<a href="\/programs\/\d+" dir="auto">/g)).to.have.length(25);
      expect(first.text).to.contain('>PP01<').and.contain('>PP25<').and.not.contain('>PP26<');
      expect(first.text).to.contain('Page 1 of 2').and.contain('Whole portfolio (30 programs)');
      expect(first.text).to.contain('Health of projects: 0 green, 30 amber, 0 red');
      expect(first.text).to.match(/BHD\s60,000\.000/);
      const second = await viewer.agent.get('/programs?page=2&lang=ar');
      expect(second.text.match(/<a href="\/programs\/\d+" dir="auto">/g)).to.have.length(5);
      expect(second.text).to.contain('>PP30<').and.contain('المحفظة كاملة (30 برنامجاً)');
      // past the end or nonsense: the last page, or the first
      expect((await viewer.agent.get('/programs?page=99')).text).to.contain('>PP30<');
      expect((await viewer.agent.get('/programs?page=abc')).text).to.contain('>PP01<');
    } finally {
      await fresh.close();
    }
  });
});
