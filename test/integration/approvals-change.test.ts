import fs from 'node:fs';
import { expect } from 'chai';
import { pino } from 'pino';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildGovernedProject, buildSignoffRequest, submitRequest } from '../factories/approvals.js';
import { buildMilestone } from '../factories/portfolio.js';
import { readOutbox } from '../factories/mail.js';
import { createMailSender, notify, type SendFn } from '../../src/modules/notifications/index.js';
import {
  defaultSend,
  registerMailSender,
  mailSenderFor,
} from '../../src/modules/notifications/notifications.mailer.js';
import { registerApprovalSubject } from '../../src/modules/approvals/index.js';
import { subjectHooks } from '../../src/modules/approvals/approvals.registry.js';

describe('approvals: change requests, sign-offs and the mail outbox', () => {
  let ctx: TestContext;
  let pmo: Agent;
  let pm: Agent;
  let sponsor: Agent;
  before(async () => {
    ctx = await createTestApp();
    pmo = await ctx.as('pmo');
    pm = await ctx.as('pm');
    sponsor = await ctx.as('sponsor');
  });
  after(() => ctx.close());

  async function approveAll(id: number) {
    expect(
      (await pmo.post(`/approvals/${id}/decision`, { decision: 'approve', version: 1 })).status,
    ).to.equal(303);
    return sponsor.post(`/approvals/${id}/decision`, { decision: 'approve', version: 2 });
  }

  it('an approved change request changes the dates and budget, in one transaction, with before/after audited', async () => {
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const form = await pm.agent.get(`/projects/${project.id}/approvals/new/change`);
    expect(form.status).to.equal(200);
    const res = await pm.post(`/projects/${project.id}/approvals/change`, {
      plannedEnd: '2027-06-30',
      budgetPlanned: '125,000.500',
      scope: '',
      justification: 'Integration with the national ID platform added.',
    });
    expect(res.status).to.equal(303);
    const id = Number(/(\d+)$/.exec(res.headers.location)![1]);
    const r = await ctx.db('approval_requests').where({ id }).first();
    expect(JSON.parse(r.payload)).to.deep.equal({
      before: { budgetPlanned: 100000000, plannedEnd: '2026-12-31' },
      justification: 'Integration with the national ID platform added.',
      proposed: { budgetPlanned: 125000500, plannedEnd: '2027-06-30' },
    });
    const page = await pm.agent.get(`/approvals/${id}`);
    expect(page.text).to.contain('Proposed change').and.contain('Planned end');
    expect((await ctx.db('projects').where({ id: project.id }).first()).planned_end).to.equal('2026-12-31');

    expect((await approveAll(id)).status).to.equal(303);
    const p = await ctx.db('projects').where({ id: project.id }).first();
    expect(p.planned_end).to.equal('2027-06-30');
    expect(Number(p.budget_planned)).to.equal(125000500);
    expect(p.planned_start).to.equal('2026-01-01');
    expect(p.version).to.equal(project.version + 1);
    expect(p.health_computed_on).to.be.a('string');
    const a = await ctx
      .db('audit_log')
      .where({ action: 'project.change_request', entity_id: String(project.id) })
      .first();
    expect(JSON.parse(a.before)).to.deep.equal({ budgetPlanned: 100000000, plannedEnd: '2026-12-31' });
    expect(JSON.parse(a.after)).to.include({ budgetPlanned: 125000500, plannedEnd: '2027-06-30' });
  });

  it('a rejected change request changes nothing', async () => {
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const id = await submitRequest(ctx.db, pm.user, project.id, 'change_request', {
      proposed: { plannedEnd: '2028-01-31', budgetPlanned: 1 },
      before: { plannedEnd: '2026-12-31', budgetPlanned: 100000000 },
      justification: 'x',
    });
    expect(
      (await pmo.post(`/approvals/${id}/decision`, { decision: 'approve', version: 1 })).status,
    ).to.equal(303);
    const res = await sponsor.post(`/approvals/${id}/decision`, {
      decision: 'reject',
      comment: 'Not funded',
      version: 2,
    });
    expect(res.status).to.equal(303);
    const p = await ctx.db('projects').where({ id: project.id }).first();
    expect(p.planned_end).to.equal('2026-12-31');
    expect(Number(p.budget_planned)).to.equal(100000000);
    expect(p.version).to.equal(project.version);
    expect((await ctx.db('approval_requests').where({ id }).first()).status).to.equal('rejected');
    expect(
      await ctx.db('audit_log').where({ action: 'project.change_request', entity_id: String(project.id) }),
    ).to.have.length(0);
  });

  it('refuses a change that changes nothing, or dates out of order (422, nothing written)', async () => {
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const n = async () => Number((await ctx.db('approval_requests').count({ n: '*' }))[0].n);
    const before = await n();
    const same = await pm.post(`/projects/${project.id}/approvals/change`, {
      plannedEnd: '2026-12-31',
      justification: 'x',
    });
    expect(same.status).to.equal(422);
    expect(same.text).to.contain('Propose at least one change');
    const order = await pm.post(`/projects/${project.id}/approvals/change`, {
      plannedEnd: '2025-01-01',
      justification: 'x',
    });
    expect(order.status).to.equal(422);
    const money = await pm.post(`/projects/${project.id}/approvals/change`, {
      budgetPlanned: 'lots',
      justification: 'x',
    });
    expect(money.status).to.equal(422);
    const noWhy = await pm.post(`/projects/${project.id}/approvals/change`, { plannedEnd: '2027-01-31' });
    expect(noWhy.status).to.equal(422);
    expect(await n()).to.equal(before);
  });

  it('when applying the approval fails, the decision is rolled back with it', async () => {
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const id = await submitRequest(ctx.db, pm.user, project.id, 'change_request', {
      proposed: { plannedStart: '2027-01-01' },
      before: { plannedStart: '2026-01-01' },
      justification: 'x',
    });
    // The end date moved meanwhile, so the approved start would come after the end: refused.
    await ctx.db('projects').where({ id: project.id }).update({ planned_end: '2026-06-30' });
    expect(
      (await pmo.post(`/approvals/${id}/decision`, { decision: 'approve', version: 1 })).status,
    ).to.equal(303);
    const res = await sponsor.post(`/approvals/${id}/decision`, { decision: 'approve', version: 2 });
    expect(res.status).to.equal(422);
    const step2 = await ctx.db('approval_steps').where({ request_id: id, step_no: 2 }).first();
    expect(step2.status).to.equal('pending');
    expect((await ctx.db('approval_requests').where({ id }).first()).status).to.equal('pending');
    expect((await ctx.db('projects').where({ id: project.id }).first()).planned_start).to.equal('2026-01-01');
  });

  it('a milestone sign-off records the acceptance, shown on the project tab', async () => {
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const m = await buildMilestone(ctx.db, project.id, {
      status: 'completed',
      percent_complete: 100,
      actual_date: '2026-05-01',
    });
    const form = await pm.agent.get(`/projects/${project.id}/approvals/new/signoff`);
    expect(form.text).to.contain(m.title_en);
    const bad = await pm.post(`/projects/${project.id}/approvals/signoff`, { milestoneId: 'x' });
    expect(bad.status).to.equal(422);
    const open = await buildMilestone(ctx.db, project.id, { status: 'in_progress' });
    expect(
      (await pm.post(`/projects/${project.id}/approvals/signoff`, { milestoneId: open.id })).status,
    ).to.equal(422);
    const res = await pm.post(`/projects/${project.id}/approvals/signoff`, { milestoneId: m.id });
    expect(res.status).to.equal(303);
    const id = Number(/(\d+)$/.exec(res.headers.location)![1]);
    expect(
      (await sponsor.post(`/approvals/${id}/decision`, { decision: 'approve', version: 1 })).status,
    ).to.equal(303);
    const so = await ctx.db('milestone_signoffs').where({ milestone_id: m.id }).first();
    expect(so.request_id).to.equal(id);
    expect(so.accepted_by).to.equal(sponsor.user.id);
    const tab = await pm.agent.get(`/projects/${project.id}/approvals`);
    expect(tab.text).to.contain('Signed off on');
    expect(
      (await pm.post(`/projects/${project.id}/approvals/signoff`, { milestoneId: m.id })).status,
    ).to.equal(422);
    const second = await buildSignoffRequest(ctx.db, pm.user, project.id);
    expect(second.id).to.be.greaterThan(id);
  });

  it('a registered subject kind is called on final approval (documents plug in this way)', async () => {
    const seen: number[] = [];
    const documentsHooks = subjectHooks('document');
    registerApprovalSubject('document', {
      async onFinalApproval(_trx, request) {
        seen.push(request.subjectId);
      },
    });
    try {
      const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
      const id = await submitRequest(
        ctx.db,
        pm.user,
        project.id,
        'document',
        {},
        { type: 'document_version', id: 4242 },
      );
      expect(
        (await pmo.post(`/approvals/${id}/decision`, { decision: 'approve', version: 1 })).status,
      ).to.equal(303);
      expect(seen).to.deep.equal([4242]);
    } finally {
      registerApprovalSubject('document', documentsHooks ?? {});
    }
  });

  it('mail is queued with the transaction and sent after commit; a rolled-back transaction sends nothing', async () => {
    const sent: string[] = [];
    const send: SendFn = async (m) => {
      sent.push(m.to);
    };
    const sender = createMailSender(ctx.db, pino({ level: 'silent' }), send);
    const previous = mailSenderFor(ctx.db)!;
    registerMailSender(ctx.db, sender);
    try {
      await ctx.db.transaction(async (trx) => {
        await notify(trx, {
          userId: pm.user.id,
          kind: 'test',
          titleKey: 'approvals:notify.approved.title',
          params: { titleEn: 'A', titleAr: 'ا', code: 'X' },
        });
        expect(sent).to.deep.equal([]);
      });
      await new Promise((r) => setTimeout(r, 20));
      await sender.idle();
      expect(sent).to.include(pm.user.email);
      const n = sent.length;
      await ctx.db
        .transaction(async (trx) => {
          await notify(trx, {
            userId: pm.user.id,
            kind: 'test',
            titleKey: 'approvals:notify.approved.title',
            params: {},
          });
          throw new Error('rollback');
        })
        .catch(() => undefined);
      await new Promise((r) => setTimeout(r, 20));
      await sender.idle();
      expect(sent.length).to.equal(n);
    } finally {
      await sender.idle();
      registerMailSender(ctx.db, previous);
    }
  });

  it('a failing send is logged and retried with backoff, never undoing the decision', async () => {
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const id = await submitRequest(ctx.db, pm.user, project.id, 'gate', {
      fromPhase: 'execution',
      toPhase: 'closure',
    });
    expect(
      (await pmo.post(`/approvals/${id}/decision`, { decision: 'approve', version: 1 })).status,
    ).to.equal(303);
    await ctx.db('mail_outbox').where({ status: 'pending' }).update({ status: 'sent' });
    expect(
      (await sponsor.post(`/approvals/${id}/decision`, { decision: 'approve', version: 2 })).status,
    ).to.equal(303);
    let clock = new Date();
    const failing = createMailSender(
      ctx.db,
      pino({ level: 'silent' }),
      async () => {
        throw new Error('SMTP down');
      },
      () => clock,
    );
    expect(await failing.drain()).to.equal(0);
    const rows = await ctx.db('mail_outbox').where({ status: 'pending' });
    expect(rows.length).to.be.greaterThan(0);
    expect(
      rows.every(
        (r) => r.attempts === 1 && r.last_error === 'SMTP down' && r.next_attempt_at > clock.toISOString(),
      ),
    ).to.equal(true);
    expect(await failing.drain()).to.equal(0);
    expect((await ctx.db('mail_outbox').where({ status: 'pending' }).first()).attempts).to.equal(1);
    expect((await ctx.db('approval_requests').where({ id }).first()).status).to.equal('approved');
    expect((await ctx.db('projects').where({ id: project.id }).first()).phase).to.equal('closure');

    clock = new Date(Date.now() + 3600_000);
    const working = createMailSender(ctx.db, pino({ level: 'silent' }), defaultSend(ctx.config), () => clock);
    expect(await working.drain()).to.equal(rows.length);
    expect(await ctx.db('mail_outbox').where({ status: 'pending' })).to.have.length(0);
    expect(readOutbox(ctx.config.mail.outboxDir).length).to.be.greaterThan(0);
    expect(fs.existsSync(ctx.config.mail.outboxDir)).to.equal(true);
  });
});
