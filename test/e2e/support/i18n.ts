import { translator } from '../../../src/i18n/index.js';
import { LOCALES, type Locale } from '../../../src/i18n/locales.js';

export { LOCALES, type Locale };

/** A label from the application's own catalogues, so selectors follow the words the user reads. */
export function label(locale: Locale, key: string, params?: Record<string, unknown>): string {
  return translator(locale)(key, params ?? {}) as string;
}

/** Escapes text for use inside a RegExp (labels matched exactly, ignoring a trailing "*"). */
export function exact(text: string): RegExp {
  return new RegExp('^\\s*' + text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\s*\\*?\\s*$');
}

/** An accessible name made of these parts in order, whatever the white space between them. */
export function words(...parts: string[]): RegExp {
  return new RegExp(
    '^\\s*' + parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s*') + '\\s*$',
  );
}
