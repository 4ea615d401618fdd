import { paragraphDirection, visualRuns, type Direction } from './bidi.js';
import { METRICS } from './fonts.js';
import type { TextLayer, Weight } from './text-layer.js';

/**
 * Paragraph layout: text is wrapped in logical order (words measured as they will be drawn), then
 * each line is cut into direction runs and drawn run by run in visual order.
 */
export interface TextStyle {
  size: number;
  weight?: Weight;
  /** Hex colour. */
  color?: string;
}

export type HAlign = 'left' | 'right' | 'center';

export class TextEngine {
  constructor(
    private readonly layer: TextLayer,
    private readonly docDir: Direction,
    private readonly setColor: (hex: string) => void,
  ) {}

  lineHeight(size: number): number {
    return size * METRICS.lineHeight;
  }

  /** Width of one line of text (no wrapping). */
  width(text: string, style: TextStyle, dir?: Direction): number {
    const base = dir ?? paragraphDirection(text, this.docDir);
    let w = 0;
    for (const r of visualRuns(text, base))
      w += this.layer.runWidth(r.glyphText, r.rtl, style.size, style.weight ?? 'regular');
    return w;
  }

  /**
   * Breaks text into lines no wider than `width`: at spaces, at explicit newlines, and inside a
   * word only when the word alone is too wide. `maxLines` cuts the rest off with an ellipsis.
   */
  wrap(text: string, width: number, style: TextStyle, maxLines = Infinity): string[] {
    const out: string[] = [];
    const space = this.width(' ', style, 'ltr');
    for (const para of text.replace(/\r\n?/g, '\n').split('\n')) {
      const words = para.split(/[ \t]+/).filter((w) => w !== '');
      if (words.length === 0) {
        out.push('');
        continue;
      }
      let line = '';
      let lineW = 0;
      for (const word of words) {
        const ww = this.width(word, style);
        if (line === '') {
          if (ww <= width) {
            line = word;
            lineW = ww;
          } else {
            const pieces = this.breakWord(word, width, style);
            out.push(...pieces.slice(0, -1));
            line = pieces[pieces.length - 1];
            lineW = this.width(line, style);
          }
        } else if (lineW + space + ww <= width) {
          line += ' ' + word;
          lineW += space + ww;
        } else {
          out.push(line);
          if (ww <= width) {
            line = word;
            lineW = ww;
          } else {
            const pieces = this.breakWord(word, width, style);
            out.push(...pieces.slice(0, -1));
            line = pieces[pieces.length - 1];
            lineW = this.width(line, style);
          }
        }
      }
      out.push(line);
    }
    if (out.length > maxLines) {
      const kept = out.slice(0, maxLines);
      let last = kept[maxLines - 1];
      while (last.length > 1 && this.width(last + '…', style) > width) last = last.slice(0, -1);
      kept[maxLines - 1] = last + '…';
      return kept;
    }
    return out;
  }

  private breakWord(word: string, width: number, style: TextStyle): string[] {
    const pieces: string[] = [];
    let cur = '';
    for (const ch of Array.from(word)) {
      if (cur !== '' && this.width(cur + ch, style) > width) {
        pieces.push(cur);
        cur = ch;
      } else cur += ch;
    }
    pieces.push(cur);
    return pieces;
  }

  /**
   * Draws one line inside [x, x + width] with its top at `top`, aligned left, right or centre.
   * Returns the drawn width.
   */
  drawLine(
    line: string,
    x: number,
    top: number,
    width: number,
    align: HAlign,
    style: TextStyle,
    dir?: Direction,
  ): number {
    const base = dir ?? paragraphDirection(line, this.docDir);
    const runs = visualRuns(line, base);
    const weight = style.weight ?? 'regular';
    const widths = runs.map((r) => this.layer.runWidth(r.glyphText, r.rtl, style.size, weight));
    const total = widths.reduce((a, b) => a + b, 0);
    let cx = align === 'left' ? x : align === 'right' ? x + width - total : x + (width - total) / 2;
    const baseline = top + style.size * METRICS.baseline;
    if (style.color) this.setColor(style.color);
    // Runs are written in logical order (the order extractors list them in), each at its visual place.
    const placed = runs.map((r, i) => {
      const at = cx;
      cx += widths[i];
      return { r, at };
    });
    placed.sort((a, b) => a.r.start - b.r.start);
    for (const { r, at } of placed) this.layer.drawRun(r, at, baseline, style.size, weight);
    return total;
  }

  /** Draws wrapped lines from `top`; returns the height used. */
  drawLines(
    lines: string[],
    x: number,
    top: number,
    width: number,
    align: HAlign,
    style: TextStyle,
    dir?: Direction,
  ): number {
    const lh = this.lineHeight(style.size);
    lines.forEach((l, i) => {
      if (l !== '') this.drawLine(l, x, top + i * lh, width, align, style, dir);
    });
    return lines.length * lh;
  }
}
