import { z } from 'zod';
import { CODE_PATTERN } from './portfolio.values.js';

/** A program or project code, typed in any case and stored upper-case. */
export const code = () =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v),
    z
      .string({ error: 'validation:required' })
      .min(1, 'validation:required')
      .regex(CODE_PATTERN, 'portfolio:validation.code'),
  );

/** A refinement: the end date (when both are given) is on or after the start date. */
export function endNotBeforeStart<K extends string>(start: K, end: K) {
  return (v: Partial<Record<K, unknown>>, ctx: z.RefinementCtx) => {
    const s = v[start];
    const e = v[end];
    if (typeof s === 'string' && typeof e === 'string' && e < s)
      ctx.addIssue({ code: 'custom', path: [end], message: 'validation:dateOrder' });
  };
}

/**
 * Optional multi-line text from a textarea. Browsers send line breaks as CRLF; they are stored as
 * LF so that saving an untouched form changes nothing.
 */
export const multiline = (max = 4000) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v.replace(/\r\n?/g, '\n').trim() === ''
          ? undefined
          : v.replace(/\r\n?/g, '\n').trim()
        : v,
    z.string().max(max).optional(),
  );
