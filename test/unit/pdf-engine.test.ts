import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { paragraphDirection, visualRuns } from '../../src/pdf/bidi.js';
import { ReportPdf } from '../../src/pdf/writer.js';
import { translator } from '../../src/i18n/index.js';
import { pdfjsText, popplerText, squash } from '../helpers/pdf-text.js';

async function build(
  locale: 'en' | 'ar',
  draw: (w: ReportPdf) => Promise<void> | void,
): Promise<{ bytes: Buffer; pages: number }> {
  const w = new ReportPdf({
    locale,
    t: translator(locale),
    title: locale === 'ar' ? 'تقرير تجريبي' : 'Test report',
    subtitle: 'TST-01',
    readerName: locale === 'ar' ? 'سارة الأنصاري' : 'Sara Al-Ansari',
    generatedAt: new Date('2026-11-15T09:00:00Z'),
    currency: 'BHD',
  });
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => sink.on('end', r));
  w.doc.pipe(sink);
  await draw(w);
  const pages = w.finish();
  await done;
  return { bytes: Buffer.concat(chunks), pages };
}

describe('pdf engine: bidi runs', () => {
  it('orders an Arabic line with codes, numbers and brackets as the Unicode algorithm does', () => {
    const runs = visualRuns('المشروع GOV-01 (المرحلة 2)', 'rtl');
    // Visual order, left to right: the closing bracket run, "2", …, "GOV-01", "المشروع ".
    expect(runs.map((r) => r.text)).to.deep.equal([')', '2', ' (المرحلة ', 'GOV-01', 'المشروع ']);
    expect(runs.map((r) => r.rtl)).to.deep.equal([true, false, true, false, true]);
    // Brackets in right-to-left runs are drawn mirrored but extracted as stored.
    expect(runs[2].glyphText).to.equal(' )المرحلة ');
    expect(runs[0].glyphText).to.equal('(');
  });

  it('draws arrows the font lacks as angle quotes, pointing along the reading direction', () => {
    const ar = visualRuns('البدء → التخطيط', 'rtl');
    expect(ar.map((r) => r.text)).to.deep.equal(['البدء → التخطيط']);
    expect(ar[0].glyphText).to.equal('البدء \u2039 التخطيط');
    expect(visualRuns('Initiation → Planning', 'ltr')[0].glyphText).to.equal('Initiation \u203A Planning');
  });

  it('keeps a left-to-right line as one run and picks the direction of text with no strong character of the document', () => {
    expect(visualRuns('Project GOV-01 is 45% done', 'ltr')).to.have.length(1);
    expect(paragraphDirection('National portal redesign', 'rtl')).to.equal('ltr');
    expect(paragraphDirection('GOV-01 المشروع', 'rtl')).to.equal('rtl');
    expect(paragraphDirection('إعادة تصميم', 'ltr')).to.equal('rtl');
    expect(paragraphDirection('45%', 'rtl')).to.equal('rtl');
  });
});

describe('pdf engine: documents', function () {
  this.timeout(30_000);

  const arabic = [
    'إعادة تصميم البوابة الوطنية',
    'الهوية الرقمية (المفتاح الإلكتروني 2.0)',
    'تم تجهيز فريق المورد، والربط مع بوابة الدفع قيد التنفيذ.',
  ];

  it('gives back the real Arabic words on extraction (pdf.js and poppler), mixed with codes and numbers', async () => {
    const { bytes } = await build('ar', (w) => {
      w.heading('نظام إدارة محفظة المشاريع');
      for (const a of arabic) w.paragraph(a);
      w.paragraph('المشروع GOV-01 أنجز 45% حتى 12 مارس 2026');
    });
    const js = await pdfjsText(bytes);
    const text = squash(js.text);
    for (const a of [...arabic, 'نظام إدارة محفظة المشاريع']) expect(text, a).to.contain(squash(a));
    expect(text).to.contain('GOV-01');
    expect(text).to.contain('2026');
    const poppler = squash(popplerText(bytes));
    for (const a of [arabic[0], arabic[2], 'نظام إدارة محفظة المشاريع'])
      expect(poppler, a).to.contain(squash(a));
    // No presentation forms or reversed words leak into the extracted text.
    expect(text).to.not.match(/[\uFB50-\uFDFF\uFE70-\uFEFF]/);
    expect(text).to.not.contain(squash('ةينطولا'));
  });

  it('repeats the table header on every page, numbers pages "n of m" and writes the metadata', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => ({
      code: `TST-${String(i).padStart(3, '0')}`,
      name: `مشروع رقم ${i}`,
    }));
    const { bytes, pages } = await build('ar', async (w) => {
      await w.table(
        [
          { header: 'الرمز', width: 1, cell: (r: (typeof rows)[number]) => ({ text: r.code, ltr: true }) },
          { header: 'اسم المشروع', width: 4, cell: (r) => r.name },
        ],
        (async function* () {
          yield* rows;
        })(),
        { caption: 'المشاريع' },
      );
    });
    expect(pages).to.be.greaterThan(2);
    const js = await pdfjsText(bytes);
    expect(js.pages).to.equal(pages);
    js.items.forEach((items, i) => {
      const page = squash(items.join(' '));
      expect(page, `page ${i + 1}`).to.contain(squash('اسم المشروع'));
      expect(page, `page ${i + 1}`).to.contain(squash(`الصفحة ${i + 1} من ${pages}`));
    });
    // Every row once, none cut between pages.
    const all = squash(js.text);
    for (const r of rows) expect(all).to.contain(r.code);
    expect(squash(js.text).split('TST-119')).to.have.length(2);
    expect(js.info.Title).to.equal('تقرير تجريبي — TST-01');
    expect(js.info.Language).to.equal('ar');
    expect(String(js.info.Author)).to.contain('سارة الأنصاري');
    expect(squash(popplerText(bytes))).to.contain(squash(`الصفحة 2 من ${pages}`));
  });

  it('draws charts, pills and key values in English with the numbers as text', async () => {
    const { bytes } = await build('en', (w) => {
      w.keyValues([
        ['Health', { rag: 'amber', text: 'Amber' }],
        ['Progress', { progress: 45, text: '45%' }],
      ]);
      w.donutChart([
        { label: 'Green', value: 3 },
        { label: 'Red', value: 1 },
      ]);
      w.barChart([{ label: 'Execution', value: 7 }]);
      w.timeline(
        [
          {
            label: 'Go-live',
            markers: [{ date: '2026-06-01', shape: 'diamond', color: '#000', filled: true }],
          },
        ],
        {
          from: '2026-01-01',
          to: '2026-12-31',
          today: '2026-11-15',
        },
      );
    });
    const text = (await pdfjsText(bytes)).text;
    for (const s of [
      'Amber',
      '45%',
      'Green: 3 (75%)',
      'Red: 1 (25%)',
      'Execution',
      'Go-live',
      'Page 1 of 1',
    ]) {
      expect(squash(text), s).to.contain(squash(s));
    }
  });
});
