import { expect } from 'chai';
import { addDays, reportDueState } from '../../src/modules/portfolio/portfolio.rules.js';
import { overdueCutoffs, reportablePeriods } from '../../src/modules/status-reports/status-reports.rules.js';

describe('status report rules', () => {
  describe('reportablePeriods', () => {
    it('monthly: the previous month when it has no report, then the current month', () => {
      expect(reportablePeriods('monthly', '2026-11-15', [], '2026-01-01')).to.deep.equal([
        { start: '2026-10-01', end: '2026-10-31' },
        { start: '2026-11-01', end: '2026-11-30' },
      ]);
      expect(reportablePeriods('monthly', '2026-11-15', ['2026-10-31'], '2026-01-01')).to.deep.equal([
        { start: '2026-11-01', end: '2026-11-30' },
      ]);
      expect(reportablePeriods('monthly', '2026-11-15', ['2026-11-30', '2026-10-31'], null)).to.deep.equal(
        [],
      );
    });

    it('weekly periods run Sunday to Saturday', () => {
      // 2026-11-15 is a Sunday
      expect(reportablePeriods('weekly', '2026-11-18', [], null)).to.deep.equal([
        { start: '2026-11-08', end: '2026-11-14' },
        { start: '2026-11-15', end: '2026-11-21' },
      ]);
    });

    it('a project that started after the previous period owes nothing for it', () => {
      expect(reportablePeriods('monthly', '2026-11-15', [], '2026-11-03')).to.deep.equal([
        { start: '2026-11-01', end: '2026-11-30' },
      ]);
    });
  });

  describe('overdueCutoffs', () => {
    it('names the previous period end once the grace days have passed', () => {
      expect(overdueCutoffs('2026-11-03', 3)).to.deep.equal({ weekly: null, monthly: null });
      expect(overdueCutoffs('2026-11-04', 3)).to.deep.equal({ weekly: '2026-10-31', monthly: '2026-10-31' });
    });

    it('agrees with reportDueState on every day of a year, for both frequencies', () => {
      const cases: [string | null, string | null][] = [
        [null, null],
        ['2026-03-31', '2026-01-01'],
        ['2026-06-30', null],
        [null, '2026-09-20'],
      ];
      for (let day = '2026-01-01'; day < '2027-01-01'; day = addDays(day, 1)) {
        const cut = overdueCutoffs(day, 3);
        for (const f of ['weekly', 'monthly'] as const) {
          for (const [latest, start] of cases) {
            const expected = reportDueState(f, latest, day, 3, start) === 'overdue';
            const c = cut[f];
            const byCutoff = c !== null && (latest === null || latest < c) && (start === null || start <= c);
            expect(byCutoff, `${f} ${day} latest=${latest} start=${start}`).to.equal(expected);
          }
        }
      }
    });
  });
});
