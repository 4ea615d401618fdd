/**
 * Pure layout of the Gantt timeline: dates become x coordinates in an SVG user space, mirrored
 * right-to-left in Arabic (time flows from right to left and the labels sit on the right).
 * No database and no clock: "today" is an argument. The view draws what this returns.
 */
import type { Locale } from '../../i18n/locales.js';
import {
  addDays,
  daysBetween,
  milestoneState,
  type MilestoneFacts,
  type MilestoneState,
} from '../portfolio/portfolio.rules.js';

export interface Span {
  start: string;
  end: string;
}

export interface GanttMarkerInput {
  /** Where the diamond sits: the actual date when done, else the forecast, else the plan. */
  date: string;
  /** The planned date, drawn as a hollow diamond when it differs (per-project view). */
  plannedDate?: string;
  state: MilestoneState;
  label: string;
}

export interface GanttRowInput {
  key: string;
  label: string;
  kind: 'project' | 'milestone';
  planned: Span | null;
  /** The actual span (finished) or the forecast (still running). */
  current: (Span & { kind: 'actual' | 'forecast' }) | null;
  markers: GanttMarkerInput[];
}

export interface GanttMonth {
  /** Where the month's gridline is (its first day). */
  x: number;
  /** Middle of the month (or just after its gridline when labels are sparse), for its label. */
  labelX: number;
  /** Centred in its month, or starting at its gridline (sparse labels). */
  labelAnchor: 'middle' | 'start';
  /** The month's name, or null when labels are thinned out on a long range. */
  label: string | null;
  /** The year, written above the first labelled month of each year. */
  year: string | null;
}

export interface GanttBar {
  x: number;
  width: number;
}

export interface GanttRow {
  key: string;
  kind: 'project' | 'milestone';
  y: number;
  label: string;
  fullLabel: string;
  planned: GanttBar | null;
  current: (GanttBar & { kind: 'actual' | 'forecast' }) | null;
  markers: {
    x: number;
    plannedX: number | null;
    state: MilestoneState;
    label: string;
    date: string;
    plannedDate: string | null;
  }[];
}

export interface Gantt {
  rtl: boolean;
  width: number;
  height: number;
  headerHeight: number;
  rowHeight: number;
  /** The chart area between the label column and the far edge. */
  chartLeft: number;
  chartRight: number;
  labelX: number;
  range: Span;
  months: GanttMonth[];
  todayX: number | null;
  rows: GanttRow[];
}

export const GANTT = { width: 1000, labelWidth: 250, headerHeight: 44, rowHeight: 30, pad: 8 };

const monthFormats = new Map<Locale, Intl.DateTimeFormat>();
function monthName(locale: Locale, day: string): string {
  let f = monthFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'ar' ? 'ar-BH-u-nu-latn' : 'en-GB', {
      month: 'short',
      timeZone: 'UTC',
    });
    monthFormats.set(locale, f);
  }
  return f.format(new Date(day + 'T00:00:00Z'));
}

function monthStart(day: string): string {
  return day.slice(0, 7) + '-01';
}

function nextMonth(day: string): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** Shortens a label to fit the label column; the full text stays in the row's title. */
export function truncate(label: string, max: number): string {
  const chars = [...label];
  return chars.length <= max ? label : chars.slice(0, max - 1).join('') + '…';
}

/** Whole months covering every date of the rows and today, at least three months wide. */
export function ganttRange(rows: GanttRowInput[], today: string): Span {
  const dates: string[] = [today];
  for (const r of rows) {
    if (r.planned) dates.push(r.planned.start, r.planned.end);
    if (r.current) dates.push(r.current.start, r.current.end);
    for (const m of r.markers) {
      dates.push(m.date);
      if (m.plannedDate) dates.push(m.plannedDate);
    }
  }
  const sorted = dates.filter(Boolean).sort();
  const start = monthStart(sorted[0]);
  let end = nextMonth(sorted[sorted.length - 1]);
  while (daysBetween(start, end) < 85) end = nextMonth(end);
  return { start, end };
}

export function layoutGantt(rows: GanttRowInput[], today: string, locale: Locale): Gantt {
  const rtl = locale === 'ar';
  const { width, labelWidth, headerHeight, rowHeight, pad } = GANTT;
  const chartLeft = rtl ? pad : labelWidth;
  const chartRight = rtl ? width - labelWidth : width - pad;
  const range = ganttRange(rows, today);
  const total = daysBetween(range.start, range.end);
  const span = chartRight - chartLeft;
  const x = (day: string): number => {
    const frac = Math.min(1, Math.max(0, daysBetween(range.start, day) / total));
    return round(rtl ? chartRight - frac * span : chartLeft + frac * span);
  };
  const bar = (s: Span | null): GanttBar | null => {
    if (!s) return null;
    const a = x(s.start);
    const b = x(s.end < s.start ? s.start : addDays(s.end, 1));
    return { x: Math.min(a, b), width: Math.max(2, Math.abs(b - a)) };
  };

  // Every month gets a gridline; labels thin out to quarters, halves or years on long ranges,
  // aligned to the calendar (Jan, Apr, Jul, Oct …), with the year over its first label.
  const months: GanttMonth[] = [];
  const count = Math.round(total / 30.44);
  const step = count <= 18 ? 1 : count <= 36 ? 3 : count <= 72 ? 6 : 12;
  let lastYear = '';
  for (let d = range.start; d < range.end; d = nextMonth(d)) {
    const labelled = (Number(d.slice(5, 7)) - 1) % step === 0;
    if (!labelled && count > 48) continue;
    const year = d.slice(0, 4);
    months.push({
      x: x(d),
      labelX: step === 1 ? x(addDays(d, 14)) : x(d) + (rtl ? -4 : 4),
      labelAnchor: step === 1 ? 'middle' : 'start',
      label: labelled ? monthName(locale, d) : null,
      year: labelled && year !== lastYear ? year : null,
    });
    if (labelled) lastYear = year;
  }

  const maxChars = 34;
  return {
    rtl,
    width,
    height: headerHeight + rows.length * rowHeight + pad,
    headerHeight,
    rowHeight,
    chartLeft,
    chartRight,
    labelX: rtl ? width - pad : pad,
    range,
    months,
    todayX: today >= range.start && today < range.end ? x(today) : null,
    rows: rows.map((r, i) => ({
      key: r.key,
      kind: r.kind,
      y: headerHeight + i * rowHeight,
      label: truncate(r.label, maxChars),
      fullLabel: r.label,
      planned: bar(r.planned),
      current: r.current ? { ...bar(r.current)!, kind: r.current.kind } : null,
      markers: r.markers.map((m) => ({
        x: x(m.date),
        // A planned marker that would overlap the expected one only blurs it; the table says both.
        plannedX: m.plannedDate && Math.abs(x(m.plannedDate) - x(m.date)) >= 12 ? x(m.plannedDate) : null,
        state: m.state,
        label: m.label,
        date: m.date,
        plannedDate: m.plannedDate ?? null,
      })),
    })),
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

// ---------------------------------------------------------------------------------------------
// From projects and milestones to rows.

export interface TimelineProject {
  id: number;
  code: string;
  name_en: string;
  name_ar: string;
  planned_start: string | null;
  planned_end: string | null;
  actual_start: string | null;
  actual_end: string | null;
}

export interface TimelineMilestone extends MilestoneFacts {
  id: number;
  projectId: number;
  titleEn: string;
  titleAr: string;
}

/** Where a milestone is expected: its actual date when done, else its forecast, else its plan. */
export function expectedOn(m: MilestoneFacts): string {
  return m.actualDate ?? m.forecastDate ?? m.plannedDate;
}

/**
 * The project's current span: actual start to actual end when finished; otherwise from its
 * (actual or planned) start to the latest of its planned end, its open milestones' expected dates
 * and, for a late milestone, today.
 */
export function projectCurrentSpan(
  p: TimelineProject,
  milestones: MilestoneFacts[],
  today: string,
  atRiskDays: number,
): (Span & { kind: 'actual' | 'forecast' }) | null {
  const start = p.actual_start ?? p.planned_start;
  if (!start) return null;
  if (p.actual_end) return { start, end: p.actual_end, kind: 'actual' };
  const ends: string[] = p.planned_end ? [p.planned_end] : [];
  for (const m of milestones) {
    if (m.status === 'cancelled') continue;
    ends.push(expectedOn(m));
    if (milestoneState(m, today, atRiskDays) === 'late' && today > expectedOn(m)) ends.push(today);
  }
  if (ends.length === 0) return null;
  return { start, end: ends.sort()[ends.length - 1], kind: 'forecast' };
}

function plannedSpan(p: TimelineProject): Span | null {
  return p.planned_start && p.planned_end ? { start: p.planned_start, end: p.planned_end } : null;
}

function pickName(locale: Locale, ar: string, en: string): string {
  return (locale === 'ar' ? ar || en : en || ar) ?? '';
}

/** One row per project with its milestones as diamonds (program and portfolio timelines). */
export function portfolioRows(
  projects: TimelineProject[],
  milestones: TimelineMilestone[],
  today: string,
  locale: Locale,
  atRiskDays: number,
): GanttRowInput[] {
  const byProject = new Map<number, TimelineMilestone[]>();
  for (const m of milestones) {
    const list = byProject.get(m.projectId) ?? [];
    list.push(m);
    byProject.set(m.projectId, list);
  }
  return projects.map((p) => {
    const ms = byProject.get(p.id) ?? [];
    return {
      key: `p${p.id}`,
      kind: 'project',
      label: `${p.code} ${pickName(locale, p.name_ar, p.name_en)}`,
      planned: plannedSpan(p),
      current: projectCurrentSpan(p, ms, today, atRiskDays),
      markers: ms
        .filter((m) => m.status !== 'cancelled')
        .map((m) => ({
          date: expectedOn(m),
          state: milestoneState(m, today, atRiskDays),
          label: pickName(locale, m.titleAr, m.titleEn),
        })),
    };
  });
}

/** The project as a first row, then one row per milestone: planned (hollow) vs expected. */
export function projectRows(
  p: TimelineProject,
  milestones: TimelineMilestone[],
  today: string,
  locale: Locale,
  atRiskDays: number,
): GanttRowInput[] {
  const head: GanttRowInput = {
    key: `p${p.id}`,
    kind: 'project',
    label: `${p.code} ${pickName(locale, p.name_ar, p.name_en)}`,
    planned: plannedSpan(p),
    current: projectCurrentSpan(p, milestones, today, atRiskDays),
    markers: [],
  };
  return [
    head,
    ...milestones.map((m): GanttRowInput => ({
      key: `m${m.id}`,
      kind: 'milestone',
      label: pickName(locale, m.titleAr, m.titleEn),
      planned: null,
      current: null,
      markers: [
        {
          date: expectedOn(m),
          plannedDate: m.plannedDate,
          state: milestoneState(m, today, atRiskDays),
          label: pickName(locale, m.titleAr, m.titleEn),
        },
      ],
    })),
  ];
}
