import { expect } from 'chai';
import {
  formatPlain,
  fromNumber,
  parseValue,
  percentScaled,
} from '../../src/modules/strategy/strategy.values.js';
import {
  nextPeriod,
  parsePeriodKey,
  periodOf,
  periodProblem,
  periodsBetween,
  previousPeriod,
} from '../../src/modules/strategy/strategy.periods.js';

describe('strategy values: exact decimals', () => {
  it('parses what a person types into exact scaled integers', () => {
    expect(parseValue('87.5', 'percent')).to.deep.equal({ ok: true, value: 875000 });
    expect(parseValue(' 0.07 ', 'percent')).to.deep.equal({ ok: true, value: 700 });
    expect(parseValue('100', 'percent')).to.deep.equal({ ok: true, value: 1000000 });
    expect(parseValue('1,250', 'count')).to.deep.equal({ ok: true, value: 12500000 });
    expect(parseValue('١٢٫٥', 'days')).to.deep.equal({ ok: true, value: 125000 });
    expect(parseValue('1250.125', 'currency')).to.deep.equal({ ok: true, value: 12501250 });
    // 0.1 + 0.2 style drift cannot happen: 0.3 is 3000
    expect(parseValue('0.3', 'score')).to.deep.equal({ ok: true, value: 3000 });
  });

  it('refuses what the unit does not allow, with a reason', () => {
    expect(parseValue('100.01', 'percent')).to.deep.include({
      ok: false,
      key: 'strategy:values.percentRange',
    });
    expect(parseValue('-1', 'count')).to.deep.include({ ok: false, key: 'strategy:values.negative' });
    expect(parseValue('-0.5', 'percent')).to.deep.include({ ok: false, key: 'strategy:values.negative' });
    expect(parseValue('1.5', 'count')).to.deep.include({ ok: false, key: 'strategy:values.wholeNumber' });
    expect(parseValue('12.345', 'percent')).to.deep.include({ ok: false, key: 'strategy:values.decimals' });
    expect(parseValue('about ten', 'count')).to.deep.include({ ok: false, key: 'strategy:values.notNumber' });
    expect(parseValue('1e3', 'count')).to.deep.include({ ok: false, key: 'strategy:values.notNumber' });
    expect(parseValue('', 'count')).to.deep.include({ ok: false, key: 'validation:required' });
    expect(parseValue('123456789012', 'count')).to.deep.include({
      ok: false,
      key: 'strategy:values.tooLarge',
    });
  });

  it('writes scaled integers back as plain decimals', () => {
    expect(formatPlain(875000)).to.equal('87.5');
    expect(formatPlain(120000)).to.equal('12');
    expect(formatPlain(3)).to.equal('0.0003');
    expect(formatPlain(null)).to.equal('');
  });

  it('computes percentages exactly, rounding half up at four decimals', () => {
    expect(percentScaled(2, 3)).to.equal(666667); // 66.6667 %
    expect(percentScaled(1, 3)).to.equal(333333);
    expect(percentScaled(1, 8)).to.equal(125000);
    expect(percentScaled(0, 5)).to.equal(0);
    expect(percentScaled(5, 5)).to.equal(1000000);
    expect(fromNumber(3.5)).to.equal(35000);
    expect(fromNumber(2.00005)).to.equal(20001);
  });
});

describe('strategy periods', () => {
  it('names months, quarters and years', () => {
    expect(parsePeriodKey('2026-M03')).to.include({
      frequency: 'monthly',
      start: '2026-03-01',
      end: '2026-03-31',
    });
    expect(parsePeriodKey('2024-M02')?.end).to.equal('2024-02-29');
    expect(parsePeriodKey('2026-Q1')).to.include({
      frequency: 'quarterly',
      start: '2026-01-01',
      end: '2026-03-31',
    });
    expect(parsePeriodKey('2026-q4')?.end).to.equal('2026-12-31');
    expect(parsePeriodKey('2026')).to.include({
      frequency: 'yearly',
      start: '2026-01-01',
      end: '2026-12-31',
    });
    for (const bad of ['2026-M13', '2026-Q5', '2026-03', 'Q1', '', '26', '2026-M3', 'x'])
      expect(parsePeriodKey(bad), bad).to.equal(null);
  });

  it('steps between periods and finds the period of a day', () => {
    expect(periodOf('quarterly', '2026-11-28').key).to.equal('2026-Q4');
    expect(periodOf('monthly', '2026-11-28').key).to.equal('2026-M11');
    expect(nextPeriod(periodOf('quarterly', '2026-11-28')).key).to.equal('2027-Q1');
    expect(previousPeriod(periodOf('monthly', '2026-01-15')).key).to.equal('2025-M12');
    expect(periodsBetween('quarterly', '2024-12-31', '2025-11-02').map((p) => p.key)).to.deep.equal([
      '2025-Q1',
      '2025-Q2',
      '2025-Q3',
      '2025-Q4',
    ]);
    expect(periodsBetween('yearly', '2025-06-30', '2026-01-01').map((p) => p.key)).to.deep.equal([
      '2025',
      '2026',
    ]);
  });

  it('says why a period cannot be measured', () => {
    const today = '2026-11-28';
    expect(periodProblem('2026-Q3', 'quarterly', '2024-12-31', today)).to.equal(null);
    expect(periodProblem('2026-Q4', 'quarterly', '2024-12-31', today)).to.equal(null);
    expect(periodProblem('2027-Q1', 'quarterly', '2024-12-31', today)?.problem).to.equal('future');
    expect(periodProblem('2026-M03', 'quarterly', '2024-12-31', today)?.problem).to.equal('frequency');
    expect(periodProblem('2024-Q4', 'quarterly', '2024-12-31', today)?.problem).to.equal('beforeBaseline');
    expect(periodProblem('spring', 'quarterly', '2024-12-31', today)?.problem).to.equal('invalid');
  });
});
