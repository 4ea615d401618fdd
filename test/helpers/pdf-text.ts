import { execFileSync } from 'node:child_process';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * What text extraction gives back from a PDF, the way a search index or a copy-paste would see it:
 * pdf.js (getTextContent) per page, and poppler's pdftotext for the whole file.
 */
export interface PdfText {
  pages: number;
  /** pdf.js text items per page (in content order). */
  items: string[][];
  /** pdf.js text of all pages, items separated by spaces. */
  text: string;
  info: Record<string, unknown>;
}

export async function pdfjsText(bytes: Buffer | Uint8Array): Promise<PdfText> {
  const data = new Uint8Array(bytes);
  const doc = await getDocument({ data, verbosity: 0, isEvalSupported: false, useSystemFonts: false })
    .promise;
  const items: string[][] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const tc = await page.getTextContent();
    items.push(tc.items.map((it) => ('str' in it ? it.str : '')).filter((s) => s !== ''));
  }
  const meta = await doc.getMetadata();
  await doc.destroy();
  return {
    pages: items.length,
    items,
    text: items.map((i) => i.join(' ')).join('\n'),
    info: meta.info as Record<string, unknown>,
  };
}

/** poppler's pdftotext, without the bidi control characters it wraps right-to-left lines in. */
export function popplerText(bytes: Buffer | Uint8Array): string {
  const out = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], {
    input: Buffer.from(bytes),
    maxBuffer: 64 << 20,
  });
  return out.toString('utf8').replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}

/** Text compared "modulo whitespace": no spaces, no invisible format characters. */
export function squash(s: string): string {
  return s.replace(/[\s\u200b-\u200f\u202a-\u202e\u2066-\u2069]+/g, '');
}
