import { expect } from 'chai';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { TEST_PASSWORD } from '../factories/users.js';

describe('profile', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.close());

  it('changes the password with the current one; every other session ends, this one continues', async () => {
    const a = await ctx.as('pm');
    const other = await ctx.login(a.user);
    const res = await a.post('/profile/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a-new-password-1',
      confirmPassword: 'a-new-password-1',
    });
    expect(res.status).to.equal(303);
    expect((await a.agent.get('/profile')).status).to.equal(200);
    const gone = await other.agent.get('/profile');
    expect(gone.status).to.equal(303);
    expect(gone.headers.location).to.equal('/login');
    const entries = await ctx
      .db('audit_log')
      .where({ action: 'user.password', entity_id: String(a.user.id) });
    expect(entries).to.have.length(1);
    expect(entries[0].after).to.not.contain('a-new-password-1');
  });

  it("refuses a wrong current password or a mismatch with 422, in the user's language, changing nothing", async () => {
    const a = await ctx.as('pm', { locale: 'ar' });
    const before = await ctx.db('users').where({ id: a.user.id }).first();
    const wrong = await a.post('/profile/password', {
      currentPassword: 'not-it-at-all',
      newPassword: 'a-new-password-1',
      confirmPassword: 'a-new-password-1',
    });
    expect(wrong.status).to.equal(422);
    expect(wrong.text).to.contain('كلمة المرور الحالية غير صحيحة');
    const mismatch = await a.post('/profile/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a-new-password-1',
      confirmPassword: 'different-one-2',
    });
    expect(mismatch.status).to.equal(422);
    expect(mismatch.text).to.contain('كلمتا المرور غير متطابقتين');
    const after = await ctx.db('users').where({ id: a.user.id }).first();
    expect(after.password_hash).to.equal(before.password_hash);
  });

  it('saves the language preference, and pages follow it', async () => {
    const a = await ctx.as('viewer');
    expect((await a.post('/profile/preferences', { locale: 'ar' })).status).to.equal(303);
    const page = await a.agent.get('/profile');
    expect(page.text).to.contain('<html lang="ar" dir="rtl">');
    expect((await a.post('/profile/preferences', { locale: 'xx' })).status).to.equal(422);
  });

  it('the language switch saves the choice on the profile', async () => {
    const a = await ctx.as('viewer');
    expect((await a.post('/language', { lang: 'ar', returnTo: '/profile' })).headers.location).to.equal(
      '/profile',
    );
    const row = await ctx.db('users').where({ id: a.user.id }).first();
    expect(row.locale).to.equal('ar');
    expect((await a.post('/language', { lang: 'en', returnTo: '//evil.example' })).headers.location).to.equal(
      '/',
    );
  });
});
