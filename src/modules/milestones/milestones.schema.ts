import { z } from 'zod';
import {
  choice,
  int,
  date,
  optionalDate,
  optionalId,
  optionalText,
  text,
  version,
} from '../../http/fields.js';
import { MILESTONE_STATUSES } from './milestones.rules.js';

const nullable = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

const milestoneFields = {
  titleEn: text(200),
  titleAr: text(200),
  plannedDate: date(),
  forecastDate: optionalDate(),
  actualDate: optionalDate(),
  percentComplete: int(0, 100),
  weight: int(0, 1000),
  ownerId: optionalId(),
  status: choice(MILESTONE_STATUSES),
  notes: optionalText(4000),
  /** A short note for the milestone's history (why it changed). */
  note: optionalText(500),
};

function normalise<
  T extends {
    forecastDate?: string;
    actualDate?: string;
    ownerId?: number;
    notes?: string;
    note?: string;
  },
>(v: T) {
  return {
    ...v,
    forecastDate: nullable(v.forecastDate),
    actualDate: nullable(v.actualDate),
    ownerId: nullable(v.ownerId),
    notes: nullable(v.notes),
    note: nullable(v.note),
  };
}

/** Creating a milestone (PMO, admin, the project's manager). */
export const milestoneSchema = z.object(milestoneFields).transform(normalise);
export type MilestoneInput = z.output<typeof milestoneSchema>;

/** Editing all of a milestone's fields, from the version the editor started with. */
export const editMilestoneSchema = z.object({ ...milestoneFields, version: version() }).transform(normalise);
export type EditMilestoneInput = z.output<typeof editMilestoneSchema>;

/** The quick progress update by the project's manager: the common case, a minute's work. */
export const progressUpdateSchema = z
  .object({
    percentComplete: int(0, 100),
    forecastDate: optionalDate(),
    actualDate: optionalDate(),
    status: choice(MILESTONE_STATUSES),
    note: optionalText(500),
    version: version(),
  })
  .transform((v) => ({
    ...v,
    forecastDate: nullable(v.forecastDate),
    actualDate: nullable(v.actualDate),
    note: nullable(v.note),
  }));
export type ProgressUpdateInput = z.output<typeof progressUpdateSchema>;

/** Filters of the portfolio-wide milestone list and its exports; bad values are ignored. */
export const milestoneFilterSchema = z.object({
  program: optionalId().catch(undefined),
  project: optionalId().catch(undefined),
  late: z
    .preprocess((v) => v === '1' || v === 'on' || v === 'true', z.boolean())
    .catch(false)
    .default(false),
  due: z.coerce.number().int().min(1).max(365).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
});
export type MilestoneFilter = z.output<typeof milestoneFilterSchema>;
