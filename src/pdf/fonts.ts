import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { ROOT } from '../paths.js';

/**
 * The one typeface of every Masar PDF: Noto Naskh Arabic (SIL Open Font License 1.1, shipped with
 * its licence in the npm package), which has Arabic, Latin, digits and the punctuation we print.
 */
const FONT_DIR = path.join(ROOT, 'node_modules/@expo-google-fonts/noto-naskh-arabic');

export const FONT_FILES = {
  regular: path.join(FONT_DIR, '400Regular/NotoNaskhArabic_400Regular.ttf'),
  bold: path.join(FONT_DIR, '700Bold/NotoNaskhArabic_700Bold.ttf'),
} as const;

export const FONT_LICENSE = path.join(FONT_DIR, 'LICENSE_FONT');

/** Vertical metrics as fractions of the font size (the font's ascent is 1.069 em, descent 0.634 em). */
export const METRICS = {
  /** Distance from the top of a line box to the baseline. */
  baseline: 1.08,
  /** Height of one line of text. */
  lineHeight: 1.62,
} as const;

/**
 * The parsed fonts, shared by every document of the process. Parsing the font's tables and
 * building its shaping tables took about a fifth of a project report's time when each document
 * opened the files again (benchmark profile); a fontkit font is read-only once parsed (each
 * document keeps its own subset), so one object per weight serves every report.
 */
const parsed = new Map<keyof typeof FONT_FILES, unknown>();

export function sharedFont(weight: keyof typeof FONT_FILES): unknown {
  let f = parsed.get(weight);
  if (!f) parsed.set(weight, (f = fontkit.create(fs.readFileSync(FONT_FILES[weight]))));
  return f;
}
