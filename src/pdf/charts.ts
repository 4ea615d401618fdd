import { daysBetween } from '../modules/portfolio/portfolio.rules.js';
import { THEME } from './theme.js';
import type { ChartDatum, ChartOptions } from './types.js';
import type { ReportPdf } from './writer.js';

/**
 * Charts drawn as vectors. Bars grow from the start side of the document; a timeline's time runs
 * in reading direction (right to left in Arabic). Every chart writes its numbers as text too.
 */

const colourOf = (d: ChartDatum, i: number) => d.color ?? THEME.palette[i % THEME.palette.length];

function title(w: ReportPdf, text: string | undefined, x: number, width: number): void {
  if (!text) return;
  w.text.drawLine(text, x, w.y, width, w.align('start'), { size: 9.5, weight: 'bold', color: THEME.text });
  w.y += 16;
}

export function barChart(w: ReportPdf, data: ChartDatum[], opts: ChartOptions): void {
  const rowH = 15;
  const areaW = w.contentWidth * (opts.widthFraction ?? 1);
  const h = (opts.title ? 16 : 0) + data.length * rowH + 6;
  w.ensureSpace(h);
  const areaX = w.xOf(0, areaW);
  title(w, opts.title, areaX, areaW);
  const labelW = areaW * 0.34;
  const valueW = Math.min(110, areaW * 0.3);
  const barMax = Math.max(10, areaW - labelW - valueW - 10);
  const max = Math.max(1, ...data.map((d) => Math.abs(d.value)));
  const rtl = w.dir === 'rtl';
  data.forEach((d, i) => {
    const top = w.y + i * rowH;
    const labelX = rtl ? areaX + areaW - labelW : areaX;
    w.text.drawLine(d.label, labelX, top + 1, labelW - 4, w.align('start'), { size: 8, color: THEME.text });
    const len = d.value > 0 ? Math.max(1.5, (barMax * Math.abs(d.value)) / max) : 0;
    const barX = rtl ? areaX + areaW - labelW - 4 - len : areaX + labelW + 4;
    if (len > 0) w.painter.rect(barX, top + 3, len, rowH - 6, colourOf(d, i));
    const label = d.valueLabel ?? w.fmt.number(d.value);
    const vx = rtl ? barX - 4 - valueW : barX + len + 4;
    w.text.drawLine(label, vx, top + 1, valueW, rtl ? 'right' : 'left', { size: 8, color: THEME.muted });
  });
  w.y += data.length * rowH + 6;
}

/** An SVG path for a ring segment from angle a0 to a1 (radians, 0 = top, clockwise). */
function ringPath(cx: number, cy: number, r: number, inner: number, a0: number, a1: number): string {
  const pt = (rad: number, a: number) =>
    [cx + rad * Math.sin(a), cy - rad * Math.cos(a)].map((v) => v.toFixed(2)).join(' ');
  const large = a1 - a0 > Math.PI ? 1 : 0;
  return (
    `M ${pt(r, a0)} A ${r} ${r} 0 ${large} 1 ${pt(r, a1)} ` +
    `L ${pt(inner, a1)} A ${inner} ${inner} 0 ${large} 0 ${pt(inner, a0)} Z`
  );
}

export function donutChart(w: ReportPdf, data: ChartDatum[], opts: ChartOptions): void {
  const size = opts.height ?? 96;
  const areaW = w.contentWidth * (opts.widthFraction ?? 1);
  w.ensureSpace(size + (opts.title ? 16 : 0) + 6);
  const areaX = w.xOf(0, areaW);
  title(w, opts.title, areaX, areaW);
  const r = size / 2 - 2;
  const inner = r * 0.58;
  const rtl = w.dir === 'rtl';
  const cx = rtl ? areaX + areaW - r - 2 : areaX + r + 2;
  const cy = w.y + size / 2;
  const total = data.reduce((s, d) => s + Math.max(0, d.value), 0);
  if (total === 0) {
    w.doc.path(ringPath(cx, cy, r, inner, 0, Math.PI * 2 - 0.0001)).fill('#e4e8eb');
  } else {
    let a = 0;
    data.forEach((d, i) => {
      if (d.value <= 0) return;
      const sweep = (d.value / total) * Math.PI * 2;
      const end = a + sweep >= Math.PI * 2 ? Math.PI * 2 - 0.0001 : a + sweep;
      w.doc.path(ringPath(cx, cy, r, inner, a, end)).fill(colourOf(d, i));
      a += sweep;
    });
  }
  const totalLabel = w.fmt.number(total);
  w.text.drawLine(totalLabel, cx - inner, cy - 8, inner * 2, 'center', {
    size: 11,
    weight: 'bold',
    color: THEME.text,
  });
  // Legend beside the ring: swatch, label, value and share.
  const legendW = areaW - size - 16;
  const lx = rtl ? areaX : areaX + size + 16;
  const rowH = 14;
  const ly = cy - (data.length * rowH) / 2;
  data.forEach((d, i) => {
    const top = ly + i * rowH;
    const sw = rtl ? lx + legendW - 9 : lx;
    w.painter.rect(sw, top + 3.5, 8, 8, colourOf(d, i));
    const share = total > 0 ? w.fmt.percent((100 * Math.max(0, d.value)) / total) : w.fmt.percent(0);
    const text = `${d.label}: ${d.valueLabel ?? w.fmt.number(d.value)} (${share})`;
    w.text.drawLine(text, rtl ? lx : lx + 13, top, legendW - 13, w.align('start'), {
      size: 8,
      color: THEME.text,
    });
  });
  w.y += Math.max(size, data.length * rowH) + 8;
}

// ---- timeline (Gantt) ---------------------------------------------------------------------------

export interface TimelineMarker {
  date: string;
  shape: 'diamond' | 'circle';
  color: string;
  filled: boolean;
}

export interface TimelineRow {
  label: string;
  bar?: { start: string; end: string; color: string; light?: boolean };
  markers?: TimelineMarker[];
  /** A slip: a line from the planned date to the forecast/actual date. */
  slip?: { from: string; to: string; color: string };
}

export interface TimelineOptions {
  from: string;
  to: string;
  today?: string;
  title?: string;
  legend?: { label: string; color: string; shape: 'diamond' | 'circle' | 'bar' }[];
}

const tags = { en: 'en-GB', ar: 'ar-BH-u-nu-latn' } as const;

function monthTicks(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const months = (Number(to.slice(0, 4)) - y) * 12 + Number(to.slice(5, 7)) - m + 1;
  const step = months > 36 ? 6 : months > 18 ? 3 : months > 9 ? 2 : 1;
  for (;;) {
    const d = `${y}-${String(m).padStart(2, '0')}-01`;
    if (d > to) break;
    if (d >= from) out.push(d);
    m += step;
    while (m > 12) {
      m -= 12;
      y++;
    }
  }
  return out;
}

function marker(w: ReportPdf, x: number, cy: number, mk: TimelineMarker): void {
  const s = 4;
  const doc = w.doc;
  if (mk.shape === 'diamond') {
    doc.polygon([x, cy - s], [x + s, cy], [x, cy + s], [x - s, cy]);
  } else doc.circle(x, cy, s * 0.85);
  if (mk.filled) doc.fill(mk.color);
  else doc.lineWidth(1).fillAndStroke('#ffffff', mk.color);
}

export function timelineChart(w: ReportPdf, rows: TimelineRow[], opts: TimelineOptions): void {
  const from = opts.from;
  const to = opts.to > from ? opts.to : from;
  const span = Math.max(1, daysBetween(from, to));
  const rtl = w.dir === 'rtl';
  const labelW = w.contentWidth * 0.3;
  const chartW = w.contentWidth - labelW - 8;
  const chartX = rtl ? w.left : w.left + labelW + 8;
  const labelX = rtl ? w.left + w.contentWidth - labelW : w.left;
  const xOf = (d: string) => {
    const f = Math.max(0, Math.min(1, daysBetween(from, d) / span));
    return rtl ? chartX + chartW - f * chartW : chartX + f * chartW;
  };
  const rowH = 15;
  const axisH = 16;
  const fmtMonth = new Intl.DateTimeFormat(tags[w.locale], {
    month: 'short',
    year: '2-digit',
    timeZone: 'UTC',
  });
  const ticks = monthTicks(from, to);

  const drawAxis = () => {
    w.painter.rect(chartX, w.y, chartW, axisH - 2, THEME.headerFill);
    for (const d of ticks) {
      const x = xOf(d);
      const label = fmtMonth.format(new Date(d + 'T00:00:00Z'));
      const lw = w.text.width(label, { size: 6.5 }) + 1;
      // A month whose label would leave the chart is left unlabelled.
      if (rtl ? x - lw < chartX : x + lw > chartX + chartW) continue;
      w.text.drawLine(label, rtl ? x - lw : x + 1, w.y + 1, lw, rtl ? 'right' : 'left', {
        size: 6.5,
        color: THEME.muted,
      });
    }
    w.y += axisH;
  };
  const gridTop = { y: 0 };
  const drawGrid = (bottom: number) => {
    for (const d of ticks) {
      const x = xOf(d);
      w.doc.moveTo(x, gridTop.y).lineTo(x, bottom).lineWidth(0.3).strokeColor('#dfe5e9').stroke();
    }
    if (opts.today && opts.today >= from && opts.today <= to) {
      const x = xOf(opts.today);
      w.doc
        .moveTo(x, gridTop.y - axisH + 2)
        .lineTo(x, bottom)
        .lineWidth(0.9)
        .dash(2, { space: 2 })
        .strokeColor(THEME.late)
        .stroke()
        .undash();
    }
  };

  w.ensureSpace((opts.title ? 16 : 0) + axisH + Math.min(rows.length, 4) * rowH + 24);
  title(w, opts.title, w.left, w.contentWidth);
  drawAxis();
  gridTop.y = w.y;
  rows.forEach((row, i) => {
    if (w.y + rowH > w.bottom) {
      drawGrid(w.y);
      w.newPage();
      drawAxis();
      gridTop.y = w.y;
    }
    const top = w.y;
    if (i % 2 === 1) w.painter.rect(w.left, top, w.contentWidth, rowH, THEME.zebra);
    const label = w.text.wrap(row.label, labelW - 4, { size: 7.5 }, 1)[0] ?? '';
    w.text.drawLine(label, labelX, top + 1.5, labelW - 4, w.align('start'), { size: 7.5, color: THEME.text });
    const cy = top + rowH / 2;
    if (row.bar) {
      const a = xOf(row.bar.start);
      const b = xOf(row.bar.end);
      const x = Math.min(a, b);
      const bw = Math.max(2, Math.abs(b - a));
      const bh = row.bar.light ? 4 : 7;
      w.painter.roundedRect(x, cy - bh / 2, bw, bh, 1.5, row.bar.color);
    }
    if (row.slip) {
      const a = xOf(row.slip.from);
      const b = xOf(row.slip.to);
      w.doc.moveTo(a, cy).lineTo(b, cy).lineWidth(1.4).strokeColor(row.slip.color).stroke();
    }
    for (const mk of row.markers ?? []) marker(w, xOf(mk.date), cy, mk);
    w.y += rowH;
  });
  drawGrid(w.y);
  if (opts.today && opts.today >= from && opts.today <= to) {
    // "Today" label under the line.
    const x = xOf(opts.today);
    const text = w.t('reports:pdf.today');
    w.text.drawLine(text, x - 30, w.y + 1, 60, 'center', { size: 6.5, color: THEME.late });
  }
  w.y += 12;
  if (opts.legend?.length) {
    let offset = 0;
    const size = 7.5;
    for (const item of opts.legend) {
      const tw = w.text.width(item.label, { size });
      const itemW = tw + 16;
      const x = w.xOf(offset, itemW);
      const sx = rtl ? x + itemW - 6 : x + 4;
      if (item.shape === 'bar') w.painter.roundedRect(sx - 4, w.y + 4, 9, 5, 1.5, item.color);
      else marker(w, sx, w.y + 6.5, { date: '', shape: item.shape, color: item.color, filled: true });
      w.text.drawLine(item.label, rtl ? x : x + 12, w.y, tw + 2, 'left', { size, color: THEME.muted });
      offset += itemW + 10;
    }
    w.y += 16;
  }
  w.y += 4;
}
