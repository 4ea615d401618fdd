import { expect } from 'chai';
import supertest from 'supertest';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildKpi, buildMeasurement, buildObjective, buildReviewCycle } from '../factories/strategy.js';

const NOW = new Date('2026-11-28T10:00:00Z');

describe('strategy: periodic reviews', () => {
  let ctx: TestContext;
  let pmo: Agent;
  let pm: Agent;
  let other: Agent;
  let viewer: Agent;
  let objective: { id: number; code: string };

  const rows = async (table: string) => Number((await ctx.db(table).count({ n: '*' }))[0].n);

  before(async () => {
    ctx = await createTestApp({ clock: () => NOW });
    pmo = await ctx.as('pmo');
    pm = await ctx.as('pm');
    other = await ctx.as('pm');
    viewer = await ctx.as('viewer');
    objective = await buildObjective(ctx.db, { code: 'SO2', name_en: 'Raise customer satisfaction' });
    const k = await buildKpi(ctx.db, { objective_id: objective.id, code: 'SO2-K1' });
    await buildMeasurement(ctx.db, k.id, '2026-Q3', 60);
  });
  after(() => ctx.close());

  it('sends anonymous visitors to the login page', async () => {
    const a = supertest(ctx.app);
    for (const url of [
      '/strategy/reviews',
      '/strategy/reviews/1',
      `/strategy/reviews/1/objectives/${objective.id}`,
    ])
      expect((await a.get(url)).headers.location, url).to.equal('/login');
    expect((await a.post('/strategy/reviews/1/close')).status).to.equal(303);
  });

  it('opens a quarterly cycle (proposing the quarter just ended); others get 403; bad periods 422', async () => {
    const list = await pmo.agent.get('/strategy/reviews');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain('value="2026-Q3"');
    expect((await viewer.agent.get('/strategy/reviews')).text).to.not.contain('name="periodKey"');
    expect((await viewer.post('/strategy/reviews', { periodKey: '2026-Q3' })).status).to.equal(403);
    expect((await pm.post('/strategy/reviews', { periodKey: '2026-Q3' })).status).to.equal(403);
    const before = await rows('review_cycles');
    for (const periodKey of ['autumn', '2027-Q1', ''])
      expect((await pmo.post('/strategy/reviews', { periodKey })).status, periodKey).to.equal(422);
    expect(await rows('review_cycles')).to.equal(before);
    const res = await pmo.post('/strategy/reviews', { periodKey: '2026-q3' });
    expect(res.status).to.equal(303);
    const c = await ctx.db('review_cycles').where({ period_key: '2026-Q3' }).first();
    expect(res.headers.location).to.equal(`/strategy/reviews/${c.id}`);
    const dup = await pmo.post('/strategy/reviews', { periodKey: '2026-Q3' });
    expect(dup.status).to.equal(422);
    expect(dup.text).to.contain('already exists');
  });

  it('records per objective a summary, decisions and actions; keeps history; audit entries', async () => {
    const c = await ctx.db('review_cycles').where({ period_key: '2026-Q3' }).first();
    const url = `/strategy/reviews/${c.id}/objectives/${objective.id}`;
    expect((await pm.agent.get(url)).status).to.equal(403);
    expect((await pmo.agent.get(url)).status).to.equal(200);
    expect((await pmo.agent.get(`/strategy/reviews/${c.id}/objectives/999999`)).status).to.equal(404);
    // An action needs the entry first.
    const early = await pmo.post(`${url}/actions`, {
      description: 'Draft a recovery plan',
      ownerId: String(pm.user.id),
      dueDate: '2026-12-20',
    });
    expect(early.status).to.equal(422);
    expect((await pmo.post(url, { summary: '', version: 0 })).status).to.equal(422);
    expect((await pm.post(url, { summary: 'x', version: 0 })).status).to.equal(403);
    const res = await pmo.post(url, {
      summary: 'Satisfaction is off track and worsening.',
      decisions: 'Escalate to the sponsor.',
      version: 0,
    });
    expect(res.status).to.equal(303);
    const entry = await ctx
      .db('review_entries')
      .where({ cycle_id: c.id, objective_id: objective.id })
      .first();
    expect(entry.summary).to.equal('Satisfaction is off track and worsening.');
    expect(JSON.parse(entry.kpi_snapshot)).to.deep.equal([
      { code: 'SO2-K1', period: '2026-Q3', status: 'off_track', value: '60' },
    ]);
    // Two PMO officers editing at once: the second gets 409 with their text kept.
    expect((await pmo.post(url, { summary: 'Edited', version: 1 })).status).to.equal(303);
    const stale = await pmo.post(url, { summary: 'Mine', version: 1 });
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('Mine');

    for (const bad of [
      { description: '', ownerId: String(pm.user.id), dueDate: '2026-12-20' },
      { description: 'Plan', ownerId: String(viewer.user.id), dueDate: '2026-12-20' },
      { description: 'Plan', ownerId: String(pm.user.id), dueDate: '20/12/2026' },
    ]) {
      const r = await pmo.post(`${url}/actions`, bad);
      expect(r.status, JSON.stringify(bad)).to.equal(422);
    }
    expect(await rows('review_actions')).to.equal(0);
    const add = await pmo.post(`${url}/actions`, {
      description: 'Draft a recovery plan',
      ownerId: String(pm.user.id),
      dueDate: '2026-12-20',
    });
    expect(add.status).to.equal(303);
    const page = await viewer.agent.get(`/strategy/reviews/${c.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Edited').and.contain('Draft a recovery plan').and.contain('Off track');
    const ar = await viewer.agent.get(`/strategy/reviews/${c.id}?lang=ar`);
    expect(ar.text).to.contain('مراجعة الربع الثالث 2026');
    expect((await pmo.agent.get(`/strategy/objectives/${objective.id}`)).text).to.contain(
      'Draft a recovery plan',
    );
    for (const a of ['review.open', 'review.entry.create', 'review.entry.update', 'review.action.create']) {
      expect(await ctx.db('audit_log').where({ action: a }).first(), a).to.not.equal(undefined);
    }
  });

  it("lets the action's owner (or the PMO) mark it done; others get 403", async () => {
    const action = await ctx.db('review_actions').first();
    const url = `/strategy/reviews/actions/${action.id}`;
    expect((await other.post(url, { done: 'on', version: 1 })).status).to.equal(403);
    expect((await viewer.post(url, { done: 'on', version: 1 })).status).to.equal(403);
    expect((await pm.post(url, { done: 'on' })).status).to.equal(422);
    const res = await pm.post(url, { done: 'on', version: 1 });
    expect(res.status).to.equal(303);
    const done = await ctx.db('review_actions').where({ id: action.id }).first();
    expect(done.status).to.equal('done');
    expect(done.done_by).to.equal(pm.user.id);
    expect((await pm.post(url, { done: 'on', version: 1 })).status).to.equal(409);
    expect((await pmo.post(url, { version: 2 })).status).to.equal(303);
    expect((await ctx.db('review_actions').where({ id: action.id }).first()).status).to.equal('open');
    expect((await pmo.post('/strategy/reviews/actions/999999', { done: 'on', version: 1 })).status).to.equal(
      404,
    );
  });

  it('closes a cycle; a closed cycle keeps its entries as they are', async () => {
    const c = await ctx.db('review_cycles').where({ period_key: '2026-Q3' }).first();
    expect((await pm.post(`/strategy/reviews/${c.id}/close`, { version: 1 })).status).to.equal(403);
    expect((await pmo.post(`/strategy/reviews/${c.id}/close`, { version: 1 })).status).to.equal(303);
    expect((await pmo.post(`/strategy/reviews/${c.id}/close`, { version: 2 })).status).to.equal(409);
    const url = `/strategy/reviews/${c.id}/objectives/${objective.id}`;
    expect((await pmo.post(url, { summary: 'Late edit', version: 2 })).status).to.equal(403);
    expect((await pmo.agent.get(`/strategy/reviews/${c.id}`)).text).to.not.contain('Late edit');
    // History: both cycles are listed, newest first.
    await buildReviewCycle(ctx.db, '2026-Q2', { status: 'closed' });
    const list = await viewer.agent.get('/strategy/reviews');
    expect(list.text.indexOf('2026-Q3')).to.be.lessThan(list.text.indexOf('2026-Q2'));
    expect((await viewer.agent.get('/strategy/reviews/999999')).status).to.equal(404);
  });
});
