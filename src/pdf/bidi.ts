import bidiModule, { type Bidi } from 'bidi-js';

/**
 * The Unicode bidirectional algorithm (UAX #9, via bidi-js) applied to one line of text at a time:
 * a line is cut into direction runs, which are returned in visual order (left to right on the page).
 * Each run keeps its text in logical order; right-to-left runs also carry the mirrored form of
 * brackets (what is drawn) beside the original (what is extracted).
 */
// bidi-js is CommonJS exporting its factory; its typings describe an ES default export.
const factory = ((bidiModule as unknown as { default?: () => Bidi }).default ??
  (bidiModule as unknown as () => Bidi)) as () => Bidi;
const bidi = factory();

export type Direction = 'ltr' | 'rtl';

export interface Run {
  /** The run's text in logical order, as stored. */
  text: string;
  /** What is shaped and drawn: for right-to-left runs, brackets mirrored. */
  glyphText: string;
  rtl: boolean;
  /** Index of the run's first character in the line (logical order). */
  start: number;
}

const STRONG_RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
const STRONG_LTR = /[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]/;

/**
 * Characters the embedded font lacks, drawn as a close equivalent of the same bidi class (one
 * character for one, so positions stay aligned): arrows become angle quotes, which the bidi
 * algorithm mirrors in right-to-left text so they still point along the reading direction.
 */
const FALLBACK: Record<string, string> = {
  '\u2192': '\u203A',
  '\u2190': '\u2039',
  '\u21D2': '\u00BB',
  '\u21D0': '\u00AB',
  '\u2194': '\u2013',
  '\u2713': '\u2022',
  '\u2714': '\u2022',
  '\u2033': '"',
  '\u2032': "'",
};
const FALLBACK_RE = /[\u2192\u2190\u21D2\u21D0\u2194\u2713\u2714\u2033\u2032]/g;

function drawable(text: string): string {
  return text.replace(FALLBACK_RE, (c) => FALLBACK[c] ?? c);
}

export function hasRtl(text: string): boolean {
  return STRONG_RTL.test(text);
}

/**
 * The paragraph direction of a piece of text in a document of direction `doc`: the document's,
 * unless the text has no strong character of that direction but some of the other (an English
 * name in an Arabic report is laid out left to right, like HTML's dir="auto").
 */
export function paragraphDirection(text: string, doc: Direction): Direction {
  if (doc === 'rtl') return !STRONG_RTL.test(text) && STRONG_LTR.test(text) ? 'ltr' : 'rtl';
  return !STRONG_LTR.test(text) && STRONG_RTL.test(text) ? 'rtl' : 'ltr';
}

/** Direction runs of one line, in visual order. */
export function visualRuns(line: string, base: Direction): Run[] {
  if (line === '') return [];
  const glyphLine = drawable(line);
  if (!STRONG_RTL.test(line) && base === 'ltr')
    return [{ text: line, glyphText: glyphLine, rtl: false, start: 0 }];
  const emb = bidi.getEmbeddingLevels(line, base);
  const { levels } = emb;
  // Logical runs of equal level.
  const runStart: number[] = [];
  const runOf = new Int32Array(line.length);
  for (let i = 0; i < line.length; i++) {
    if (i === 0 || levels[i] !== levels[i - 1]) runStart.push(i);
    runOf[i] = runStart.length - 1;
  }
  // Visual order of characters, then of runs (first appearance).
  const order = Array.from({ length: line.length }, (_, i) => i);
  for (const [s, e] of bidi.getReorderSegments(line, emb)) {
    for (let a = s, b = e; a < b; a++, b--) [order[a], order[b]] = [order[b], order[a]];
  }
  const seen = new Set<number>();
  const runs: number[] = [];
  for (const i of order) {
    const r = runOf[i];
    if (!seen.has(r)) {
      seen.add(r);
      runs.push(r);
    }
  }
  const mirrored = bidi.getMirroredCharactersMap(glyphLine, levels);
  return runs.map((r) => {
    const start = runStart[r];
    const end = r + 1 < runStart.length ? runStart[r + 1] : line.length;
    const text = line.slice(start, end);
    const rtl = levels[start] % 2 === 1;
    let glyphText = glyphLine.slice(start, end);
    if (rtl && mirrored.size) {
      glyphText = '';
      for (let i = start; i < end; i++) glyphText += mirrored.get(i) ?? glyphLine[i];
    }
    return { text, glyphText, rtl, start };
  });
}
