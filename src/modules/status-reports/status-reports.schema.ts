import { z } from 'zod';
import { choice, date, optionalText, text } from '../../http/fields.js';
import { RAGS } from './status-reports.rules.js';

const nullable = (v: string | undefined): string | null => (v === undefined ? null : v);

/** Submitting a status report (the project's manager). The period is named by its first day. */
export const submitReportSchema = z
  .object({
    periodStart: date(),
    overallRag: choice(RAGS),
    scheduleRag: choice(RAGS),
    budgetRag: choice(RAGS),
    scopeRag: choice(RAGS),
    riskRag: choice(RAGS),
    summary: text(4000),
    achievements: optionalText(4000),
    nextSteps: optionalText(4000),
    escalations: optionalText(4000),
  })
  .transform((v) => ({
    ...v,
    achievements: nullable(v.achievements),
    nextSteps: nullable(v.nextSteps),
    escalations: nullable(v.escalations),
  }));
export type SubmitReportInput = z.output<typeof submitReportSchema>;
