import { expect } from 'chai';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildGateRequest, buildGovernedProject, submitRequest } from '../factories/approvals.js';
import { buildUser } from '../factories/users.js';

const count = async (ctx: TestContext, table: string, where: Record<string, unknown> = {}) =>
  Number((await ctx.db(table).where(where).count({ n: '*' }))[0].n);

describe('approvals: decisions', () => {
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

  it('twenty simultaneous decisions on one step: exactly one is recorded, the others get 409 "already decided"', async function () {
    this.timeout(60_000);
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const id = await buildGateRequest(ctx.db, pm.user, project);
    const agents: Agent[] = [];
    for (let i = 0; i < 20; i++) agents.push(await ctx.as('pmo'));
    const results = await Promise.all(
      agents.map((a, i) =>
        a.post(`/approvals/${id}/decision`, {
          decision: i % 3 === 2 ? 'reject' : 'approve',
          comment: `decision ${i}`,
          version: 1,
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 303)).to.have.length(1);
    expect(statuses.filter((s) => s === 409)).to.have.length(19);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.text).to.contain('already been decided');
    const step1 = await ctx.db('approval_steps').where({ request_id: id, step_no: 1 }).first();
    expect(step1.status).to.be.oneOf(['approved', 'rejected']);
    expect(await count(ctx, 'approval_events', { request_id: id, step_no: 1 })).to.equal(1);
    const decisions = await ctx
      .db('audit_log')
      .where({ entity: 'approval_request', entity_id: String(id) })
      .whereIn('action', ['approval.approve', 'approval.reject']);
    expect(decisions).to.have.length(1);
    const req = await ctx.db('approval_requests').where({ id }).first();
    expect(req.version).to.equal(2);
  });

  it('refuses self-approval with 403 and a clear message, recording nothing', async () => {
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const id = await buildGateRequest(ctx.db, pmo.user, project);
    const page = await pmo.agent.get(`/approvals/${id}`);
    expect(page.text).to.contain('you cannot decide it');
    expect(page.text).to.not.contain('name="decision"');
    const res = await pmo.post(`/approvals/${id}/decision`, { decision: 'approve', version: 1 });
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('You submitted this request, so you cannot decide it.');
    expect((await ctx.db('approval_steps').where({ request_id: id, step_no: 1 }).first()).status).to.equal(
      'pending',
    );
  });

  it('only the holder of the current step decides: the sponsor cannot take the PMO step (403)', async () => {
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const id = await buildGateRequest(ctx.db, pm.user, project);
    const res = await sponsor.post(`/approvals/${id}/decision`, { decision: 'approve', version: 1 });
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('You do not decide the current step');
    const viewer = await ctx.as('viewer');
    expect(
      (await viewer.post(`/approvals/${id}/decision`, { decision: 'approve', version: 1 })).status,
    ).to.equal(403);
  });

  it('reject and return need a comment (422, nothing recorded)', async () => {
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const id = await buildGateRequest(ctx.db, pm.user, project);
    for (const decision of ['reject', 'return']) {
      const res = await pmo.post(`/approvals/${id}/decision`, { decision, comment: '  ', version: 1 });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('This field is required');
    }
    const bad = await pmo.post(`/approvals/${id}/decision`, { decision: 'maybe', version: 1 });
    expect(bad.status).to.equal(422);
    const noVersion = await pmo.post(`/approvals/${id}/decision`, { decision: 'approve' });
    expect(noVersion.status).to.equal(422);
    expect((await ctx.db('approval_requests').where({ id }).first()).version).to.equal(1);
  });

  it('a stale form (old version) gets 409 and the current state', async () => {
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const id = await buildGateRequest(ctx.db, pm.user, project);
    expect(
      (await pmo.post(`/approvals/${id}/decision`, { decision: 'approve', version: 1 })).status,
    ).to.equal(303);
    const again = await (
      await ctx.as('pmo')
    ).post(`/approvals/${id}/decision`, { decision: 'approve', version: 1 });
    expect(again.status).to.equal(409);
  });

  it("a delegate decides the sponsor's step on their behalf, and it is recorded so", async () => {
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const delegate = await ctx.as('sponsor');
    const today = new Date().toISOString().slice(0, 10);
    expect(
      (
        await sponsor.post('/approvals/delegations', {
          delegateId: delegate.user.id,
          startsOn: today,
          endsOn: '2099-12-31',
          reason: 'Annual leave',
        })
      ).status,
    ).to.equal(303);
    const id = await buildGateRequest(ctx.db, pm.user, project);
    expect(
      (await pmo.post(`/approvals/${id}/decision`, { decision: 'approve', version: 1 })).status,
    ).to.equal(303);
    const inbox = await delegate.agent.get('/approvals');
    expect(inbox.text).to.contain(`/approvals/${id}`);
    expect(inbox.text).to.contain('as delegate of');
    const page = await delegate.agent.get(`/approvals/${id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('on behalf of');
    expect(
      (await delegate.post(`/approvals/${id}/decision`, { decision: 'approve', version: 2 })).status,
    ).to.equal(303);
    const step2 = await ctx.db('approval_steps').where({ request_id: id, step_no: 2 }).first();
    expect(step2.decided_by).to.equal(delegate.user.id);
    expect(step2.on_behalf_of).to.equal(sponsor.user.id);
    expect((await ctx.db('projects').where({ id: project.id }).first()).phase).to.equal('closure');
    const d = await ctx.db('approval_delegations').where({ delegator_id: sponsor.user.id }).first();
    expect((await sponsor.post(`/approvals/delegations/${d.id}/end`)).status).to.equal(303);
    expect((await ctx.db('approval_delegations').where({ id: d.id }).first()).ended_at).to.be.a('string');
  });

  it('the requester withdraws a pending request; others cannot (403)', async () => {
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const id = await buildGateRequest(ctx.db, pm.user, project);
    expect((await pmo.post(`/approvals/${id}/withdraw`, { version: 1 })).status).to.equal(403);
    expect((await pm.post(`/approvals/${id}/withdraw`, {})).status).to.equal(422);
    expect((await pm.post(`/approvals/${id}/withdraw`, { version: 1 })).status).to.equal(303);
    const r = await ctx.db('approval_requests').where({ id }).first();
    expect(r.status).to.equal('withdrawn');
    const steps = await ctx.db('approval_steps').where({ request_id: id });
    expect(steps.every((s) => s.status === 'skipped')).to.equal(true);
    expect(
      (await pmo.post(`/approvals/${id}/decision`, { decision: 'approve', version: 2 })).status,
    ).to.equal(409);
  });

  it('a returned request is revised and resubmitted as a new round, keeping its history', async () => {
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const id = await submitRequest(ctx.db, pm.user, project.id, 'change_request', {
      proposed: { plannedEnd: '2027-03-31' },
      before: { plannedEnd: '2026-12-31' },
      justification: 'Vendor delay',
    });
    expect(
      (
        await pmo.post(`/approvals/${id}/decision`, {
          decision: 'return',
          comment: 'Add the budget impact',
          version: 1,
        })
      ).status,
    ).to.equal(303);
    expect((await ctx.db('approval_requests').where({ id }).first()).status).to.equal('returned');
    expect((await pmo.agent.get(`/approvals/${id}/revise`)).status).to.equal(403);
    const form = await pm.agent.get(`/approvals/${id}/revise`);
    expect(form.status).to.equal(200);
    const invalid = await pm.post(`/approvals/${id}/revise`, {
      version: 2,
      plannedEnd: 'soon',
      justification: 'x',
    });
    expect(invalid.status).to.equal(422);
    const res = await pm.post(`/approvals/${id}/revise`, {
      version: 2,
      plannedEnd: '2027-03-31',
      budgetPlanned: '120000',
      justification: 'Vendor delay; budget impact added',
    });
    expect(res.status).to.equal(303);
    const r = await ctx.db('approval_requests').where({ id }).first();
    expect(r.status).to.equal('pending');
    expect(r.round).to.equal(2);
    expect(JSON.parse(r.payload).proposed).to.deep.equal({
      plannedEnd: '2027-03-31',
      budgetPlanned: 120000000,
    });
    const steps = await ctx.db('approval_steps').where({ request_id: id }).orderBy(['round', 'step_no']);
    expect(steps.map((s) => `${s.round}:${s.step_no}:${s.status}`)).to.deep.equal([
      '1:1:returned',
      '1:2:skipped',
      '2:1:pending',
      '2:2:waiting',
    ]);
    const page = await pm.agent.get(`/approvals/${id}`);
    expect(page.text)
      .to.contain('Add the budget impact')
      .and.contain('Round 2')
      .and.contain('Revised and resubmitted');
  });

  it('the PMO escalation job tells the PMO once about a step overdue by the configured working days', async () => {
    const { escalateOverdue } = await import('../../src/modules/approvals/index.js');
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const id = await buildGateRequest(ctx.db, pm.user, project);
    await ctx
      .db('approval_steps')
      .where({ request_id: id, step_no: 1 })
      .update({ due_at: '2026-01-01T23:59:59.999Z' });
    const before = await count(ctx, 'notifications', { kind: 'approval.escalated' });
    const first = await escalateOverdue(ctx.db);
    expect(first).to.be.greaterThan(0);
    const after = await count(ctx, 'notifications', { kind: 'approval.escalated' });
    const pmoUsers = await count(ctx, 'users', { role: 'pmo', active: true });
    expect(after - before).to.equal(first * pmoUsers);
    expect(await escalateOverdue(ctx.db)).to.equal(0);
    expect(await count(ctx, 'notifications', { kind: 'approval.escalated' })).to.equal(after);
    const inbox = await pmo.agent.get('/approvals?scope=all&overdue=1');
    expect(inbox.text).to.contain(`/approvals/${id}`).and.contain('Overdue');
  });

  it('a user who cannot see the project gets 404 for its requests', async () => {
    const { project } = await buildGovernedProject(ctx.db, { sponsor: sponsor.user });
    const other = await buildUser(ctx.db, { role: 'pm' });
    const id = await buildGateRequest(ctx.db, other, project).catch(() => 0);
    void id;
    const r = await ctx.db('approval_requests').where({ project_id: project.id }).first();
    const outsider = await ctx.as('pm');
    expect((await outsider.agent.get(`/approvals/${r.id}`)).status).to.equal(404);
    expect(
      (await outsider.post(`/approvals/${r.id}/decision`, { decision: 'approve', version: 1 })).status,
    ).to.equal(404);
    expect((await outsider.post(`/approvals/${r.id}/comments`, { comment: 'hi' })).status).to.equal(404);
    expect((await outsider.post(`/approvals/${r.id}/withdraw`, { version: 1 })).status).to.equal(404);
    expect((await outsider.agent.get(`/approvals/${r.id}/revise`)).status).to.equal(404);
    expect((await outsider.agent.get(`/projects/${project.id}/approvals`)).status).to.equal(404);
  });

  it('after all these decisions, returns, revisions and withdrawals, a pending step is always the current step of a pending request (the inbox reads pending steps alone)', async () => {
    const stray = await ctx
      .db('approval_steps as s')
      .join('approval_requests as r', 'r.id', 's.request_id')
      .where('s.status', 'pending')
      .where((w) =>
        w
          .whereNot('r.status', 'pending')
          .orWhereRaw('r.round <> s.round')
          .orWhereRaw('r.current_step is null')
          .orWhereRaw('r.current_step <> s.step_no'),
      )
      .select('s.id');
    expect(stray).to.deep.equal([]);
    const pendingWithoutStep = await ctx
      .db('approval_requests as r')
      .leftJoin('approval_steps as s', function () {
        this.on('s.request_id', 'r.id').andOn('s.round', 'r.round').andOn('s.step_no', 'r.current_step');
      })
      .where('r.status', 'pending')
      .where((w) => w.whereNull('s.id').orWhereNot('s.status', 'pending'))
      .select('r.id');
    expect(pendingWithoutStep).to.deep.equal([]);
    expect(await count(ctx, 'approval_requests', { status: 'pending' })).to.be.greaterThan(0);
    for (const status of ['withdrawn', 'approved'])
      expect(await count(ctx, 'approval_requests', { status }), status).to.be.greaterThan(0);
    expect(await count(ctx, 'approval_requests', { round: 2 })).to.be.greaterThan(0);
  });
});
