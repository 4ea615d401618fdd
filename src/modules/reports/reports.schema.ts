import { z } from 'zod';

/** The report center's form (a GET): scope, the program or project, and the language. */
export const centerQuerySchema = z.object({
  scope: z.enum(['portfolio', 'program', 'project']).default('portfolio'),
  program: z
    .string()
    .regex(/^\d{1,10}$/)
    .optional(),
  project: z
    .string()
    .regex(/^\d{1,10}$/)
    .optional(),
  lang: z.enum(['en', 'ar']).optional(),
});
export type CenterQuery = z.infer<typeof centerQuerySchema>;

/** A snapshot is named by its month and language: /reports/snapshots/2026-11-ar.pdf */
export const snapshotNameSchema = z
  .string()
  .regex(/^(\d{4})-(0[1-9]|1[0-2])-(en|ar)\.pdf$/)
  .transform((s) => ({ month: s.slice(0, 7), locale: s.slice(8, 10) as 'en' | 'ar' }));
