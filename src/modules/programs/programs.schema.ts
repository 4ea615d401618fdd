import { z } from 'zod';
import { choice, optionalDate, optionalId, text, version } from '../../http/fields.js';
import { code, endNotBeforeStart, multiline } from '../portfolio/portfolio.fields.js';
import { PROGRAM_STATUSES } from '../portfolio/portfolio.values.js';

const fields = {
  code: code(),
  nameEn: text(200),
  nameAr: text(200),
  descriptionEn: multiline(4000),
  descriptionAr: multiline(4000),
  sponsorId: optionalId(),
  managerId: optionalId(),
  plannedStart: optionalDate(),
  plannedEnd: optionalDate(),
  status: choice(PROGRAM_STATUSES),
};

export const createProgramSchema = z
  .object(fields)
  .superRefine(endNotBeforeStart('plannedStart', 'plannedEnd'));
export type CreateProgramInput = z.output<typeof createProgramSchema>;

export const updateProgramSchema = z
  .object({ ...fields, version: version() })
  .superRefine(endNotBeforeStart('plannedStart', 'plannedEnd'));
export type UpdateProgramInput = z.output<typeof updateProgramSchema>;

/** The programs list's query string: the page (an invalid one shows the first). */
export const programListQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});

export function parseProgramListQuery(query: unknown): z.output<typeof programListQuery> {
  return programListQuery.parse(query ?? {});
}
