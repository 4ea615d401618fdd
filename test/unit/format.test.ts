import { expect } from 'chai';
import { formatDate, formatMoney, moneyInputValue, parseMoney } from '../../src/i18n/format.js';

describe('formatting', () => {
  it('keeps money exact in minor units (BHD has three decimals)', () => {
    expect(parseMoney('1,250.5', 'BHD')).to.equal(1250500);
    expect(parseMoney('0.001', 'BHD')).to.equal(1);
    expect(parseMoney('12', 'BHD')).to.equal(12000);
    expect(parseMoney('1.2345', 'BHD')).to.equal(null);
    expect(parseMoney('abc', 'BHD')).to.equal(null);
    expect(parseMoney('-5', 'BHD')).to.equal(null);
    expect(parseMoney('10.5', 'USD')).to.equal(1050);
    expect(moneyInputValue(1250500, 'BHD')).to.equal('1250.500');
    expect(formatMoney('en', 1250500, 'BHD')).to.match(/^BHD\s1,250\.500$/);
    expect(formatMoney('ar', 1250500, 'BHD'))
      .to.contain('1,250.500')
      .and.contain('دينار');
  });

  it('writes dates day first, with Arabic month names in Arabic', () => {
    expect(formatDate('en', '2026-03-05')).to.equal('5 Mar 2026');
    expect(formatDate('ar', '2026-03-05')).to.equal('5 مارس 2026');
    expect(formatDate('en', null)).to.equal('');
  });
});
