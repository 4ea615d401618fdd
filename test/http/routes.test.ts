import { expect } from 'chai';
import supertest from 'supertest';
import { listRoutes } from '../../src/http/access.js';
import { createTestApp, type TestContext } from '../helpers/app.js';

describe('routes: deny by default', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.close());

  it('every registered route declares who may use it', () => {
    const routes = listRoutes(ctx.app);
    expect(routes.length).to.be.greaterThan(5);
    const undeclared = routes.filter((r) => !r.rule).map((r) => `${r.method} ${r.path}`);
    expect(undeclared, `routes without an access rule: ${undeclared.join(', ')}`).to.deep.equal([]);
  });

  it('every non-public route sends an anonymous visitor to the login page', async () => {
    const routes = listRoutes(ctx.app).filter((r) => r.rule?.kind !== 'public');
    for (const r of routes) {
      const url = r.path.replace(/:(\w+)/g, '1');
      const res = await supertest(ctx.app)[r.method.toLowerCase() as 'get' | 'post'](url);
      expect(res.status, `${r.method} ${url}`).to.equal(303);
      expect(res.headers.location, `${r.method} ${url}`).to.equal('/login');
    }
  });

  it("answers an unknown address with the 404 page in the reader's language", async () => {
    const en = await supertest(ctx.app).get('/no/such/page');
    expect(en.status).to.equal(404);
    expect(en.text).to.contain('Page not found');
    const ar = await supertest(ctx.app).get('/no/such/page?lang=ar');
    expect(ar.status).to.equal(404);
    expect(ar.text).to.contain('dir="rtl"').and.contain('الصفحة غير موجودة');
  });

  it('sends security headers: CSP without inline script, nosniff, no x-powered-by', async () => {
    const res = await supertest(ctx.app).get('/login');
    const csp = res.headers['content-security-policy'];
    expect(csp).to.contain("script-src 'self'");
    expect(csp).to.not.contain("'unsafe-inline' 'self'");
    expect(csp).to.match(/script-src 'self'(;|$)/);
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['x-powered-by']).to.equal(undefined);
    expect(res.headers['x-request-id']).to.be.a('string');
  });

  it('answers a malformed path or body with 400, not 500', async () => {
    expect((await supertest(ctx.app).get('/%E0%A4%A')).status).to.be.oneOf([400, 404]);
  });
});
