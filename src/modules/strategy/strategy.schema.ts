import { z } from 'zod';
import {
  choice,
  date,
  id,
  int,
  optionalChoice,
  optionalId,
  optionalText,
  text,
  version,
} from '../../http/fields.js';
import { COMPUTED_SOURCES } from './computed.sources.js';
import { FREQUENCIES } from './strategy.periods.js';
import { DIRECTIONS, parseValue, UNITS, type Unit } from './strategy.values.js';

/** One zod schema per user action of the strategy module; the service checks the business rules. */

const code = () =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v),
    z
      .string({ error: 'validation:required' })
      .min(1, 'validation:required')
      .max(20)
      .regex(/^[A-Z0-9][A-Z0-9._-]*$/, 'strategy:validation.code'),
  );

/** A KPI value typed by a person, checked against what the unit allows, as an exact scaled integer. */
export const kpiValue = (unit: Unit) =>
  z
    .preprocess((v) => (typeof v === 'string' ? v : v === undefined ? '' : String(v)), z.string())
    .transform((s, ctx) => {
      const r = parseValue(s, unit);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: r.key, params: r.params });
        return z.NEVER;
      }
      return r.value;
    });

const periodKey = () =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v),
    z
      .string({ error: 'validation:required' })
      .min(1, 'validation:required')
      .max(8, 'strategy:validation.period'),
  );

export const strategySchema = z
  .object({
    nameEn: text(300),
    nameAr: text(300),
    descriptionEn: optionalText(4000),
    descriptionAr: optionalText(4000),
    startYear: int(1990, 2100),
    endYear: int(1990, 2100),
  })
  .refine((s) => s.endYear >= s.startYear, { path: ['endYear'], message: 'strategy:validation.yearOrder' });
export type StrategyInput = z.output<typeof strategySchema>;
export const strategyUpdateSchema = z.intersection(strategySchema, z.object({ version: version() }));

export const objectiveSchema = z.object({
  strategyId: id(),
  code: code(),
  nameEn: text(300),
  nameAr: text(300),
  descriptionEn: optionalText(4000),
  descriptionAr: optionalText(4000),
  ownerId: optionalId(),
  sortOrder: z.preprocess((v) => (v === '' || v === undefined ? 0 : v), int(0, 10000)),
});
export type ObjectiveInput = z.output<typeof objectiveSchema>;
export const objectiveUpdateSchema = objectiveSchema.extend({ version: version() });

/** "program:12" or "project:34", as the link form's select sends it. */
const linkTarget = () =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z
      .string({ error: 'validation:required' })
      .min(1, 'validation:required')
      .regex(/^(program|project):[1-9]\d{0,9}$/, 'validation:choice')
      .transform((s) => {
        const [kind, n] = s.split(':');
        return { kind: kind as 'program' | 'project', id: Number(n) };
      }),
  );

export const linkSchema = z.object({
  objectiveId: id(),
  target: linkTarget(),
  noteEn: optionalText(500),
  noteAr: optionalText(500),
});
export type LinkInput = z.output<typeof linkSchema>;

export const linkUpdateSchema = z.object({
  noteEn: optionalText(500),
  noteAr: optionalText(500),
  version: version(),
});
export type LinkUpdateInput = z.output<typeof linkUpdateSchema>;

/** The KPI form; the baseline value is checked against the chosen unit. */
export const kpiSchema = z
  .object({
    code: code(),
    nameEn: text(300),
    nameAr: text(300),
    unit: choice(UNITS),
    direction: choice(DIRECTIONS),
    baselineValue: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string()),
    baselineDate: date(),
    frequency: choice(FREQUENCIES),
    ownerId: optionalId(),
    dataSourceEn: optionalText(2000),
    dataSourceAr: optionalText(2000),
    sourceKey: optionalChoice(COMPUTED_SOURCES),
    sortOrder: z.preprocess((v) => (v === '' || v === undefined ? 0 : v), int(0, 10000)),
  })
  .transform((k, ctx) => {
    const r = parseValue(k.baselineValue, k.unit);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', path: ['baselineValue'], message: r.key, params: r.params });
      return z.NEVER;
    }
    return { ...k, baselineValue: r.value };
  });
export type KpiInput = z.output<typeof kpiSchema>;
export const kpiVersionSchema = z.object({ version: version() });

export const targetSchema = (unit: Unit) => z.object({ periodKey: periodKey(), value: kpiValue(unit) });
export type TargetInput = z.output<ReturnType<typeof targetSchema>>;
export const targetUpdateSchema = (unit: Unit) => z.object({ value: kpiValue(unit), version: version() });

export const measurementSchema = (unit: Unit) =>
  z.object({
    periodKey: periodKey(),
    value: kpiValue(unit),
    comment: optionalText(2000),
    /** The value the person saw and is correcting (optimistic check); blank for a first value. */
    replaces: optionalId(),
  });
export type MeasurementInput = z.output<ReturnType<typeof measurementSchema>>;

export const openCycleSchema = z.object({ periodKey: periodKey() });

export const reviewEntrySchema = z.object({
  summary: text(8000),
  decisions: optionalText(8000),
  /** 0 for a new entry, else the version the form was opened with. */
  version: z.preprocess((v) => (v === '' || v === undefined ? 0 : v), int(0, 2147483647)),
});
export type ReviewEntryInput = z.output<typeof reviewEntrySchema>;

export const reviewActionSchema = z.object({
  description: text(2000),
  ownerId: id(),
  dueDate: date(),
});
export type ReviewActionInput = z.output<typeof reviewActionSchema>;

export const versionSchema = z.object({ version: version() });

export const exportFormatSchema = z.enum(['csv', 'xlsx']);

export const linkPrefillSchema = z.object({
  objective: optionalId().catch(undefined),
  project: optionalId().catch(undefined),
  program: optionalId().catch(undefined),
});

export const measurementPrefillSchema = z.object({ period: optionalText(8).catch(undefined) });
