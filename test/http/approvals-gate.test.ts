import { expect } from 'chai';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildGovernedProject } from '../factories/approvals.js';
import { buildMilestone } from '../factories/portfolio.js';
import { readOutbox } from '../factories/mail.js';
import { mailSenderFor } from '../../src/modules/notifications/index.js';
import { verifyChain } from '../../src/modules/audit/audit.service.js';

describe('approvals: a phase gate from request to phase change', () => {
  let ctx: TestContext;
  let pmo: Agent;
  let pm: Agent;
  let sponsor: Agent;
  before(async () => {
    ctx = await createTestApp();
    pmo = await ctx.as('pmo', { locale: 'en' });
    pm = await ctx.as('pm', { locale: 'en' });
    sponsor = await ctx.as('sponsor', { locale: 'ar' });
  });
  after(() => ctx.close());

  const flush = async () => {
    const sender = mailSenderFor(ctx.db)!;
    await sender.idle();
    await sender.drain();
  };

  it('PM requests the gate, PMO approves, sponsor approves: the phase moves on, with audit and notifications in each language', async () => {
    const { project } = await buildGovernedProject(ctx.db, {
      manager: pm.user,
      sponsor: sponsor.user,
      phase: 'execution',
    });
    const form = await pm.agent.get(`/projects/${project.id}/approvals/new/gate`);
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('Closure');

    const res = await pm.post(`/projects/${project.id}/approvals/gate`, { note: 'Build complete.' });
    expect(res.status).to.equal(303);
    const id = Number(/\/approvals\/(\d+)$/.exec(res.headers.location)![1]);

    const inbox = await pmo.agent.get('/approvals');
    expect(inbox.status).to.equal(200);
    expect(inbox.text).to.contain(`/approvals/${id}`);

    const page = await pmo.agent.get(`/approvals/${id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('name="decision"');

    expect(
      (await pmo.post(`/approvals/${id}/decision`, { decision: 'approve', version: 1 })).status,
    ).to.equal(303);
    let steps = await ctx.db('approval_steps').where({ request_id: id }).orderBy('step_no');
    expect(steps.map((s) => s.status)).to.deep.equal(['approved', 'pending']);
    expect(steps[0].decided_by).to.equal(pmo.user.id);
    expect(steps[1].due_at).to.be.a('string');
    expect((await ctx.db('projects').where({ id: project.id }).first()).phase).to.equal('execution');

    const sponsorNotes = await ctx.db('notifications').where({ user_id: sponsor.user.id });
    expect(sponsorNotes.map((n) => n.kind)).to.include('approval.pending');
    const ar = await sponsor.agent.get('/notifications');
    expect(ar.status).to.equal(200);
    expect(ar.text).to.contain('مطلوب اعتمادك');

    expect(
      (await sponsor.post(`/approvals/${id}/decision`, { decision: 'approve', version: 2 })).status,
    ).to.equal(303);
    steps = await ctx.db('approval_steps').where({ request_id: id }).orderBy('step_no');
    expect(steps.map((s) => s.status)).to.deep.equal(['approved', 'approved']);
    const req = await ctx.db('approval_requests').where({ id }).first();
    expect(req.status).to.equal('approved');
    expect(req.decided_at).to.be.a('string');
    const p = await ctx.db('projects').where({ id: project.id }).first();
    expect(p.phase).to.equal('closure');
    expect(p.version).to.equal(project.version + 1);

    const audits = await ctx.db('audit_log').orderBy('id');
    const actions = audits.map((a) => a.action);
    expect(actions).to.include.members(['approval.submit', 'approval.approve', 'project.phase']);
    const phase = audits.find((a) => a.action === 'project.phase')!;
    expect(JSON.parse(phase.before)).to.deep.equal({ phase: 'execution' });
    expect(JSON.parse(phase.after).phase).to.equal('closure');
    expect((await verifyChain(ctx.db)).ok).to.equal(true);

    const pmNotes = (await ctx.db('notifications').where({ user_id: pm.user.id })).map((n) => n.kind);
    expect(pmNotes).to.include.members(['approval.submitted', 'approval.stepApproved', 'approval.approved']);

    await flush();
    const mails = readOutbox(ctx.config.mail.outboxDir);
    const toSponsor = mails.filter((m) => m.to.includes(sponsor.user.email));
    const toPm = mails.filter((m) => m.to.includes(pm.user.email));
    expect(toSponsor.length).to.be.greaterThan(0);
    expect(toSponsor[0].subject).to.contain('مطلوب اعتمادك');
    expect(toPm.map((m) => m.subject).join('\n')).to.contain('Approved:');
    expect(toPm.map((m) => m.subject).join('\n')).to.not.match(/[\u0600-\u06FF]{3}.*اعتماد/);
    const sent = await ctx.db('mail_outbox').where({ status: 'sent' });
    expect(sent.length).to.equal(mails.length);
  });

  it('refuses a gate while a criterion is unmet, naming it, and writes nothing', async () => {
    const { project } = await buildGovernedProject(ctx.db, {
      manager: pm.user,
      sponsor: sponsor.user,
      phase: 'closure',
    });
    await buildMilestone(ctx.db, project.id, { status: 'in_progress' });
    const before = Number((await ctx.db('approval_requests').count({ n: '*' }))[0].n);
    const form = await pm.agent.get(`/projects/${project.id}/approvals/new/gate`);
    expect(form.text).to.contain('All milestones completed or cancelled').and.contain('Not met');
    const res = await pm.post(`/projects/${project.id}/approvals/gate`, {});
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('All milestones completed or cancelled');
    const ar = await pm.post(`/projects/${project.id}/approvals/gate?lang=ar`, {});
    expect(ar.status).to.equal(422);
    expect(ar.text).to.contain('اكتمال جميع المراحل الرئيسية أو إلغاؤها');
    expect(Number((await ctx.db('approval_requests').count({ n: '*' }))[0].n)).to.equal(before);
  });
});
