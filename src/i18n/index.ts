import i18next, { type i18n as I18n, type Resource, type ResourceLanguage, type TFunction } from 'i18next';
import type { Catalogue } from './bilingual.js';
import { resources as catalogues } from './resources.js';
import { LOCALES, type Locale } from './locales.js';

export type { Locale } from './locales.js';
export type T = TFunction;

let instance: I18n | undefined;

/** Builds the i18next instance once, from the in-memory catalogues (no files read at run time). */
export function i18n(): I18n {
  if (instance) return instance;
  const resources: Resource = { en: {}, ar: {} };
  for (const [ns, cat] of Object.entries(catalogues as Record<string, Catalogue>)) {
    for (const lng of LOCALES)
      (resources[lng] as Record<string, ResourceLanguage>)[ns] = cat[lng] as ResourceLanguage;
  }
  const inst = i18next.createInstance();
  void inst.init({
    resources,
    lng: 'en',
    fallbackLng: false,
    ns: Object.keys(catalogues),
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  instance = inst;
  return inst;
}

const translators = new Map<Locale, TFunction>();

/**
 * The translation function of a language. The catalogues never change while the server runs, so
 * a message asked for by its key alone (no parameters) is looked up once and then remembered:
 * pages call t() hundreds of times (labels in every table row), and each i18next lookup costs
 * microseconds (found by the benchmark).
 */
export function translator(locale: Locale): TFunction {
  let t = translators.get(locale);
  if (!t) translators.set(locale, (t = remembering(i18n().getFixedT(locale), locale)));
  return t;
}

const REMEMBER_AT_MOST = 10_000;

/** Options that change what i18next looks up (plurals, context, language): left to i18next. */
const LOOKUP_OPTIONS = new Set([
  'count',
  'context',
  'ordinal',
  'lng',
  'lngs',
  'ns',
  'defaultValue',
  'returnObjects',
  'returnDetails',
  'keySeparator',
  'nsSeparator',
  'interpolation',
  'replace',
  'postProcess',
]);

type Filler = (params: Record<string, unknown>) => string | undefined;

/**
 * A message's text split at its `{{name}}` places, filled without i18next: interpolating through
 * i18next costs tens of microseconds a call, and a table row may ask for several messages with
 * parameters. Only plain messages qualify (no nesting, formats or deep names); a filler answers
 * undefined when a value is missing or not a string or number, and i18next then does the work.
 */
function fillerOf(locale: Locale, key: string): Filler | null {
  const at = key.indexOf(':');
  const ns = at > 0 ? key.slice(0, at) : 'common';
  const path = at > 0 ? key.slice(at + 1) : key;
  const raw = i18n().getResource(locale, ns, path) as unknown;
  if (typeof raw !== 'string' || raw.includes('$t(')) return null;
  const parts = raw.split(/\{\{\s*([^{}]*?)\s*\}\}/);
  const names = parts.filter((_, i) => i % 2 === 1);
  if (names.some((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n) || n === '-')) return null;
  return (params) => {
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      if (i % 2 === 0) out += parts[i];
      else {
        const v = params[parts[i]];
        if (typeof v === 'string') out += v;
        else if (typeof v === 'number') out += String(v);
        else return undefined;
      }
    }
    return out;
  };
}

function remembering(t: TFunction, locale: Locale): TFunction {
  const known = new Map<string, unknown>();
  const fillers = new Map<string, Filler | null>();
  const call = t as unknown as (...args: unknown[]) => unknown;
  const fn = (key: unknown, ...rest: unknown[]) => {
    if (typeof key !== 'string' || rest.length > 1) return call(key, ...rest);
    const opts = rest[0];
    if (opts !== undefined) {
      if (typeof opts !== 'object' || opts === null || Object.getPrototypeOf(opts) !== Object.prototype)
        return call(key, ...rest);
      const names = Object.keys(opts);
      if (names.length > 0) {
        if (names.some((n) => LOOKUP_OPTIONS.has(n))) return call(key, ...rest);
        let filler = fillers.get(key);
        if (filler === undefined) {
          filler = fillerOf(locale, key);
          if (fillers.size < REMEMBER_AT_MOST) fillers.set(key, filler);
        }
        const filled = filler?.(opts as Record<string, unknown>);
        return filled === undefined ? call(key, ...rest) : filled;
      }
    }
    if (known.has(key)) return known.get(key);
    const value = call(key);
    if (known.size < REMEMBER_AT_MOST) known.set(key, value);
    return value;
  };
  return Object.assign(fn, t) as unknown as TFunction;
}
