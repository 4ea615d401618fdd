import { expect } from 'chai';
import { translator } from '../../src/i18n/index.js';

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
