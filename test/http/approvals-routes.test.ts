import { expect } from 'chai';
import supertest from 'supertest';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildGateRequest, buildGovernedProject } from '../factories/approvals.js';
import { addWorkingDays } from '../../src/modules/approvals/approvals.rules.js';

const n = async (ctx: TestContext, table: string, where: Record<string, unknown> = {}) =>
  Number((await ctx.db(table).where(where).count({ n: '*' }))[0].n);

describe('approvals: every route (anonymous, not allowed, invalid, success)', () => {
  let ctx: TestContext;
  let admin: Agent;
  let pmo: Agent;
  let pm: Agent;
  let sponsor: Agent;
  let viewer: Agent;
  let projectId: number;
  let requestId: number;
  before(async () => {
    ctx = await createTestApp();
    admin = await ctx.as('admin');
    pmo = await ctx.as('pmo');
    pm = await ctx.as('pm');
    sponsor = await ctx.as('sponsor');
    viewer = await ctx.as('viewer');
    const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    projectId = project.id;
    requestId = await buildGateRequest(ctx.db, pm.user, project);
  });
  after(() => ctx.close());

  const routes = () => [
    ['get', '/approvals'],
    ['get', '/approvals/mine'],
    ['get', '/approvals/settings'],
    ['post', '/approvals/settings/workflows/gate/steps'],
    ['post', '/approvals/settings/workflows/gate/steps/1/delete'],
    ['post', '/approvals/settings/workflows/gate/steps/1/move'],
    ['post', '/approvals/settings/criteria'],
    ['post', '/approvals/settings/criteria/1/delete'],
    ['post', '/approvals/settings/criteria/1/move'],
    ['get', '/approvals/holidays'],
    ['post', '/approvals/holidays'],
    ['post', '/approvals/holidays/1/delete'],
    ['get', '/approvals/delegations'],
    ['post', '/approvals/delegations'],
    ['post', '/approvals/delegations/1/end'],
    ['get', `/approvals/${requestId}`],
    ['post', `/approvals/${requestId}/decision`],
    ['post', `/approvals/${requestId}/withdraw`],
    ['get', `/approvals/${requestId}/revise`],
    ['post', `/approvals/${requestId}/revise`],
    ['post', `/approvals/${requestId}/comments`],
    ['get', `/projects/${projectId}/approvals`],
    ['get', `/projects/${projectId}/approvals/new/gate`],
    ['post', `/projects/${projectId}/approvals/gate`],
    ['get', `/projects/${projectId}/approvals/new/change`],
    ['post', `/projects/${projectId}/approvals/change`],
    ['get', `/projects/${projectId}/approvals/new/signoff`],
    ['post', `/projects/${projectId}/approvals/signoff`],
    ['get', '/notifications'],
    ['post', '/notifications/read-all'],
    ['post', '/notifications/1/read'],
    ['post', '/notifications/1/open'],
  ];

  it('anonymous visitors are sent to the login page from every route', async () => {
    for (const [method, url] of routes()) {
      const res = await supertest(ctx.app)[method as 'get' | 'post'](url);
      expect(res.status, `${method} ${url}`).to.equal(303);
      expect(res.headers.location).to.equal('/login');
    }
  });

  it('every state-changing route refuses a POST without a CSRF token (403), changing nothing', async () => {
    const before = await n(ctx, 'audit_log');
    for (const [method, url] of routes().filter(([m]) => m === 'post')) {
      const res = await admin.agent.post(url).type('form').send('decision=approve&version=1');
      expect(res.status, `${method} ${url}`).to.equal(403);
      const p = await admin.agent.post(url).type('form').send('_csrf=forged&decision=approve&version=1');
      expect(p.status, `${method} ${url}`).to.equal(403);
    }
    expect(await n(ctx, 'audit_log')).to.equal(before);
    expect(
      (await ctx.db('approval_steps').where({ request_id: requestId, step_no: 1 }).first()).status,
    ).to.equal('pending');
  });

  it('inbox: filters work and invalid filters are ignored; a PM outside the project does not see its requests', async () => {
    expect((await pmo.agent.get('/approvals?kind=gate')).text).to.contain(`/approvals/${requestId}"`);
    expect((await pmo.agent.get('/approvals?kind=document')).text).to.not.contain(`/approvals/${requestId}"`);
    expect((await pmo.agent.get(`/approvals?project=${projectId}&program=999999`)).text).to.not.contain(
      `/approvals/${requestId}"`,
    );
    const bad = await pmo.agent.get(
      '/approvals?kind=nonsense&project=abc&page=-3&scope=everything&overdue=maybe',
    );
    expect(bad.status).to.equal(200);
    expect(bad.text).to.contain(`/approvals/${requestId}"`);
    const ar = await pmo.agent.get('/approvals?lang=ar');
    expect(ar.text).to.contain('بانتظار قراري');
    const outsider = await ctx.as('pm');
    const all = await outsider.agent.get('/approvals?scope=all');
    expect(all.status).to.equal(200);
    expect(all.text).to.not.contain(`/approvals/${requestId}"`);
    expect((await viewer.agent.get('/approvals?scope=all')).text).to.contain(`/approvals/${requestId}"`);
  });

  it('my requests: for those who submit (viewer and sponsor 404)', async () => {
    const res = await pm.agent.get('/approvals/mine?status=bogus');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain(`/approvals/${requestId}"`);
    expect((await pm.agent.get('/approvals/mine?status=approved')).text).to.not.contain(
      `/approvals/${requestId}"`,
    );
    expect((await viewer.agent.get('/approvals/mine')).status).to.equal(404);
    expect((await sponsor.agent.get('/approvals/mine')).status).to.equal(404);
  });

  it('request page and ids: bad ids 404; a viewer reads but cannot decide or comment 403/200', async () => {
    expect((await pmo.agent.get('/approvals/999999')).status).to.equal(404);
    expect((await pmo.agent.get('/approvals/abc')).status).to.equal(404);
    const v = await viewer.agent.get(`/approvals/${requestId}`);
    expect(v.status).to.equal(200);
    expect(v.text).to.not.contain('name="decision"');
    expect(
      (await viewer.post(`/approvals/${requestId}/decision`, { decision: 'approve', version: 1 })).status,
    ).to.equal(403);
  });

  it('comments: required (422), then recorded in the timeline with an audit entry', async () => {
    expect((await pm.post(`/approvals/${requestId}/comments`, { comment: '   ' })).status).to.equal(422);
    const res = await pm.post(`/approvals/${requestId}/comments`, { comment: 'Test evidence attached.' });
    expect(res.status).to.equal(303);
    expect((await pmo.agent.get(`/approvals/${requestId}`)).text).to.contain('Test evidence attached.');
    expect(await n(ctx, 'audit_log', { action: 'approval.comment' })).to.equal(1);
  });

  it('new-request forms: the manager and PMO may; the sponsor and viewer are told 403; an outsider 404', async () => {
    for (const path of ['gate', 'change', 'signoff']) {
      expect((await pm.agent.get(`/projects/${projectId}/approvals/new/${path}`)).status, path).to.equal(200);
      expect((await pmo.agent.get(`/projects/${projectId}/approvals/new/${path}`)).status, path).to.equal(
        200,
      );
      expect((await sponsor.agent.get(`/projects/${projectId}/approvals/new/${path}`)).status, path).to.equal(
        403,
      );
      expect((await viewer.agent.get(`/projects/${projectId}/approvals/new/${path}`)).status, path).to.equal(
        403,
      );
    }
    const outsider = await ctx.as('pm');
    expect((await outsider.agent.get(`/projects/${projectId}/approvals/new/gate`)).status).to.equal(404);
    expect((await outsider.post(`/projects/${projectId}/approvals/gate`, {})).status).to.equal(404);
    expect(
      (
        await viewer.post(`/projects/${projectId}/approvals/change`, {
          plannedEnd: '2027-01-01',
          justification: 'x',
        })
      ).status,
    ).to.equal(403);
    expect(
      (await sponsor.post(`/projects/${projectId}/approvals/signoff`, { milestoneId: 1 })).status,
    ).to.equal(403);
    expect((await pm.agent.get('/projects/999999/approvals/new/gate')).status).to.equal(404);
  });

  it('a second open gate for the same project is refused with 409', async () => {
    const res = await pm.post(`/projects/${projectId}/approvals/gate`, {});
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('An open request for this already exists');
  });

  it('the project tab lists the requests, with the request buttons for the manager only', async () => {
    const res = await pm.agent.get(`/projects/${projectId}/approvals`);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain(`/approvals/${requestId}"`).and.contain('/approvals/new/gate');
    const v = await viewer.agent.get(`/projects/${projectId}/approvals?lang=ar`);
    expect(v.status).to.equal(200);
    expect(v.text).to.not.contain('/approvals/new/gate');
    expect(v.text).to.contain('الموافقات');
  });

  describe('settings: workflows and gate criteria', () => {
    it('PMO and admin only (404 for others)', async () => {
      expect((await pmo.agent.get('/approvals/settings')).status).to.equal(200);
      expect((await admin.agent.get('/approvals/settings?lang=ar')).text).to.contain('إعدادات الموافقات');
      for (const s of [pm, sponsor, viewer]) {
        expect((await s.agent.get('/approvals/settings')).status).to.equal(404);
        expect((await s.post('/approvals/settings/workflows/gate/steps', { nameEn: 'x' })).status).to.equal(
          404,
        );
        expect((await s.post('/approvals/settings/criteria', { fromPhase: 'planning' })).status).to.equal(
          404,
        );
      }
    });

    it('adds, moves and removes steps; a request keeps the workflow it started with', async () => {
      const wf = await ctx.db('approval_workflows').where({ kind: 'gate' }).first();
      const invalid = await pmo.post('/approvals/settings/workflows/gate/steps', {
        nameEn: '',
        nameAr: 'x',
        deciderRole: 'emperor',
        slaDays: -1,
        version: wf.version,
      });
      expect(invalid.status).to.equal(422);
      const noUser = await pmo.post('/approvals/settings/workflows/gate/steps', {
        nameEn: 'Legal',
        nameAr: 'القانونية',
        deciderRole: 'user',
        slaDays: 2,
        version: wf.version,
      });
      expect(noUser.status).to.equal(422);
      expect((await pmo.post('/approvals/settings/workflows/bogus/steps', {})).status).to.equal(404);
      const ok = await pmo.post('/approvals/settings/workflows/gate/steps', {
        nameEn: 'Legal review',
        nameAr: 'المراجعة القانونية',
        deciderRole: 'user',
        deciderUserId: admin.user.id,
        slaDays: 2,
        version: wf.version,
      });
      expect(ok.status).to.equal(303);
      const steps = await ctx.db('approval_workflow_steps').where({ workflow_id: wf.id }).orderBy('position');
      expect(steps.map((s) => s.name_en)).to.deep.equal(['PMO review', 'Sponsor approval', 'Legal review']);
      const stale = await pmo.post(`/approvals/settings/workflows/gate/steps/${steps[2].id}/move`, {
        direction: 'up',
        version: wf.version,
      });
      expect(stale.status).to.equal(409);
      expect(
        (
          await pmo.post(`/approvals/settings/workflows/gate/steps/${steps[2].id}/move`, {
            direction: 'sideways',
            version: wf.version + 1,
          })
        ).status,
      ).to.equal(422);
      expect(
        (
          await pmo.post(`/approvals/settings/workflows/gate/steps/${steps[2].id}/move`, {
            direction: 'up',
            version: wf.version + 1,
          })
        ).status,
      ).to.equal(303);
      const moved = await ctx.db('approval_workflow_steps').where({ workflow_id: wf.id }).orderBy('position');
      expect(moved.map((s) => s.name_en)).to.deep.equal(['PMO review', 'Legal review', 'Sponsor approval']);
      // The request submitted before keeps its two steps.
      expect(await n(ctx, 'approval_steps', { request_id: requestId })).to.equal(2);
      expect(
        (
          await pmo.post(`/approvals/settings/workflows/gate/steps/${steps[2].id}/delete`, {
            version: wf.version + 2,
          })
        ).status,
      ).to.equal(303);
      expect(await n(ctx, 'approval_workflow_steps', { workflow_id: wf.id })).to.equal(2);
      expect(await n(ctx, 'audit_log', { action: 'workflow.update' })).to.equal(3);
      const single = await ctx.db('approval_workflows').where({ kind: 'milestone_signoff' }).first();
      const only = await ctx.db('approval_workflow_steps').where({ workflow_id: single.id }).first();
      const last = await pmo.post(`/approvals/settings/workflows/milestone_signoff/steps/${only.id}/delete`, {
        version: single.version,
      });
      expect(last.status).to.equal(422);
      expect(last.text).to.contain('at least one step');
    });

    it('adds, orders and removes gate criteria; an unknown type is refused', async () => {
      const bad = await admin.post('/approvals/settings/criteria', {
        fromPhase: 'planning',
        criterionType: 'magic',
      });
      expect(bad.status).to.equal(422);
      const badParams = await admin.post('/approvals/settings/criteria', {
        fromPhase: 'planning',
        criterionType: 'all_milestones_done',
        params: 'not a pair',
      });
      expect(badParams.status).to.equal(422);
      expect(
        (
          await admin.post('/approvals/settings/criteria', {
            fromPhase: 'closed',
            criterionType: 'all_milestones_done',
          })
        ).status,
      ).to.equal(422);
      for (const type of ['all_milestones_done', 'no_open_change_requests'])
        expect(
          (await admin.post('/approvals/settings/criteria', { fromPhase: 'planning', criterionType: type }))
            .status,
        ).to.equal(303);
      const rows = await ctx.db('gate_criteria').where({ from_phase: 'planning' }).orderBy('position');
      expect(rows.map((r) => r.criterion_type)).to.deep.equal([
        'all_milestones_done',
        'no_open_change_requests',
      ]);
      expect(
        (await admin.post(`/approvals/settings/criteria/${rows[1].id}/move`, { direction: 'x' })).status,
      ).to.equal(422);
      expect(
        (await admin.post(`/approvals/settings/criteria/${rows[1].id}/move`, { direction: 'up' })).status,
      ).to.equal(303);
      const after = await ctx.db('gate_criteria').where({ from_phase: 'planning' }).orderBy('position');
      expect(after.map((r) => r.criterion_type)).to.deep.equal([
        'no_open_change_requests',
        'all_milestones_done',
      ]);
      expect((await admin.post('/approvals/settings/criteria/999999/delete')).status).to.equal(404);
      for (const r of rows)
        expect((await admin.post(`/approvals/settings/criteria/${r.id}/delete`)).status).to.equal(303);
      expect(await n(ctx, 'gate_criteria', { from_phase: 'planning' })).to.equal(0);
    });

    it('an unregistered criterion counts as unmet and is named on the checklist', async () => {
      const { project } = await buildGovernedProject(ctx.db, {
        manager: pm.user,
        sponsor: sponsor.user,
        phase: 'initiation',
      });
      const [{ id }] = await ctx
        .db('gate_criteria')
        .insert({ from_phase: 'initiation', criterion_type: 'needs_magic', params: '{}', position: 99 })
        .returning('id');
      try {
        const page = await pm.agent.get(`/projects/${project.id}/approvals/new/gate`);
        expect(page.text).to.contain('needs_magic');
        const res = await pm.post(`/projects/${project.id}/approvals/gate`, {});
        expect(res.status).to.equal(422);
        expect(res.text).to.contain('needs_magic');
      } finally {
        await ctx
          .db('gate_criteria')
          .where({ id: typeof id === 'object' ? id.id : id })
          .delete();
      }
    });
  });

  describe('public holidays', () => {
    it('admin only (404 for PMO and others); invalid dates refused; SLA due dates skip them', async () => {
      expect((await pmo.agent.get('/approvals/holidays')).status).to.equal(404);
      expect(
        (await pmo.post('/approvals/holidays', { date: '2027-01-01', nameEn: 'x', nameAr: 'y' })).status,
      ).to.equal(404);
      expect((await admin.agent.get('/approvals/holidays')).status).to.equal(200);
      expect(
        (await admin.post('/approvals/holidays', { date: '2027-02-30', nameEn: 'x', nameAr: 'y' })).status,
      ).to.equal(422);
      expect((await admin.post('/approvals/holidays', { date: '', nameEn: '', nameAr: '' })).status).to.equal(
        422,
      );
      expect(
        (
          await admin.post('/approvals/holidays', {
            date: '2026-12-16',
            nameEn: 'National Day',
            nameAr: 'العيد الوطني',
          })
        ).status,
      ).to.equal(303);
      const dup = await admin.post('/approvals/holidays', {
        date: '2026-12-16',
        nameEn: 'Again',
        nameAr: 'مكرر',
      });
      expect(dup.status).to.equal(422);
      expect(dup.text).to.contain('already a holiday');
      const h = await ctx.db('public_holidays').where({ date: '2026-12-16' }).first();
      // A step started now falls due after its SLA in working days, skipping the holidays.
      const today = new Date().toISOString().slice(0, 10);
      const next = [1, 2, 3].map((d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10));
      for (const date of next)
        await ctx.db('public_holidays').insert({ date, name_en: 'H', name_ar: 'ع', created_at: today });
      const { project } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
      const rid = await buildGateRequest(ctx.db, pm.user, project);
      const step = await ctx.db('approval_steps').where({ request_id: rid, step_no: 1 }).first();
      const expected = addWorkingDays(today, step.sla_days, {
        weekendDays: ctx.config.workweek.weekendDays,
        holidays: [...next, '2026-12-16'],
      });
      expect(step.due_at).to.equal(expected + 'T23:59:59.999Z');
      expect(next).to.not.include(step.due_at.slice(0, 10));
      await ctx.db('public_holidays').whereIn('date', next).delete();
      expect((await admin.agent.get('/approvals/holidays?lang=ar')).text).to.contain('العيد الوطني');
      expect((await admin.post('/approvals/holidays/999999/delete')).status).to.equal(404);
      expect((await admin.post(`/approvals/holidays/${h.id}/delete`)).status).to.equal(303);
      expect(await n(ctx, 'public_holidays')).to.equal(0);
    });
  });

  describe('delegations', () => {
    it('for deciders (viewer 404); unsuitable, self and out-of-order dates refused; only the parties end one', async () => {
      expect((await viewer.agent.get('/approvals/delegations')).status).to.equal(404);
      expect((await sponsor.agent.get('/approvals/delegations')).status).to.equal(200);
      const today = new Date().toISOString().slice(0, 10);
      const before = await n(ctx, 'approval_delegations');
      const tries = [
        { delegateId: pm.user.id, startsOn: today, endsOn: today },
        { delegateId: sponsor.user.id, startsOn: today, endsOn: today },
        { delegateId: pmo.user.id, startsOn: '2099-02-01', endsOn: '2099-01-01' },
        { delegateId: pmo.user.id, startsOn: '2000-01-01', endsOn: '2000-01-02' },
        { delegateId: 'abc', startsOn: 'soon', endsOn: '' },
      ];
      for (const form of tries)
        expect((await sponsor.post('/approvals/delegations', form)).status).to.equal(422);
      expect(await n(ctx, 'approval_delegations')).to.equal(before);
      expect(
        (
          await sponsor.post('/approvals/delegations', {
            delegateId: pmo.user.id,
            startsOn: today,
            endsOn: '2099-01-01',
          })
        ).status,
      ).to.equal(303);
      const d = await ctx
        .db('approval_delegations')
        .where({ delegator_id: sponsor.user.id })
        .orderBy('id', 'desc')
        .first();
      const stranger = await ctx.as('sponsor');
      expect((await stranger.post(`/approvals/delegations/${d.id}/end`)).status).to.equal(404);
      expect((await sponsor.post('/approvals/delegations/999999/end')).status).to.equal(404);
      expect((await sponsor.post(`/approvals/delegations/${d.id}/end`)).status).to.equal(303);
      expect(await n(ctx, 'audit_log', { action: 'delegation.end' })).to.equal(1);
    });
  });
});
