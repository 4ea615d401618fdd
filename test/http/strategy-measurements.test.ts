import { expect } from 'chai';
import supertest from 'supertest';
import ExcelJS from 'exceljs';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildKpi, buildMeasurement } from '../factories/strategy.js';
import { verifyChain } from '../../src/modules/audit/audit.service.js';

const NOW = new Date('2026-11-28T10:00:00Z');

describe('strategy: recording KPI measurements', () => {
  let ctx: TestContext;
  let pmo: Agent;
  let owner: Agent;
  let outsider: Agent;
  let viewer: Agent;
  let kpi: { id: number };

  const count = async (kpiId = kpi.id) =>
    Number((await ctx.db('kpi_measurements').where({ kpi_id: kpiId }).count({ n: '*' }))[0].n);
  const statusOf = async (agent: Agent, id = kpi.id) => {
    const res = await agent.agent.get(`/strategy/kpis/${id}`);
    expect(res.status).to.equal(200);
    return /data-kpi-status="(\w+)"/.exec(res.text)?.[1];
  };

  before(async () => {
    ctx = await createTestApp({ clock: () => NOW });
    pmo = await ctx.as('pmo');
    owner = await ctx.as('pm');
    outsider = await ctx.as('pm');
    viewer = await ctx.as('viewer');
    // Percent, quarterly, higher is better: baseline 50 at the end of 2024, targets 70 (2025), 80 (2026).
    kpi = await buildKpi(ctx.db, { owner_id: owner.user.id });
    await buildMeasurement(ctx.db, kpi.id, '2025-Q4', 70);
  });
  after(() => ctx.close());

  it('sends anonymous visitors to the login page', async () => {
    const a = supertest(ctx.app);
    for (const url of [`/strategy/kpis/${kpi.id}/measurements/new`, `/strategy/kpis/${kpi.id}`]) {
      const res = await a.get(url);
      expect(res.status, url).to.equal(303);
      expect(res.headers.location).to.equal('/login');
    }
    expect((await a.post(`/strategy/kpis/${kpi.id}/measurements`)).status).to.equal(303);
  });

  it("lets the KPI's owner record a value, and the status follows it", async () => {
    expect(await statusOf(owner)).to.equal('on_track');
    const form = await owner.agent.get(`/strategy/kpis/${kpi.id}/measurements/new`);
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('name="periodKey"').and.contain('2026-Q3');
    // 60 at the end of Q3 2026, where the path expects about 77.5: far behind → off track.
    const res = await owner.post(`/strategy/kpis/${kpi.id}/measurements`, {
      periodKey: '2026-Q3',
      value: '60',
      comment: 'Survey result',
    });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/strategy/kpis/${kpi.id}`);
    expect(await statusOf(owner)).to.equal('off_track');
    const row = await ctx.db('kpi_measurements').where({ kpi_id: kpi.id, period_key: '2026-Q3' }).first();
    expect(Number(row.value)).to.equal(600000);
    expect(row.recorded_by).to.equal(owner.user.id);
    expect(row.period_end).to.equal('2026-09-30');
    const entry = await ctx
      .db('audit_log')
      .where({ action: 'kpi.measurement.record', entity_id: String(kpi.id) })
      .first();
    expect(entry.actor_id).to.equal(owner.user.id);
  });

  it('keeps the earlier value when a value is corrected (a new row supersedes it)', async () => {
    const current = await ctx.db('kpi_measurements').where({ kpi_id: kpi.id, period_key: '2026-Q3' }).first();
    const form = await owner.agent.get(`/strategy/kpis/${kpi.id}/measurements/new?period=2026-Q3`);
    expect(form.text).to.contain(`name="replaces" value="${current.id}"`);
    // A correction needs a reason.
    const noComment = await owner.post(`/strategy/kpis/${kpi.id}/measurements`, {
      periodKey: '2026-Q3',
      value: '77',
      replaces: current.id,
    });
    expect(noComment.status).to.equal(422);
    const res = await owner.post(`/strategy/kpis/${kpi.id}/measurements`, {
      periodKey: '2026-Q3',
      value: '77',
      comment: 'Late survey returns included',
      replaces: current.id,
    });
    expect(res.status).to.equal(303);
    const rows = await ctx
      .db('kpi_measurements')
      .where({ kpi_id: kpi.id, period_key: '2026-Q3' })
      .orderBy('id');
    expect(rows.map((r: { value: number }) => Number(r.value))).to.deep.equal([600000, 770000]);
    expect(rows[1].supersedes_id).to.equal(rows[0].id);
    expect(await statusOf(pmo)).to.equal('on_track');
    const page = await pmo.agent.get(`/strategy/kpis/${kpi.id}`);
    expect(page.text).to.contain('<del>60%</del>').and.contain('Late survey returns included');
    // Correcting a value someone else has corrected since: 409, nothing written.
    const stale = await owner.post(`/strategy/kpis/${kpi.id}/measurements`, {
      periodKey: '2026-Q3',
      value: '78',
      comment: 'again',
      replaces: current.id,
    });
    expect(stale.status).to.equal(409);
    expect(await count()).to.equal(3);
    expect((await verifyChain(ctx.db)).ok).to.equal(true);
  });

  it('lets the PMO record for any KPI', async () => {
    const res = await pmo.post(`/strategy/kpis/${kpi.id}/measurements`, {
      periodKey: '2026-Q2',
      value: '74.25',
    });
    expect(res.status).to.equal(303);
  });

  it('lets a viewer read but not record (403)', async () => {
    expect((await viewer.agent.get(`/strategy/kpis/${kpi.id}`)).status).to.equal(200);
    expect((await viewer.agent.get(`/strategy/kpis/${kpi.id}/measurements/new`)).status).to.equal(403);
    const before = await count();
    const res = await viewer.post(`/strategy/kpis/${kpi.id}/measurements`, {
      periodKey: '2026-Q1',
      value: '72',
    });
    expect(res.status).to.equal(403);
    expect(await count()).to.equal(before);
    expect((await viewer.agent.get(`/strategy/kpis/${kpi.id}`)).text).to.not.contain('/measurements/new');
  });

  it('refuses a user who does not own the KPI (403)', async () => {
    const before = await count();
    expect((await outsider.agent.get(`/strategy/kpis/${kpi.id}/measurements/new`)).status).to.equal(403);
    const res = await outsider.post(`/strategy/kpis/${kpi.id}/measurements?lang=ar`, {
      periodKey: '2026-Q1',
      value: '72',
    });
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('لا يسجّل قيم المؤشر إلا مالكه');
    expect(await count()).to.equal(before);
  });

  it('answers 404 for a KPI that does not exist', async () => {
    expect((await pmo.agent.get('/strategy/kpis/999999/measurements/new')).status).to.equal(404);
    expect(
      (await pmo.post('/strategy/kpis/999999/measurements', { periodKey: '2026-Q1', value: '1' })).status,
    ).to.equal(404);
    expect((await pmo.agent.get('/strategy/kpis/abc')).status).to.equal(404);
  });

  describe('invalid measurements: 422 with a clear message, nothing written', () => {
    const cases: [string, Record<string, string>, string][] = [
      [
        'a percentage above 100',
        { periodKey: '2026-Q1', value: '100.5' },
        'A percentage must be between 0 and 100.',
      ],
      ['a negative value', { periodKey: '2026-Q1', value: '-3' }, 'The value cannot be negative.'],
      ['text', { periodKey: '2026-Q1', value: 'about seventy' }, 'Enter a number'],
      ['too many decimals', { periodKey: '2026-Q1', value: '70.123' }, 'Enter at most 2 decimals.'],
      ['no value', { periodKey: '2026-Q1', value: '' }, 'This field is required.'],
      ['a period in the future', { periodKey: '2027-Q1', value: '70' }, 'This period has not started yet.'],
      [
        'a period before the baseline',
        { periodKey: '2024-Q4', value: '70' },
        'ends on or before the baseline date',
      ],
      ['a period of another frequency', { periodKey: '2026-M03', value: '70' }, 'measured in other periods'],
      ['a period that is no period', { periodKey: 'spring', value: '70' }, 'Enter a period such as 2026'],
    ];
    for (const [name, form, message] of cases) {
      it(name, async () => {
        const before = await count();
        const res = await owner.post(`/strategy/kpis/${kpi.id}/measurements`, form);
        expect(res.status).to.equal(422);
        expect(res.text).to.contain(message);
        expect(await count()).to.equal(before);
      });
    }

    it('in Arabic too, keeping what was typed', async () => {
      const res = await owner.post(`/strategy/kpis/${kpi.id}/measurements?lang=ar`, {
        periodKey: '2026-Q1',
        value: '120',
      });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('يجب أن تكون النسبة المئوية بين 0 و100.').and.contain('value="120"');
    });

    it('a negative count, and a fraction of a count', async () => {
      const counted = await buildKpi(ctx.db, {
        owner_id: owner.user.id,
        unit: 'count',
        baseline: 10,
        targets: {},
      });
      for (const value of ['-1', '2.5']) {
        const res = await owner.post(`/strategy/kpis/${counted.id}/measurements`, {
          periodKey: '2026-Q1',
          value,
        });
        expect(res.status, value).to.equal(422);
      }
      expect(await count(counted.id)).to.equal(0);
    });
  });

  it('never lets anyone type the values of a computed KPI (403)', async () => {
    const computed = await buildKpi(ctx.db, {
      owner_id: owner.user.id,
      computed: true,
      source_key: 'milestones_on_schedule',
    });
    expect((await pmo.agent.get(`/strategy/kpis/${computed.id}/measurements/new`)).status).to.equal(403);
    const res = await pmo.post(`/strategy/kpis/${computed.id}/measurements`, {
      periodKey: '2026-Q1',
      value: '50',
    });
    expect(res.status).to.equal(403);
    expect(await count(computed.id)).to.equal(0);
  });

  it('flags a period with no value late once the allowed days have passed', async () => {
    // Q3 2026 ended on 30 Sep; with 15 days allowed it was due by 15 Oct: late on 28 Nov.
    const late = await buildKpi(ctx.db, { owner_id: owner.user.id });
    await buildMeasurement(ctx.db, late.id, '2026-Q2', 75);
    const page = await owner.agent.get(`/strategy/kpis/${late.id}`);
    expect(page.text).to.contain('Late: Q3 2026').and.contain('Due by 15 Oct 2026');
  });

  it('exports KPI values as CSV (BOM, exact decimals, no formulas) and as XLSX (right-to-left in Arabic)', async () => {
    await buildMeasurement(ctx.db, kpi.id, '2026-Q1', 72.35, { comment: '=HYPERLINK("x")' });
    const csv = await viewer.agent.get(`/strategy/kpis/${kpi.id}/export/csv`).buffer(true);
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.contain('text/csv');
    const text = csv.text ?? csv.body.toString('utf8');
    expect(text.charCodeAt(0)).to.equal(0xfeff);
    expect(text).to.contain('72.35').and.contain("'=HYPERLINK");
    expect(text).to.contain('2026-Q3').and.contain('77');
    const all = await viewer.agent.get('/strategy/export/csv');
    expect(all.status).to.equal(200);
    const xlsx = await viewer.agent
      .get(`/strategy/export/xlsx?lang=ar`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).to.equal(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.views[0].rightToLeft).to.equal(true);
    expect(String(ws.getRow(1).getCell(1).value)).to.equal('الهدف');
    expect((await viewer.agent.get('/strategy/export/pdf')).status).to.equal(404);
  });
});
