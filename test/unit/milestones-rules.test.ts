import { expect } from 'chai';
import {
  changesBetween,
  expectedDate,
  settleProgress,
} from '../../src/modules/milestones/milestones.rules.js';

const today = '2026-11-15';
const open = { percentComplete: 40, forecastDate: null, actualDate: null, status: 'in_progress' as const };

describe('milestone rules', () => {
  describe('settleProgress', () => {
    it('accepts a consistent open milestone as it is', () => {
      const r = settleProgress(open, today);
      expect(r.errors).to.deep.equal({});
      expect(r.values).to.deep.equal(open);
    });

    it('completed means 100 % and an actual date, today when none is given', () => {
      const r = settleProgress({ ...open, status: 'completed' }, today);
      expect(r.errors).to.deep.equal({});
      expect(r.values.percentComplete).to.equal(100);
      expect(r.values.actualDate).to.equal(today);
      const given = settleProgress({ ...open, status: 'completed', actualDate: '2026-11-01' }, today);
      expect(given.values.actualDate).to.equal('2026-11-01');
    });

    it('refuses an actual date in the future, even for a completed milestone', () => {
      const r = settleProgress({ ...open, status: 'completed', actualDate: '2026-11-16' }, today);
      expect(r.errors.actualDate).to.equal('milestones:rules.actualInFuture');
      expect(settleProgress({ ...open, status: 'completed', actualDate: today }, today).errors).to.deep.equal(
        {},
      );
    });

    it('refuses an actual date on a milestone that is not completed', () => {
      for (const status of ['not_started', 'in_progress', 'cancelled'] as const) {
        const r = settleProgress({ ...open, percentComplete: 0, status, actualDate: '2026-11-01' }, today);
        expect(r.errors.actualDate, status).to.equal('milestones:rules.actualOnlyWhenCompleted');
      }
    });

    it('a milestone not started has no progress', () => {
      const r = settleProgress({ ...open, status: 'not_started' }, today);
      expect(r.errors.percentComplete).to.equal('milestones:rules.notStartedHasProgress');
      expect(
        settleProgress({ ...open, status: 'not_started', percentComplete: 0 }, today).errors,
      ).to.deep.equal({});
    });

    it('keeps percent complete within 0–100', () => {
      expect(settleProgress({ ...open, percentComplete: 101 }, today).errors.percentComplete).to.equal(
        'milestones:rules.percentRange',
      );
      expect(settleProgress({ ...open, percentComplete: -1 }, today).errors.percentComplete).to.equal(
        'milestones:rules.percentRange',
      );
    });

    it('refuses a new forecast in the past for an open milestone, not an unchanged one', () => {
      const past = { ...open, forecastDate: '2026-11-01' };
      expect(settleProgress(past, today).errors.forecastDate).to.equal('milestones:rules.forecastInPast');
      expect(settleProgress(past, today, { forecastDate: null }).errors.forecastDate).to.equal(
        'milestones:rules.forecastInPast',
      );
      expect(settleProgress(past, today, { forecastDate: '2026-11-01' }).errors).to.deep.equal({});
      expect(settleProgress({ ...past, forecastDate: today }, today).errors).to.deep.equal({});
      // a done milestone's old forecast is history, not a forecast
      expect(settleProgress({ ...past, status: 'completed' }, today).errors).to.deep.equal({});
    });
  });

  it('changesBetween lists field → [before, after] for changed fields only, undefined as null', () => {
    expect(
      changesBetween(
        { a: 1, b: 'x', c: null, d: 'same' },
        { a: 2, b: 'x', c: undefined as unknown as null, d: 'same' },
      ),
    ).to.deep.equal({ a: [1, 2] });
    expect(changesBetween<Record<string, unknown>>({ f: null }, { f: '2026-01-01' })).to.deep.equal({
      f: [null, '2026-01-01'],
    });
  });

  it('expectedDate: actual, else forecast, else planned', () => {
    expect(expectedDate({ plannedDate: 'p', forecastDate: 'f', actualDate: 'a' })).to.equal('a');
    expect(expectedDate({ plannedDate: 'p', forecastDate: 'f', actualDate: null })).to.equal('f');
    expect(expectedDate({ plannedDate: 'p', forecastDate: null, actualDate: null })).to.equal('p');
  });
});
