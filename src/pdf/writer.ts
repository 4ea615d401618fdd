import PDFDocument from 'pdfkit';
import type { T } from '../i18n/index.js';
import {
  currencyDecimals,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
} from '../i18n/format.js';
import { dirOf, type Locale } from '../i18n/locales.js';
import type { Direction } from './bidi.js';
import { draw, measure, physical, type Painter } from './cells.js';
import { barChart, donutChart, timelineChart, type TimelineOptions, type TimelineRow } from './charts.js';
import { table } from './table.js';
import { TextEngine, type HAlign, type TextStyle } from './text.js';
import { TextLayer } from './text-layer.js';
import { PAGE, THEME } from './theme.js';
import type {
  Align,
  Cell,
  ChartDatum,
  ChartOptions,
  PdfFormat,
  PdfWriter,
  TableColumn,
  TableOptions,
} from './types.js';

export interface ReportDocOptions {
  locale: Locale;
  t: T;
  /** The report's title: document metadata and running header. */
  title: string;
  /** Shown on the end side of the running header (scope: program or project code). */
  subtitle?: string;
  /** Who the report was generated for (footer). */
  readerName: string;
  generatedAt: Date;
  currency: string;
  subject?: string;
  keywords?: string[];
}

/** The consumer went away (client disconnected): stop building. */
export class ReportAborted extends Error {
  constructor() {
    super('report aborted');
  }
}

const HIGH_WATER = 1 << 20;

/** The currency's name in Arabic ("دينار بحريني"), its ISO code in English ("BHD"), as money is written. */
function currencyLabel(locale: Locale, currency: string): string {
  if (locale !== 'ar') return currency;
  try {
    const parts = new Intl.NumberFormat('ar-BH-u-nu-latn', {
      style: 'currency',
      currency,
      currencyDisplay: 'name',
    }).formatToParts(1);
    return parts.find((p) => p.type === 'currency')?.value.trim() || currency;
  } catch {
    return currency;
  }
}

/**
 * A direction-aware report document on pdfkit. Pages are written to the output stream as soon as
 * the next one starts (no page buffering): the running footer's "of m" is a Form XObject whose
 * content (the page count) is written when the document ends, so "Page n of m" costs no second pass.
 */
export class ReportPdf implements PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  readonly locale: Locale;
  readonly dir: Direction;
  readonly contentWidth = PAGE.width - 2 * PAGE.margin;
  readonly fmt: PdfFormat;
  readonly t: T;
  readonly text: TextEngine;
  readonly painter: Painter;
  /** Top of the next thing drawn on the current page. */
  y = PAGE.contentTop;
  pages = 0;
  private readonly layer: TextLayer;
  private readonly totalRef: PDFKit.PDFKitReference & {
    data: Record<string, unknown>;
    end(chunk?: string): void;
  };
  private readonly opts: ReportDocOptions;
  private aborted = false;
  private waiters: (() => void)[] = [];
  /** Called after a page break so a table can repeat its header. */
  onNewPage: (() => void) | null = null;

  constructor(opts: ReportDocOptions) {
    this.opts = opts;
    this.locale = opts.locale;
    this.t = opts.t;
    this.dir = dirOf(opts.locale);
    const doc = new PDFDocument({
      autoFirstPage: false,
      size: 'A4',
      margin: 0,
      // no default Helvetica: every run is drawn in the shared Noto fonts (text-layer.ts), and
      // parsing Helvetica's metrics again for each document cost more than the fonts we use
      font: null as unknown as string,
      lang: opts.locale === 'ar' ? 'ar' : 'en',
      displayTitle: true,
      pdfVersion: '1.7',
      info: {
        Title: opts.title + (opts.subtitle ? ` — ${opts.subtitle}` : ''),
        Author: opts.readerName ? `Masar — ${opts.readerName}` : 'Masar',
        Subject: opts.subject ?? opts.title,
        Keywords: (opts.keywords ?? []).join(', '),
        Creator: 'Masar',
        CreationDate: opts.generatedAt,
      },
    });
    this.doc = doc;
    // Backpressure: pdfkit pushes without waiting; we wait between batches of rows instead.
    (doc as unknown as { _read: () => void })._read = () => this.release();
    this.layer = new TextLayer(doc);
    this.text = new TextEngine(this.layer, this.dir, (hex) => doc.fillColor(hex));
    this.painter = {
      text: this.text,
      dir: this.dir,
      fill: (hex) => void doc.fillColor(hex),
      rect: (x, y, w, h, fill) => void doc.rect(x, y, w, h).fill(fill),
      roundedRect: (x, y, w, h, r, fill) => void doc.roundedRect(x, y, w, h, r).fill(fill),
      circle: (cx, cy, r, fill) => void doc.circle(cx, cy, r).fill(fill),
    };
    this.totalRef = (doc as unknown as { ref(d: Record<string, unknown>): ReportPdf['totalRef'] }).ref({
      Type: 'XObject',
      Subtype: 'Form',
      BBox: [0, -10, 80, 20],
    });
    const money = (v: number | null | undefined) => formatMoney(opts.locale, v, opts.currency);
    const decimals = currencyDecimals(opts.currency);
    this.fmt = {
      date: (v) => formatDate(opts.locale, v),
      dateTime: (v) => formatDateTime(opts.locale, v),
      number: (v, d) => formatNumber(opts.locale, v, d ?? 0),
      percent: (v) => formatPercent(opts.locale, v),
      money,
      amount: (v) =>
        v === null || v === undefined ? '' : formatNumber(opts.locale, v / 10 ** decimals, decimals),
      currency: currencyLabel(opts.locale, opts.currency),
    };
    this.newPage();
  }

  // ---- geometry helpers -------------------------------------------------------------------

  get left(): number {
    return PAGE.margin;
  }
  get bottom(): number {
    return PAGE.contentBottom;
  }
  /** The page x of a box that starts `offset` points from the start edge of the content area. */
  xOf(offset: number, width: number, areaX = PAGE.margin, areaW = this.contentWidth): number {
    return this.dir === 'rtl' ? areaX + areaW - offset - width : areaX + offset;
  }
  align(a: Align | undefined): HAlign {
    return physical(a, this.dir);
  }

  // ---- pages ------------------------------------------------------------------------------

  newPage(): void {
    this.doc.addPage({ size: 'A4', margin: 0 });
    this.pages++;
    this.drawChrome();
    this.y = PAGE.contentTop;
    this.onNewPage?.();
  }

  pageBreak(): void {
    this.newPage();
  }

  ensureSpace(height: number): void {
    if (this.y + height > this.bottom && this.y > PAGE.contentTop + 0.5) this.newPage();
  }

  space(points: number): void {
    this.y += points;
    if (this.y > this.bottom) this.newPage();
  }

  private drawChrome(): void {
    const { doc, t } = this;
    const W = PAGE.width;
    const m = PAGE.margin;
    doc.rect(0, 0, W, 5).fill(THEME.brand);
    const app = t('common:app.name');
    const head = `${app} | ${this.opts.title}`;
    const cw = this.contentWidth;
    this.text.drawLine(head, this.xOf(0, cw * 0.62), 18, cw * 0.62, this.align('start'), {
      size: 9,
      weight: 'bold',
      color: THEME.brand,
    });
    if (this.opts.subtitle) {
      this.text.drawLine(
        this.opts.subtitle,
        this.xOf(cw * 0.64, cw * 0.36),
        18,
        cw * 0.36,
        this.align('end'),
        {
          size: 9,
          color: THEME.muted,
        },
      );
    }
    doc
      .moveTo(m, 44)
      .lineTo(W - m, 44)
      .lineWidth(0.6)
      .strokeColor(THEME.rule)
      .stroke();
    // Footer: who and when on the start side, "Page n of m" on the end side.
    const fy = PAGE.height - 42;
    doc
      .moveTo(m, fy - 4)
      .lineTo(W - m, fy - 4)
      .lineWidth(0.6)
      .strokeColor(THEME.rule)
      .stroke();
    const who = t('reports:pdf.preparedFor', {
      name: this.opts.readerName,
      at: formatDateTime(this.locale, this.opts.generatedAt.toISOString()),
    });
    const small: TextStyle = { size: 7.5, color: THEME.muted };
    this.text.drawLine(who, this.xOf(0, cw * 0.72), fy, cw * 0.72, this.align('start'), small);
    const label = t('reports:pdf.pageOf', { page: this.pages });
    const box = 22;
    const lw = this.text.width(label + ' ', small);
    if (this.dir === 'rtl') {
      this.text.drawLine(label, m + box + 3, fy, lw, 'right', small);
      this.placeTotal(m, fy, 'right');
    } else {
      this.text.drawLine(label, W - m - box - 3 - lw, fy, lw, 'right', small);
      this.placeTotal(W - m - box, fy, 'left');
    }
  }

  private totalAlign: 'left' | 'right' = 'left';
  private placeTotal(x: number, top: number, align: 'left' | 'right'): void {
    this.totalAlign = align;
    const page = this.doc.page as unknown as { xobjects: Record<string, unknown> };
    page.xobjects.XPgTotal = this.totalRef;
    const H = PAGE.height;
    const baseline = top + 7.5 * 1.08;
    this.doc.addContent(
      `q\n1 0 0 -1 0 ${H} cm\n1 0 0 1 ${x.toFixed(3)} ${(H - baseline).toFixed(3)} cm\n/XPgTotal Do\nQ`,
    );
  }

  // ---- text primitives --------------------------------------------------------------------

  heading(text: string, level: 1 | 2 | 3 = 1): void {
    const size = level === 1 ? THEME.size.h1 : level === 2 ? THEME.size.h2 : THEME.size.h3;
    const lines = this.text.wrap(text, this.contentWidth, { size, weight: 'bold' });
    const h = lines.length * this.text.lineHeight(size);
    this.ensureSpace(h + 60);
    if (level === 1 && this.y > PAGE.contentTop + 1) this.y += 6;
    if (level === 1) this.doc.outline.addItem(text);
    this.text.drawLines(lines, this.left, this.y, this.contentWidth, this.align('start'), {
      size,
      weight: 'bold',
      color: level === 3 ? THEME.text : THEME.brand,
    });
    this.y += h;
    if (level === 1) {
      this.doc
        .moveTo(this.left, this.y + 1)
        .lineTo(this.left + this.contentWidth, this.y + 1)
        .lineWidth(1.2)
        .strokeColor(THEME.brand)
        .stroke();
      this.y += 8;
    } else this.y += 3;
  }

  paragraph(text: string, opts: { size?: number; color?: string; bold?: boolean; align?: Align } = {}): void {
    const style: TextStyle = {
      size: opts.size ?? THEME.size.body,
      weight: opts.bold ? 'bold' : 'regular',
      color: opts.color ?? THEME.text,
    };
    const lh = this.text.lineHeight(style.size);
    for (const line of this.text.wrap(text, this.contentWidth, style)) {
      this.ensureSpace(lh);
      if (line !== '')
        this.text.drawLine(line, this.left, this.y, this.contentWidth, this.align(opts.align), style);
      this.y += lh;
    }
    this.y += 4;
  }

  keyValues(pairs: [label: string, value: Cell][], opts: { columns?: 1 | 2 | 3 } = {}): void {
    const cols = opts.columns ?? 2;
    const gap = 14;
    const colW = (this.contentWidth - gap * (cols - 1)) / cols;
    const labelSize = THEME.size.small;
    const valueSize = THEME.size.body;
    for (let i = 0; i < pairs.length; i += cols) {
      const row = pairs.slice(i, i + cols).map(([label, value]) => ({
        label: this.text.wrap(label, colW, { size: labelSize }),
        value: measure(this.painter, value, colW, valueSize),
      }));
      const h = Math.max(
        ...row.map((c) => c.label.length * this.text.lineHeight(labelSize) + c.value.height),
      );
      this.ensureSpace(h + 4);
      row.forEach((c, j) => {
        const x = this.xOf(j * (colW + gap), colW);
        const a = this.align('start');
        const lh = this.text.drawLines(c.label, x, this.y, colW, a, { size: labelSize, color: THEME.muted });
        draw(this.painter, c.value, x, this.y + lh, colW, a, valueSize);
      });
      this.y += h + 5;
    }
    this.y += 2;
  }

  /** A coloured note box (e.g. "nothing to report", escalations). */
  note(text: string, tone: 'info' | 'warn' = 'info'): void {
    const size = THEME.size.body;
    const pad = 6;
    const lines = this.text.wrap(text, this.contentWidth - 2 * pad - 4, { size });
    const h = lines.length * this.text.lineHeight(size) + 2 * pad;
    this.ensureSpace(h + 4);
    const fill = tone === 'warn' ? THEME.rag.amber.light : THEME.zebra;
    const bar = tone === 'warn' ? THEME.rag.amber.strong : THEME.brand;
    this.doc.rect(this.left, this.y, this.contentWidth, h).fill(fill);
    this.doc.rect(this.dir === 'rtl' ? this.left + this.contentWidth - 3 : this.left, this.y, 3, h).fill(bar);
    this.text.drawLines(
      lines,
      this.left + pad + 2,
      this.y + pad,
      this.contentWidth - 2 * pad - 4,
      this.align('start'),
      { size, color: THEME.text },
    );
    this.y += h + 6;
  }

  // ---- tables and charts ------------------------------------------------------------------

  table<Row>(
    columns: TableColumn<Row>[],
    rows: Iterable<Row> | AsyncIterable<Row>,
    opts: TableOptions = {},
  ): Promise<number> {
    return table(this, columns, rows, opts);
  }

  barChart(data: ChartDatum[], opts: ChartOptions = {}): void {
    barChart(this, data, opts);
  }

  donutChart(data: ChartDatum[], opts: ChartOptions = {}): void {
    donutChart(this, data, opts);
  }

  timeline(rows: TimelineRow[], opts: TimelineOptions): void {
    timelineChart(this, rows, opts);
  }

  // ---- output -----------------------------------------------------------------------------

  /** Waits while the reader has not taken what was written (bounded memory); throws when it left. */
  async drain(): Promise<void> {
    if (this.aborted) throw new ReportAborted();
    const readable = this.doc as unknown as { readableLength: number; readableFlowing: boolean | null };
    while (readable.readableLength > HIGH_WATER && !this.aborted) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.aborted) throw new ReportAborted();
  }

  private release(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }

  /** The consumer is gone: the next drain() throws and nothing more is built. */
  abort(): void {
    this.aborted = true;
    this.release();
  }

  /** Writes the page count into the footer placeholder and ends the document. */
  finish(): number {
    const small = 7.5;
    const { ops, width, font } = this.layer.glyphsForLater(String(this.pages), small, 'regular');
    const dx = this.totalAlign === 'right' ? 22 - width : 0;
    this.totalRef.data.Resources = { Font: { [font.id]: font.ref() } };
    const [r, g, b] = [0x5f, 0x6b, 0x76].map((v) => (v / 255).toFixed(3));
    this.totalRef.end(`BT\n${r} ${g} ${b} rg\n1 0 0 1 ${dx.toFixed(3)} 0 Tm\n${ops}\nET`);
    this.doc.end();
    return this.pages;
  }
}
