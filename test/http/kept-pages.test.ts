import { expect } from 'chai';
import { audit } from '../../src/modules/audit/audit.service.js';
import { createTestApp, csrfFrom, type Agent, type TestContext } from '../helpers/app.js';
import { buildReportFixture, type ReportFixture } from '../factories/reports.js';

/** A change recorded with its audit entry, in one transaction, as every use case does. */
async function auditedChange(ctx: TestContext, projectId: number, after: Record<string, unknown>) {
  await ctx.db.transaction(async (trx) => {
    await audit(trx, null, { action: 'project.update', entity: 'project', entityId: projectId, after });
  });
}

describe('kept pages: the portfolio and dashboard bodies are kept until the data changes', function () {
  this.timeout(60_000);
  let now = new Date('2026-11-20T10:00:00Z');
  let ctx: TestContext;
  let fx: ReportFixture;
  let pmo: Agent;
  let pm1: Agent;
  let pm2: Agent;

  before(async () => {
    ctx = await createTestApp({ clock: () => now });
    fx = await buildReportFixture(ctx.db, ctx.config, '2026-11-20');
    pmo = await ctx.as('pmo', { nameEn: 'Noura Officer', nameAr: 'نورة الموظفة' });
    pm1 = await ctx.login(fx.pm1);
    pm2 = await ctx.login(fx.pm2);
  });
  after(() => ctx.close());

  /** The page and the number of SQL queries its request ran. */
  const get = async (a: Agent, url: string) => {
    let queries = 0;
    const on = () => queries++;
    ctx.db.on('query', on);
    try {
      const res = await a.agent.get(url);
      expect(res.status, url).to.equal(200);
      return { text: res.text, queries };
    } finally {
      ctx.db.removeListener('query', on);
    }
  };

  it('sends the kept body while nothing has changed, and the new data after an audited change', async () => {
    const url = '/portfolio?lang=en';
    const first = await get(pmo, url);
    expect(first.text).to.contain(fx.names.portal.en);
    // A row changed behind Masar's back (no audit entry, as no use case does) is not seen: the
    // second answer is the kept body, and it ran fewer queries.
    await ctx.db('projects').where({ id: fx.projects.portal.id }).update({ name_en: 'Portal, renamed' });
    await ctx.login(fx.sponsor1); // audited, but changes nothing a page shows
    const again = await get(pmo, url);
    expect(again.text).to.contain(fx.names.portal.en);
    expect(again.queries).to.be.below(first.queries);

    await auditedChange(ctx, fx.projects.portal.id, { nameEn: 'Portal, renamed' });
    const after = await get(pmo, url);
    expect(after.text).to.contain('Portal, renamed');
    expect(after.text).to.not.contain(fx.names.portal.en);
    expect(after.queries).to.equal(first.queries);
  });

  it('shares one body among the users of a role that sees everything, each in their own layout', async () => {
    const url = '/portfolio?lang=en&sort=name';
    const mine = await get(pmo, url);
    const other = await ctx.as('pmo', { nameEn: 'Khalid Reviewer', nameAr: 'خالد المراجع' });
    const theirs = await get(other, url);
    expect(theirs.queries).to.be.below(mine.queries);
    // the navigation bar and the form tokens are the reader's own
    expect(theirs.text).to.contain('Khalid Reviewer').and.not.contain('Noura Officer');
    expect(csrfFrom(theirs.text)).to.equal(other.csrf);
    expect(csrfFrom(mine.text)).to.equal(pmo.csrf);
  });

  it("never gives a project manager another reader's copy", async () => {
    const url = '/portfolio?lang=en&sort=code';
    expect((await get(pmo, url)).text).to.contain(fx.codes.ekey);
    const one = await get(pm1, url);
    expect(one.text).to.contain(fx.codes.portal).and.not.contain(fx.codes.ekey);
    const two = await get(pm2, url);
    expect(two.text).to.contain(fx.codes.ekey).and.not.contain(fx.codes.portal);
    // and their own copies are kept for them
    expect((await get(pm1, url)).queries).to.be.below(one.queries);
  });

  it('keeps one copy per language', async () => {
    const en = await get(pmo, '/portfolio?lang=en&sort=budget');
    const ar = await get(pmo, '/portfolio?lang=ar&sort=budget');
    expect(ar.text).to.contain('dir="rtl"').and.contain(fx.names.ekey.ar);
    expect(en.text).to.contain('dir="ltr"').and.contain(fx.names.ekey.en);
    expect(ar.text).to.not.contain(fx.names.ekey.en);
  });

  it('builds the body again when the hour changes (lateness moves with the clock)', async () => {
    const url = '/portfolio?lang=en&sort=health';
    const first = await get(pmo, url);
    expect((await get(pmo, url)).queries).to.be.below(first.queries);
    now = new Date(now.getTime() + 3600_000);
    expect((await get(pmo, url)).queries).to.equal(first.queries);
  });

  it('keeps the dashboard for each user: it greets them by name', async () => {
    const first = await get(pm1, '/?lang=en');
    expect(first.text).to.contain('Layla Hassan');
    const again = await get(pm1, '/?lang=en');
    expect(again.queries).to.be.below(first.queries);
    const other = await get(pm2, '/?lang=en');
    expect(other.text).to.contain('Omar Saleh');
    expect(other.queries).to.equal(first.queries);
  });
});
