import { z } from 'zod';
import { choice, id, money, optionalDate, optionalId, text, version } from '../../http/fields.js';
import { code, endNotBeforeStart, multiline } from '../portfolio/portfolio.fields.js';
import { PRIORITIES, PROJECT_STATUSES, REPORT_FREQUENCIES } from '../portfolio/portfolio.values.js';

/**
 * What each kind of editor may write (the "contract" of a project edit). PMO officers and
 * administrators write every field except the phase, which moves only through an approved gate
 * request. The project's manager writes only the PM fields; the team has its own page.
 */
export const GOVERNANCE_FIELDS = [
  'code',
  'programId',
  'nameEn',
  'nameAr',
  'descriptionEn',
  'descriptionAr',
  'scope',
  'managerId',
  'sponsorId',
  'status',
  'priority',
  'reportFrequency',
  'plannedStart',
  'plannedEnd',
  'actualStart',
  'actualEnd',
  'budgetPlanned',
  'budgetActual',
] as const;
export type ProjectField = (typeof GOVERNANCE_FIELDS)[number] | 'phase';

export const PM_FIELDS = [
  'descriptionEn',
  'descriptionAr',
  'actualStart',
  'actualEnd',
  'budgetActual',
  'reportFrequency',
] as const satisfies readonly ProjectField[];

/** Form keys that are not project fields (the CSRF token, the optimistic-lock version). */
export const FORM_KEYS = ['_csrf', 'version'] as const;

function actualDates(v: { actualStart?: string; actualEnd?: string }, ctx: z.RefinementCtx) {
  if (v.actualEnd && !v.actualStart)
    ctx.addIssue({ code: 'custom', path: ['actualStart'], message: 'projects:validation.actualStartFirst' });
  endNotBeforeStart('actualStart', 'actualEnd')(v, ctx);
}

const cache = new Map<string, ReturnType<typeof build>>();

function build(currency: string) {
  const fields = {
    code: code(),
    programId: id(),
    nameEn: text(200),
    nameAr: text(200),
    descriptionEn: multiline(4000),
    descriptionAr: multiline(4000),
    scope: multiline(8000),
    managerId: optionalId(),
    sponsorId: optionalId(),
    status: choice(PROJECT_STATUSES),
    priority: choice(PRIORITIES),
    reportFrequency: choice(REPORT_FREQUENCIES),
    plannedStart: optionalDate(),
    plannedEnd: optionalDate(),
    actualStart: optionalDate(),
    actualEnd: optionalDate(),
    budgetPlanned: money(currency),
    budgetActual: money(currency),
  };
  const refine = (v: z.output<z.ZodObject<typeof fields>>, ctx: z.RefinementCtx) => {
    endNotBeforeStart('plannedStart', 'plannedEnd')(v, ctx);
    actualDates(v, ctx);
  };
  const pmFields = {
    descriptionEn: fields.descriptionEn,
    descriptionAr: fields.descriptionAr,
    actualStart: fields.actualStart,
    actualEnd: fields.actualEnd,
    budgetActual: fields.budgetActual,
    reportFrequency: fields.reportFrequency,
  } satisfies Record<(typeof PM_FIELDS)[number], z.ZodType>;
  return {
    create: z.object(fields).superRefine(refine),
    update: z.object({ ...fields, version: version() }).superRefine(refine),
    pmUpdate: z.object({ ...pmFields, version: version() }).superRefine(actualDates),
  };
}

/** The project schemas for the configured currency (money fields are in its minor units). */
export function projectSchemas(currency: string) {
  let s = cache.get(currency);
  if (!s) cache.set(currency, (s = build(currency)));
  return s;
}

export type CreateProjectInput = z.output<ReturnType<typeof build>['create']>;
export type UpdateProjectInput = z.output<ReturnType<typeof build>['update']>;
export type PmUpdateProjectInput = z.output<ReturnType<typeof build>['pmUpdate']>;

export const addMemberSchema = z.object({
  userId: id(),
  roleEn: text(100),
  roleAr: text(100),
});
export type AddMemberInput = z.output<typeof addMemberSchema>;
