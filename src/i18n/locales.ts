export const LOCALES = ['en', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(v: unknown): v is Locale {
  return v === 'en' || v === 'ar';
}

export function dirOf(locale: Locale): 'ltr' | 'rtl' {
  return locale === 'ar' ? 'rtl' : 'ltr';
}

/** Picks the name in the reader's language from a bilingual pair, falling back to the other. */
export function pick(locale: Locale, ar: string | null | undefined, en: string | null | undefined): string {
  return (locale === 'ar' ? ar || en : en || ar) ?? '';
}
