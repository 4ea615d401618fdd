import { z } from 'zod';
import { checkbox, choice, optionalChoice, optionalId, optionalText } from '../../http/fields.js';
import { CATEGORIES } from './documents.rules.js';

/** A new document (one per file when several files are sent at once). */
export const newDocumentSchema = z.object({
  category: choice(CATEGORIES),
  titleEn: optionalText(200),
  titleAr: optionalText(200),
  milestoneId: optionalId(),
  approvalRequestId: optionalId(),
  comment: optionalText(2000),
  submitForApproval: checkbox(),
});
export type NewDocumentInput = z.output<typeof newDocumentSchema>;

/** A new version of an existing document. */
export const newVersionSchema = z.object({
  comment: optionalText(2000),
  submitForApproval: checkbox(),
  version: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v : undefined),
    z.coerce.number().int().min(1).max(2147483647).optional(),
  ),
});
export type NewVersionInput = z.output<typeof newVersionSchema>;

export const documentFilterSchema = z.object({
  category: optionalChoice(CATEGORIES).catch(undefined),
  q: optionalText(100).catch(undefined),
});
export type DocumentFilterInput = z.output<typeof documentFilterSchema>;
