import { expect } from 'chai';
import { audit } from '../../src/modules/audit/audit.service.js';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { pdfjsText, squash } from '../helpers/pdf-text.js';
import { buildReportFixture, type ReportFixture } from '../factories/reports.js';

describe('reports: finished PDFs kept for their next reader until the data changes', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let fx: ReportFixture;
  let pmo: Agent;
  let pm1: Agent;
  let pm2: Agent;

  before(async () => {
    ctx = await createTestApp({ clock: () => new Date('2026-11-20T10:00:00Z') });
    fx = await buildReportFixture(ctx.db, ctx.config, '2026-11-20');
    pmo = await ctx.as('pmo');
    pm1 = await ctx.login(fx.pm1);
    pm2 = await ctx.login(fx.pm2);
  });
  after(() => ctx.close());

  const pdf = async (a: Agent, url: string) => {
    const res = await a.agent.get(url).buffer(true).responseType('blob');
    return { status: res.status, body: res.body as Buffer };
  };
  const textOf = async (b: Buffer) => squash((await pdfjsText(b)).text);

  it('sends the same bytes again while nothing has changed, and a new report after an audited change', async () => {
    const url = `/reports/projects/${fx.projects.portal.id}.pdf?lang=en`;
    const first = await pdf(pmo, url);
    expect(first.status).to.equal(200);
    expect(await textOf(first.body)).to.contain(squash(fx.names.portal.en));
    // The audit log is the key: a row changed behind Masar's back (no audit entry, as no use case
    // does) is not seen, which shows the second answer is the kept copy.
    await ctx.db('projects').where({ id: fx.projects.portal.id }).update({ name_en: 'Portal, renamed' });
    // A sign-in is audited but changes nothing a report shows: the copy is still kept.
    await ctx.login(fx.sponsor1);
    const again = await pdf(pmo, url);
    expect(again.body.equals(first.body), 'kept copy').to.equal(true);

    // A change recorded with its audit entry, in one transaction, as every use case does.
    await ctx.db.transaction(async (trx) => {
      await audit(trx, null, {
        action: 'project.update',
        entity: 'project',
        entityId: fx.projects.portal.id,
        after: { nameEn: 'Portal, renamed' },
      });
    });
    const after = await pdf(pmo, url);
    expect(after.status).to.equal(200);
    expect(after.body.equals(first.body)).to.equal(false);
    const text = await textOf(after.body);
    expect(text).to.contain(squash('Portal, renamed'));
    expect(text).to.not.contain(squash(fx.names.portal.en));
  });

  it('keeps one copy per reader and language, and checks access before sending a kept copy', async () => {
    const url = `/reports/projects/${fx.projects.ppm.id}.pdf`;
    const en = await pdf(pmo, url + '?lang=en');
    const ar = await pdf(pmo, url + '?lang=ar');
    expect(await textOf(ar.body)).to.contain(squash(fx.names.ppm.ar));
    expect(await textOf(en.body)).to.contain(squash(fx.names.ppm.en));
    expect((await pdf(pmo, url + '?lang=ar')).body.equals(ar.body)).to.equal(true);
    // pm1 manages PPM: their own copy, built for them (a report names its reader)
    const mine = await pdf(pm1, url + '?lang=en');
    expect(mine.status).to.equal(200);
    expect(mine.body.equals(en.body)).to.equal(false);
    // pm2 may not see PPM: 404 although copies of it are kept
    expect((await pm2.agent.get(url + '?lang=en')).status).to.equal(404);
  });

  it('keeps portfolio and program reports per reader: a project manager never gets the whole portfolio', async () => {
    const whole = await pdf(pmo, '/reports/portfolio.pdf?lang=en');
    expect(await textOf(whole.body)).to.contain(fx.codes.ekey);
    const own = await pdf(pm1, '/reports/portfolio.pdf?lang=en');
    const text = await textOf(own.body);
    expect(text).to.contain(fx.codes.portal);
    expect(text).to.not.contain(fx.codes.ekey);
  });

  it('answers readers asking at the same moment with one build', async () => {
    const url = `/reports/programs/${fx.programs.gov}.pdf?lang=ar`;
    const all = await Promise.all([1, 2, 3, 4].map(() => pdf(pmo, url)));
    for (const r of all) {
      expect(r.status).to.equal(200);
      expect(r.body.equals(all[0].body)).to.equal(true);
    }
  });
});
