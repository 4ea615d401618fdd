import { expect } from 'chai';
import { i18n, translator } from '../../src/i18n/index.js';

describe('translator: remembered lookups', () => {
  it('gives the same text for a key asked twice, with or without an empty options object', () => {
    const t = translator('ar');
    const first = t('errors:404.title');
    expect(first).to.equal('الصفحة غير موجودة');
    expect(t('errors:404.title')).to.equal(first);
    expect(t('errors:404.title', {})).to.equal(first);
  });

  it('still interpolates parameters on every call, and keeps the languages apart', () => {
    const en = translator('en');
    expect(en('errors:413.message', { limit: '5 MB' })).to.contain('5 MB');
    expect(en('errors:413.message', { limit: '9 MB' })).to.contain('9 MB');
    expect(en('errors:404.title')).to.equal('Page not found');
    expect(translator('en')).to.equal(en);
  });
});

describe('translator: messages with parameters filled without i18next', () => {
  /** Every message of every catalogue, as 'ns:dotted.key' → text. */
  function messages(locale: 'en' | 'ar'): [string, string][] {
    const out: [string, string][] = [];
    const walk = (ns: string, prefix: string, node: unknown) => {
      if (typeof node === 'string') out.push([`${ns}:${prefix}`, node]);
      else if (node && typeof node === 'object')
        for (const [k, v] of Object.entries(node)) walk(ns, prefix ? `${prefix}.${k}` : k, v);
    };
    const store = i18n().store.data[locale] as Record<string, unknown>;
    for (const [ns, tree] of Object.entries(store)) walk(ns, '', tree);
    return out;
  }

  for (const locale of ['en', 'ar'] as const) {
    it(`gives exactly what i18next gives for every ${locale} message with parameters`, () => {
      const t = translator(locale);
      const plain = i18n().getFixedT(locale);
      let checked = 0;
      for (const [key, text] of messages(locale)) {
        const names = [...text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]);
        if (!names.length) continue;
        const params: Record<string, unknown> = {};
        names.forEach((n, i) => (params[n.replace(/^-\s*/, '')] = i % 2 ? 1234.5 : `«v${i}»`));
        expect(t(key, params), key).to.equal(plain(key, params));
        checked++;
      }
      expect(checked).to.be.greaterThan(50);
    });
  }

  it('leaves plurals, missing values and other options to i18next', () => {
    const t = translator('en');
    const plain = i18n().getFixedT('en');
    expect(t('errors:413.message', {})).to.equal(plain('errors:413.message', {}));
    expect(t('errors:413.message', { limit: { a: 1 } })).to.equal(
      plain('errors:413.message', { limit: { a: 1 } }),
    );
    expect(t('errors:413.message', { limit: '5 MB', lng: 'ar' })).to.equal(
      plain('errors:413.message', { limit: '5 MB', lng: 'ar' }),
    );
  });
});
