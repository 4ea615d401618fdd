import path from 'node:path';
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
