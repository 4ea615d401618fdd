import { expect } from 'chai';
import type { Db } from '../../src/db/knex.js';
import { isPg } from '../../src/db/knex.js';
import { insertOne } from '../../src/db/util.js';
import { computeSource, generateComputedMeasurements, median } from '../../src/modules/strategy/computed.js';
import { parsePeriodKey } from '../../src/modules/strategy/strategy.periods.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { buildMilestone, buildProject } from '../factories/portfolio.js';
import { buildKpi } from '../factories/strategy.js';
import { buildUser } from '../factories/users.js';

/**
 * The PMO's own KPIs, computed by Masar from its data, against values worked out by hand from
 * the rows each test inserts.
 */
const NOW = new Date('2026-11-28T10:00:00Z');
const periods = (...keys: string[]) => keys.map((k) => parsePeriodKey(k)!);
const plain = (m: Map<string, number | null>) => Object.fromEntries(m);

describe('strategy: computed KPIs match values calculated by hand', () => {
  let ctx: TestContext;
  let db: Db;
  let projectId: number;
  let userId: number;

  before(async () => {
    ctx = await createTestApp({ clock: () => NOW });
    db = ctx.db;
    userId = (await buildUser(db, { role: 'pm' })).id;
    projectId = (await buildProject(db, { manager_id: userId })).id;
  });
  after(() => ctx.close());

  it('milestones completed on schedule: on-time completions / all completions in the period', async () => {
    // Q1 2026: three completed, two by their planned date (one exactly on it) → 2/3 = 66.6667 %.
    await buildMilestone(db, projectId, {
      status: 'completed',
      planned_date: '2026-02-10',
      actual_date: '2026-02-01',
    });
    await buildMilestone(db, projectId, {
      status: 'completed',
      planned_date: '2026-03-15',
      actual_date: '2026-03-15',
    });
    await buildMilestone(db, projectId, {
      status: 'completed',
      planned_date: '2026-01-05',
      actual_date: '2026-01-20',
    });
    // Q2 2026: one, late → 0 %. Not completed milestones never count, whatever their dates.
    await buildMilestone(db, projectId, {
      status: 'completed',
      planned_date: '2026-04-01',
      actual_date: '2026-05-02',
    });
    await buildMilestone(db, projectId, {
      status: 'in_progress',
      planned_date: '2026-04-01',
      actual_date: '2026-04-01',
    });
    const v = await computeSource(db, 'milestones_on_schedule', periods('2026-Q1', '2026-Q2', '2026-Q3'));
    expect(plain(v)).to.deep.equal({ '2026-Q1': 666667, '2026-Q2': 0, '2026-Q3': null });
  });

  async function request(status: string, submittedAt: string, decidedAt: string | null): Promise<number> {
    return insertOne(db, 'approval_requests', {
      kind: 'gate',
      project_id: projectId,
      subject_type: 'project',
      subject_id: projectId,
      title_en: 'Gate',
      title_ar: 'بوابة',
      status,
      requested_by: userId,
      submitted_at: submittedAt,
      decided_at: decidedAt,
      payload: '{}',
      created_at: submittedAt,
      updated_at: submittedAt,
    });
  }
  let stepNo = 0;
  async function step(requestId: number, status: string, dueAt: string | null, decidedAt: string | null) {
    await db('approval_steps').insert({
      request_id: requestId,
      step_no: ++stepNo,
      name_en: 'PMO review',
      name_ar: 'مراجعة المكتب',
      decider_role: 'pmo',
      status,
      started_at: '2026-09-01T08:00:00.000Z',
      due_at: dueAt,
      decided_at: decidedAt,
    });
  }

  it('approval steps decided within SLA, and the median approval cycle time', async () => {
    // September 2026: requests closed after 2, 3.5 and 10 days → median 3.5 days.
    const a = await request('approved', '2026-09-01T08:00:00.000Z', '2026-09-03T08:00:00.000Z');
    const b = await request('rejected', '2026-09-10T00:00:00.000Z', '2026-09-13T12:00:00.000Z');
    const c = await request('approved', '2026-09-05T06:00:00.000Z', '2026-09-15T06:00:00.000Z');
    // Not closed: withdrawn, returned (it comes back), still pending.
    await request('withdrawn', '2026-09-01T08:00:00.000Z', '2026-09-02T08:00:00.000Z');
    await request('returned', '2026-09-01T08:00:00.000Z', '2026-09-20T08:00:00.000Z');
    await request('pending', '2026-09-01T08:00:00.000Z', null);
    // October 2026: 1 and 4 days → median 2.5 days.
    const d = await request('approved', '2026-10-01T00:00:00.000Z', '2026-10-02T00:00:00.000Z');
    await request('approved', '2026-10-03T00:00:00.000Z', '2026-10-07T00:00:00.000Z');

    // Steps decided in September: within SLA (early, exactly at the due time), late → 2/3.
    await step(a, 'approved', '2026-09-04T08:00:00.000Z', '2026-09-03T08:00:00.000Z');
    await step(b, 'rejected', '2026-09-13T12:00:00.000Z', '2026-09-13T12:00:00.000Z');
    await step(c, 'returned', '2026-09-08T06:00:00.000Z', '2026-09-15T06:00:00.000Z');
    // Left out: skipped, undecided, no due time.
    await step(c, 'skipped', '2026-09-08T06:00:00.000Z', '2026-09-15T06:00:00.000Z');
    await step(c, 'pending', '2026-09-08T06:00:00.000Z', null);
    await step(a, 'approved', null, '2026-09-03T09:00:00.000Z');
    // October: one, on time → 100 %.
    await step(d, 'approved', '2026-10-05T00:00:00.000Z', '2026-10-02T00:00:00.000Z');

    const months = periods('2026-M08', '2026-M09', '2026-M10');
    const sla = await computeSource(db, 'approvals_within_sla', months);
    expect(plain(sla)).to.deep.equal({ '2026-M08': null, '2026-M09': 666667, '2026-M10': 1000000 });
    const cycle = await computeSource(db, 'approval_cycle_days', months);
    expect(plain(cycle)).to.deep.equal({ '2026-M08': null, '2026-M09': 35000, '2026-M10': 25000 });
    expect(median([10, 2, 3.5])).to.equal(3.5);
    expect(median([])).to.equal(null);
  });

  it('documents and PDF pages filed electronically per period', async () => {
    const docId = await insertOne(db, 'documents', {
      project_id: projectId,
      category: 'charter',
      title_en: 'Charter',
      title_ar: 'الميثاق',
      created_at: '2026-09-02T00:00:00.000Z',
      updated_at: '2026-09-02T00:00:00.000Z',
    });
    let n = 0;
    const version = (at: string, pages: number | null) =>
      db('document_versions').insert({
        document_id: docId,
        version_no: ++n,
        sha256: String(n).padStart(64, '0'),
        original_name: `v${n}.pdf`,
        media_type: pages === null ? 'image/png' : 'application/pdf',
        size_bytes: 1000,
        page_count: pages,
        uploaded_by: userId,
        uploaded_at: at,
      });
    await version('2026-09-02T10:00:00.000Z', 10);
    await version('2026-09-30T23:59:59.000Z', null);
    await version('2026-10-01T00:00:00.000Z', 5);
    await version('2026-10-15T00:00:00.000Z', 7);
    await version('2026-10-31T12:00:00.000Z', 1);
    const months = periods('2026-M08', '2026-M09', '2026-M10', '2026-M11');
    // August is before the first document ever filed: no data. November: nothing yet → 0.
    expect(plain(await computeSource(db, 'documents_filed', months))).to.deep.equal({
      '2026-M08': null,
      '2026-M09': 20000,
      '2026-M10': 30000,
      '2026-M11': 0,
    });
    expect(plain(await computeSource(db, 'pdf_pages_filed', months))).to.deep.equal({
      '2026-M08': null,
      '2026-M09': 100000,
      '2026-M10': 130000,
      '2026-M11': 0,
    });
  });

  it('treats a feature whose tables do not exist as no data', async () => {
    await db
      .transaction(async (trx) => {
        await trx.raw(isPg(trx) ? 'DROP TABLE document_versions CASCADE' : 'DROP TABLE document_versions');
        const v = await computeSource(trx, 'pdf_pages_filed', periods('2026-M09'));
        expect(plain(v)).to.deep.equal({ '2026-M09': null });
        throw new Error('rollback');
      })
      .catch((e: Error) => {
        if (e.message !== 'rollback') throw e;
      });
    expect(await db.schema.hasTable('document_versions')).to.equal(true);
  });

  it('generates the values of ended periods once (idempotent), and supersedes a value whose data changed', async () => {
    const kpi = await buildKpi(db, {
      unit: 'days',
      direction: 'lower',
      frequency: 'monthly',
      baseline: 12,
      baseline_date: '2026-08-31',
      targets: { '2026': 5 },
      computed: true,
      source_key: 'approval_cycle_days',
    });
    const written = await generateComputedMeasurements(db, NOW, { kpiIds: [kpi.id] });
    expect(written).to.equal(2); // September and October; November has not ended
    const rows = async () =>
      (await db('kpi_measurements').where({ kpi_id: kpi.id }).orderBy('id')).map(
        (r: Record<string, unknown>) => [
          r.period_key,
          Number(r.value),
          r.source,
          r.supersedes_id === null ? null : Number(r.supersedes_id),
        ],
      );
    const first = await rows();
    expect(first.map((r) => r.slice(0, 3))).to.deep.equal([
      ['2026-M09', 35000, 'computed'],
      ['2026-M10', 25000, 'computed'],
    ]);
    expect(await generateComputedMeasurements(db, NOW, { kpiIds: [kpi.id] })).to.equal(0);
    expect(await rows()).to.deep.equal(first);
    // A late decision lands in October (3 days): durations 1, 3, 4 → median 3.
    await request('approved', '2026-10-20T00:00:00.000Z', '2026-10-23T00:00:00.000Z');
    expect(await generateComputedMeasurements(db, NOW, { kpiIds: [kpi.id] })).to.equal(1);
    const after = await rows();
    expect(after).to.have.length(3);
    const octId = Number(
      (await db('kpi_measurements').where({ kpi_id: kpi.id, period_key: '2026-M10' }).orderBy('id').first())
        .id,
    );
    expect(after[2]).to.deep.equal(['2026-M10', 30000, 'computed', octId]);
    const audit = await db('audit_log').where({ action: 'kpi.compute', entity_id: String(kpi.id) });
    expect(audit).to.have.length(2);
    expect(audit[0].actor_id).to.equal(null);
  });

  it('is brought up to date when someone views the KPI page', async () => {
    const kpi = await buildKpi(db, {
      frequency: 'quarterly',
      baseline: 60,
      baseline_date: '2025-12-31',
      computed: true,
      source_key: 'milestones_on_schedule',
    });
    const viewer = await ctx.as('viewer');
    const page = await viewer.agent.get(`/strategy/kpis/${kpi.id}`);
    expect(page.status).to.equal(200);
    const values = await db('kpi_measurements').where({ kpi_id: kpi.id }).orderBy('period_end');
    expect(values.map((r: Record<string, unknown>) => [r.period_key, Number(r.value)])).to.deep.equal([
      ['2026-Q1', 666667],
      ['2026-Q2', 0],
    ]);
    expect(page.text).to.contain('66.67%');
  });
});
