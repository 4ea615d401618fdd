import { expect } from 'chai';
import type { Db } from '../../src/db/knex.js';
import {
  COUNT_CAP,
  PROGRAM_LIST_MAX,
  SEARCH_MATCHES,
} from '../../src/modules/approvals/approvals.repository.js';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildGateRequest, buildGovernedProject } from '../factories/approvals.js';
import { buildProgram, buildProject, type ProjectRow } from '../factories/portfolio.js';
import { countQueries } from '../factories/scene.js';

/**
 * Pending requests inserted in bulk (a request and its pending first step each), as many as an
 * inbox at scale holds: `due` days from now (negative: overdue).
 */
async function insertPending(
  db: Db,
  o: {
    projectId: number;
    requestedBy: number;
    role: 'pmo' | 'sponsor';
    n: number;
    due: number;
    title?: string;
  },
) {
  const now = new Date();
  const at = now.toISOString();
  const due = new Date(now.getTime() + o.due * 86_400_000).toISOString();
  const rows = Array.from({ length: o.n }, (_, i) => ({
    kind: 'change_request',
    project_id: o.projectId,
    subject_type: 'project',
    subject_id: o.projectId,
    title_en: `${o.title ?? 'Bulk request'} ${i}`,
    title_ar: `طلب ${i}`,
    status: 'pending',
    requested_by: o.requestedBy,
    submitted_at: at,
    current_step: 1,
    payload: '{}',
    round: 1,
    version: 1,
    created_at: at,
    updated_at: at,
  }));
  for (let i = 0; i < rows.length; i += 50) {
    const ids = (await db('approval_requests')
      .insert(rows.slice(i, i + 50))
      .returning('id')) as ({ id: number } | number)[];
    await db('approval_steps').insert(
      ids.map((r) => ({
        request_id: typeof r === 'number' ? r : r.id,
        round: 1,
        step_no: 1,
        name_en: 'Review',
        name_ar: 'مراجعة',
        decider_role: o.role,
        sla_days: 3,
        status: 'pending',
        started_at: at,
        due_at: due,
      })),
    );
  }
}

describe('approvals inbox: search, filters, counts and paging at scale', () => {
  let ctx: TestContext;
  let pmo: Agent;
  let pm: Agent;
  let sponsor: Agent;
  let project: ProjectRow;
  let other: ProjectRow;
  let requestId: number;
  let otherRequestId: number;
  before(async () => {
    ctx = await createTestApp();
    pmo = await ctx.as('pmo');
    pm = await ctx.as('pm');
    sponsor = await ctx.as('sponsor');
    const program = await buildProgram(ctx.db, {
      code: 'INBOX-PG',
      name_en: 'Harbour works',
      name_ar: 'أعمال الميناء',
    });
    ({ project } = await buildGovernedProject(ctx.db, {
      manager: pm.user,
      sponsor: sponsor.user,
      program_id: program.id,
      code: 'INBOX-01',
      name_en: 'Quay wall renewal',
      name_ar: 'تجديد جدار الرصيف',
    }));
    other = await buildProject(ctx.db, { code: 'INBOX-02', name_en: 'Dredging', name_ar: 'التجريف' });
    requestId = await buildGateRequest(ctx.db, pm.user, project);
    otherRequestId = await buildGateRequest(ctx.db, pmo.user, other);
  });
  after(() => ctx.close());

  const has = (html: string, id: number) => html.includes(`/approvals/${id}"`);
  /** A project or program the page names (what a search or a chosen id stands for). */
  const named = (code: string, name: string) =>
    `<span class="ltr">${code}</span> — <span dir="auto">${name}</span>`;

  it('a project is searched by its code (any case) or part of a name, server-side, kept in the URL', async () => {
    const byCode = await pmo.agent.get('/approvals?scope=all&q=inbox-01');
    expect(byCode.status).to.equal(200);
    expect(has(byCode.text, requestId)).to.equal(true);
    expect(has(byCode.text, otherRequestId)).to.equal(false);
    expect(byCode.text).to.contain('name="q" value="inbox-01"');
    expect(byCode.text).to.contain(named('INBOX-01', 'Quay wall renewal'));
    expect(byCode.text).not.to.contain('id="f-project"');

    const byName = await pmo.agent.get(`/approvals?scope=all&q=${encodeURIComponent('جدار')}`);
    expect(has(byName.text, requestId)).to.equal(true);
    expect(has(byName.text, otherRequestId)).to.equal(false);

    // several matches: each is a link narrowing the search to its code
    const both = await pmo.agent.get('/approvals?scope=all&q=INBOX-0');
    expect(has(both.text, requestId) && has(both.text, otherRequestId)).to.equal(true);
    expect(both.text).to.contain('Projects matching “INBOX-0”');
    expect(both.text).to.contain('q=INBOX-01').and.contain('q=INBOX-02');

    // LIKE wildcards are taken literally; no match says so and lists nothing
    const none = await pmo.agent.get('/approvals?scope=all&q=%25');
    expect(none.text).to.contain('No project you can see matches “%”');
    expect(has(none.text, requestId) || has(none.text, otherRequestId)).to.equal(false);
  });

  it('a search finds only projects the user sees, and never names the others', async () => {
    const outsider = await ctx.as('pm');
    const res = await outsider.agent.get('/approvals?scope=all&q=INBOX-01');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('No project you can see matches');
    expect(res.text).not.to.contain('Quay wall renewal');
    // a chosen project id the user cannot see: nothing listed, nothing named
    const chosen = await outsider.agent.get(`/approvals?scope=all&project=${project.id}`);
    expect(chosen.text).to.contain('The chosen project is not one you can see.');
    expect(chosen.text).not.to.contain('Quay wall renewal');
    const mine = await pm.agent.get('/approvals?scope=all&q=quay');
    expect(has(mine.text, requestId)).to.equal(true);
  });

  it('filters by the current step’s decider and by status (returned requests in all open requests only)', async () => {
    expect(has((await pmo.agent.get('/approvals?scope=all&step=pmo')).text, requestId)).to.equal(true);
    expect(has((await pmo.agent.get('/approvals?scope=all&step=sponsor')).text, requestId)).to.equal(false);
    const { project: p2 } = await buildGovernedProject(ctx.db, { manager: pm.user, sponsor: sponsor.user });
    const returned = await buildGateRequest(ctx.db, pm.user, p2);
    expect(
      (
        await pmo.post(`/approvals/${returned}/decision`, {
          decision: 'return',
          comment: 'More detail',
          version: 1,
        })
      ).status,
    ).to.equal(303);
    const open = await pmo.agent.get('/approvals?scope=all&status=returned');
    expect(has(open.text, returned)).to.equal(true);
    expect(has(open.text, requestId)).to.equal(false);
    expect(open.text).to.contain('<option value="returned" selected>');
    expect(has((await pmo.agent.get('/approvals?scope=all')).text, returned)).to.equal(false);
    // awaiting my decision is pending by definition: the status is ignored there
    const mine = await pmo.agent.get('/approvals?status=returned');
    expect(has(mine.text, returned)).to.equal(false);
    expect(has(mine.text, requestId)).to.equal(true);
    expect(mine.text).not.to.contain('id="f-status"');
  });

  it('programs are a list while few, then a search field resolved like the project search', async () => {
    const few = await pmo.agent.get('/approvals');
    expect(few.text).to.contain('id="f-program"').and.contain('INBOX-PG — Harbour works');
    expect(few.text).not.to.contain('name="programQ"');
    const now = new Date().toISOString();
    const count = Number((await ctx.db('programs').count({ n: '*' }))[0].n);
    await ctx.db('programs').insert(
      Array.from({ length: PROGRAM_LIST_MAX + 1 - count }, (_, i) => ({
        code: `BULK-${i}`,
        name_en: `Bulk program ${i}`,
        name_ar: `برنامج ${i}`,
        status: 'active',
        created_at: now,
        updated_at: now,
      })),
    );
    const many = await pmo.agent.get('/approvals?scope=all');
    expect(many.text).to.contain('name="programQ"');
    expect(many.text).not.to.contain('id="f-program"');
    const found = await pmo.agent.get('/approvals?scope=all&programQ=harbour');
    expect(found.text).to.contain(named('INBOX-PG', 'Harbour works'));
    expect(has(found.text, requestId)).to.equal(true);
    expect(has(found.text, otherRequestId)).to.equal(false);
    // a program id from an old link still filters, and is named
    const byId = await pmo.agent.get(`/approvals?scope=all&program=${project.program_id}`);
    expect(has(byId.text, requestId)).to.equal(true);
    expect(has(byId.text, otherRequestId)).to.equal(false);
    expect(byId.text).to.contain(named('INBOX-PG', 'Harbour works'));
    expect(byId.text).to.contain(`name="program" value="${project.program_id}"`);
    // more matches than a search names: the requests of all of them
    const bulk = await pmo.agent.get('/approvals?scope=all&programQ=bulk');
    expect(bulk.text).to.contain(`More than ${SEARCH_MATCHES} programs match “bulk”`);
  });

  it('invalid filters are ignored, never an error', async () => {
    for (const url of [
      '/approvals?q[]=x&programQ[a]=1&step=nobody&status=approved&project=0&program=-1',
      `/approvals?q=${'x'.repeat(500)}`,
      '/approvals?scope=all&q=%00%27%22&page=99999',
    ]) {
      const res = await pmo.agent.get(url);
      expect(res.status, url).to.equal(200);
    }
  });

  it(`counts stop after ${COUNT_CAP} (“more than”) and pages go on; the number of queries does not grow`, async function () {
    this.timeout(60_000);
    const url = '/approvals';
    const sponsorUrl = '/approvals';
    await pmo.agent.get(url);
    const few = await countQueries(ctx, () => pmo.agent.get(url).expect(200));
    const fewSponsor = await countQueries(ctx, () => sponsor.agent.get(sponsorUrl).expect(200));
    const fewSearch = await countQueries(ctx, () => pmo.agent.get('/approvals?scope=all&q=quay').expect(200));
    await insertPending(ctx.db, {
      projectId: other.id,
      requestedBy: pm.user.id,
      role: 'pmo',
      n: COUNT_CAP + 30,
      due: -2,
    });
    await insertPending(ctx.db, {
      projectId: project.id,
      requestedBy: pm.user.id,
      role: 'sponsor',
      n: 40,
      due: 3,
    });
    const page = await pmo.agent.get(url);
    expect(page.text).to.contain(`More than ${COUNT_CAP} requests`);
    expect(page.text).to.contain(`More than ${COUNT_CAP} overdue`);
    expect(page.text).to.contain('Page 1<').and.contain('page=2');
    // the overdue come first (due first); a page far past the count still lists its requests
    expect(page.text).to.contain('Bulk request 0');
    const beyond = Math.ceil(COUNT_CAP / 25) + 1;
    const far = await pmo.agent.get(`${url}?page=${beyond}`);
    expect(far.text)
      .to.contain(`Page ${beyond}<`)
      .and.contain(`page=${beyond - 1}`);
    expect((far.text.match(/href="\/approvals\/\d+"/g) ?? []).length).to.be.greaterThan(0);
    const sponsorPage = await sponsor.agent.get(sponsorUrl);
    expect(sponsorPage.text).to.contain('40 in total');
    expect(await countQueries(ctx, () => pmo.agent.get(url).expect(200))).to.equal(few);
    expect(await countQueries(ctx, () => sponsor.agent.get(sponsorUrl).expect(200))).to.equal(fewSponsor);
    expect(await countQueries(ctx, () => pmo.agent.get('/approvals?scope=all&q=quay').expect(200))).to.equal(
      fewSearch,
    );
  });

  it('in Arabic', async () => {
    const ar = await pmo.agent.get('/approvals?lang=ar&scope=all&q=لا-شيء');
    expect(ar.status).to.equal(200);
    expect(ar.text).to.contain('المشروع (الرمز أو الاسم)').and.contain('لا يوجد مشروع يمكنك الاطلاع عليه');
  });
});
