import { sharedFont } from './fonts.js';

/**
 * Glyph-level text drawing on top of pdfkit, so that Arabic is both drawn and extracted correctly.
 *
 * Why not `doc.text()`: pdfkit lays out each space-separated word on its own (right-to-left words
 * then come out in the wrong order), and the ToUnicode map it writes cannot describe this font's
 * Arabic: Noto Naskh draws letters as a shared skeleton plus separate dot glyphs (ن ب ت ي share one
 * skeleton glyph), so no glyph-to-character table can give the real words back.
 *
 * What we draw instead, for each direction run of a line (see bidi.ts):
 * - a left-to-right run (Latin, digits, codes) as ordinary text in the `text` font: one glyph per
 *   character, extractable as is;
 * - a right-to-left run twice: its shaped glyphs in the `shape` font, visible, marked as
 *   `/Span << /ActualText () >>` and mapped to U+200B in ToUnicode so that extractors skip them;
 *   and, over exactly the same box, the run's characters as invisible text (render mode 3) in the
 *   `hidden` font, one glyph per character, in visual order, horizontally scaled to the run's
 *   width. Text extractors (pdf.js, poppler, PDFium) reorder visual right-to-left text to logical
 *   order, so copying, searching and extracting give the real words.
 *
 * Each role needs its own font object (pdfkit shares one object per font name): they are created
 * from pdfkit's EmbeddedFont class and registered so that pdfkit embeds their subsets at the end.
 * This relies on pdfkit 0.20 internals (EmbeddedFont fields, page resources), pinned and tested.
 */

interface FontkitGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}
interface FontkitPosition {
  xAdvance: number;
  xOffset: number;
  yOffset: number;
}
interface FontkitFont {
  unitsPerEm: number;
  numGlyphs: number;
  layout(
    text: string,
    features?: unknown,
    script?: string,
    language?: string,
    direction?: 'ltr' | 'rtl',
  ): { glyphs: FontkitGlyph[]; positions: FontkitPosition[]; advanceWidth: number };
  glyphForCodePoint(cp: number): FontkitGlyph;
  getGlyph(id: number): FontkitGlyph;
}
interface EmbeddedFont {
  id: string;
  font: FontkitFont;
  scale: number;
  subset: { includeGlyph(id: number): number; mapping: Record<number, number> };
  unicode: number[][];
  widths: number[];
  ref(): unknown;
}
type EmbeddedFontClass = new (doc: unknown, font: FontkitFont, id: string) => EmbeddedFont;
interface DocInternals {
  _font: EmbeddedFont;
  _fontCount: number;
  _fontFamilies: Record<string, EmbeddedFont>;
  page: { height: number; fonts: Record<string, unknown>; xobjects: Record<string, unknown> };
  addContent(s: string): void;
}

/** A glyph ready to write: its id in the subset (CID) and its placement in 1/1000 em. */
interface PlacedGlyph {
  cid: number;
  advance: number;
  xAdvance: number;
  xOffset: number;
  yOffset: number;
}

interface Shaped {
  glyphs: FontkitGlyph[];
  positions: FontkitPosition[];
  /** Width in 1/1000 em. */
  width: number;
}

export type Weight = 'regular' | 'bold';

const ZWSP = 0x200b;
const n = (v: number) => (Math.abs(v) < 0.0005 ? '0' : String(Math.round(v * 1000) / 1000));
const hex4 = (v: number) => v.toString(16).padStart(4, '0');

/**
 * Shaped words, shared by every document: the fonts are shared (fonts.ts), and the same words
 * (labels, names, statuses) come back in every report. Bounded: cleared when it grows past 20,000.
 */
const shapedWords = new Map<string, Shaped>();

export class TextLayer {
  private readonly doc: DocInternals;
  private readonly shape: Record<Weight, EmbeddedFont>;
  private readonly text: Record<Weight, EmbeddedFont>;
  private readonly hidden: EmbeddedFont;
  private readonly hiddenCids = new Map<string, number>();
  private spareGlyph: number;

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc as unknown as DocInternals;
    const d = this.doc;
    doc.font(sharedFont('regular') as never, 'masar-regular');
    const regular = d._font;
    doc.font(sharedFont('bold') as never, 'masar-bold');
    const bold = d._font;
    const Cls = regular.constructor as unknown as EmbeddedFontClass;
    const make = (base: EmbeddedFont, role: string): EmbeddedFont => {
      const f = new Cls(doc, base.font, `F${++d._fontCount}`);
      d._fontFamilies[`masar-${role}`] = f;
      return f;
    };
    this.shape = { regular: make(regular, 'shape'), bold: make(bold, 'shape-bold') };
    this.text = { regular: make(regular, 'text'), bold: make(bold, 'text-bold') };
    this.hidden = make(regular, 'hidden');
    this.spareGlyph = regular.font.numGlyphs - 1;
  }

  /**
   * A run is shaped word by word (Arabic letters never join across a space), so the cache holds
   * words, which repeat across rows; the words of a right-to-left run are then laid right to left.
   */
  private layout(weight: Weight, glyphText: string, rtl: boolean): Shaped {
    if (!glyphText.includes(' ')) return this.layoutWord(weight, glyphText, rtl);
    const parts = glyphText.split(/( )/).filter((p) => p !== '');
    if (rtl) parts.reverse();
    const out: Shaped = { glyphs: [], positions: [], width: 0 };
    for (const p of parts) {
      const s = this.layoutWord(weight, p, rtl);
      for (const g of s.glyphs) out.glyphs.push(g);
      for (const pos of s.positions) out.positions.push(pos);
      out.width += s.width;
    }
    return out;
  }

  private layoutWord(weight: Weight, glyphText: string, rtl: boolean): Shaped {
    const key = `${weight}${rtl ? 'r' : 'l'}${glyphText}`;
    let s = shapedWords.get(key);
    if (!s) {
      const f = (rtl ? this.shape : this.text)[weight];
      const run = f.font.layout(glyphText, undefined, undefined, undefined, rtl ? 'rtl' : 'ltr');
      const k = f.scale;
      s = {
        glyphs: run.glyphs,
        positions: run.positions.map((p) => ({
          xAdvance: p.xAdvance * k,
          xOffset: p.xOffset * k,
          yOffset: p.yOffset * k,
        })),
        width: run.advanceWidth * k,
      };
      if (shapedWords.size > 20_000) shapedWords.clear();
      shapedWords.set(key, s);
    }
    return s;
  }

  /** Width in points of a run drawn at `size`. */
  runWidth(glyphText: string, rtl: boolean, size: number, weight: Weight): number {
    return (this.layout(weight, glyphText, rtl).width * size) / 1000;
  }

  /**
   * Draws one direction run with its left edge at x and its baseline at y (pdfkit's top-down
   * coordinates). `text` is the run in logical order (for extraction), `glyphText` what is shaped.
   */
  drawRun(
    run: { text: string; glyphText: string; rtl: boolean },
    x: number,
    y: number,
    size: number,
    weight: Weight,
  ): number {
    const shaped = this.layout(weight, run.glyphText, run.rtl);
    const width = (shaped.width * size) / 1000;
    if (run.rtl) {
      this.doc.addContent('/Span <</ActualText ()>> BDC');
      this.writeGlyphs(this.shape[weight], shaped, x, y, size, () => [ZWSP]);
      this.doc.addContent('EMC');
      this.writeHidden(run.text, x, y, size, width);
    } else {
      this.writeGlyphs(this.text[weight], shaped, x, y, size, (g) => g.codePoints);
    }
    return width;
  }

  private include(f: EmbeddedFont, g: FontkitGlyph, unicode: number[]): number {
    const cid = f.subset.includeGlyph(g.id);
    if (f.widths[cid] == null) f.widths[cid] = g.advanceWidth * f.scale;
    if (f.unicode[cid] == null) f.unicode[cid] = unicode.length ? unicode : [ZWSP];
    return cid;
  }

  private writeGlyphs(
    f: EmbeddedFont,
    shaped: Shaped,
    x: number,
    y: number,
    size: number,
    unicodeOf: (g: FontkitGlyph) => number[],
  ): void {
    const d = this.doc;
    d.page.fonts[f.id] = f.ref();
    const H = d.page.height;
    const k = size / 1000;
    const placed: PlacedGlyph[] = shaped.glyphs.map((g, i) => ({
      cid: this.include(f, g, unicodeOf(g)),
      advance: g.advanceWidth * f.scale,
      ...shaped.positions[i],
    }));
    let out = `q\n1 0 0 -1 0 ${n(H)} cm\nBT\n/${f.id} ${n(size)} Tf\n`;
    let cx = x;
    let pending: string[] = [];
    let startX = x;
    const flush = () => {
      if (pending.length) out += `1 0 0 1 ${n(startX)} ${n(H - y)} Tm\n[${pending.join(' ')}] TJ\n`;
      pending = [];
    };
    for (const g of placed) {
      if (g.xOffset || g.yOffset) {
        flush();
        out += `1 0 0 1 ${n(cx + g.xOffset * k)} ${n(H - y + g.yOffset * k)} Tm\n[<${hex4(g.cid)}>] TJ\n`;
        cx += g.xAdvance * k;
        continue;
      }
      if (!pending.length) startX = cx;
      const kern = g.advance - g.xAdvance;
      pending.push(`<${hex4(g.cid)}>` + (Math.abs(kern) > 0.01 ? ` ${n(kern)}` : ''));
      cx += g.xAdvance * k;
    }
    flush();
    out += 'ET\nQ';
    d.addContent(out);
  }

  /** Invisible, extractable characters over a right-to-left run's box, in visual order. */
  private writeHidden(logical: string, x: number, y: number, size: number, width: number): void {
    const f = this.hidden;
    const d = this.doc;
    d.page.fonts[f.id] = f.ref();
    const chars = Array.from(logical).reverse();
    let natural = 0;
    let codes = '';
    for (const ch of chars) {
      const cid = this.hiddenCid(ch);
      natural += (f.widths[cid] * size) / 1000;
      codes += hex4(cid);
    }
    if (!codes) return;
    const scale = natural > 0 ? (100 * width) / natural : 100;
    const H = d.page.height;
    d.addContent(
      `q\n1 0 0 -1 0 ${n(H)} cm\nBT\n3 Tr\n/${f.id} ${n(size)} Tf\n${n(scale)} Tz\n` +
        `1 0 0 1 ${n(x)} ${n(H - y)} Tm\n[<${codes}>] TJ\nET\nQ`,
    );
  }

  /**
   * One CID per character in the hidden font. The glyph drawn does not matter (it is invisible),
   * only its width and its ToUnicode entry: when the font maps two characters to one glyph
   * (Noto Naskh draws ز as ر plus a dot), an unused glyph stands in so every CID maps to one character.
   */
  private hiddenCid(ch: string): number {
    let cid = this.hiddenCids.get(ch);
    if (cid !== undefined) return cid;
    const f = this.hidden;
    const nominal = f.font.glyphForCodePoint(ch.codePointAt(0)!);
    let id = nominal.id;
    if (f.subset.mapping[id] !== undefined) {
      while (this.spareGlyph > 0 && f.subset.mapping[this.spareGlyph] !== undefined) this.spareGlyph--;
      id = this.spareGlyph--;
    }
    cid = f.subset.includeGlyph(id);
    // Combining marks keep their zero width, so extractors attach them to the letter before.
    f.widths[cid] = nominal.advanceWidth * f.scale;
    f.unicode[cid] = Array.from(ch).map((c) => c.codePointAt(0)!);
    this.hiddenCids.set(ch, cid);
    return cid;
  }

  /**
   * A Form XObject holding text that is only known at the end (the page count in "Page n of m"):
   * pages refer to it as they are written; its content is written last.
   */
  glyphsForLater(
    text: string,
    size: number,
    weight: Weight,
  ): { ops: string; width: number; font: EmbeddedFont } {
    const f = this.text[weight];
    const shaped = this.layout(weight, text, false);
    const k = size / 1000;
    let codes = '';
    for (const g of shaped.glyphs) codes += hex4(this.include(f, g, g.codePoints));
    return { ops: `/${f.id} ${n(size)} Tf\n[<${codes}>] TJ`, width: shaped.width * k, font: f };
  }

  textFont(weight: Weight): EmbeddedFont {
    return this.text[weight];
  }
}
