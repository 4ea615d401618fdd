import { expect } from 'chai';
import supertest from 'supertest';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import {
  buildKpi,
  buildLink,
  buildMeasurement,
  buildObjective,
  buildStrategy,
} from '../factories/strategy.js';
import { buildProgram, buildProject } from '../factories/portfolio.js';
import { strategyWidget } from '../../src/modules/strategy/strategy.widget.js';

const NOW = new Date('2026-11-28T10:00:00Z');

describe('strategy: the map, objective and KPI pages, the project tab, the dashboard widget', () => {
  let ctx: TestContext;
  let pmo: Agent;
  let pm: Agent;
  let kpi: { id: number; code: string };
  let objective: { id: number; code: string };
  let visible: { id: number; code: string };
  let hidden: { id: number; code: string };
  let hiddenProgram: { id: number; code: string };

  before(async () => {
    ctx = await createTestApp({ clock: () => NOW });
    pmo = await ctx.as('pmo');
    pm = await ctx.as('pm');
    const s = await buildStrategy(ctx.db, {
      name_en: 'National e-Government Strategy',
      name_ar: 'الاستراتيجية الوطنية',
    });
    objective = await buildObjective(ctx.db, {
      strategy_id: s.id,
      code: 'SO1',
      name_en: 'Deliver every suitable government service electronically',
      name_ar: 'تقديم جميع الخدمات الحكومية الملائمة إلكترونياً',
    });
    kpi = await buildKpi(ctx.db, {
      objective_id: objective.id,
      code: 'SO1-K1',
      name_en: 'Share of services online',
      name_ar: 'نسبة الخدمات الإلكترونية',
      owner_id: pm.user.id,
    });
    for (const [p, v] of [
      ['2025-Q1', 55],
      ['2025-Q2', 60],
      ['2025-Q3', 64],
      ['2025-Q4', 69],
      ['2026-Q1', 71],
      ['2026-Q2', 72],
      ['2026-Q3', 77],
    ] as const)
      await buildMeasurement(ctx.db, kpi.id, p, v);
    // An off-track KPI with its last quarter missing (late), for the widget.
    const behind = await buildKpi(ctx.db, {
      objective_id: objective.id,
      code: 'SO1-K2',
      owner_id: pm.user.id,
    });
    await buildMeasurement(ctx.db, behind.id, '2026-Q2', 52);
    const program = await buildProgram(ctx.db, { code: 'DST' });
    visible = await buildProject(ctx.db, { program_id: program.id, manager_id: pm.user.id, code: 'DST-01' });
    hiddenProgram = await buildProgram(ctx.db, { code: 'INF' });
    hidden = await buildProject(ctx.db, { program_id: hiddenProgram.id, code: 'INF-02' });
    await buildLink(ctx.db, objective.id, { project_id: visible.id });
    await buildLink(ctx.db, objective.id, { project_id: hidden.id });
    await buildLink(ctx.db, objective.id, { program_id: hiddenProgram.id });
  });
  after(() => ctx.close());

  it('sends anonymous visitors to the login page', async () => {
    for (const url of [
      '/strategy',
      `/strategy/objectives/${objective.id}`,
      `/strategy/kpis/${kpi.id}`,
      '/strategy/export/csv',
    ]) {
      const res = await supertest(ctx.app).get(url);
      expect(res.status, url).to.equal(303);
      expect(res.headers.location).to.equal('/login');
    }
  });

  it('shows a PMO user the strategy map in English and Arabic, coloured by status with words', async () => {
    const en = await pmo.agent.get('/strategy?lang=en');
    expect(en.status).to.equal(200);
    expect(en.text)
      .to.contain('Strategy map')
      .and.contain('National e-Government Strategy')
      .and.contain('Deliver every suitable government service electronically')
      .and.contain('SO1-K1')
      .and.contain('DST-01')
      .and.contain('INF-02');
    // One KPI on track, one off track: the counts and each row say so in words, not only colour.
    expect(en.text).to.match(/metric">1<\/div>\s*<span class="rag rag-green">On track<\/span>/);
    expect(en.text).to.match(/metric">1<\/div>\s*<span class="rag rag-red">Off track<\/span>/);
    expect(en.text).to.match(/SO1-K2[\s\S]*?<span class="rag rag-red">Off track<\/span>/);
    const ar = await pmo.agent.get('/strategy?lang=ar');
    expect(ar.status).to.equal(200);
    expect(ar.text)
      .to.contain('dir="rtl"')
      .and.contain('خريطة الاستراتيجية')
      .and.contain('تقديم جميع الخدمات الحكومية الملائمة إلكترونياً')
      .and.contain('على المسار')
      .and.contain('خارج المسار');
    expect(en.text).to.contain('href="/strategy" aria-current="page"');
  });

  it('shows a PMO user a KPI chart in both languages, mirrored in Arabic, with a data table', async () => {
    const en = await pmo.agent.get(`/strategy/kpis/${kpi.id}?lang=en`);
    expect(en.status).to.equal(200);
    expect(en.text)
      .to.contain('role="img"')
      .and.contain('<title id="kpi-chart-title-')
      .and.contain('Measured value')
      .and.contain('Target path')
      .and.contain('Measured values, target path and status per period')
      .and.contain('<th scope="row" class="fw-normal text-nowrap">Q3 2026</th>');
    const ar = await pmo.agent.get(`/strategy/kpis/${kpi.id}?lang=ar`);
    expect(ar.status).to.equal(200);
    expect(ar.text)
      .to.contain('القيمة المقيسة')
      .and.contain('المسار المستهدف')
      .and.contain('الربع الثالث 2026');
    // Time runs right to left: the first point (Q1 2025) is right of the last (Q3 2026) in Arabic.
    const xs = (html: string) =>
      [...html.matchAll(/<circle cx="([\d.]+)" cy="[\d.]+" r="4" fill="#0b5c4a"><title>/g)].map((m) =>
        Number(m[1]),
      );
    const enX = xs(en.text);
    const arX = xs(ar.text);
    expect(enX).to.have.length(7);
    expect(enX[0]).to.be.lessThan(enX[6]);
    expect(arX[0]).to.be.greaterThan(arX[6]);
    // The value axis sits on the right in Arabic.
    expect(ar.text).to.match(/text-anchor="start" fill="#41464b">80%/);
    expect(en.text).to.match(/text-anchor="end" fill="#41464b">80%/);
  });

  it('filters programs and projects by visibility: a project manager sees only what they may', async () => {
    const page = await pm.agent.get('/strategy');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('DST-01').and.not.contain('INF-02').and.not.contain('>INF<');
    const obj = await pm.agent.get(`/strategy/objectives/${objective.id}`);
    expect(obj.text).to.contain('DST-01').and.not.contain('INF-02');
    expect(obj.text).to.not.contain('/strategy/links/new');
  });

  it("shows the objectives a project serves on the project's tab (404 when the project is not visible)", async () => {
    const tab = await pm.agent.get(`/projects/${visible.id}/objectives`);
    expect(tab.status).to.equal(200);
    expect(tab.text)
      .to.contain('SO1')
      .and.contain('Strategic objectives served')
      .and.contain('aria-current="page"');
    expect((await pm.agent.get(`/projects/${hidden.id}/objectives`)).status).to.equal(404);
    expect((await pm.agent.get('/projects/999999/objectives')).status).to.equal(404);
    const viaProgram = await pmo.agent.get(`/projects/${hidden.id}/objectives?lang=ar`);
    expect(viaProgram.status).to.equal(200);
    expect(viaProgram.text).to.contain('عبر البرنامج INF');
    expect(viaProgram.text).to.contain(`/strategy/links/new?project=${hidden.id}`);
    expect((await supertest(ctx.app).get(`/projects/${visible.id}/objectives`)).status).to.equal(303);
  });

  it('gives the PMO dashboard a card of KPIs off track and measurements due or late', async () => {
    const w = await strategyWidget.load(ctx.deps, pmo.user, 'en');
    expect(w).to.not.equal(null);
    const data = w as {
      offTrackCount: number;
      behind: { code: string; status: string }[];
      missing: { code: string; state: string; period: string }[];
      lateCount: number;
    };
    expect(data.offTrackCount).to.equal(1);
    expect(data.behind.map((b) => b.code)).to.deep.equal(['SO1-K2']);
    expect(data.missing.find((m) => m.code === 'SO1-K2')).to.include({ state: 'late', period: 'Q3 2026' });
    expect(data.lateCount).to.be.greaterThan(0);
    expect(strategyWidget.roles).to.include('pmo');
    const html = await new Promise<string>((resolve, reject) =>
      ctx.app.render(
        'strategy/widget',
        {
          widget: w,
          t: (k: string, o?: Record<string, unknown>) => `${k}${o ? JSON.stringify(o) : ''}`,
          fmt: { date: (d: string) => d },
        },
        (err, out) => (err ? reject(err) : resolve(out)),
      ),
    );
    expect(html).to.contain('/strategy/kpis/').and.contain('strategy:periodState.late');
  });
});
