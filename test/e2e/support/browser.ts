import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { DEMO_PASSWORD } from '../../../seeds/01-demo-users.js';
import { ROOT } from '../../../src/paths.js';
import { exact, label, type Locale } from './i18n.js';

/**
 * One headless Debian Chromium for the whole run (never a downloaded browser). Each signed-in
 * user gets a browser context of their own; every open page is remembered so that a failing test
 * can leave a screenshot and the page's HTML under test-results/.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const RESULTS_DIR = path.join(ROOT, 'test-results');

let browser: Promise<Browser> | undefined;
/** Open pages, with when each last sent a request (the pages a failed test was using). */
const openPages = new Map<Page, number>();
let testStartedAt = 0;

/** Called before each test: pages idle since then are not part of its failure evidence. */
export function markTestStart(): void {
  testStartedAt = Date.now();
}

export function getBrowser(): Promise<Browser> {
  browser ??= chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  if (browser) await (await browser).close();
  browser = undefined;
}

export interface Session {
  base: string;
  locale: Locale;
  context: BrowserContext;
  page: Page;
  /** A label in this session's language. */
  t(key: string, params?: Record<string, unknown>): string;
  /** Opens a path of the application and returns the response (status checked by the caller). */
  goto(pathname: string): Promise<Response | null>;
  close(): Promise<void>;
}

/** A new browser context whose browser asks for `locale`; helmet's CSP is bypassed for axe. */
export async function newSession(base: string, locale: Locale): Promise<Session> {
  const context = await (
    await getBrowser()
  ).newContext({
    baseURL: base,
    bypassCSP: true,
    locale: locale === 'ar' ? 'ar-BH' : 'en-GB',
    extraHTTPHeaders: { 'Accept-Language': locale === 'ar' ? 'ar-BH,ar' : 'en-GB,en' },
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  openPages.set(page, Date.now());
  page.on('request', () => openPages.set(page, Date.now()));
  page.on('close', () => openPages.delete(page));
  // Confirmation prompts (data-confirm) are accepted, as a user going ahead would.
  page.on('dialog', (d) => void d.accept());
  return {
    base,
    locale,
    context,
    page,
    t: (key, params) => label(locale, key, params),
    goto: (pathname) => page.goto(pathname, { waitUntil: 'domcontentloaded' }),
    close: () => context.close(),
  };
}

/** The language of the page shown (the `lang` of <html>). */
export async function pageLocale(page: Page): Promise<string | null> {
  return page.locator('html').getAttribute('lang');
}

/** Switches the interface language with the navbar's switch when the page is in the other one. */
export async function ensureLanguage(s: Session): Promise<void> {
  const current = (await pageLocale(s.page)) as Locale | null;
  if (current === s.locale || !current) return;
  await s.page.getByRole('button', { name: label(current, 'common:nav.switchTo'), exact: true }).click();
  await s.page.waitForLoadState('domcontentloaded');
  expect(await pageLocale(s.page)).to.equal(s.locale);
}

/** Signs in through the login form with labels in the session's language, then keeps that language. */
export async function signIn(s: Session, email: string, password = DEMO_PASSWORD): Promise<void> {
  await s.goto('/login');
  await ensureLanguage(s);
  await s.page.getByLabel(exact(s.t('auth:login.email'))).fill(email);
  await s.page.getByLabel(exact(s.t('auth:login.password'))).fill(password);
  await s.page.getByRole('button', { name: s.t('auth:login.submit'), exact: true }).click();
  await s.page.waitForURL((u) => u.pathname !== '/login');
  await ensureLanguage(s);
}

/** A new session signed in as a demo user, in `locale`. */
export async function signedIn(base: string, locale: Locale, email: string): Promise<Session> {
  const s = await newSession(base, locale);
  await signIn(s, email);
  return s;
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^\w-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 120);
}

/** Saves a screenshot and the HTML of every open page, named after the failed test. */
export async function saveFailureArtifacts(title: string): Promise<string[]> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const saved: string[] = [];
  const used = [...openPages].filter(([, at]) => at >= testStartedAt).map(([p]) => p);
  let i = 0;
  for (const page of used) {
    const base = path.join(RESULTS_DIR, `${slug(title)}${used.length > 1 ? `-${++i}` : ''}`);
    try {
      await page.screenshot({ path: base + '.png', fullPage: true, timeout: 10_000 });
      saved.push(base + '.png');
      fs.writeFileSync(base + '.html', await page.content());
      saved.push(base + '.html');
    } catch {
      // a page that is closing leaves nothing to save
    }
  }
  return saved;
}
