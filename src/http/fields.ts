import { z } from 'zod';
import { parseMoney, currencyDecimals } from '../i18n/format.js';

/**
 * Zod building blocks for HTML form fields (everything arrives as a string; an empty field is
 * "not given"). Messages are message keys, translated by the form renderer.
 */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const trim = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

export const text = (max = 200) =>
  z.preprocess(trim, z.string({ error: 'validation:required' }).min(1, 'validation:required').max(max));

export const optionalText = (max = 2000) =>
  z.preprocess(blankToUndefined, z.string().trim().max(max).optional());

export const email = () =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
    z
      .string({ error: 'validation:required' })
      .min(1, 'validation:required')
      .pipe(z.email('validation:email'))
      .pipe(z.string().max(254)),
  );

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
function validDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(s + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const date = () =>
  z.preprocess(
    trim,
    z
      .string({ error: 'validation:required' })
      .min(1, 'validation:required')
      .refine(validDate, 'validation:date'),
  );

export const optionalDate = () =>
  z.preprocess(blankToUndefined, z.string().refine(validDate, 'validation:date').optional());

// A blank field is "not given"; text becomes a number (NaN when it is not one). Only a missing or
// non-numeric value gets these messages: a number out of range keeps zod's too_small / too_big
// issue, which names the bound ("at most 100").
const toNumber = (v: unknown) => {
  const b = blankToUndefined(v);
  return typeof b === 'string' ? Number(b.trim()) : b;
};
const numberError = (missing: string) => (iss: { code: string; input?: unknown }) =>
  iss.code === 'invalid_type' ? (iss.input === undefined ? missing : 'validation:number') : undefined;

export const int = (min: number, max: number) =>
  z.preprocess(
    toNumber,
    z
      .number({ error: numberError('validation:required') })
      .int('validation:integer')
      .min(min)
      .max(max),
  );

export const optionalInt = (min: number, max: number) =>
  z.preprocess(
    toNumber,
    z
      .number({ error: numberError('validation:number') })
      .int('validation:integer')
      .min(min)
      .max(max)
      .optional(),
  );

/** A database id in a path, query or select: a positive integer or nothing matches. */
export const id = () =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'validation:required' })
      .int('validation:id')
      .min(1, 'validation:id')
      .max(2147483647, 'validation:id'),
  );

export const optionalId = () =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number()
      .int('validation:id')
      .min(1, 'validation:id')
      .max(2147483647, 'validation:id')
      .optional(),
  );

export const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(trim, z.enum(values, { error: 'validation:choice' }));

export const optionalChoice = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(blankToUndefined, z.enum(values, { error: 'validation:choice' }).optional());

/** A checkbox: present ("on", "1", "true") or absent. */
export const checkbox = () =>
  z.preprocess((v) => v === 'on' || v === '1' || v === 'true' || v === true, z.boolean());

/** A decimal amount typed by a person, returned in exact minor units of the currency. */
export const money = (currency: string) =>
  z
    .preprocess(trim, z.string({ error: 'validation:required' }).min(1, 'validation:required'))
    .transform((s, ctx) => {
      const minor = parseMoney(s, currency);
      if (minor === null) {
        ctx.addIssue({
          code: 'custom',
          message: 'validation:money',
          params: { decimals: currencyDecimals(currency) },
        });
        return z.NEVER;
      }
      return minor;
    });

export const optionalMoney = (currency: string) =>
  z.preprocess(blankToUndefined, z.string().optional()).transform((s, ctx) => {
    if (s === undefined) return undefined;
    const minor = parseMoney(s, currency);
    if (minor === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'validation:money',
        params: { decimals: currencyDecimals(currency) },
      });
      return z.NEVER;
    }
    return minor;
  });

/** A version number echoed by an edit form for optimistic locking. */
export const version = () => int(1, 2147483647);
