import { expect } from 'chai';
import ExcelJS from 'exceljs';
import supertest from 'supertest';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildMilestone, buildProgram, buildProject } from '../factories/portfolio.js';
import { buildScene, countQueries, type Scene } from '../factories/scene.js';

const NOW = new Date('2026-11-15T09:00:00Z');

function binary(res: supertest.Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

async function xlsxRows(agent: Agent, url: string) {
  const res = await agent.agent.get(url).buffer(true).parse(binary);
  expect(res.status, url).to.equal(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as Parameters<typeof wb.xlsx.load>[0]);
  const ws = wb.worksheets[0];
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { ws, rows };
}

describe('milestones across the portfolio: list, filters, CSV and XLSX exports', () => {
  let ctx: TestContext;
  let s: Scene;

  before(async () => {
    ctx = await createTestApp({ clock: () => NOW });
    s = await buildScene(ctx);
    await buildMilestone(ctx.db, s.project.id, {
      title_en: 'Mine late',
      title_ar: 'متأخر لي',
      planned_date: '2026-10-01',
      status: 'in_progress',
      percent_complete: 20,
    });
    await buildMilestone(ctx.db, s.project.id, { title_en: 'Mine soon', planned_date: '2026-11-20' });
    await buildMilestone(ctx.db, s.project.id, { title_en: '=HYPERLINK("x")', planned_date: '2027-05-01' });
    await buildMilestone(ctx.db, s.other.id, {
      title_en: 'Theirs late',
      planned_date: '2026-09-01',
      status: 'in_progress',
      percent_complete: 5,
    });
  });
  after(() => ctx.close());

  it('sends anonymous visitors to the login page', async () => {
    for (const url of [
      '/milestones',
      '/milestones/export.csv',
      '/milestones/export.xlsx',
      `/projects/${s.project.id}/milestones/export.csv`,
    ]) {
      const res = await supertest(ctx.app).get(url);
      expect(res.status, url).to.equal(303);
      expect(res.headers.location).to.equal('/login');
    }
  });

  it('lists only milestones of projects the user sees, with filters kept in the URL', async () => {
    const mine = await s.pm.agent.get('/milestones');
    expect(mine.status).to.equal(200);
    expect(mine.text).to.contain('Mine late').and.contain('Mine soon').and.not.contain('Theirs late');
    const all = await s.pmo.agent.get('/milestones?late=1');
    expect(all.text).to.contain('Mine late').and.contain('Theirs late').and.not.contain('Mine soon');
    const due = await s.pm.agent.get('/milestones?due=14');
    expect(due.text).to.contain('Mine soon').and.not.contain('Mine late');
    expect(due.text).to.contain('href="/milestones/export.csv?due=14"');
    const program = await s.pmo.agent.get(`/milestones?program=${s.program.id}`);
    expect(program.text).to.contain('Mine late').and.not.contain('Theirs late');
    // bad filters are ignored, not errors
    const bad = await s.pm.agent.get('/milestones?program=abc&due=-3&late=maybe&page=0');
    expect(bad.status).to.equal(200);
    expect(bad.text).to.contain('Mine late');
  });

  it('CSV: UTF-8 with BOM, Arabic intact, formulas neutralised, only visible milestones', async () => {
    const res = await s.pm.agent.get('/milestones/export.csv?lang=ar').buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.contain('text/csv');
    expect(res.headers['content-disposition']).to.contain('masar-milestones-2026-11-15.csv');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8');
    expect(text).to.contain('متأخر لي').and.contain('Mine late').and.not.contain('Theirs late');
    expect(text).to.contain(`'=HYPERLINK`);
    expect(text.split('\r\n')[0]).to.contain('المعلم الرئيسي (بالإنجليزية)');
    const late = await s.pmo.agent.get('/milestones/export.csv?late=1').buffer(true).parse(binary);
    const lateText = (late.body as Buffer).toString('utf8');
    expect(lateText).to.contain('Theirs late').and.not.contain('Mine soon');
  });

  it('XLSX: typed cells, right-to-left sheet for Arabic; per project', async () => {
    const { ws, rows } = await xlsxRows(s.pm, `/projects/${s.project.id}/milestones/export.xlsx?lang=ar`);
    expect(ws.views[0].rightToLeft).to.equal(true);
    expect(rows).to.have.length(4);
    const titles = rows.slice(1).map((r) => r[3]);
    expect(titles).to.include('Mine late').and.to.include(`'=HYPERLINK("x")`);
    const late = rows.find((r) => r[3] === 'Mine late')!;
    expect(late[7]).to.be.instanceOf(Date);
    expect(late[5]).to.equal('متأخر');
    const en = await xlsxRows(s.pm, `/projects/${s.project.id}/milestones/export.xlsx?lang=en`);
    expect(en.ws.views[0].rightToLeft).to.equal(false);
  });

  it('a project export of a project the user cannot see is 404', async () => {
    expect((await s.pm.agent.get(`/projects/${s.other.id}/milestones/export.csv`)).status).to.equal(404);
    expect((await s.pm.agent.get(`/projects/${s.other.id}/milestones/export.xlsx`)).status).to.equal(404);
    expect((await s.viewer.agent.get(`/projects/${s.other.id}/milestones/export.csv`)).status).to.equal(200);
  });

  it('the list and the export run the same number of queries for 3 and 30 projects', async () => {
    const fresh = await createTestApp({ clock: () => NOW });
    try {
      const pmo = await fresh.as('pmo');
      const program = await buildProgram(fresh.db);
      const add = async (n: number) => {
        for (let i = 0; i < n; i++) {
          const p = await buildProject(fresh.db, { program_id: program.id });
          await buildMilestone(fresh.db, p.id, {
            planned_date: '2026-10-01',
            status: 'in_progress',
            percent_complete: 5,
          });
          await buildMilestone(fresh.db, p.id, { planned_date: '2026-11-20' });
        }
      };
      const urls = ['/milestones', '/milestones?late=1', '/milestones/export.csv', '/milestones/export.xlsx'];
      const measure = async () => {
        const out: number[] = [];
        for (const url of urls) out.push(await countQueries(fresh, () => pmo.agent.get(url).expect(200)));
        return out;
      };
      await add(3);
      await measure();
      const few = await measure();
      await add(27);
      expect(await measure()).to.deep.equal(few);
    } finally {
      await fresh.close();
    }
  });
});
