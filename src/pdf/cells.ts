import type { Direction } from './bidi.js';
import type { HAlign, TextEngine, TextStyle } from './text.js';
import { THEME } from './theme.js';
import type { Align, Cell, RagColour } from './types.js';

/**
 * Measuring and drawing one value (table cell, key–value value): plain or styled text that wraps,
 * a RAG pill (dot + word, so colour is never the only signal), or a small progress bar with its label.
 */
export interface Painter {
  text: TextEngine;
  dir: Direction;
  fill(hex: string): void;
  rect(x: number, y: number, w: number, h: number, fill: string): void;
  roundedRect(x: number, y: number, w: number, h: number, r: number, fill: string): void;
  circle(cx: number, cy: number, r: number, fill: string): void;
}

type Normal =
  | { kind: 'text'; text: string; bold: boolean; color?: string; dir?: Direction }
  | { kind: 'rag'; rag: RagColour; text: string }
  | { kind: 'progress'; progress: number; text: string };

export function normalise(cell: Cell): Normal {
  if (cell === null || cell === undefined) return { kind: 'text', text: '', bold: false };
  if (typeof cell === 'string') return { kind: 'text', text: cell, bold: false };
  if ('rag' in cell) return { kind: 'rag', rag: cell.rag, text: cell.text };
  if ('progress' in cell) return { kind: 'progress', progress: cell.progress, text: cell.text };
  return {
    kind: 'text',
    text: cell.text,
    bold: !!cell.bold,
    color: cell.color,
    dir: cell.ltr ? 'ltr' : undefined,
  };
}

/** start/end/center in the document's direction → left/right/center on the page. */
export function physical(align: Align | undefined, dir: Direction): HAlign {
  if (align === 'center') return 'center';
  const start = dir === 'rtl' ? 'right' : 'left';
  const end = dir === 'rtl' ? 'left' : 'right';
  return align === 'end' ? end : start;
}

export interface Measured {
  cell: Normal;
  lines: string[];
  height: number;
}

export function measure(p: Painter, cell: Cell, width: number, size: number, maxLines = Infinity): Measured {
  const c = normalise(cell);
  const lh = p.text.lineHeight(size);
  if (c.kind !== 'text') return { cell: c, lines: [c.text], height: lh };
  const style: TextStyle = { size, weight: c.bold ? 'bold' : 'regular' };
  const lines = c.text === '' ? [] : p.text.wrap(c.text, width, style, maxLines);
  return { cell: c, lines, height: Math.max(1, lines.length) * lh };
}

export function draw(
  p: Painter,
  m: Measured,
  x: number,
  top: number,
  width: number,
  align: HAlign,
  size: number,
): void {
  const c = m.cell;
  const lh = p.text.lineHeight(size);
  if (c.kind === 'text') {
    p.text.drawLines(
      m.lines,
      x,
      top,
      width,
      align,
      {
        size,
        weight: c.bold ? 'bold' : 'regular',
        color: c.color ?? THEME.text,
      },
      c.dir,
    );
    return;
  }
  if (c.kind === 'rag') {
    const col = THEME.rag[c.rag];
    const style = { size: size - 0.5 };
    const dot = size * 0.42;
    const padX = size * 0.55;
    const chrome = dot * 2 + padX * 2.4;
    // A pill never outgrows its cell: the word is cut with an ellipsis when it must be.
    const label = p.text.wrap(c.text, Math.max(8, width - chrome), style, 1)[0] ?? '';
    const tw = p.text.width(label, style);
    const pillW = Math.min(width, tw + chrome);
    const pillH = lh * 0.86;
    const px = align === 'left' ? x : align === 'right' ? x + width - pillW : x + (width - pillW) / 2;
    const py = top + (lh - pillH) / 2;
    p.roundedRect(px, py, pillW, pillH, pillH / 2, col.light);
    const dotX = p.dir === 'rtl' ? px + pillW - padX - dot : px + padX + dot;
    p.circle(dotX, py + pillH / 2, dot, col.strong);
    const textX = p.dir === 'rtl' ? px + padX * 0.6 : px + padX + dot * 2 + padX * 0.4;
    p.text.drawLine(label, textX, top + size * 0.03, tw + 1, 'center', { ...style, color: col.text });
    return;
  }
  // progress: a track with the done part filled from the start side, and the label beside it.
  const label = c.text;
  const lw = p.text.width(label, { size });
  const gap = 4;
  const barW = Math.max(12, width - lw - gap);
  const barH = size * 0.55;
  const by = top + (lh - barH) / 2;
  const pct = Math.max(0, Math.min(100, c.progress)) / 100;
  const rtl = p.dir === 'rtl';
  const barX = rtl ? x + width - barW : x;
  p.roundedRect(barX, by, barW, barH, barH / 2, '#e4e8eb');
  if (pct > 0) {
    const fw = Math.max(barH, barW * pct);
    p.roundedRect(rtl ? barX + barW - fw : barX, by, fw, barH, barH / 2, THEME.brand);
  }
  const labelX = rtl ? x : x + barW + gap;
  p.text.drawLine(label, labelX, top, lw + 1, rtl ? 'left' : 'left', { size, color: THEME.text }, 'ltr');
}
