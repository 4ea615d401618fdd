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
  if (!t) translators.set(locale, (t = remembering(i18n().getFixedT(locale))));
  return t;
}

const REMEMBER_AT_MOST = 10_000;

function remembering(t: TFunction): TFunction {
  const known = new Map<string, unknown>();
  const call = t as unknown as (...args: unknown[]) => unknown;
  const fn = (key: unknown, ...rest: unknown[]) => {
    const plain =
      typeof key === 'string' &&
      (rest.length === 0 ||
        (rest.length === 1 &&
          typeof rest[0] === 'object' &&
          rest[0] !== null &&
          Object.getPrototypeOf(rest[0]) === Object.prototype &&
          Object.keys(rest[0]).length === 0));
    if (!plain) return call(key, ...rest);
    if (known.has(key)) return known.get(key);
    const value = call(key);
    if (known.size < REMEMBER_AT_MOST) known.set(key, value);
    return value;
  };
  return Object.assign(fn, t) as unknown as TFunction;
}
