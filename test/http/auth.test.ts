import { expect } from 'chai';
import supertest from 'supertest';
import { buildUser, TEST_PASSWORD } from '../factories/users.js';
import { createTestApp, csrfFrom, formBody, type TestContext } from '../helpers/app.js';

describe('authentication', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.close());

  async function attempt(email: string, password: string, agent = supertest.agent(ctx.app)) {
    const page = await agent.get('/login');
    return agent
      .post('/login')
      .type('form')
      .send(formBody({ _csrf: csrfFrom(page.text), email, password }));
  }

  it('shows the login page to anonymous visitors, in Arabic with ?lang=ar', async () => {
    const res = await supertest(ctx.app).get('/login?lang=ar');
    expect(res.status).to.equal(200);
    expect(res.text)
      .to.contain('<html lang="ar" dir="rtl">')
      .and.contain('bootstrap.rtl.min.css')
      .and.contain('تسجيل الدخول');
  });

  it('signs in with email and password, regenerating the session id', async () => {
    const user = await buildUser(ctx.db, { role: 'pmo' });
    const agent = supertest.agent(ctx.app);
    const page = await agent.get('/login');
    const before = /masar\.sid=([^;]+)/.exec(String(page.headers['set-cookie']))?.[1];
    const res = await agent
      .post('/login')
      .type('form')
      .send(
        formBody({ _csrf: csrfFrom(page.text), email: user.email.toUpperCase(), password: TEST_PASSWORD }),
      );
    expect(res.status).to.equal(303);
    const after = /masar\.sid=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1];
    expect(after).to.be.a('string').and.not.equal(before);
    expect(String(res.headers['set-cookie']))
      .to.match(/HttpOnly/i)
      .and.match(/SameSite=Lax/i);
    const home = await agent.get('/');
    expect(home.status).to.equal(200);
    expect(home.text).to.contain(user.nameEn);
  });

  it('gives the same message for an unknown email and a wrong password', async () => {
    const user = await buildUser(ctx.db);
    const a = await attempt('nobody@example.test', 'whatever-password');
    const b = await attempt(user.email, 'wrong-password');
    expect(a.status).to.equal(401);
    expect(b.status).to.equal(401);
    const msg = (t: string) => /id="login-error">([^<]+)</.exec(t)?.[1];
    expect(msg(a.text)).to.equal('The email or password is not correct.');
    expect(msg(b.text)).to.equal(msg(a.text));
  });

  it('throttles an account after ten wrong passwords, even with the right one', async () => {
    const user = await buildUser(ctx.db);
    for (let i = 0; i < 10; i++) expect((await attempt(user.email, 'wrong-' + i)).status).to.equal(401);
    const res = await attempt(user.email, TEST_PASSWORD);
    expect(res.status).to.equal(429);
    expect(res.text).to.match(/Too many failed sign-in attempts\. Try again in \d+ minutes\./);
  });

  it('throttles by address across accounts', async () => {
    const c = await createTestApp({ env: { LOGIN_MAX_FAILURES_PER_ADDRESS: '5' } });
    try {
      const user = await buildUser(c.db);
      for (let i = 0; i < 5; i++) {
        const agent = supertest.agent(c.app);
        const page = await agent.get('/login');
        await agent
          .post('/login')
          .type('form')
          .send(
            formBody({ _csrf: csrfFrom(page.text), email: `x${i}@example.test`, password: 'nope-nope-nope' }),
          );
      }
      const agent = supertest.agent(c.app);
      const page = await agent.get('/login');
      const res = await agent
        .post('/login')
        .type('form')
        .send(formBody({ _csrf: csrfFrom(page.text), email: user.email, password: TEST_PASSWORD }));
      expect(res.status).to.equal(429);
    } finally {
      await c.close();
    }
  });

  it('refuses a login form without a CSRF token', async () => {
    const user = await buildUser(ctx.db);
    const res = await supertest(ctx.app)
      .post('/login')
      .type('form')
      .send(formBody({ email: user.email, password: TEST_PASSWORD }));
    expect(res.status).to.equal(403);
  });

  it('a deactivated user cannot sign in', async () => {
    const user = await buildUser(ctx.db, { active: false });
    expect((await attempt(user.email, TEST_PASSWORD)).status).to.equal(401);
  });

  it('signs out, and the old session no longer works', async () => {
    const s = await ctx.as('viewer');
    expect((await s.post('/logout')).status).to.equal(303);
    const res = await s.agent.get('/profile');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login');
  });
});
