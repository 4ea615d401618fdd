import { PassThrough, Writable } from 'node:stream';
import { expect } from 'chai';
import type { Config } from '../../src/config.js';
import type { Db } from '../../src/db/knex.js';
import type { CurrentUser } from '../../src/auth/current-user.js';
import { NotFoundError } from '../../src/http/errors.js';
import { ReportAborted } from '../../src/pdf/writer.js';
import type { ReportSection } from '../../src/modules/module.js';
import {
  preparePortfolioReport,
  prepareProjectReport,
  writeReport,
} from '../../src/modules/reports/index.js';
import type { ReportEnv } from '../../src/modules/reports/reports.output.js';
import { features, pendingApprovalPages } from '../../src/modules/reports/reports.repository.js';
import { freshDb } from '../helpers/db.js';
import { pdfjsText, popplerText, squash } from '../helpers/pdf-text.js';
import { buildReportFixture, type ReportFixture } from '../factories/reports.js';
import { buildUser } from '../factories/users.js';

const NOW = new Date('2026-11-15T09:00:00Z');

describe('reports: PDF content and visibility', function () {
  this.timeout(60_000);
  let db: Db;
  let config: Config;
  let fx: ReportFixture;
  let pmo: CurrentUser;

  before(async () => {
    ({ db, config } = await freshDb());
    fx = await buildReportFixture(db, config, '2026-11-15');
    pmo = await buildUser(db, { role: 'pmo', nameEn: 'Noura PMO', nameAr: 'نورة' });
  });
  after(() => db.destroy());

  const env = (reader: CurrentUser, locale: 'en' | 'ar', sections: ReportSection[] = []): ReportEnv => ({
    db,
    config,
    reader,
    locale,
    now: NOW,
    sections,
  });

  async function render(e: ReportEnv, kind: 'portfolio' | { program: number } | { project: number }) {
    const report =
      kind === 'portfolio'
        ? await preparePortfolioReport(e, { kind: 'portfolio' })
        : 'program' in kind
          ? await preparePortfolioReport(e, { kind: 'program', programId: kind.program })
          : await prepareProjectReport(e, kind.project);
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const { pages } = await writeReport(e, report, sink);
    const bytes = Buffer.concat(chunks);
    const js = await pdfjsText(bytes);
    expect(js.pages).to.equal(pages);
    return { bytes, text: squash(js.text), raw: js.text, report };
  }

  it('portfolio report in English: titles, every code, names, counts and budget totals', async () => {
    const { text, raw, report } = await render(env(pmo, 'en'), 'portfolio');
    expect(report.fileName).to.equal('masar-portfolio-2026-11-15-en.pdf');
    for (const s of [
      'Portfolio report',
      'Key figures',
      'Program roll-ups',
      'Late milestones',
      'Pending approvals',
    ]) {
      expect(text, s).to.contain(squash(s));
    }
    for (const code of Object.values(fx.codes)) expect(text, code).to.contain(code);
    for (const n of Object.values(fx.names)) expect(text, n.en).to.contain(squash(n.en));
    // 5 projects; planned 4,830,000.000 BHD in total; spent 2,692,650.500.
    expect(raw).to.match(/Projects\s+5\b/);
    expect(text).to.contain('BHD4,830,000.000');
    expect(text).to.contain('BHD2,692,650.500');
    // Late milestones and pending approvals with their titles.
    expect(text).to.contain(squash('User acceptance testing'));
    expect(text).to.contain(squash('Extend UAT by two weeks'));
  });

  it('portfolio report in Arabic: Arabic titles and the stored Arabic names as real words', async () => {
    const { text, bytes } = await render(env(pmo, 'ar'), 'portfolio');
    for (const s of [
      'تقرير المحفظة',
      'أرقام رئيسية',
      'تجميع البرامج',
      'المراحل المتأخرة',
      'طلبات الموافقة المعلقة',
    ]) {
      expect(text, s).to.contain(squash(s));
    }
    for (const n of Object.values(fx.names)) expect(text, n.ar).to.contain(squash(n.ar));
    for (const code of Object.values(fx.codes)) expect(text, code).to.contain(code);
    expect(text).to.contain(squash('4,830,000.000 دينار بحريني'));
    expect(text).to.contain(squash('تمديد اختبار القبول أسبوعين'));
    // poppler (pdftotext) finds the Arabic words too.
    const poppler = squash(popplerText(bytes));
    for (const key of ['portal', 'ppm', 'cloud', 'dr'] as const)
      expect(poppler, key).to.contain(squash(fx.names[key].ar));
  });

  it("a project manager's portfolio report holds only their projects", async () => {
    const { text } = await render(env(fx.pm1, 'en'), 'portfolio');
    expect(text).to.contain(fx.codes.portal);
    expect(text).to.contain(fx.codes.ppm);
    for (const hidden of [fx.codes.ekey, fx.codes.cloud, fx.codes.dr])
      expect(text, hidden).to.not.contain(hidden);
    expect(text).to.not.contain(squash('Move to execution'));
    expect(text).to.not.contain(squash(fx.names.ekey.en));
  });

  it("a sponsor's portfolio report lacks the projects they do not sponsor", async () => {
    const { text } = await render(env(fx.sponsor1, 'ar'), 'portfolio');
    for (const seen of [fx.codes.portal, fx.codes.ekey, fx.codes.ppm, fx.codes.cloud])
      expect(text, seen).to.contain(seen);
    expect(text).to.not.contain(fx.codes.dr);
    expect(text).to.not.contain(squash(fx.names.dr.ar));
  });

  it('program report: the program and its visible projects only; hidden programs are not found', async () => {
    const { text } = await render(env(pmo, 'en'), { program: fx.programs.dst });
    expect(text).to.contain(squash('Program report'));
    expect(text).to.contain(squash('Digital Services Transformation'));
    expect(text).to.contain(fx.codes.portal);
    expect(text).to.contain(fx.codes.ekey);
    expect(text).to.not.contain(fx.codes.ppm);
    const pm1 = await render(env(fx.pm1, 'ar'), { program: fx.programs.dst });
    expect(pm1.text).to.contain(fx.codes.portal);
    expect(pm1.text).to.not.contain(fx.codes.ekey);
    let err: unknown;
    try {
      await preparePortfolioReport(env(fx.pm1, 'en'), { kind: 'program', programId: fx.programs.inf });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(NotFoundError);
  });

  it('project report: facts, status report narrative, milestones, budget and open requests, in both languages', async () => {
    const en = await render(env(fx.sponsor1, 'en'), { project: fx.projects.portal.id });
    for (const s of [
      'Project status report',
      fx.codes.portal,
      fx.names.portal.en,
      'Layla Hassan',
      'Fatima Al-Khalifa',
      'Latest status report',
      'Complete the security review',
      'Escalations',
      'Charter approved',
      'Go-live',
      'Late',
      'BHD450,000.000',
      'BHD310,250.500',
      'BHD139,749.500',
      'Extend UAT by two weeks',
      'Timeline',
    ]) {
      expect(en.text, s).to.contain(squash(s));
    }
    const ar = await render(env(fx.sponsor1, 'ar'), { project: fx.projects.portal.id });
    for (const s of [
      'تقرير حالة المشروع',
      fx.names.portal.ar,
      'ليلى حسن',
      'تأخر اختبار القبول أسبوعين بانتظار المراجعة الأمنية.',
      'اعتماد ميثاق المشروع',
      'متأخر',
      '450,000.000 دينار بحريني',
      'تمديد اختبار القبول أسبوعين',
    ]) {
      expect(ar.text, s).to.contain(squash(s));
    }
    expect(ar.report.fileName).to.equal(`masar-project-${fx.codes.portal}-2026-11-15-ar.pdf`);
  });

  it('a project the reader may not see is not found', async () => {
    for (const [reader, project] of [
      [fx.pm2, fx.projects.portal],
      [fx.sponsor2, fx.projects.portal],
      [fx.sponsor1, fx.projects.dr],
    ] as const) {
      let err: unknown;
      try {
        await prepareProjectReport(env(reader, 'en'), project.id);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(NotFoundError);
    }
  });

  it('draws contributed report sections for the reader', async () => {
    const seen: string[] = [];
    const section: ReportSection = {
      key: 'test',
      order: 1,
      async render(ctx) {
        seen.push(`${ctx.scope.kind}:${ctx.locale}:${ctx.reader.id}`);
        ctx.pdf.heading(ctx.locale === 'ar' ? 'الأهداف والمؤشرات' : 'Objectives and KPIs', 1);
        await ctx.pdf.table(
          [{ header: 'KPI', width: 1, cell: (r: string) => r }],
          ['Share of services online'],
          {},
        );
      },
    };
    const { text } = await render(env(pmo, 'en', [section]), 'portfolio');
    expect(text).to.contain(squash('Objectives and KPIs'));
    expect(text).to.contain(squash('Share of services online'));
    const program = await render(env(pmo, 'ar', [section]), { program: fx.programs.dst });
    expect(program.text).to.not.contain(squash('الأهداف والمؤشرات'));
    expect(seen).to.deep.equal([`portfolio:en:${pmo.id}`]);
  });

  it('stops building, without an unhandled error, when the reader goes away mid-stream', async () => {
    const e = env(pmo, 'ar');
    for (const after of [1, 3]) {
      const report = await preparePortfolioReport(e, { kind: 'portfolio' });
      let chunks = 0;
      const sink = new Writable({
        write(_chunk, _enc, cb) {
          if (++chunks === after) {
            cb();
            this.destroy();
            return;
          }
          cb();
        },
      });
      let err: unknown;
      try {
        await writeReport(e, report, sink);
      } catch (x) {
        err = x;
      }
      expect(err, `closed after ${after} chunk(s)`).to.be.instanceOf(ReportAborted);
    }
  });

  it('reads no approvals when the approvals tables are absent', async () => {
    expect((await features(db)).approvals).to.equal(true);
    const pages = pendingApprovalPages(
      db,
      pmo,
      { kind: 'portfolio' },
      { approvals: false, approvalRounds: false },
    );
    expect((await pages.next()).done).to.equal(true);
  });
});
