import { z } from 'zod';

// The center's form always sends every field: an unchosen select arrives as an empty string.
const blank = (v: unknown) => (v === '' ? undefined : v);
const id = z.preprocess(
  blank,
  z
    .string()
    .regex(/^[1-9]\d{0,9}$/)
    .optional(),
);

/** The report center's form (a GET): scope, the program or project, and the language. */
export const centerQuerySchema = z.object({
  scope: z.preprocess(blank, z.enum(['portfolio', 'program', 'project']).default('portfolio')),
  program: id,
  project: id,
  lang: z.preprocess(blank, z.enum(['en', 'ar']).optional()),
});
export type CenterQuery = z.infer<typeof centerQuerySchema>;

/** A snapshot is named by its month and language: /reports/snapshots/2026-11-ar.pdf */
export const snapshotNameSchema = z
  .string()
  .regex(/^(\d{4})-(0[1-9]|1[0-2])-(en|ar)\.pdf$/)
  .transform((s) => ({ month: s.slice(0, 7), locale: s.slice(8, 10) as 'en' | 'ar' }));
