/**
 * The KPI line chart, laid out on the server: measured values against the target path, with axes
 * and a legend. Pure: the view draws the SVG from this model. In right-to-left pages time runs
 * from right to left and the value axis sits on the right.
 */
export interface ChartPoint {
  date: string;
  value: number;
}

export interface ChartInput {
  values: (ChartPoint & { label: string })[];
  /** The baseline, then each target at its period end. */
  path: ChartPoint[];
  rtl: boolean;
  formatValue(n: number): string;
  /** An axis tick: the number alone (with % for percentages); the unit is named in the chart's text. */
  formatTick?(n: number): string;
  /** Label of a time tick (a year, or a quarter when the chart spans little time). */
  tickLabel(date: string, kind: 'year' | 'quarter'): string;
  /** Values must stay within these (a percentage: 0–100). */
  bounds?: { min?: number; max?: number };
}

export interface ChartModel {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  yTicks: { y: number; label: string }[];
  xTicks: { x: number; label: string }[];
  yAxis: { x: number; labelX: number; anchor: 'start' | 'end' };
  actual: { d: string; points: { x: number; y: number; label: string; value: string }[] };
  target: { d: string; points: { x: number; y: number }[] };
  legend: { actualX: number; targetX: number; y: number; anchor: 'start' | 'end'; direction: 1 | -1 };
  empty: boolean;
}

const WIDTH = 720;
const HEIGHT = 320;
const MARGIN = { side: 64, far: 24, top: 44, bottom: 40 };

const time = (d: string) => Date.parse(d + 'T00:00:00Z');
const r1 = (n: number) => Math.round(n * 10) / 10;

/** Round numbers for an axis: about `count` steps of 1, 2 or 5 × 10^k covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) {
    const pad = Math.abs(max) > 0 ? Math.abs(max) * 0.1 : 1;
    return niceTicks(min - pad, max + pad, count);
  }
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(min / step) * step;
  const out: number[] = [];
  for (let v = start; v <= max + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  if (out[out.length - 1] < max) out.push(out[out.length - 1] + step);
  return out.map((v) => Number(v.toPrecision(12)));
}

export function buildChart(input: ChartInput): ChartModel {
  const plot = input.rtl
    ? { left: MARGIN.far, right: WIDTH - MARGIN.side, top: MARGIN.top, bottom: HEIGHT - MARGIN.bottom }
    : { left: MARGIN.side, right: WIDTH - MARGIN.far, top: MARGIN.top, bottom: HEIGHT - MARGIN.bottom };
  const dates = [...input.values.map((v) => v.date), ...input.path.map((p) => p.date)].sort();
  const nums = [...input.values.map((v) => v.value), ...input.path.map((p) => p.value)];
  const empty = input.values.length === 0 && input.path.length < 2;
  const t0 = dates.length ? time(dates[0]) : 0;
  let t1 = dates.length ? time(dates[dates.length - 1]) : 1;
  if (t1 <= t0) t1 = t0 + 86_400_000 * 30;
  let lo = nums.length ? Math.min(...nums) : 0;
  let hi = nums.length ? Math.max(...nums) : 1;
  if (lo > 0 && lo < hi * 0.5) lo = 0;
  const ticks = niceTicks(lo, hi);
  lo = ticks[0];
  hi = ticks[ticks.length - 1];
  if (input.bounds?.min !== undefined && lo < input.bounds.min) lo = input.bounds.min;
  if (input.bounds?.max !== undefined && hi > input.bounds.max) hi = input.bounds.max;
  const yTickValues = ticks.filter((v) => v >= lo - 1e-9 && v <= hi + 1e-9);

  const x = (d: string) => {
    const f = (time(d) - t0) / (t1 - t0);
    return r1(
      input.rtl ? plot.right - f * (plot.right - plot.left) : plot.left + f * (plot.right - plot.left),
    );
  };
  const y = (v: number) => r1(plot.bottom - ((v - lo) / (hi - lo || 1)) * (plot.bottom - plot.top));

  const years = new Date(t1).getUTCFullYear() - new Date(t0).getUTCFullYear();
  const kind: 'year' | 'quarter' = years >= 2 ? 'year' : 'quarter';
  const xTicks: ChartModel['xTicks'] = [];
  const first = new Date(t0);
  for (let yy = first.getUTCFullYear(); yy <= new Date(t1).getUTCFullYear(); yy++) {
    for (const m of kind === 'year' ? [1] : [1, 4, 7, 10]) {
      const d = `${yy}-${String(m).padStart(2, '0')}-01`;
      if (time(d) >= t0 && time(d) <= t1) xTicks.push({ x: x(d), label: input.tickLabel(d, kind) });
    }
  }

  const line = (pts: { x: number; y: number }[]) =>
    pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' ');
  const actualPoints = [...input.values]
    .sort((a, b) => (a.date < b.date ? -1 : 1))
    .map((v) => ({ x: x(v.date), y: y(v.value), label: v.label, value: input.formatValue(v.value) }));
  const targetPoints = [...input.path]
    .sort((a, b) => (a.date < b.date ? -1 : 1))
    .map((p) => ({ x: x(p.date), y: y(p.value) }));

  return {
    width: WIDTH,
    height: HEIGHT,
    plot,
    yTicks: yTickValues.map((v) => ({ y: y(v), label: (input.formatTick ?? input.formatValue)(v) })),
    xTicks,
    yAxis: input.rtl
      ? { x: plot.right, labelX: plot.right + 8, anchor: 'start' }
      : { x: plot.left, labelX: plot.left - 8, anchor: 'end' },
    actual: { d: line(actualPoints), points: actualPoints },
    target: { d: line(targetPoints), points: targetPoints },
    legend: input.rtl
      ? { actualX: plot.right, targetX: plot.right - 170, y: 14, anchor: 'end', direction: -1 }
      : { actualX: plot.left, targetX: plot.left + 170, y: 14, anchor: 'start', direction: 1 },
    empty,
  };
}
