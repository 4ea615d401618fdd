import { expect } from 'chai';
import type { Role } from '../../src/auth/roles.js';
import { axeViolations, BLOCKING, describeViolations } from './support/axe.js';
import { signedIn, type Session } from './support/browser.js';
import { LOCALES, type Locale } from './support/i18n.js';
import { admits, pagePatterns, patternOf, type PagePattern } from './support/pages.js';
import { startApp, type RunningApp } from './support/server.js';

/**
 * axe-core on every page of Masar, as each role that can see it, in English and in Arabic: no
 * serious or critical violation. The page list comes from the registered routes (support/pages.ts);
 * each role starts from the pages without parameters and follows links to reach one example of
 * every page with parameters (a program, a project and each of its tabs, a request, a KPI…).
 * Roles are crawled two at a time (E2E_CONCURRENCY) in separate browser contexts.
 */

const ROLE_USERS: [Role, string][] = [
  ['admin', 'admin@masar.test'],
  ['pmo', 'pmo@masar.test'],
  ['pm', 'pm@masar.test'],
  ['sponsor', 'sponsor@masar.test'],
  ['viewer', 'viewer@masar.test'],
];

/** Registered GET routes that are not pages to check, each with the reason. */
const NOT_PAGES: Record<string, string> = {
  '/reports/snapshots/:name': 'a stored monthly PDF (a download), not a page',
};

/**
 * Pages linked only from one particular record (not from the first example of a page the crawl
 * opens): their addresses are looked up in the demo data and every role starts with them.
 */
async function extraStarts(app: RunningApp): Promise<string[]> {
  const out: string[] = [];
  const returned = await app.db('approval_requests').where({ status: 'returned' }).first('id');
  if (returned) out.push(`/approvals/${returned.id}/revise`);
  return out;
}

/** Addresses of one page pattern tried per role before giving up (404: not visible to that user). */
const TRIES = 3;
const CONCURRENCY = Math.max(1, Number(process.env.E2E_CONCURRENCY ?? 2));

interface Visit {
  role: Role;
  url: string;
  pattern: string;
  status: number;
  html: boolean;
  ms: number;
}

interface CrawlResult {
  problems: string[];
  visits: Visit[];
}

/** Same-origin page links of the page shown, without fragments and language overrides. */
async function linksOf(s: Session): Promise<string[]> {
  const hrefs = (await s.page.evaluate(
    "Array.from(document.querySelectorAll('a[href]'), (a) => a.getAttribute('href'))",
  )) as (string | null)[];
  const origin = new URL(s.base).origin;
  const out: string[] = [];
  for (const h of hrefs) {
    if (!h || h.startsWith('#') || h.startsWith('mailto:')) continue;
    const u = new URL(h, s.page.url());
    if (u.origin !== origin) continue;
    if (u.pathname.startsWith('/public/') || u.pathname.startsWith('/vendor/')) continue;
    u.searchParams.delete('lang');
    out.push(u.pathname + u.search);
  }
  return out;
}

const pathnameOf = (url: string) => new URL(url, 'http://x').pathname;

/** Runs `tasks` with at most `n` at a time. */
async function pool<T>(n: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, worker));
  return results;
}

class Crawler {
  /** Concrete addresses found for each pattern, by any role (other roles try them too). */
  readonly found = new Map<string, string[]>();
  constructor(
    readonly app: RunningApp,
    readonly locale: Locale,
    readonly patterns: PagePattern[],
  ) {}

  remember(url: string): PagePattern | undefined {
    const p = patternOf(this.patterns, pathnameOf(url));
    if (!p) return undefined;
    const list = this.found.get(p.path) ?? [];
    if (!list.includes(url) && list.length < TRIES) list.push(url);
    this.found.set(p.path, list);
    return p;
  }

  async crawl(role: Role, email: string, starts: string[]): Promise<CrawlResult> {
    const s = await signedIn(this.app.url, this.locale, email);
    const problems: string[] = [];
    const visits: Visit[] = [];
    const done = new Set<string>();
    const tries = new Map<string, number>();
    const queue: string[] = [
      ...this.patterns.filter((p) => !p.params && admits(p, role)).map((p) => p.path),
      ...starts,
    ];

    const check = async (url: string): Promise<boolean> => {
      const p = patternOf(this.patterns, pathnameOf(url));
      if (!p || done.has(p.path) || !admits(p, role)) return false;
      const attempt = (tries.get(p.path) ?? 0) + 1;
      if (attempt > TRIES) return false;
      tries.set(p.path, attempt);
      const started = Date.now();
      let res;
      try {
        res = await s.goto(url);
      } catch (e) {
        // an address that turns out to be a file download is not a page
        if (!String(e).includes('Download is starting')) throw e;
        done.add(p.path);
        visits.push({ role, url, pattern: p.path, status: 200, html: false, ms: Date.now() - started });
        return false;
      }
      const status = res?.status() ?? 0;
      const html = (res?.headers()['content-type'] ?? '').includes('text/html');
      // not visible to this user (404), or not theirs to change (403): another example may be
      if (status === 404 || status === 403) return false;
      done.add(p.path);
      if (status >= 500) problems.push(`  ${role} ${url}: status ${status}`);
      if (html && status < 400) {
        for (const link of await linksOf(s)) {
          const lp = this.remember(link);
          if (lp && !done.has(lp.path) && admits(lp, role)) queue.push(link);
        }
        const blocking = (await axeViolations(s.page)).filter((v) => v.impact && BLOCKING.has(v.impact));
        if (blocking.length) problems.push(describeViolations(`${role} ${url}`, blocking));
      }
      visits.push({ role, url, pattern: p.path, status, html, ms: Date.now() - started });
      return html && status < 400;
    };

    try {
      while (queue.length) await check(queue.shift()!);
      // Pages this role may see but reached only through another role's links.
      for (const p of this.patterns) {
        if (done.has(p.path) || !admits(p, role)) continue;
        for (const url of this.found.get(p.path) ?? []) if (await check(url)) break;
      }
    } finally {
      await s.close();
    }
    return { problems, visits };
  }
}

for (const locale of LOCALES) {
  describe(`accessibility of every page (${locale})`, function () {
    let app: RunningApp;
    let patterns: PagePattern[];
    const results = new Map<Role, CrawlResult>();

    before(async function () {
      this.timeout(20 * 60_000);
      app = await startApp();
      patterns = pagePatterns(app.app).filter((p) => !(p.path in NOT_PAGES));
      const crawler = new Crawler(app, locale, patterns);
      const starts = await extraStarts(app);
      const started = Date.now();
      const all = await pool(
        CONCURRENCY,
        ROLE_USERS.map(
          ([role, email]) =>
            () =>
              crawler.crawl(role, email, starts),
        ),
      );
      ROLE_USERS.forEach(([role], i) => results.set(role, all[i]));
      const pages = all.reduce((n, r) => n + r.visits.filter((v) => v.html && v.status < 400).length, 0);
      console.log(`      ${pages} pages checked in ${Math.round((Date.now() - started) / 1000)} s`);
      if (process.env.E2E_TRACE) {
        const slow = all.flatMap((r) => r.visits).sort((a, b) => b.ms - a.ms);
        for (const v of slow.slice(0, 15)) console.log(`        ${v.ms} ms ${v.role} ${v.url} ${v.status}`);
      }
    });
    after(() => app?.close());

    for (const [role] of ROLE_USERS) {
      it(`as ${role}: no serious or critical axe violation on any page the role can see`, function () {
        const r = results.get(role);
        expect(r, 'crawl did not run').to.not.equal(undefined);
        const n = r!.visits.filter((v) => v.html && v.status < 400).length;
        expect(n, 'pages checked').to.be.greaterThan(0);
        expect(r!.problems, `\n${r!.problems.join('\n')}\n`).to.deep.equal([]);
      });
    }

    it('every registered page was checked as at least one role', function () {
      const visits = [...results.values()].flatMap((r) => r.visits);
      const reached = new Set(visits.filter((v) => v.status < 400).map((v) => v.pattern));
      const missing = patterns.map((p) => p.path).filter((p) => !reached.has(p));
      expect(missing, `pages no role reached by following links:\n  ${missing.join('\n  ')}\n`).to.deep.equal(
        [],
      );
    });
  });
}
