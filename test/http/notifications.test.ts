import { expect } from 'chai';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { notify } from '../../src/modules/notifications/index.js';

describe('notifications: list, unread count, mark read', () => {
  let ctx: TestContext;
  let me: Agent;
  let other: Agent;
  const add = (userId: number, link: string | null = '/approvals') =>
    ctx.db.transaction((trx) =>
      notify(trx, {
        userId,
        kind: 'approval.pending',
        titleKey: 'approvals:notify.pending.title',
        params: { titleEn: 'Gate request', titleAr: 'طلب بوابة', code: 'GOV-01' },
        link,
        email: false,
      }),
    );
  before(async () => {
    ctx = await createTestApp();
    me = await ctx.as('pm', { locale: 'en' });
    other = await ctx.as('pm');
  });
  after(() => ctx.close());

  it('shows the unread count in the navigation bar and lists notifications in the reader’s language', async () => {
    await add(me.user.id);
    await add(me.user.id, 'https://evil.example/phish');
    const res = await me.agent.get('/notifications');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Approval needed: Gate request (GOV-01)');
    expect(res.text).to.match(/Notifications <span class="badge text-bg-warning">2<\/span>/);
    expect(res.text).to.not.contain('evil.example');
    const ar = await me.agent.get('/notifications?lang=ar&show=unread&page=zz');
    expect(ar.status).to.equal(200);
    expect(ar.text).to.contain('مطلوب اعتمادك: طلب بوابة (GOV-01)');
  });

  it('marks one read (only one’s own: 404 otherwise), opens one (to its local link), and marks all read', async () => {
    const id = (await add(me.user.id, '/approvals/mine'))!;
    expect((await other.post(`/notifications/${id}/read`)).status).to.equal(404);
    expect((await other.post(`/notifications/${id}/open`)).status).to.equal(404);
    expect((await me.post('/notifications/abc/read')).status).to.equal(404);
    expect((await me.post(`/notifications/${id}/read`)).status).to.equal(303);
    expect((await ctx.db('notifications').where({ id }).first()).read_at).to.be.a('string');
    const id2 = (await add(me.user.id, '/approvals/mine'))!;
    const open = await me.post(`/notifications/${id2}/open`);
    expect(open.status).to.equal(303);
    expect(open.headers.location).to.equal('/approvals/mine');
    const id3 = (await add(me.user.id, null))!;
    expect((await me.post(`/notifications/${id3}/open`)).headers.location).to.equal('/notifications');
    await add(other.user.id);
    expect((await me.post('/notifications/read-all')).status).to.equal(303);
    const unread = await ctx.db('notifications').where({ user_id: me.user.id }).whereNull('read_at');
    expect(unread).to.have.length(0);
    expect(
      await ctx.db('notifications').where({ user_id: other.user.id }).whereNull('read_at'),
    ).to.have.length(1);
    expect((await me.agent.get('/notifications')).text).to.match(
      /Notifications <span class="badge text-bg-warning">0<\/span>/,
    );
    expect(await ctx.db('audit_log').where({ action: 'notification.read_all' })).to.have.length(1);
  });

  it('an inactive user gets no notification', async () => {
    const ghost = await ctx.as('pm');
    await ctx.db('users').where({ id: ghost.user.id }).update({ active: false });
    expect(await add(ghost.user.id)).to.equal(null);
  });
});
