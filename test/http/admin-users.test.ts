import { expect } from 'chai';
import { createTestApp, type TestContext, type Agent } from '../helpers/app.js';
import { verifyChain } from '../../src/modules/audit/audit.service.js';

describe('admin: users', () => {
  let ctx: TestContext;
  let admin: Agent;
  before(async () => {
    ctx = await createTestApp();
    admin = await ctx.as('admin');
  });
  after(() => ctx.close());

  it('is not there for other roles (404), and sends anonymous visitors to login', async () => {
    for (const role of ['pmo', 'pm', 'sponsor', 'viewer'] as const) {
      const s = await ctx.as(role);
      expect((await s.agent.get('/admin/users')).status, role).to.equal(404);
      expect((await s.post('/admin/users', { email: 'x@y.z' })).status, role).to.equal(404);
    }
  });

  it('lists and filters users', async () => {
    const res = await admin.agent.get('/admin/users?role=admin');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain(admin.user.email);
    const bad = await admin.agent.get('/admin/users?role=emperor&page=-4');
    expect(bad.status).to.equal(200);
  });

  it('creates a user, with an audit entry', async () => {
    const res = await admin.post('/admin/users', {
      email: 'New.Person@Example.test',
      nameEn: 'New Person',
      nameAr: 'شخص جديد',
      role: 'sponsor',
      locale: 'ar',
      password: 'long-enough-pass',
    });
    expect(res.status).to.equal(303);
    const row = await ctx.db('users').where({ email: 'new.person@example.test' }).first();
    expect(row.role).to.equal('sponsor');
    const audit = await ctx
      .db('audit_log')
      .where({ action: 'user.create', entity_id: String(row.id) })
      .first();
    expect(audit.actor_id).to.equal(admin.user.id);
    expect(audit.after).to.not.contain('long-enough-pass');
    expect((await verifyChain(ctx.db)).ok).to.equal(true);
  });

  it("refuses invalid input with 422 and field messages in the admin's language, writing nothing", async () => {
    const count = async () => Number((await ctx.db('users').count({ n: '*' }))[0].n);
    const before = await count();
    const res = await admin.post('/admin/users?lang=ar', {
      email: 'not-an-email',
      nameEn: '',
      nameAr: 'x',
      role: 'emperor',
      locale: 'en',
      password: 'short',
    });
    expect(res.status).to.equal(422);
    expect(res.text)
      .to.contain('أدخل بريداً إلكترونياً صحيحاً')
      .and.contain('هذا الحقل مطلوب')
      .and.contain('اختر أحد الخيارات المتاحة');
    expect(res.text).to.contain('value="not-an-email"');
    const dup = await admin.post('/admin/users', {
      email: admin.user.email,
      nameEn: 'A',
      nameAr: 'ب',
      role: 'pm',
      locale: 'en',
      password: 'long-enough-pass',
    });
    expect(dup.status).to.equal(422);
    expect(dup.text).to.contain('already in use');
    expect(await count()).to.equal(before);
  });

  it('deactivating a user ends their open session at once', async () => {
    const pm = await ctx.as('pm');
    expect((await pm.agent.get('/profile')).status).to.equal(200);
    const res = await admin.post(`/admin/users/${pm.user.id}`, {
      email: pm.user.email,
      nameEn: pm.user.nameEn,
      nameAr: pm.user.nameAr,
      role: 'pm',
      locale: 'en',
      version: 1,
    });
    expect(res.status).to.equal(303);
    const after = await pm.agent.get('/profile');
    expect(after.status).to.equal(303);
    expect(after.headers.location).to.equal('/login');
    expect(
      await ctx.db('audit_log').where({ action: 'user.deactivate', entity_id: String(pm.user.id) }),
    ).to.have.length(1);
  });

  it('changes a role; a stale version gets 409 and keeps the input', async () => {
    const s = await ctx.as('viewer');
    const form = {
      email: s.user.email,
      nameEn: 'Renamed',
      nameAr: s.user.nameAr,
      role: 'pmo',
      locale: 'en',
      active: 'on',
      version: 1,
    };
    expect((await admin.post(`/admin/users/${s.user.id}`, form)).status).to.equal(303);
    const stale = await admin.post(`/admin/users/${s.user.id}`, { ...form, nameEn: 'Second edit' });
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('Second edit');
    const row = await ctx.db('users').where({ id: s.user.id }).first();
    expect(row.role).to.equal('pmo');
    expect(row.name_en).to.equal('Renamed');
  });

  it('an admin cannot lock themselves out', async () => {
    const res = await admin.post(`/admin/users/${admin.user.id}`, {
      email: admin.user.email,
      nameEn: 'A',
      nameAr: 'ب',
      role: 'pm',
      locale: 'en',
      active: 'on',
      version: 1,
    });
    expect(res.status).to.equal(422);
    expect((await ctx.db('users').where({ id: admin.user.id }).first()).role).to.equal('admin');
  });

  it('answers 404 for a user id that does not exist or is not a number', async () => {
    expect((await admin.agent.get('/admin/users/999999/edit')).status).to.equal(404);
    expect((await admin.agent.get('/admin/users/abc/edit')).status).to.equal(404);
    expect((await admin.agent.get('/admin/users/1e3/edit')).status).to.equal(404);
  });

  it('a POST without a CSRF token is refused with 403 and changes nothing', async () => {
    const before = Number((await ctx.db('users').count({ n: '*' }))[0].n);
    const res = await admin.agent
      .post('/admin/users')
      .type('form')
      .send('email=a%40b.test&nameEn=A&nameAr=B&role=pm&locale=en&password=long-enough-pass');
    expect(res.status).to.equal(403);
    const wrong = await admin.agent
      .post('/admin/users')
      .type('form')
      .send('_csrf=forged&email=a%40b.test&nameEn=A&nameAr=B&role=pm&locale=en&password=long-enough-pass');
    expect(wrong.status).to.equal(403);
    expect(Number((await ctx.db('users').count({ n: '*' }))[0].n)).to.equal(before);
  });
});
