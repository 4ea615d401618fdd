import { z } from 'zod';
import { optionalChoice, optionalId, optionalText } from '../../http/fields.js';
import { SORT_KEYS } from './portfolio.repository.js';
import { HEALTHS, PHASES, PROJECT_STATUSES } from './portfolio.values.js';

/**
 * The portfolio list's query string: filters, search, sorting and page. Every part is optional and
 * an invalid value is ignored (the list shows as if it were absent), never an error.
 */
export const projectListQuery = z.object({
  q: optionalText(100).catch(undefined),
  program: optionalId().catch(undefined),
  phase: optionalChoice(PHASES).catch(undefined),
  status: optionalChoice(PROJECT_STATUSES).catch(undefined),
  health: optionalChoice(HEALTHS).catch(undefined),
  manager: optionalId().catch(undefined),
  sponsor: optionalId().catch(undefined),
  // search fields that replace the program, manager and sponsor drop-downs in a large portfolio
  programq: optionalText(100).catch(undefined),
  managerq: optionalText(100).catch(undefined),
  sponsorq: optionalText(100).catch(undefined),
  sort: optionalChoice(SORT_KEYS).catch(undefined),
  dir: optionalChoice(['asc', 'desc']).catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});
export type ProjectListQuery = z.output<typeof projectListQuery>;

export function parseProjectListQuery(query: unknown): ProjectListQuery {
  return projectListQuery.parse(query ?? {});
}
