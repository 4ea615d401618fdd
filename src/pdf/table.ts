import { draw, measure, type Measured } from './cells.js';
import { PAGE, THEME } from './theme.js';
import type { TableColumn, TableOptions } from './types.js';
import type { ReportPdf } from './writer.js';

const PAD_X = 4;
const PAD_Y = 2.5;
/** Rows drawn between two checks that the reader keeps up (see ReportPdf.drain). */
const DRAIN_EVERY = 40;

/**
 * A table: columns share the content width by their relative widths and are mirrored in a
 * right-to-left document (the first column is the rightmost). The caption and the header row are
 * repeated on every page the table crosses; a row is never split across pages (a cell too long
 * for a whole page is cut with an ellipsis); rows come from any (async) iterable, pulled as drawn.
 */
export async function table<Row>(
  w: ReportPdf,
  columns: TableColumn<Row>[],
  rows: Iterable<Row> | AsyncIterable<Row>,
  opts: TableOptions,
): Promise<number> {
  const size = opts.fontSize ?? THEME.size.table;
  const lh = w.text.lineHeight(size);
  const totalWeight = columns.reduce((s, c) => s + c.width, 0) || 1;
  const widths = columns.map((c) => (w.contentWidth * c.width) / totalWeight);
  const xs: number[] = [];
  let offset = 0;
  for (const cw of widths) {
    xs.push(w.xOf(offset, cw));
    offset += cw;
  }
  const inner = widths.map((cw) => Math.max(4, cw - 2 * PAD_X));
  const header = columns.map((c, i) => measure(w.painter, { text: c.header, bold: true }, inner[i], size));
  const headerH = Math.max(...header.map((m) => m.height)) + 2 * PAD_Y;
  const captionSize = THEME.size.h3;
  const captionH = opts.caption ? w.text.lineHeight(captionSize) + 2 : 0;
  const firstCaptionH = opts.captionOnlyWhenContinued ? 0 : captionH;
  const maxLines = Math.max(
    1,
    Math.floor((PAGE.contentBottom - PAGE.contentTop - captionH - headerH - 2 * PAD_Y) / lh),
  );

  const drawCaption = (continued: boolean) => {
    if (!opts.caption || (!continued && opts.captionOnlyWhenContinued)) return;
    const text = continued ? w.t('reports:pdf.continued', { caption: opts.caption }) : opts.caption;
    w.text.drawLine(text, w.left, w.y, w.contentWidth, w.align('start'), {
      size: captionSize,
      weight: 'bold',
      color: THEME.text,
    });
    w.y += captionH;
  };
  const drawHeader = () => {
    w.painter.rect(w.left, w.y, w.contentWidth, headerH, THEME.headerFill);
    header.forEach((m, i) => {
      draw(w.painter, m, xs[i] + PAD_X, w.y + PAD_Y, inner[i], w.align(columns[i].align), size);
    });
    w.y += headerH;
  };
  const rule = () => {
    w.doc
      .moveTo(w.left, w.y)
      .lineTo(w.left + w.contentWidth, w.y)
      .lineWidth(0.4)
      .strokeColor(THEME.rule)
      .stroke();
  };

  let started = false;
  const begin = (firstRowH: number) => {
    w.ensureSpace(firstCaptionH + headerH + firstRowH);
    drawCaption(false);
    drawHeader();
    started = true;
    w.onNewPage = () => {
      drawCaption(true);
      drawHeader();
    };
  };

  let count = 0;
  try {
    for await (const row of rows) {
      const cells: Measured[] = columns.map((c, i) =>
        measure(w.painter, c.cell(row), inner[i], size, maxLines),
      );
      const rowH = Math.max(...cells.map((m) => m.height)) + 2 * PAD_Y;
      if (!started) begin(rowH);
      else if (w.y + rowH > w.bottom) w.newPage();
      if (opts.zebra !== false && count % 2 === 1)
        w.painter.rect(w.left, w.y, w.contentWidth, rowH, THEME.zebra);
      cells.forEach((m, i) => {
        draw(w.painter, m, xs[i] + PAD_X, w.y + PAD_Y, inner[i], w.align(columns[i].align), size);
      });
      w.y += rowH;
      rule();
      count++;
      if (count % DRAIN_EVERY === 0) await w.drain();
    }
    if (!started) {
      begin(lh + 2 * PAD_Y);
      if (opts.empty) {
        w.text.drawLine(
          opts.empty,
          w.left + PAD_X,
          w.y + PAD_Y,
          w.contentWidth - 2 * PAD_X,
          w.align('start'),
          {
            size,
            color: THEME.muted,
          },
        );
        w.y += lh + 2 * PAD_Y;
        rule();
      }
    }
  } finally {
    w.onNewPage = null;
  }
  w.y += 10;
  return count;
}
