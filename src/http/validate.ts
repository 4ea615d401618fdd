import type { z } from 'zod';
import { NotFoundError, ValidationError, type FieldErrors } from './errors.js';

type Issue = z.core.$ZodIssue;

/** Turns a zod issue into a message key and parameters in the validation namespace. */
function issueMessage(issue: Issue, input: unknown): { key: string; params?: Record<string, unknown> } {
  const msg = issue.message;
  if (msg && /^[a-z]+:[\w.]+$/.test(msg)) {
    const params = (issue as { params?: Record<string, unknown> }).params;
    if (msg === 'validation:required' || input === undefined) return { key: 'validation:required' };
    return { key: msg, params };
  }
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined || input === ''
        ? { key: 'validation:required' }
        : { key: 'validation:invalid' };
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? { key: 'validation:required' }
          : { key: 'validation:tooShort', params: { min: issue.minimum } };
      return { key: 'validation:tooSmall', params: { min: issue.minimum } };
    case 'too_big':
      if (issue.origin === 'string') return { key: 'validation:tooLong', params: { max: issue.maximum } };
      return { key: 'validation:tooBig', params: { max: issue.maximum } };
    case 'invalid_value':
      return { key: 'validation:choice' };
    case 'invalid_format':
      return { key: issue.format === 'email' ? 'validation:email' : 'validation:invalid' };
    default:
      return { key: 'validation:invalid' };
  }
}

export function toFieldErrors(error: z.ZodError, input: unknown): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? issue.path.map(String).join('.') : '_form';
    let value: unknown = input;
    for (const p of issue.path)
      value =
        value && typeof value === 'object'
          ? (value as Record<PropertyKey, unknown>)[p as PropertyKey]
          : undefined;
    (out[field] ??= []).push(issueMessage(issue, value));
  }
  return out;
}

/** Parses user input with a schema, or throws a ValidationError carrying field messages. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new ValidationError(toFieldErrors(result.error, input));
}

/** A numeric id from the path; anything else is a page that does not exist. */
export function paramId(value: unknown): number {
  const s = String(value ?? '');
  if (!/^[1-9]\d{0,9}$/.test(s) || Number(s) > 2147483647) throw new NotFoundError();
  return Number(s);
}
