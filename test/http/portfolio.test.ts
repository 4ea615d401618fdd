import { expect } from 'chai';
import ExcelJS from 'exceljs';
import supertest from 'supertest';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildProgram, buildProject, buildProjects } from '../factories/portfolio.js';

/** Collects the response body as bytes (supertest parses only text types by default). */
function binary(res: supertest.Response, cb: (err: Error | null, body: unknown) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('portfolio: list, filters, totals and exports', () => {
  let ctx: TestContext;
  let pmo: Agent;
  let pm: Agent;
  let mine: { id: number; code: string };

  before(async () => {
    ctx = await createTestApp();
    pmo = await ctx.as('pmo');
    pm = await ctx.as('pm');
    const dst = await buildProgram(ctx.db, {
      code: 'DST',
      name_en: 'Digital Services',
      name_ar: 'الخدمات الرقمية',
    });
    const inf = await buildProgram(ctx.db, {
      code: 'INF',
      name_en: 'Infrastructure',
      name_ar: 'البنية التحتية',
    });
    mine = await buildProject(ctx.db, {
      code: 'DST-01',
      program_id: dst.id,
      manager_id: pm.user.id,
      name_en: 'National portal redesign',
      name_ar: 'إعادة تصميم البوابة الوطنية',
      phase: 'execution',
      health: 'amber',
      budget_planned: 1_250_000_000,
      budget_actual: 500_000_000,
      schedule_variance_days: 12,
    });
    await buildProject(ctx.db, {
      code: 'DST-02',
      program_id: dst.id,
      name_en: '=1+2',
      name_ar: '@cmd',
      phase: 'planning',
      health: 'red',
      budget_planned: 400_000_000,
      budget_actual: 100_000_000,
    });
    await buildProject(ctx.db, {
      code: 'INF-01',
      program_id: inf.id,
      name_en: 'Government cloud',
      name_ar: 'السحابة الحكومية',
      phase: 'closure',
      status: 'on_hold',
      health: 'green',
      budget_planned: 2_000_000_000,
      budget_actual: 1_000_000_000,
    });
    await buildProject(ctx.db, { code: 'INF-02', program_id: inf.id, name_en: '50% done_x', name_ar: 'نصف' });
  });
  after(() => ctx.close());

  it('sends anonymous visitors to the login page', async () => {
    for (const url of ['/portfolio', '/portfolio/export.csv', '/portfolio/export.xlsx']) {
      const res = await supertest(ctx.app).get(url);
      expect(res.status, url).to.equal(303);
      expect(res.headers.location).to.equal('/login');
    }
  });

  it('lists programs with roll-ups and every visible project with totals', async () => {
    const res = await pmo.agent.get('/portfolio');
    expect(res.status).to.equal(200);
    for (const code of ['DST-01', 'DST-02', 'INF-01', 'INF-02']) expect(res.text).to.contain(code);
    expect(res.text).to.contain('Digital Services').and.contain('Infrastructure');
    expect(res.text).to.contain('Totals of the 4 projects');
    expect(res.text).to.contain('href="/portfolio"').and.contain('href="/programs"');
    expect(res.text).to.contain('aria-sort="ascending"');
  });

  it('shows a project manager only their projects, and only their programs', async () => {
    const res = await pm.agent.get('/portfolio');
    expect(res.text).to.contain('DST-01').and.not.contain('DST-02').and.not.contain('INF-01');
    expect(res.text).to.contain('Digital Services').and.not.contain('Infrastructure');
    expect(res.text).to.contain('Totals of the 1 projects');
  });

  it('filters by program, phase, status, health, manager and sponsor, all kept in the URL', async () => {
    const dst = await ctx.db('programs').where({ code: 'DST' }).first();
    const byProgram = await pmo.agent.get(`/portfolio?program=${dst.id}`);
    expect(byProgram.text).to.contain('DST-02').and.not.contain('>INF-01<');
    const byPhase = await pmo.agent.get('/portfolio?phase=closure');
    expect(byPhase.text).to.contain('>INF-01<').and.not.contain('>DST-01<');
    const byStatus = await pmo.agent.get('/portfolio?status=on_hold');
    expect(byStatus.text).to.contain('>INF-01<').and.contain('Totals of the 1 projects');
    const byHealth = await pmo.agent.get('/portfolio?health=red');
    expect(byHealth.text).to.contain('>DST-02<').and.contain('Totals of the 1 projects');
    const byManager = await pmo.agent.get(`/portfolio?manager=${pm.user.id}`);
    expect(byManager.text).to.contain('>DST-01<').and.contain('Totals of the 1 projects');
    const bySponsor = await pmo.agent.get(`/portfolio?sponsor=${pm.user.id}`);
    expect(bySponsor.text).to.contain('Totals of the 0 projects');
    // The sort links keep the filters.
    expect(byHealth.text).to.contain('href="/portfolio?health=red&amp;sort=code&amp;dir=desc"');
    expect(byHealth.text).to.contain('<option value="red" selected>');
  });

  it('ignores invalid filter values instead of failing', async () => {
    const res = await pmo.agent.get(
      '/portfolio?program=abc&phase=nonsense&status=1&health=purple&manager=-3&sponsor=9.5&sort=drop&dir=sideways&page=-2&phase=x',
    );
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Totals of the 4 projects');
    expect((await pmo.agent.get('/portfolio?page=999')).status).to.equal(200);
  });

  it('searches code and names in either language, case-insensitive, with LIKE wildcards taken literally', async () => {
    const ar = await pmo.agent.get('/portfolio?q=' + encodeURIComponent('البوابة'));
    expect(ar.text).to.contain('>DST-01<').and.contain('Totals of the 1 projects');
    const en = await pmo.agent.get('/portfolio?q=PORTAL');
    expect(en.text).to.contain('>DST-01<').and.contain('Totals of the 1 projects');
    const code = await pmo.agent.get('/portfolio?q=inf-0');
    expect(code.text).to.contain('Totals of the 2 projects');
    const pct = await pmo.agent.get('/portfolio?q=' + encodeURIComponent('50%'));
    expect(pct.text).to.contain('>INF-02<').and.contain('Totals of the 1 projects');
    const underscore = await pmo.agent.get('/portfolio?q=_');
    expect(underscore.text).to.contain('Totals of the 1 projects');
    const none = await pmo.agent.get('/portfolio?q=' + encodeURIComponent('%'));
    expect(none.text).to.contain('Totals of the 1 projects');
  });

  it('sorts by a clicked column with aria-sort, and sums the filtered budget', async () => {
    const res = await pmo.agent.get('/portfolio?sort=budget&dir=desc');
    const order = ['INF-01', 'DST-01', 'DST-02'].map((c) => res.text.indexOf(`>${c}<`));
    expect(order).to.deep.equal([...order].sort((a, b) => a - b));
    expect(res.text).to.match(/aria-sort="descending"[^>]*>\s*<a[^>]*sort=budget/);
    const health = await pmo.agent.get('/portfolio?sort=health&dir=desc');
    expect(health.text.indexOf('>DST-02<')).to.be.lessThan(health.text.indexOf('>DST-01<'));
    const totals = await pmo.agent.get('/portfolio?q=dst');
    expect(totals.text).to.match(/BHD\s1,650,000\.000/);
  });

  it('pages 25 projects at a time', async () => {
    const program = await buildProgram(ctx.db, { code: 'BULK' });
    await buildProjects(ctx.db, 26, { program_id: program.id });
    const first = await pmo.agent.get(`/portfolio?program=${program.id}`);
    expect(first.text).to.contain('Page 1 of 2');
    expect(first.text.match(/href="\/projects\/\d+" dir="auto"/g)).to.have.length(25);
    const second = await pmo.agent.get(`/portfolio?program=${program.id}&page=2`);
    expect(second.text.match(/href="\/projects\/\d+" dir="auto"/g)).to.have.length(1);
    await ctx.db('projects').where({ program_id: program.id }).delete();
    await ctx.db('programs').where({ id: program.id }).delete();
  });

  it('runs the same number of queries for 5 projects as for 40', async () => {
    const fresh = await createTestApp();
    try {
      const viewer = await fresh.as('viewer');
      const queries = async () => {
        let n = 0;
        const on = () => n++;
        fresh.db.on('query', on);
        const res = await viewer.agent.get('/portfolio?sort=next');
        fresh.db.removeListener('query', on);
        expect(res.status).to.equal(200);
        return n;
      };
      for (let i = 0; i < 5; i++) await buildProject(fresh.db);
      const few = await queries();
      for (let i = 0; i < 35; i++) await buildProject(fresh.db);
      const many = await queries();
      expect(many).to.equal(few);
    } finally {
      await fresh.close();
    }
  });

  it('exports the filtered list as CSV: UTF-8 with BOM, headers in the reader language, formulas neutralised', async () => {
    const res = await pmo.agent.get('/portfolio/export.csv?q=dst&lang=ar').buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.contain('text/csv');
    expect(res.headers['content-disposition']).to.match(
      /attachment; filename="?masar-projects-\d{4}-\d{2}-\d{2}\.csv"?/,
    );
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = body.subarray(3).toString('utf8');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).to.contain('الرمز').and.contain('الميزانية المخططة');
    expect(lines).to.have.length(3);
    expect(text)
      .to.contain("'=1+2")
      .and.contain("'@cmd")
      .and.not.match(/(^|,)=1\+2/m);
    expect(text).to.contain('1250000.000').and.contain('إعادة تصميم البوابة الوطنية');
  });

  it('exports only what the user may see, on every page, as CSV and as XLSX (right-to-left in Arabic)', async () => {
    const csv = await pm.agent.get('/portfolio/export.csv').buffer(true).parse(binary);
    const lines = (csv.body as Buffer).subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines).to.have.length(2);
    expect(lines[1]).to.match(/^DST-01,/);
    const xlsx = await pm.agent.get('/portfolio/export.xlsx?lang=ar').buffer(true).parse(binary);
    expect(xlsx.status).to.equal(200);
    expect(xlsx.headers['content-type']).to.contain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.views[0].rightToLeft).to.equal(true);
    expect(ws.rowCount).to.equal(2);
    expect(ws.getCell('A2').value).to.equal('DST-01');
    expect(ws.getCell('A1').value).to.equal('الرمز');
    const all = await pmo.agent.get('/portfolio/export.xlsx').buffer(true).parse(binary);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(all.body as unknown as ArrayBuffer);
    const names = wb2.worksheets[0].getColumn(2).values as unknown[];
    expect(names).to.include("'=1+2");
    expect(wb2.worksheets[0].views[0].rightToLeft).to.equal(false);
    expect(mine.code).to.equal('DST-01');
  });
});
