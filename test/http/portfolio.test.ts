import { expect } from 'chai';
import ExcelJS from 'exceljs';
import supertest from 'supertest';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildProgram, buildProject, buildProjects } from '../factories/portfolio.js';
import { moveDataVersion } from '../helpers/db.js';

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
        await moveDataVersion(fresh.db); // the page is built, not its kept copy (render.ts)
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

describe('portfolio: bounded programs, search filters and constant queries in a large portfolio', () => {
  let ctx: TestContext;
  let pmo: Agent;
  let pm: Agent;
  let target: { id: number; code: string };
  let managerName: string;

  before(async () => {
    ctx = await createTestApp();
    pmo = await ctx.as('pmo');
    pm = await ctx.as('pm');
    // 45 programs and 45 managers: more than a drop-down lists (40)
    for (let i = 1; i <= 45; i++) {
      const g = await buildProgram(ctx.db, {
        code: `LG${String(i).padStart(2, '0')}`,
        name_en: `Large program ${i}`,
        name_ar: `برنامج كبير ${i}`,
      });
      await buildProject(ctx.db, {
        code: `LG${String(i).padStart(2, '0')}-01`,
        program_id: g.id,
        budget_planned: 1_000_000,
        budget_actual: 500_000,
        health: i % 3 === 0 ? 'red' : 'green',
      });
    }
    target = await buildProgram(ctx.db, {
      code: 'ZZT',
      name_en: 'Target program',
      name_ar: 'البرنامج الهدف',
    });
    await buildProject(ctx.db, {
      code: 'ZZT-01',
      program_id: target.id,
      manager_id: pm.user.id,
      name_en: 'Targeted',
      name_ar: 'مستهدف',
    });
    await buildProgram(ctx.db, { code: 'ZZT2', name_en: 'Target program two', name_ar: 'الهدف الثاني' });
    managerName = pm.user.nameEn;
  });
  after(() => ctx.close());

  const programsTable = (html: string) =>
    html.slice(html.indexOf('programs-table'), html.indexOf('</table>', html.indexOf('programs-table')));

  it('shows the first 10 programs, the whole portfolio as a totals row, and a link to all programs', async () => {
    const res = await pmo.agent.get('/portfolio');
    expect(res.status).to.equal(200);
    const table = programsTable(res.text);
    expect(table.match(/href="\/programs\/\d+"/g)).to.have.length(10);
    expect(table).to.contain('>LG01<').and.contain('>LG10<').and.not.contain('>LG11<');
    expect(res.text).to.contain('Whole portfolio (47 programs)');
    expect(res.text).to.contain('The first 10 of 47 programs, by code.');
    expect(res.text).to.match(/<a href="\/programs" class="all-programs">All 47 programs<\/a>/);
    // 46 projects, 15 red, budget 45 × 1,000 + 100,000 (the targeted project's default)
    expect(res.text).to.contain('Health of projects: 31 green, 0 amber, 15 red');
    expect(res.text).to.match(/BHD\s145,000\.000/);
    expect(res.text).to.contain('Totals of the 46 projects');
    const ar = await pmo.agent.get('/portfolio?lang=ar');
    expect(ar.status).to.equal(200);
    expect(ar.text).to.contain('المحفظة كاملة (47 برنامجاً)').and.contain('جميع البرامج (47)');
    expect(ar.text).to.contain('حالة المشاريع: 31 أخضر، 0 كهرماني، 15 أحمر');
  });

  it('offers search fields instead of drop-downs when there are too many choices', async () => {
    const res = await pmo.agent.get('/portfolio');
    expect(res.text).to.match(/<input[^>]*id="f-program" name="programq"/);
    expect(res.text).to.match(/<input[^>]*id="f-manager" name="managerq"/);
    expect(res.text).to.not.match(/<select[^>]*id="f-program"/);
    expect(res.text).to.not.contain('>LG44 — ');
    // the sponsor filter still lists its few choices
    expect(res.text).to.match(/<select[^>]*id="f-sponsor" name="sponsor"/);
    // the hint says what to type, in both languages
    expect(res.text).to.contain('An exact code picks that program.');
    const ar = await pmo.agent.get('/portfolio?lang=ar');
    expect(ar.text).to.contain('الرمز المطابق تماماً يختار ذلك البرنامج.');
  });

  it('searches programs by exact code first, else by part of a code or name; people by name', async () => {
    const exact = await pmo.agent.get('/portfolio?programq=zzt');
    expect(exact.text).to.contain('>ZZT-01<').and.contain('Totals of the 1 projects');
    expect(exact.text).to.match(/name="programq" value="zzt"/);
    const partial = await pmo.agent.get('/portfolio?programq=' + encodeURIComponent('large program 1'));
    // LG01, LG10–LG19
    expect(partial.text).to.contain('Totals of the 11 projects').and.not.contain('>ZZT-01<');
    const arabic = await pmo.agent.get('/portfolio?programq=' + encodeURIComponent('الهدف'));
    expect(arabic.text).to.contain('>ZZT-01<').and.contain('Totals of the 1 projects');
    const none = await pmo.agent.get('/portfolio?programq=' + encodeURIComponent('%'));
    expect(none.text).to.contain('Totals of the 0 projects');
    const manager = await pmo.agent.get(
      '/portfolio?managerq=' + encodeURIComponent(managerName.toUpperCase()),
    );
    expect(manager.text).to.contain('>ZZT-01<').and.contain('Totals of the 1 projects');
    // kept in the sort links and the exports
    expect(manager.text).to.contain(
      `managerq=${encodeURIComponent(managerName.toUpperCase()).replace(/%20/g, '+')}`,
    );
    expect(manager.text).to.match(/export\.csv\?managerq=/);
  });

  it('a program chosen by id shows its code in the search field, and only visible ones', async () => {
    const res = await pmo.agent.get(`/portfolio?program=${target.id}`);
    expect(res.text).to.match(/name="programq" value="ZZT"/);
    expect(res.text).to.contain('Totals of the 1 projects');
    const mgr = await pmo.agent.get(`/portfolio?manager=${pm.user.id}`);
    expect(mgr.text).to.match(new RegExp(`name="managerq" value="${managerName}"`));
    // a program the user may not see is not named to them
    const hidden = await buildProgram(ctx.db, { code: 'HID', name_en: 'Hidden' });
    const own = await pm.agent.get(`/portfolio?program=${hidden.id}`);
    expect(own.status).to.equal(200);
    expect(own.text).to.contain('Totals of the 0 projects');
    expect(own.text).to.not.contain('HID');
  });

  it('runs the same number of queries in a small and in this large portfolio, for each role', async () => {
    const small = await createTestApp();
    try {
      for (const role of ['pmo', 'viewer', 'pm'] as const) {
        const count = async (c: TestContext, a: Agent, url: string) => {
          let n = 0;
          const on = () => n++;
          await moveDataVersion(c.db); // the page is built, not its kept copy (render.ts)
          c.db.on('query', on);
          const res = await a.agent.get(url);
          c.db.removeListener('query', on);
          expect(res.status, url).to.equal(200);
          return n;
        };
        const smallAgent = await small.as(role);
        await buildProject(small.db, { manager_id: smallAgent.user.id });
        const largeAgent = role === 'pm' ? pm : await ctx.as(role);
        for (const url of ['/portfolio', '/portfolio?sort=health&dir=desc&page=2', '/programs']) {
          const few = await count(small, smallAgent, url);
          const many = await count(ctx, largeAgent, url);
          expect(many, `${role} ${url}`).to.equal(few);
        }
      }
    } finally {
      await small.close();
    }
  });
});
