import type { Response } from 'express';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { currencyDecimals } from '../i18n/format.js';
import type { Locale } from '../i18n/locales.js';

/**
 * Spreadsheet exports (CSV and XLSX) of a list: the caller gives columns (translated header and a
 * value per row) and rows; this module writes them safely. CSV is UTF-8 with a byte-order mark so
 * Arabic opens correctly in spreadsheet programs; XLSX gets a right-to-left sheet for Arabic.
 * Every text cell that a spreadsheet could read as a formula is neutralised (prefixed with ').
 */

export type ExportFormat = 'csv' | 'xlsx';
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;

export type CellValue = string | number | null | undefined;

export interface ExportColumn<R> {
  /** The header, already in the user's language. */
  header: string;
  value(row: R): CellValue;
  /**
   * text (default); integer / number; money (integer minor units of the currency); date
   * ('YYYY-MM-DD'); percent (0–100).
   */
  type?: 'text' | 'integer' | 'number' | 'money' | 'date' | 'percent';
  /** Column width in characters (XLSX). */
  width?: number;
}

export interface ExportOptions {
  locale: Locale;
  /** ISO 4217 code for money columns. */
  currency: string;
  /** Worksheet name (XLSX); at most 31 characters, no []:*?/\ . */
  sheetName?: string;
}

// OWASP "CSV injection": a cell beginning with one of these may be evaluated as a formula.
// The full-width forms are read as formulas by some spreadsheet programs too.
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A text cell made safe for spreadsheets: a leading formula character gets a ' in front. */
export function neutralise(value: string): string {
  return FORMULA_START.test(value) ? "'" + value : value;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Minor units → "1250.500" (exact: integer arithmetic, no floating point). */
function minorToText(minor: number, decimals: number): string {
  const neg = minor < 0;
  const abs = Math.abs(Math.round(minor));
  const unit = 10 ** decimals;
  const whole = Math.floor(abs / unit);
  const frac = decimals ? '.' + String(abs % unit).padStart(decimals, '0') : '';
  return (neg ? '-' : '') + whole + frac;
}

/** The text written to CSV for one cell. Numbers stay numbers (a negative number is not a formula). */
function csvCell<R>(col: ExportColumn<R>, row: R, decimals: number): string {
  const v = col.value(row);
  if (v === null || v === undefined || v === '') return '';
  switch (col.type) {
    case 'money':
      return isFiniteNumber(v) ? minorToText(v, decimals) : neutralise(String(v));
    case 'integer':
      return isFiniteNumber(v) ? String(Math.round(v)) : neutralise(String(v));
    case 'number':
    case 'percent':
      return isFiniteNumber(v) ? String(Math.round(v * 100) / 100) : neutralise(String(v));
    default:
      return neutralise(String(v));
  }
}

/** CSV bytes: UTF-8 with BOM, CRLF line ends, header row first. */
export function csvBuffer<R>(columns: ExportColumn<R>[], rows: Iterable<R>, opts: ExportOptions): Buffer {
  const decimals = currencyDecimals(opts.currency);
  const records: string[][] = [columns.map((c) => neutralise(c.header))];
  for (const row of rows) records.push(columns.map((c) => csvCell(c, row, decimals)));
  const body = stringify(records, { record_delimiter: 'windows', quoted_match: /^\s|\s$/ });
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, 'utf8')]);
}

function sheetName(name: string | undefined): string {
  const s = (name ?? 'Sheet1').replace(/[[\]:*?/\\]/g, ' ').trim();
  return (s || 'Sheet1').slice(0, 31);
}

function xlsxCell<R>(col: ExportColumn<R>, row: R, decimals: number): string | number | Date | null {
  const v = col.value(row);
  if (v === null || v === undefined || v === '') return null;
  switch (col.type) {
    case 'money':
      return isFiniteNumber(v) ? v / 10 ** decimals : neutralise(String(v));
    case 'integer':
    case 'number':
      return isFiniteNumber(v) ? v : neutralise(String(v));
    case 'percent':
      return isFiniteNumber(v) ? v / 100 : neutralise(String(v));
    case 'date':
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(v + 'T00:00:00Z');
      return neutralise(String(v));
    default:
      return neutralise(String(v));
  }
}

function numFmt(type: ExportColumn<unknown>['type'], currency: string): string | undefined {
  switch (type) {
    case 'money': {
      const d = currencyDecimals(currency);
      return d ? '#,##0.' + '0'.repeat(d) : '#,##0';
    }
    case 'integer':
      return '0';
    case 'percent':
      return '0.0%';
    case 'date':
      return 'yyyy-mm-dd';
    default:
      return undefined;
  }
}

/** XLSX bytes: one worksheet, bold frozen header row, typed cells; right-to-left for Arabic. */
export async function xlsxBuffer<R>(
  columns: ExportColumn<R>[],
  rows: Iterable<R>,
  opts: ExportOptions,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Masar';
  wb.created = new Date(0);
  const ws = wb.addWorksheet(sheetName(opts.sheetName), {
    views: [{ state: 'frozen', ySplit: 1, rightToLeft: opts.locale === 'ar' }],
  });
  ws.columns = columns.map((c, i) => ({
    key: 'c' + i,
    width: c.width ?? (c.type === 'text' || !c.type ? 30 : 16),
    style: numFmt(c.type, opts.currency) ? { numFmt: numFmt(c.type, opts.currency) } : {},
  }));
  const header = ws.addRow(columns.map((c) => neutralise(c.header)));
  header.font = { bold: true };
  const decimals = currencyDecimals(opts.currency);
  for (const row of rows) ws.addRow(columns.map((c) => xlsxCell(c, row, decimals)));
  const data = await wb.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}

const MEDIA: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Sends an export as a download named `<baseName>.<format>` (baseName without extension, ASCII
 * preferred, e.g. "projects-2026-11-28").
 */
export async function sendExport<R>(
  res: Response,
  format: ExportFormat,
  baseName: string,
  columns: ExportColumn<R>[],
  rows: Iterable<R>,
  opts: ExportOptions,
): Promise<void> {
  const body = format === 'csv' ? csvBuffer(columns, rows, opts) : await xlsxBuffer(columns, rows, opts);
  res.setHeader('Content-Type', MEDIA[format]);
  res.attachment(`${baseName}.${format}`);
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.send(body);
}
