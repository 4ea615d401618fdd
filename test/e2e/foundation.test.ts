import { expect } from 'chai';
import { DEMO_USERS } from '../../seeds/01-demo-users.js';
import { modules } from '../../src/modules/registry.js';
import { newSession, pageLocale, signedIn, signIn, type Session } from './support/browser.js';
import { exact, label, LOCALES } from './support/i18n.js';
import { startApp, type RunningApp } from './support/server.js';

/** What every user does first, in a real browser, in English and in Arabic. */
for (const locale of LOCALES) {
  describe(`signing in and finding one's way (${locale})`, () => {
    let app: RunningApp;
    const sessions: Session[] = [];
    const track = (s: Session) => (sessions.push(s), s);
    const nav = modules.flatMap((m) => m.nav ?? []);

    before(async () => {
      app = await startApp();
    });
    after(async () => {
      for (const s of sessions) await s.close();
      await app?.close();
    });

    for (const u of DEMO_USERS) {
      it(`${u.role} (${u.email}) signs in, sees the navigation of the role and opens every item`, async () => {
        const s = track(await signedIn(app.url, locale, u.email));
        const { page } = s;
        expect(await pageLocale(page)).to.equal(locale);
        expect(await page.locator('html').getAttribute('dir')).to.equal(locale === 'ar' ? 'rtl' : 'ltr');
        const bar = page.getByRole('navigation', { name: s.t('common:nav.main') });
        const mine = nav.filter((n) => n.roles.includes(u.role));
        const others = nav.filter((n) => !n.roles.includes(u.role) && !mine.some((m) => m.key === n.key));
        for (const n of mine) {
          expect(
            await bar.getByRole('link', { name: s.t(n.key), exact: true }).count(),
            n.key,
          ).to.be.greaterThan(0);
        }
        for (const n of others) {
          expect(await bar.getByRole('link', { name: s.t(n.key), exact: true }).count(), n.key).to.equal(0);
        }
        for (const n of mine) {
          const res = await s.goto(n.href);
          expect(res?.status(), n.href).to.equal(200);
          expect(await page.getByRole('heading', { level: 1 }).count(), `one h1 on ${n.href}`).to.equal(1);
        }
        // The signed-in user's name and role are shown, in the page's language.
        await page
          .getByRole('link', { name: new RegExp(s.t(`common:roles.${u.role}`)) })
          .first()
          .waitFor();
      });
    }

    it('the language switch turns the whole interface around (dir=rtl for Arabic) and is remembered', async () => {
      const s = track(await signedIn(app.url, locale, 'viewer@masar.test'));
      const other = locale === 'ar' ? 'en' : 'ar';
      await s.goto('/profile');
      await s.page.getByRole('button', { name: s.t('common:nav.switchTo'), exact: true }).click();
      await s.page.waitForLoadState('domcontentloaded');
      expect(await pageLocale(s.page)).to.equal(other);
      expect(await s.page.locator('html').getAttribute('dir')).to.equal(other === 'ar' ? 'rtl' : 'ltr');
      expect(new URL(s.page.url()).pathname).to.equal('/profile');
      await s.page
        .getByRole('heading', { level: 1, name: label(other, 'profile:title') })
        .waitFor({ state: 'visible' });
      const css = await s.page.locator('link[rel=stylesheet]').first().getAttribute('href');
      expect(css).to.equal(
        other === 'ar'
          ? '/vendor/bootstrap/css/bootstrap.rtl.min.css'
          : '/vendor/bootstrap/css/bootstrap.min.css',
      );
      // remembered on the profile: a new sign-in comes back in the chosen language
      const again = track(await newSession(app.url, locale));
      await again.goto('/login');
      await again.page.getByLabel(exact(again.t('auth:login.email'))).fill('viewer@masar.test');
      await again.page.getByLabel(exact(again.t('auth:login.password'))).fill('masar-demo');
      await again.page.getByRole('button', { name: again.t('auth:login.submit'), exact: true }).click();
      await again.page.waitForURL((u) => u.pathname !== '/login');
      expect(await pageLocale(again.page)).to.equal(other);
    });

    it('a wrong password is refused with a message and the email kept', async () => {
      const s = track(await newSession(app.url, locale));
      await s.goto('/login');
      await s.page.getByLabel(exact(s.t('auth:login.email'))).fill('pm@masar.test');
      await s.page.getByLabel(exact(s.t('auth:login.password'))).fill('not-the-password');
      await s.page.getByRole('button', { name: s.t('auth:login.submit'), exact: true }).click();
      await s.page
        .getByRole('alert')
        .filter({ hasText: s.t('auth:login.invalid') })
        .waitFor();
      expect(await s.page.getByLabel(exact(s.t('auth:login.email'))).inputValue()).to.equal('pm@masar.test');
      expect(new URL(s.page.url()).pathname).to.equal('/login');
    });

    it('a user changes their password on the profile, signs out and signs in with the new one', async () => {
      const s = track(await signedIn(app.url, locale, 'pm2@masar.test'));
      const { page } = s;
      await s.goto('/profile');
      const form = page
        .locator('form')
        .filter({ has: page.getByLabel(exact(s.t('profile:currentPassword'))) });
      // a mismatch is refused with the message beside the field
      await form.getByLabel(exact(s.t('profile:currentPassword'))).fill('masar-demo');
      await form.getByLabel(exact(s.t('profile:newPassword'))).fill('a-brand-new-secret-1');
      await form.getByLabel(exact(s.t('profile:confirmPassword'))).fill('something-else-2');
      await form.getByRole('button', { name: s.t('profile:changePassword'), exact: true }).click();
      await page.getByText(s.t('validation:passwordMismatch')).waitFor();
      const form2 = page
        .locator('form')
        .filter({ has: page.getByLabel(exact(s.t('profile:currentPassword'))) });
      await form2.getByLabel(exact(s.t('profile:currentPassword'))).fill('masar-demo');
      await form2.getByLabel(exact(s.t('profile:newPassword'))).fill('a-brand-new-secret-1');
      await form2.getByLabel(exact(s.t('profile:confirmPassword'))).fill('a-brand-new-secret-1');
      await form2.getByRole('button', { name: s.t('profile:changePassword'), exact: true }).click();
      await page.getByText(s.t('profile:passwordChanged')).waitFor();
      await page.getByRole('button', { name: s.t('common:nav.logout'), exact: true }).click();
      await page.waitForURL((u) => u.pathname === '/login');
      await page.getByText(s.t('auth:login.signedOut')).waitFor();
      await signIn(s, 'pm2@masar.test', 'a-brand-new-secret-1');
      expect(new URL(page.url()).pathname).to.not.equal('/login');
    });

    it('the administrator creates a user, who can then sign in', async () => {
      const s = track(await signedIn(app.url, locale, 'admin@masar.test'));
      const { page } = s;
      await s.goto('/admin/users');
      await page.getByRole('link', { name: s.t('admin:users.new'), exact: true }).click();
      const email = `e2e-${locale}@masar.test`;
      await page.getByLabel(exact(s.t('admin:users.email'))).fill(email);
      await page.getByLabel(exact(s.t('admin:users.role'))).selectOption('viewer');
      await page.getByLabel(exact(s.t('admin:users.locale'))).selectOption(locale);
      await page.getByLabel(exact(s.t('admin:users.nameEn'))).fill('Salman Al-Hashimi');
      await page.getByLabel(exact(s.t('admin:users.nameAr'))).fill('سلمان الهاشمي');
      await page.getByLabel(exact(s.t('admin:users.password'))).fill('a-fresh-password-9');
      await page.getByRole('button', { name: s.t('common:actions.save'), exact: true }).click();
      await page.getByText(s.t('admin:users.created')).waitFor();
      await s.goto('/admin/users?q=' + encodeURIComponent(email));
      await page.getByRole('cell', { name: email, exact: true }).waitFor();
      const newcomer = track(await newSession(app.url, locale));
      await signIn(newcomer, email, 'a-fresh-password-9');
      await newcomer.page
        .getByRole('link', { name: new RegExp(newcomer.t('common:roles.viewer')) })
        .first()
        .waitFor();
      // an ordinary user does not find the administration at all
      expect((await newcomer.goto('/admin/users'))?.status()).to.equal(404);
    });

    it('an unknown address shows the 404 page in the reader’s language with a way back', async () => {
      const s = track(await signedIn(app.url, locale, 'viewer@masar.test'));
      const res = await s.goto('/no/such/page');
      expect(res?.status()).to.equal(404);
      await s.page.getByRole('heading', { level: 1, name: s.t('errors:404.title') }).waitFor();
      await s.page.getByRole('link', { name: s.t('errors:home') }).click();
      await s.page.waitForURL((u) => u.pathname === '/');
    });

    it('a form posted without its CSRF token is refused (403) and changes nothing', async () => {
      const s = track(await signedIn(app.url, locale, 'viewer@masar.test'));
      const before = await app.db('users').where({ email: 'viewer@masar.test' }).first();
      await s.goto('/profile');
      await s.page.evaluate(
        'document.querySelectorAll(\'form[action="/profile/preferences"] input[name=_csrf]\').forEach((e) => e.remove())',
      );
      const other = locale === 'ar' ? 'en' : 'ar';
      await s.page.getByLabel(exact(s.t('profile:language'))).selectOption(other);
      const [res] = await Promise.all([
        s.page.waitForResponse((r) => r.request().method() === 'POST'),
        s.page.getByRole('button', { name: s.t('profile:savePreferences'), exact: true }).click(),
      ]);
      expect(res.status()).to.equal(403);
      await s.page.getByText(s.t('errors:403.csrf')).waitFor();
      const after = await app.db('users').where({ email: 'viewer@masar.test' }).first();
      expect(after.locale).to.equal(before.locale);
      expect(after.version).to.equal(before.version);
    });
  });
}
