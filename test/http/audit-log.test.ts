import { expect } from 'chai';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { audit, verifyChain } from '../../src/modules/audit/audit.service.js';

describe('audit log', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.close());

  it('chains entries and names the first one edited or removed by hand', async () => {
    const admin = await ctx.as('admin');
    for (let i = 0; i < 5; i++) {
      await ctx.db.transaction((trx) =>
        audit(
          trx,
          { user: admin.user, requestId: 'r' + i },
          { action: 'test.step', entity: 'thing', entityId: i, before: { n: i }, after: { n: i + 1 } },
        ),
      );
    }
    const ok = await verifyChain(ctx.db);
    expect(ok.ok).to.equal(true);
    expect(ok.checked).to.be.greaterThan(5);
    const rows = await ctx.db('audit_log').where({ action: 'test.step' }).orderBy('id');
    await ctx.db('audit_log').where({ id: rows[2].id }).update({ after: '{"n":999}' });
    const broken = await verifyChain(ctx.db);
    expect(broken).to.include({ ok: false, brokenAt: rows[2].id, reason: 'hash' });
    await ctx.db('audit_log').where({ id: rows[2].id }).update({ after: rows[2].after });
    await ctx.db('audit_log').where({ id: rows[3].id }).del();
    expect(await verifyChain(ctx.db)).to.include({ ok: false, brokenAt: rows[4].id, reason: 'link' });
  });

  it('is browsable and filterable by admins only', async () => {
    const admin = await ctx.as('admin');
    const res = await admin.agent.get('/admin/audit?entity=thing&action=test');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('test.step');
    const ar = await admin.agent.get('/admin/audit?lang=ar&from=bad-date&page=x');
    expect(ar.status).to.equal(200);
    expect(ar.text).to.contain('سجل التدقيق');
    const pmo = await ctx.as('pmo');
    expect((await pmo.agent.get('/admin/audit')).status).to.equal(404);
  });
});
