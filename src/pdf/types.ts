import type { Locale } from '../i18n/locales.js';

/**
 * The drawing surface a report (or a module's contributed section) writes on. Every primitive is
 * direction-aware: in an Arabic document "start" is the right edge, table columns are mirrored and
 * charts that show time run right to left. Callers give text in logical order; the writer shapes
 * and orders it.
 */
export type Align = 'start' | 'end' | 'center';
export type RagColour = 'green' | 'amber' | 'red';

/** What a table cell or a value holds. */
export type Cell =
  | string
  | null
  | undefined
  | {
      text: string;
      bold?: boolean;
      /** A hex colour such as '#b42318'. */
      color?: string;
      /** Keep left-to-right whatever the document's direction (codes, e-mail addresses). */
      ltr?: boolean;
    }
  /** A RAG pill: a coloured dot and its text (colour is never the only signal). */
  | { rag: RagColour; text: string }
  /** A small progress bar with its label, e.g. { progress: 45, text: '45%' }. */
  | { progress: number; text: string };

export interface TableColumn<Row> {
  header: string;
  /** Relative width: columns share the content width in proportion to these numbers. */
  width: number;
  align?: Align;
  cell(row: Row): Cell;
}

export interface TableOptions {
  /** Shown above the table (also repeated, with "(continued)", when the table crosses a page). */
  caption?: string;
  /** Text shown in a single row when there are no rows. */
  empty?: string;
  zebra?: boolean;
  fontSize?: number;
  /** Draw the caption on continuation pages only (when a heading already introduces the table). */
  captionOnlyWhenContinued?: boolean;
}

export interface ChartDatum {
  label: string;
  value: number;
  /** A hex colour; a default palette is used otherwise. */
  color?: string;
  /** How the value is written next to its bar or in the legend (defaults to the number). */
  valueLabel?: string;
}

export interface ChartOptions {
  title?: string;
  /** Height of the drawing in points. */
  height?: number;
  /** Fraction of the content width (default 1). */
  widthFraction?: number;
}

export interface PdfFormat {
  date(iso: string | null | undefined): string;
  dateTime(iso: string | null | undefined): string;
  number(n: number | null | undefined, fractionDigits?: number): string;
  percent(n: number | null | undefined): string;
  /** Integer minor units of the configured currency. */
  money(minor: number | null | undefined): string;
  /** The same amount without the currency (for table columns whose header names it). */
  amount(minor: number | null | undefined): string;
  /** The currency as a column header shows it: "BHD" / "دينار بحريني". */
  currency: string;
}

export interface PdfWriter {
  readonly locale: Locale;
  readonly dir: 'ltr' | 'rtl';
  /** Usable width between the margins, in points. */
  readonly contentWidth: number;
  readonly fmt: PdfFormat;
  /** A section heading (level 1 starts a bookmark in the outline). */
  heading(text: string, level?: 1 | 2 | 3): void;
  /** Wrapped text in the document's direction (mixed Arabic/Latin/numbers are ordered correctly). */
  paragraph(text: string, opts?: { size?: number; color?: string; bold?: boolean; align?: Align }): void;
  /** Label–value pairs laid out in a grid of 1–3 columns. */
  keyValues(pairs: [label: string, value: Cell][], opts?: { columns?: 1 | 2 | 3 }): void;
  /**
   * A table whose header repeats on every page it crosses; rows are never split across pages and
   * long cells wrap. Rows may come from an async iterable (a paged query): the table pulls them as
   * it draws, so memory stays bounded. Resolves to the number of rows drawn.
   */
  table<Row>(
    columns: TableColumn<Row>[],
    rows: Iterable<Row> | AsyncIterable<Row>,
    opts?: TableOptions,
  ): Promise<number>;
  /** Horizontal bars with labels and values. */
  barChart(data: ChartDatum[], opts?: ChartOptions): void;
  /** A donut with a legend (labels, values and shares). */
  donutChart(data: ChartDatum[], opts?: ChartOptions): void;
  /** Vertical white space in points. */
  space(points: number): void;
  /** Starts a new page unless `height` points still fit on this one. */
  ensureSpace(height: number): void;
  pageBreak(): void;
}
