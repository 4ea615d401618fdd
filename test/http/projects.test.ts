import { expect } from 'chai';
import supertest from 'supertest';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildUser } from '../factories/users.js';
import {
  addMember,
  buildMilestone,
  buildProgram,
  buildProject,
  buildStatusReport,
  projectForm,
  type ProjectRow,
} from '../factories/portfolio.js';
import { countQueries } from '../factories/scene.js';

describe('projects: pages and edits', () => {
  let ctx: TestContext;
  let pmo: Agent;
  let pm: Agent;
  let otherPm: Agent;
  let project: ProjectRow;
  let programId: number;
  const row = (id: number) => ctx.db('projects').where({ id }).first();
  const count = async (table: string) => Number((await ctx.db(table).count({ n: '*' }))[0].n);

  before(async () => {
    ctx = await createTestApp();
    pmo = await ctx.as('pmo');
    pm = await ctx.as('pm');
    otherPm = await ctx.as('pm');
    const sponsor = await buildUser(ctx.db, { role: 'sponsor' });
    programId = (await buildProgram(ctx.db)).id;
    project = await buildProject(ctx.db, {
      program_id: programId,
      manager_id: pm.user.id,
      sponsor_id: sponsor.id,
      name_en: 'National portal redesign',
      name_ar: 'إعادة تصميم البوابة الوطنية',
    });
    await buildMilestone(ctx.db, project.id, { planned_date: '2020-01-01', title_en: 'Charter approved' });
  });
  after(() => ctx.close());

  it('sends anonymous visitors to the login page', async () => {
    const anon = supertest(ctx.app);
    for (const url of [
      '/projects/new',
      `/projects/${project.id}`,
      `/projects/${project.id}/edit`,
      `/projects/${project.id}/team`,
      `/projects/${project.id}/history`,
    ]) {
      const res = await anon.get(url);
      expect(res.status, url).to.equal(303);
      expect(res.headers.location).to.equal('/login');
    }
    for (const url of ['/projects', `/projects/${project.id}`, `/projects/${project.id}/team`]) {
      expect((await anon.post(url)).status, url).to.equal(303);
    }
  });

  it('shows the overview, team and history tabs to those who may see the project', async () => {
    for (const a of [pmo, pm]) {
      const res = await a.agent.get(`/projects/${project.id}`);
      expect(res.status).to.equal(200);
      expect(res.text)
        .to.contain('National portal redesign')
        .and.contain('href="/projects/' + project.id + '/team"');
      expect(res.text).to.contain('Late milestones carry');
      expect((await a.agent.get(`/projects/${project.id}/team`)).status).to.equal(200);
      expect((await a.agent.get(`/projects/${project.id}/history`)).status).to.equal(200);
    }
    const ar = await pm.agent.get(`/projects/${project.id}?lang=ar`);
    expect(ar.text).to.contain('إعادة تصميم البوابة الوطنية').and.contain('dir="rtl"');
  });

  it('the overview names the program, manager and sponsor and shows the latest report, in the same number of queries however much the project holds', async () => {
    const program = await buildProgram(ctx.db, { code: 'OVW-PG', name_en: 'Overview program' });
    const manager = await buildUser(ctx.db, { role: 'pm', nameEn: 'Mona Manager' });
    const sponsor = await buildUser(ctx.db, { role: 'sponsor', nameEn: 'Sami Sponsor' });
    const p = await buildProject(ctx.db, {
      program_id: program.id,
      manager_id: manager.id,
      sponsor_id: sponsor.id,
    });
    const url = `/projects/${p.id}`;
    await buildMilestone(ctx.db, p.id);
    await buildStatusReport(ctx.db, p.id, {
      period_start: '2026-08-01',
      period_end: '2026-08-31',
      overall_rag: 'green',
    });
    await pmo.agent.get(url);
    const few = await countQueries(ctx, () => pmo.agent.get(url).expect(200));
    for (let i = 0; i < 12; i++) await buildMilestone(ctx.db, p.id, { planned_date: '2020-01-01' });
    for (let i = 0; i < 8; i++) await addMember(ctx.db, p.id, (await buildUser(ctx.db, { role: 'pm' })).id);
    await buildStatusReport(ctx.db, p.id, {
      period_start: '2026-10-01',
      period_end: '2026-10-31',
      overall_rag: 'red',
    });
    await buildStatusReport(ctx.db, p.id, {
      period_start: '2026-09-01',
      period_end: '2026-09-30',
      overall_rag: 'amber',
    });
    const res = await pmo.agent.get(url).expect(200);
    expect(res.text).to.contain('OVW-PG').and.contain('Overview program');
    expect(res.text).to.contain('Mona Manager').and.contain('Sami Sponsor');
    // the latest report by period, whatever order they were written in
    expect(res.text).to.match(/<span class="rag rag-red">[^<]*<\/span> <span class="small">[^<]*2026/);
    expect(res.text).to.match(/13 in total: 0 completed, \d+ late/);
    expect(await countQueries(ctx, () => pmo.agent.get(url).expect(200))).to.equal(few);
    expect((await pmo.agent.get(`${url}/team`)).text)
      .to.contain('Mona Manager')
      .and.contain('Sami Sponsor');
    expect((await pmo.agent.get(`${url}/history`)).text).to.contain(p.code);
  });

  it('answers 404 to a project manager of another project, for every page and action', async () => {
    for (const url of ['', '/edit', '/team', '/history'])
      expect((await otherPm.agent.get(`/projects/${project.id}${url}`)).status, url).to.equal(404);
    const before = await row(project.id);
    const res = await otherPm.post(`/projects/${project.id}`, {
      descriptionEn: 'Hijack',
      version: before.version,
    });
    expect(res.status).to.equal(404);
    expect((await otherPm.post(`/projects/${project.id}/team`, { userId: otherPm.user.id })).status).to.equal(
      404,
    );
    expect((await row(project.id)).description_en).to.equal(before.description_en);
    expect((await otherPm.agent.get('/projects/999999')).status).to.equal(404);
    expect((await pmo.agent.get('/projects/abc')).status).to.equal(404);
  });

  it('lets a viewer read but not change (403), and hides the new-project form from non-governance (404)', async () => {
    const viewer = await ctx.as('viewer');
    expect((await viewer.agent.get(`/projects/${project.id}`)).status).to.equal(200);
    expect((await viewer.agent.get(`/projects/${project.id}/edit`)).status).to.equal(403);
    const before = await row(project.id);
    const res = await viewer.post(`/projects/${project.id}`, projectForm(before, { nameEn: 'Viewer edit' }));
    expect(res.status).to.equal(403);
    expect(
      (
        await viewer.post(`/projects/${project.id}/team`, {
          userId: viewer.user.id,
          roleEn: 'x',
          roleAr: 'س',
        })
      ).status,
    ).to.equal(403);
    expect((await row(project.id)).name_en).to.equal(before.name_en);
    for (const a of [viewer, pm]) {
      expect((await a.agent.get('/projects/new')).status).to.equal(404);
      expect((await a.post('/projects', { code: 'X-1' })).status).to.equal(404);
    }
    const sponsorElsewhere = await ctx.as('sponsor');
    expect((await sponsorElsewhere.agent.get(`/projects/${project.id}`)).status).to.equal(404);
  });

  it('creates a project in the initiation phase with an audit entry', async () => {
    const manager = await buildUser(ctx.db, { role: 'pm' });
    const res = await pmo.post('/projects', {
      code: 'dst-07',
      programId,
      nameEn: 'Unified e-forms platform',
      nameAr: 'منصة النماذج الإلكترونية الموحدة',
      managerId: manager.id,
      status: 'active',
      priority: 'high',
      reportFrequency: 'weekly',
      plannedStart: '2026-01-01',
      plannedEnd: '2026-12-31',
      budgetPlanned: '1,250,000.500',
      budgetActual: '0',
    });
    expect(res.status).to.equal(303);
    const created = await ctx.db('projects').where({ code: 'DST-07' }).first();
    expect(res.headers.location).to.equal(`/projects/${created.id}`);
    expect(created.phase).to.equal('initiation');
    expect(Number(created.budget_planned)).to.equal(1_250_000_500);
    expect(created.currency).to.equal('BHD');
    expect(created.health_computed_on).to.be.a('string');
    const audit = await ctx
      .db('audit_log')
      .where({ action: 'project.create', entity_id: String(created.id) })
      .first();
    expect(audit.actor_id).to.equal(pmo.user.id);
    expect(JSON.parse(audit.after).budgetPlanned).to.equal(1_250_000_500);
  });

  it('refuses invalid input with 422 in the user language, writing nothing', async () => {
    const before = await count('projects');
    const res = await pmo.post('/projects?lang=ar', {
      code: 'bad code!',
      programId: 999999,
      nameEn: '',
      nameAr: 'اسم',
      status: 'flying',
      priority: 'high',
      reportFrequency: 'monthly',
      plannedStart: '2026-05-01',
      plannedEnd: '2026-04-01',
      budgetPlanned: '12.3456',
      budgetActual: 'abc',
    });
    expect(res.status).to.equal(422);
    expect(res.text)
      .to.contain('هذا الحقل مطلوب')
      .and.contain('اختر أحد الخيارات المتاحة')
      .and.contain('أدخل مبلغاً لا يتجاوز 3 خانات عشرية');
    expect(res.text).to.contain('value="bad code!"');
    const dates = await pmo.post('/projects?lang=ar', {
      code: 'NEW-0',
      programId,
      nameEn: 'Backwards',
      nameAr: 'معكوس',
      status: 'active',
      priority: 'low',
      reportFrequency: 'monthly',
      plannedStart: '2026-05-01',
      plannedEnd: '2026-04-01',
      actualStart: '',
      actualEnd: '2026-01-01',
      budgetPlanned: '1',
      budgetActual: '0',
    });
    expect(dates.status).to.equal(422);
    expect(dates.text).to.contain('يجب أن يكون تاريخ الانتهاء').and.contain('أدخل البداية الفعلية');
    const dup = await pmo.post('/projects', {
      code: project.code,
      programId,
      nameEn: 'Copy',
      nameAr: 'نسخة',
      status: 'active',
      priority: 'low',
      reportFrequency: 'monthly',
      budgetPlanned: '1',
      budgetActual: '0',
    });
    expect(dup.status).to.equal(422);
    expect(dup.text).to.contain('already in use');
    const badProgram = await pmo.post('/projects', {
      code: 'NEW-1',
      programId: 999999,
      nameEn: 'Copy',
      nameAr: 'نسخة',
      status: 'active',
      priority: 'low',
      reportFrequency: 'monthly',
      budgetPlanned: '1',
      budgetActual: '0',
    });
    expect(badProgram.status).to.equal(422);
    const phase = await pmo.post('/projects', {
      code: 'NEW-2',
      programId,
      nameEn: 'Skip the gates',
      nameAr: 'تجاوز البوابات',
      status: 'active',
      priority: 'low',
      reportFrequency: 'monthly',
      budgetPlanned: '1',
      budgetActual: '0',
      phase: 'execution',
    });
    expect(phase.status).to.equal(422);
    expect(phase.text).to.contain('You may not change these fields here: Phase');
    expect(await count('projects')).to.equal(before);
  });

  it('lets PMO edit every field but the phase, with before/after in the audit log', async () => {
    const current = await row(project.id);
    const res = await pmo.post(
      `/projects/${project.id}`,
      projectForm(current, {
        budgetPlanned: '2,000,000.125',
        priority: 'critical',
        scope: 'Portal and apps.',
      }),
    );
    expect(res.status).to.equal(303);
    const after = await row(project.id);
    expect(Number(after.budget_planned)).to.equal(2_000_000_125);
    expect(after.priority).to.equal('critical');
    expect(after.version).to.equal(current.version + 1);
    const audit = await ctx
      .db('audit_log')
      .where({ action: 'project.update', entity_id: String(project.id) })
      .first();
    expect(JSON.parse(audit.before)).to.deep.include({ priority: 'medium' });
    expect(JSON.parse(audit.after)).to.deep.include({ priority: 'critical', budgetPlanned: 2_000_000_125 });
    const phase = await pmo.post(`/projects/${project.id}`, projectForm(after, { phase: 'closed' }));
    expect(phase.status).to.equal(422);
    expect((await row(project.id)).phase).to.equal('execution');
  });

  it('saving an untouched form (textarea line breaks sent as CRLF) changes nothing and writes no audit entry', async () => {
    await ctx
      .db('projects')
      .where({ id: project.id })
      .update({ scope: 'In scope: portal.\nOut of scope: fees.' });
    const current = await row(project.id);
    const audits = async () => (await ctx.db('audit_log').where({ entity_id: String(project.id) })).length;
    const before = await audits();
    const res = await pmo.post(
      `/projects/${project.id}`,
      projectForm(current, { scope: 'In scope: portal.\r\nOut of scope: fees.\r\n' }),
    );
    expect(res.status).to.equal(303);
    const after = await row(project.id);
    expect(after.version).to.equal(current.version);
    expect(after.scope).to.equal('In scope: portal.\nOut of scope: fees.');
    expect(await audits()).to.equal(before);
  });

  it("lets the project's manager change only the PM fields; any other field is refused by name", async () => {
    const edit = await pm.agent.get(`/projects/${project.id}/edit`);
    expect(edit.status).to.equal(200);
    expect(edit.text).to.contain('name="budgetActual"').and.not.contain('name="budgetPlanned"');
    expect(edit.text).to.not.contain('name="managerId"').and.not.contain('name="phase"');
    const before = await row(project.id);
    const refused = await pm.post(`/projects/${project.id}`, {
      descriptionEn: 'Updated by the PM',
      budgetActual: '10.000',
      budgetPlanned: '99999999.000',
      sponsorId: pm.user.id,
      reportFrequency: 'weekly',
      version: before.version,
    });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Budget planned').and.contain('Sponsor');
    const unchanged = await row(project.id);
    expect(unchanged.description_en).to.equal(before.description_en);
    expect(unchanged.budget_planned).to.equal(before.budget_planned);
    expect(unchanged.version).to.equal(before.version);
    const ok = await pm.post(`/projects/${project.id}`, {
      descriptionEn: 'Updated by the PM',
      descriptionAr: 'تحديث من مدير المشروع',
      actualStart: '2026-01-05',
      actualEnd: '',
      budgetActual: '450,000.250',
      reportFrequency: 'weekly',
      version: before.version,
    });
    expect(ok.status).to.equal(303);
    const changed = await row(project.id);
    expect(changed.description_en).to.equal('Updated by the PM');
    expect(Number(changed.budget_actual)).to.equal(450_000_250);
    expect(changed.report_frequency).to.equal('weekly');
    expect(changed.budget_planned).to.equal(before.budget_planned);
    expect(changed.manager_id).to.equal(pm.user.id);
    const future = await pm.post(`/projects/${project.id}`, {
      descriptionEn: 'x',
      descriptionAr: '',
      actualStart: '2099-01-01',
      budgetActual: '1',
      reportFrequency: 'weekly',
      version: changed.version,
    });
    expect(future.status).to.equal(422);
    expect(future.text).to.contain('cannot be in the future');
  });

  it('two concurrent saves: exactly one wins, the other gets 409 with its input kept; no lost update', async () => {
    const admin = await ctx.as('admin');
    const current = await row(project.id);
    const [a, b] = await Promise.all([
      pmo.post(`/projects/${project.id}`, projectForm(current, { nameEn: 'Saved by PMO' })),
      admin.post(
        `/projects/${project.id}`,
        projectForm(current, { nameEn: 'Saved by admin', priority: 'low' }),
      ),
    ]);
    expect([a.status, b.status].sort()).to.deep.equal([303, 409]);
    const loser = a.status === 409 ? a : b;
    const winner = a.status === 409 ? 'Saved by admin' : 'Saved by PMO';
    expect(loser.text).to.contain(a.status === 409 ? 'Saved by PMO' : 'Saved by admin');
    expect(loser.text).to.contain('Changed by someone else').and.contain(winner);
    const after = await row(project.id);
    expect(after.name_en).to.equal(winner);
    expect(after.version).to.equal(current.version + 1);
    // The 409 page carries the current version: saving again deliberately works.
    const m = /name="version" value="(\d+)"/.exec(loser.text);
    expect(Number(m?.[1])).to.equal(after.version);
  });

  it('manages the team: add with a bilingual role, refuse duplicates, remove; all audited', async () => {
    const analyst = await buildUser(ctx.db, { role: 'pm', nameEn: 'Sara Analyst' });
    const add = await pm.post(`/projects/${project.id}/team`, {
      userId: analyst.id,
      roleEn: 'Business analyst',
      roleAr: 'محلل أعمال',
    });
    expect(add.status).to.equal(303);
    const team = await pm.agent.get(`/projects/${project.id}/team`);
    expect(team.text).to.contain('Sara Analyst').and.contain('Business analyst');
    const dup = await pm.post(`/projects/${project.id}/team`, {
      userId: analyst.id,
      roleEn: 'Again',
      roleAr: 'مرة',
    });
    expect(dup.status).to.equal(422);
    expect(dup.text).to.contain('already on the team');
    const invalid = await pm.post(`/projects/${project.id}/team`, { userId: 'abc', roleEn: '', roleAr: '' });
    expect(invalid.status).to.equal(422);
    expect(await ctx.db('project_members').where({ project_id: project.id })).to.have.length(1);
    // The new member now sees the project.
    const member = await ctx.login(analyst);
    expect((await member.agent.get(`/projects/${project.id}`)).status).to.equal(200);
    expect((await member.post(`/projects/${project.id}/team/${analyst.id}/remove`)).status).to.equal(403);
    const remove = await pm.post(`/projects/${project.id}/team/${analyst.id}/remove`);
    expect(remove.status).to.equal(303);
    expect(await ctx.db('project_members').where({ project_id: project.id })).to.have.length(0);
    expect((await pm.post(`/projects/${project.id}/team/${analyst.id}/remove`)).status).to.equal(404);
    const actions = (
      await ctx.db('audit_log').where({ entity: 'project', entity_id: String(project.id) })
    ).map((r: { action: string }) => r.action);
    expect(actions).to.include.members(['project.member.add', 'project.member.remove']);
  });

  it('shows the history of the project and its milestones, newest first, with names and amounts', async () => {
    const ms = await ctx.db('milestones').where({ project_id: project.id }).first();
    const other = await buildProject(ctx.db);
    const otherMs = await buildMilestone(ctx.db, other.id);
    await ctx.db.transaction(async (trx) => {
      const { audit } = await import('../../src/modules/audit/audit.service.js');
      await audit(
        trx,
        { user: pmo.user, requestId: 't' },
        {
          action: 'milestone.update',
          entity: 'milestone',
          entityId: ms.id,
          before: { percentComplete: 10 },
          after: { percentComplete: 60 },
        },
      );
      await audit(trx, null, {
        action: 'milestone.update',
        entity: 'milestone',
        entityId: otherMs.id,
        after: { x: 1 },
      });
    });
    const res = await pm.agent.get(`/projects/${project.id}/history`);
    expect(res.status).to.equal(200);
    expect(res.text)
      .to.contain('milestone.update')
      .and.contain('Business analyst')
      .and.contain('Team member added');
    expect(res.text).to.match(/BHD\s2,000,000\.125/);
    expect(res.text.indexOf('milestone.update')).to.be.lessThan(res.text.indexOf('project.update'));
    expect(res.text.match(/milestone\.update/g)).to.have.length(1);
  });

  it('keeps a PM member of the team out of the edit form (403)', async () => {
    const member = await ctx.as('pm');
    await addMember(ctx.db, project.id, member.user.id);
    expect((await member.agent.get(`/projects/${project.id}`)).status).to.equal(200);
    expect((await member.agent.get(`/projects/${project.id}/edit`)).status).to.equal(403);
    const current = await row(project.id);
    expect(
      (await member.post(`/projects/${project.id}`, { descriptionEn: 'x', version: current.version })).status,
    ).to.equal(403);
  });
});
