import { expect } from 'chai';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { popplerText } from '../helpers/pdf-text.js';
import { buildKpi, buildLink, buildMeasurement, buildObjective } from '../factories/strategy.js';
import { buildProgram, buildProject } from '../factories/portfolio.js';
import { objectivesSectionData } from '../../src/modules/strategy/strategy.report.js';

const NOW = new Date('2026-11-28T10:00:00Z');

function binary(res: NodeJS.ReadableStream, cb: (err: Error | null, body: unknown) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('strategy: the "Objectives and KPIs" section of the portfolio PDF', () => {
  let ctx: TestContext;
  let pmo: Agent;
  let pm: Agent;
  let programA: { id: number; code: string };
  let programB: { id: number; code: string };

  before(async () => {
    ctx = await createTestApp({ clock: () => NOW });
    pmo = await ctx.as('pmo');
    pm = await ctx.as('pm');
    programA = await buildProgram(ctx.db, { code: 'DST' });
    programB = await buildProgram(ctx.db, { code: 'INF' });
    const mine = await buildProject(ctx.db, {
      program_id: programA.id,
      manager_id: pm.user.id,
      code: 'DST-01',
    });
    const theirs = await buildProject(ctx.db, { program_id: programB.id, code: 'INF-02' });
    const o1 = await buildObjective(ctx.db, {
      code: 'SO1',
      name_en: 'Deliver services electronically',
      name_ar: 'تقديم الخدمات إلكترونياً',
    });
    const o4 = await buildObjective(ctx.db, {
      code: 'SO4',
      name_en: 'Shared infrastructure',
      name_ar: 'بنية مشتركة',
    });
    const k = await buildKpi(ctx.db, {
      objective_id: o1.id,
      code: 'SO1-K1',
      name_en: 'Services online',
      name_ar: 'الخدمات الإلكترونية',
    });
    await buildMeasurement(ctx.db, k.id, '2026-Q3', 77.5);
    await buildLink(ctx.db, o1.id, { project_id: mine.id });
    await buildLink(ctx.db, o4.id, { project_id: theirs.id });
  });
  after(() => ctx.close());

  it('gives each objective its KPIs and only the programs and projects the reader may see', async () => {
    const all = await objectivesSectionData(
      ctx.db,
      pmo.user,
      { kind: 'portfolio' },
      '2026-11-28',
      ctx.config,
    );
    expect(all.map((r) => r.objective.code)).to.deep.equal(['SO1', 'SO4']);
    expect(all[0].kpis[0].latest?.value).to.equal(775000);
    expect(all[0].status).to.equal('on_track');
    const forPm = await objectivesSectionData(
      ctx.db,
      pm.user,
      { kind: 'portfolio' },
      '2026-11-28',
      ctx.config,
    );
    expect(forPm.flatMap((r) => r.links.map((l) => l.code))).to.deep.equal(['DST-01']);
    const program = await objectivesSectionData(
      ctx.db,
      pmo.user,
      { kind: 'program', programId: programB.id },
      '2026-11-28',
      ctx.config,
    );
    expect(program.map((r) => r.objective.code)).to.deep.equal(['SO4']);
  });

  it('is drawn in the portfolio PDF in English and in Arabic', async () => {
    const en = await pmo.agent
      .get('/reports/portfolio.pdf?lang=en')
      .buffer(true)
      .parse(binary as never);
    expect(en.status).to.equal(200);
    const enText = popplerText(en.body as Buffer);
    expect(enText).to.contain('Objectives and KPIs').and.contain('SO1-K1').and.contain('77.5%');
    const ar = await pmo.agent
      .get('/reports/portfolio.pdf?lang=ar')
      .buffer(true)
      .parse(binary as never);
    expect(ar.status).to.equal(200);
    const arText = popplerText(ar.body as Buffer);
    expect(arText).to.contain('الأهداف ومؤشرات الأداء').and.contain('تقديم الخدمات إلكترونياً');
  });
});
