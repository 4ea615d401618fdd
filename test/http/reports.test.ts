import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import supertest from 'supertest';
import { contentDisposition } from '../../src/modules/reports/reports.routes.js';
import { snapshotDir } from '../../src/modules/reports/reports.snapshots.js';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { pdfjsText, squash } from '../helpers/pdf-text.js';
import { buildReportFixture, type ReportFixture } from '../factories/reports.js';

describe('reports: report center, PDF downloads and snapshots over HTTP', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let fx: ReportFixture;
  let pmo: Agent;
  let viewer: Agent;
  let pm1: Agent;
  let sponsor1: Agent;

  before(async () => {
    ctx = await createTestApp({ clock: () => new Date('2026-11-20T10:00:00Z') });
    fx = await buildReportFixture(ctx.db, ctx.config, '2026-11-20');
    pmo = await ctx.as('pmo');
    viewer = await ctx.as('viewer');
    pm1 = await ctx.login(fx.pm1);
    sponsor1 = await ctx.login(fx.sponsor1);
  });
  after(() => ctx.close());

  const pdf = (a: Agent, url: string) => a.agent.get(url).buffer(true).responseType('blob');

  it('sends anonymous visitors to sign in, for every route', async () => {
    const anon = supertest(ctx.app);
    for (const url of [
      '/reports',
      '/reports/download?scope=portfolio',
      '/reports/portfolio.pdf',
      `/reports/programs/${fx.programs.dst}.pdf`,
      `/reports/projects/${fx.projects.portal.id}.pdf`,
      '/reports/snapshots/2026-11-en.pdf',
    ]) {
      const res = await anon.get(url);
      expect(res.status, url).to.equal(303);
      expect(res.headers.location, url).to.equal('/login');
    }
    const post = await anon.post('/reports/snapshots');
    expect(post.status).to.equal(303);
    expect(post.headers.location).to.equal('/login');
  });

  it('shows the report center with only what the reader may see, and a Reports item in the navigation', async () => {
    const res = await pm1.agent.get('/reports');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('href="/reports"');
    expect(res.text).to.contain(fx.codes.portal);
    expect(res.text).to.contain(fx.codes.ppm);
    expect(res.text).to.not.contain(fx.codes.ekey);
    expect(res.text).to.not.contain(fx.codes.dr);
    // Snapshots hold the whole portfolio: not offered to a project manager or a sponsor.
    expect(res.text).to.not.contain('/reports/snapshots');
    expect((await sponsor1.agent.get('/reports')).text).to.not.contain('/reports/snapshots');
    const ar = await pmo.agent.get('/reports?lang=ar');
    expect(ar.status).to.equal(200);
    expect(ar.text).to.contain('التقارير');
    expect(ar.text).to.contain('action="/reports/snapshots"');
    const v = await viewer.agent.get('/reports');
    expect(v.text).to.contain('Monthly snapshots');
    expect(v.text).to.not.contain('action="/reports/snapshots"');
  });

  it('sends the center form to the PDF of the chosen scope and language', async () => {
    // As the form sends it, with the selects left unchosen.
    const a = await pmo.agent.get('/reports/download?scope=portfolio&program=&project=&lang=ar');
    expect(a.status).to.equal(303);
    expect(a.headers.location).to.equal('/reports/portfolio.pdf?lang=ar');
    const b = await pmo.agent.get(
      `/reports/download?scope=program&program=${fx.programs.gov}&project=&lang=en`,
    );
    expect(b.headers.location).to.equal(`/reports/programs/${fx.programs.gov}.pdf?lang=en`);
    const c = await pmo.agent.get(`/reports/download?scope=project&project=${fx.projects.dr.id}&lang=en`);
    expect(c.headers.location).to.equal(`/reports/projects/${fx.projects.dr.id}.pdf?lang=en`);
  });

  it('answers 422 with a message in the reader’s language for an incomplete or invalid choice', async () => {
    const a = await pmo.agent.get('/reports/download?scope=program&lang=ar');
    expect(a.status).to.equal(422);
    expect(a.text).to.contain('اختر برنامجاً لتقرير البرنامج.');
    const b = await pmo.agent.get('/reports/download?scope=project&lang=en');
    expect(b.status).to.equal(422);
    expect(b.text).to.contain('Choose a project for a project report.');
    const c = await pmo.agent.get('/reports/download?scope=galaxy&program=abc');
    expect(c.status).to.equal(422);
  });

  it('streams the portfolio PDF as an attachment in the requested language', async () => {
    const res = await pdf(pmo, '/reports/portfolio.pdf?lang=ar');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['content-disposition']).to.equal(
      contentDisposition('masar-portfolio-2026-11-20-ar.pdf'),
    );
    expect(res.headers['content-disposition']).to.contain(
      "filename*=UTF-8''masar-portfolio-2026-11-20-ar.pdf",
    );
    const text = squash((await pdfjsText(res.body as Buffer)).text);
    expect(text).to.contain(squash('تقرير المحفظة'));
    for (const code of Object.values(fx.codes)) expect(text).to.contain(code);
  });

  it("gives a reader's own portfolio only, and 404 for programs and projects they may not see", async () => {
    const res = await pdf(pm1, '/reports/portfolio.pdf?lang=en');
    const text = squash((await pdfjsText(res.body as Buffer)).text);
    expect(text).to.contain(fx.codes.portal);
    expect(text).to.not.contain(fx.codes.ekey);
    expect((await pm1.agent.get(`/reports/programs/${fx.programs.inf}.pdf`)).status).to.equal(404);
    expect((await pm1.agent.get(`/reports/projects/${fx.projects.cloud.id}.pdf`)).status).to.equal(404);
    expect((await sponsor1.agent.get(`/reports/projects/${fx.projects.dr.id}.pdf`)).status).to.equal(404);
    expect((await pmo.agent.get('/reports/projects/999999.pdf')).status).to.equal(404);
    expect((await pmo.agent.get('/reports/projects/abc.pdf')).status).to.equal(404);
    expect((await pmo.agent.get('/reports/programs/0.pdf')).status).to.equal(404);
  });

  it('streams program and project reports to those who may see them', async () => {
    const prog = await pdf(sponsor1, `/reports/programs/${fx.programs.gov}.pdf?lang=en`);
    expect(prog.status).to.equal(200);
    expect(squash((await pdfjsText(prog.body as Buffer)).text)).to.contain(fx.codes.ppm);
    const proj = await pdf(pm1, `/reports/projects/${fx.projects.ppm.id}.pdf?lang=ar`);
    expect(proj.status).to.equal(200);
    expect(proj.headers['content-disposition']).to.contain(`masar-project-${fx.codes.ppm}-2026-11-20-ar.pdf`);
    expect(squash((await pdfjsText(proj.body as Buffer)).text)).to.contain(squash(fx.names.ppm.ar));
  });

  it('takes snapshots for PMO only (viewer 403, others 404), frozen on a second try', async () => {
    expect((await viewer.post('/reports/snapshots')).status).to.equal(403);
    expect((await pm1.post('/reports/snapshots')).status).to.equal(404);
    expect((await sponsor1.post('/reports/snapshots')).status).to.equal(404);
    expect(await ctx.db('report_snapshots')).to.have.length(0);
    const noCsrf = await pmo.agent.post('/reports/snapshots').type('form').send('');
    expect(noCsrf.status).to.equal(403);
    expect(await ctx.db('report_snapshots')).to.have.length(0);
    const res = await pmo.post('/reports/snapshots');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/reports');
    expect((await pmo.agent.get('/reports')).text).to.contain('Snapshot of 2026-11 stored.');
    const rows = await ctx.db('report_snapshots').orderBy('locale');
    expect(rows.map((r: { locale: string }) => r.locale)).to.deep.equal(['ar', 'en']);
    const again = await pmo.post('/reports/snapshots');
    expect(again.status).to.equal(303);
    expect((await pmo.agent.get('/reports')).text).to.contain('already exists');
    expect(await ctx.db('report_snapshots')).to.have.length(2);
  });

  it('downloads a snapshot exactly as issued to whole-portfolio roles, and refuses a changed file', async () => {
    const row = await ctx.db('report_snapshots').where({ locale: 'en' }).first();
    const res = await pdf(viewer, '/reports/snapshots/2026-11-en.pdf');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(
      crypto
        .createHash('sha256')
        .update(res.body as Buffer)
        .digest('hex'),
    ).to.equal(row.sha256);
    expect(res.headers['x-content-sha256']).to.equal(row.sha256);
    expect((await pm1.agent.get('/reports/snapshots/2026-11-en.pdf')).status).to.equal(404);
    expect((await sponsor1.agent.get('/reports/snapshots/2026-11-en.pdf')).status).to.equal(404);
    expect((await viewer.agent.get('/reports/snapshots/2026-10-en.pdf')).status).to.equal(404);
    expect((await viewer.agent.get('/reports/snapshots/2026-13-en.pdf')).status).to.equal(404);
    expect((await viewer.agent.get('/reports/snapshots/..%2F..%2Fmasar.sqlite')).status).to.equal(404);
    const file = path.join(snapshotDir(ctx.config), row.file_name);
    const original = fs.readFileSync(file);
    const changed = Buffer.from(original);
    changed[100] ^= 0x01;
    fs.writeFileSync(file, changed);
    const refused = await viewer.agent.get('/reports/snapshots/2026-11-en.pdf');
    expect(refused.status).to.equal(500);
    expect(refused.headers['content-type']).to.contain('text/html');
    expect(refused.text).to.contain('no longer matches the fingerprint');
    fs.writeFileSync(file, original);
    expect((await viewer.agent.get('/reports/snapshots/2026-11-en.pdf')).status).to.equal(200);
  });
});
