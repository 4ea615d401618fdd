import { expect } from 'chai';
import { createTestApp, type TestContext } from '../helpers/app.js';

describe('layout and navigation', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.close());

  it('shows each role its own navigation', async () => {
    const admin = await ctx.as('admin');
    const pm = await ctx.as('pm');
    const a = (await admin.agent.get('/')).text;
    const p = (await pm.agent.get('/')).text;
    expect(a).to.contain('href="/admin/users"').and.contain('href="/admin/audit"');
    expect(p).to.not.contain('href="/admin/users"');
    expect(p).to.contain('Project manager');
  });

  it('is accessible: skip link, landmarks, language and direction', async () => {
    const pm = await ctx.as('pm', { locale: 'ar' });
    const html = (await pm.agent.get('/')).text;
    expect(html).to.contain('<html lang="ar" dir="rtl">');
    expect(html)
      .to.contain('href="#main"')
      .and.contain('<main id="main"')
      .and.contain('<nav')
      .and.contain('<header>')
      .and.contain('<footer');
    const en = (await pm.agent.get('/?lang=en')).text;
    expect(en).to.contain('<html lang="en" dir="ltr">');
  });
});
