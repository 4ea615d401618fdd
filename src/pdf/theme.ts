import type { RagColour } from './types.js';

/** Colours and sizes shared by every report (Masar's brand green, RAG colours that print well). */
export const THEME = {
  brand: '#0b5c4a',
  brandLight: '#e3efeb',
  text: '#1f2933',
  muted: '#5f6b76',
  rule: '#c9d2d9',
  zebra: '#f4f7f6',
  headerFill: '#e3efeb',
  late: '#b42318',
  rag: {
    green: { strong: '#1a7f37', light: '#dcf3e3', text: '#0f5323' },
    amber: { strong: '#c77700', light: '#fdf0d5', text: '#7a4a00' },
    red: { strong: '#b42318', light: '#fde4e1', text: '#7f1d14' },
  } satisfies Record<RagColour, { strong: string; light: string; text: string }>,
  /** Chart series when no colour is given. */
  palette: ['#0b5c4a', '#2f80ed', '#c77700', '#8e44ad', '#1a7f37', '#b42318', '#16a3b5', '#6b7280'],
  size: { body: 9.5, table: 8.5, small: 7.5, h1: 15, h2: 12, h3: 10.5, title: 20 },
} as const;

export const PAGE = {
  width: 595.28,
  height: 841.89,
  margin: 40,
  /** Top of the content area (below the running header). */
  contentTop: 66,
  /** Bottom of the content area (above the running footer). */
  contentBottom: 841.89 - 54,
} as const;
