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

export function translator(locale: Locale): TFunction {
  return i18n().getFixedT(locale);
}
