import { expect } from 'chai';
import {
  lateWeightPct,
  milestoneState,
  nextMilestoneDate,
  owesStatusReports,
  programRollup,
  projectHealth,
  projectProgress,
  reportDueState,
  reportPeriod,
  scheduleVarianceDays,
  type HealthThresholds,
  type MilestoneFacts,
} from '../../src/modules/portfolio/portfolio.rules.js';

const th: HealthThresholds = {
  amberLateWeightPct: 10,
  redLateWeightPct: 25,
  amberSlipDays: 7,
  redSlipDays: 30,
  atRiskDays: 14,
  statusReportGraceDays: 3,
};
const ms = (o: Partial<MilestoneFacts>): MilestoneFacts => ({
  plannedDate: '2026-06-30',
  forecastDate: null,
  actualDate: null,
  percentComplete: 0,
  weight: 1,
  status: 'not_started',
  ...o,
});

describe('portfolio rules', () => {
  describe('milestoneState', () => {
    it('late when today is past the planned date and it is not done', () => {
      expect(milestoneState(ms({}), '2026-07-01', 14)).to.equal('late');
      expect(milestoneState(ms({}), '2026-06-30', 14)).to.equal('at_risk');
    });
    it('late when the forecast is past the planned date', () => {
      expect(milestoneState(ms({ forecastDate: '2026-07-10' }), '2026-01-01', 14)).to.equal('late');
    });
    it('completed and cancelled are never late', () => {
      expect(
        milestoneState(ms({ status: 'completed', actualDate: '2026-08-01' }), '2026-09-01', 14),
      ).to.equal('completed');
      expect(milestoneState(ms({ status: 'cancelled' }), '2026-09-01', 14)).to.equal('cancelled');
    });
    it('at risk inside the window when less than half done; on track otherwise', () => {
      expect(milestoneState(ms({ percentComplete: 40 }), '2026-06-16', 14)).to.equal('at_risk');
      expect(milestoneState(ms({ percentComplete: 50 }), '2026-06-16', 14)).to.equal('on_track');
      expect(milestoneState(ms({}), '2026-06-15', 14)).to.equal('on_track');
    });
  });

  it('progress is weighted by milestone weight; completed counts 100, cancelled is left out', () => {
    expect(projectProgress([])).to.equal(0);
    expect(
      projectProgress([ms({ weight: 3, status: 'completed' }), ms({ weight: 1, percentComplete: 40 })]),
    ).to.equal(85);
    expect(
      projectProgress([ms({ weight: 1, percentComplete: 50 }), ms({ weight: 5, status: 'cancelled' })]),
    ).to.equal(50);
    expect(
      projectProgress([ms({ weight: 0, percentComplete: 20 }), ms({ weight: 0, percentComplete: 60 })]),
    ).to.equal(40);
  });

  it('schedule variance is the worst slip, or how far ahead the last milestone is', () => {
    expect(scheduleVarianceDays([ms({ plannedDate: '2026-06-30' })], '2026-07-10')).to.equal(10);
    expect(scheduleVarianceDays([ms({ forecastDate: '2026-07-30' })], '2026-01-01')).to.equal(30);
    expect(
      scheduleVarianceDays([ms({ status: 'completed', actualDate: '2026-06-25' })], '2026-07-10'),
    ).to.equal(-5);
    expect(
      scheduleVarianceDays(
        [ms({ status: 'completed', actualDate: '2026-07-05' }), ms({ plannedDate: '2026-12-01' })],
        '2026-07-10',
      ),
    ).to.equal(5);
  });

  it('late weight share', () => {
    expect(
      lateWeightPct([ms({ weight: 1 }), ms({ weight: 3, plannedDate: '2027-01-01' })], '2026-07-01', 14),
    ).to.equal(25);
  });

  describe('projectHealth at its thresholds', () => {
    const today = '2026-07-01';
    const base = { latestOverallRag: null, reportState: 'submitted' as const, today };
    it('green with nothing late', () => {
      expect(projectHealth({ ...base, milestones: [ms({ plannedDate: '2026-12-01' })] }, th)).to.deep.equal({
        health: 'green',
        reasons: [],
      });
    });
    it('amber from 10% late weight, red from 25%', () => {
      const nine = [
        ms({ weight: 1, plannedDate: '2026-06-30' }),
        ms({ weight: 9, plannedDate: '2026-12-01' }),
      ];
      expect(
        projectHealth({ ...base, milestones: nine }, { ...th, amberSlipDays: 99, redSlipDays: 99 }).health,
      ).to.equal('amber');
      const quarter = [
        ms({ weight: 1, plannedDate: '2026-06-30' }),
        ms({ weight: 3, plannedDate: '2026-12-01' }),
      ];
      expect(
        projectHealth({ ...base, milestones: quarter }, { ...th, amberSlipDays: 99, redSlipDays: 99 }).health,
      ).to.equal('red');
      const under = [
        ms({ weight: 1, plannedDate: '2026-06-30' }),
        ms({ weight: 11, plannedDate: '2026-12-01' }),
      ];
      expect(
        projectHealth({ ...base, milestones: under }, { ...th, amberSlipDays: 99, redSlipDays: 99 }).health,
      ).to.equal('green');
    });
    it('amber from 7 days slip, red from 30', () => {
      const t = { ...th, amberLateWeightPct: 101, redLateWeightPct: 101 };
      expect(
        projectHealth(
          {
            ...base,
            milestones: [ms({ forecastDate: '2026-07-06', plannedDate: '2026-06-30' })],
            today: '2026-01-01',
          },
          t,
        ).health,
      ).to.equal('green');
      expect(
        projectHealth(
          {
            ...base,
            milestones: [ms({ forecastDate: '2026-07-07', plannedDate: '2026-06-30' })],
            today: '2026-01-01',
          },
          t,
        ).health,
      ).to.equal('amber');
      expect(
        projectHealth(
          {
            ...base,
            milestones: [ms({ forecastDate: '2026-07-30', plannedDate: '2026-06-30' })],
            today: '2026-01-01',
          },
          t,
        ).health,
      ).to.equal('red');
    });
    it('follows the latest status report, and an overdue report makes it amber', () => {
      const m = [ms({ plannedDate: '2026-12-01' })];
      expect(projectHealth({ ...base, milestones: m, latestOverallRag: 'red' }, th)).to.deep.equal({
        health: 'red',
        reasons: ['statusReport'],
      });
      expect(projectHealth({ ...base, milestones: m, latestOverallRag: 'amber' }, th).health).to.equal(
        'amber',
      );
      expect(projectHealth({ ...base, milestones: m, reportState: 'overdue' }, th)).to.deep.equal({
        health: 'amber',
        reasons: ['reportOverdue'],
      });
    });
  });

  describe('status report periods', () => {
    it('weekly periods run Sunday to Saturday; monthly are calendar months', () => {
      expect(reportPeriod('weekly', '2026-11-25')).to.deep.equal({ start: '2026-11-22', end: '2026-11-28' });
      expect(reportPeriod('monthly', '2026-02-10')).to.deep.equal({ start: '2026-02-01', end: '2026-02-28' });
    });
    it('submitted, due, overdue', () => {
      expect(reportDueState('monthly', '2026-11-30', '2026-11-20', 3)).to.equal('submitted');
      expect(reportDueState('monthly', '2026-10-31', '2026-11-20', 3)).to.equal('due');
      expect(reportDueState('monthly', '2026-09-30', '2026-11-03', 3)).to.equal('due');
      expect(reportDueState('monthly', '2026-09-30', '2026-11-04', 3)).to.equal('overdue');
      expect(reportDueState('monthly', null, '2026-11-20', 3)).to.equal('overdue');
      expect(reportDueState('monthly', null, '2026-11-20', 3, '2026-11-02')).to.equal('due');
      expect(reportDueState('weekly', '2026-11-21', '2026-11-25', 3)).to.equal('due');
      expect(reportDueState('weekly', '2026-11-14', '2026-11-25', 3)).to.equal('overdue');
    });
  });

  it('program roll-up: budget-weighted progress, sums and health distribution', () => {
    const r = programRollup([
      { progressPct: 100, budgetPlanned: 300, budgetActual: 250, health: 'green' },
      { progressPct: 20, budgetPlanned: 100, budgetActual: 150, health: 'red' },
    ]);
    expect(r).to.deep.equal({
      projects: 2,
      progressPct: 80,
      budgetPlanned: 400,
      budgetActual: 400,
      budgetVariance: 0,
      health: { green: 1, amber: 0, red: 1 },
    });
    expect(programRollup([]).progressPct).to.equal(0);
    expect(
      programRollup([
        { progressPct: 10, budgetPlanned: 0, budgetActual: 0, health: 'amber' },
        { progressPct: 30, budgetPlanned: 0, budgetActual: 0, health: 'amber' },
      ]).progressPct,
    ).to.equal(20);
  });

  it('only active projects that are not closed owe status reports', () => {
    expect(owesStatusReports('active', 'execution')).to.equal(true);
    expect(owesStatusReports('active', 'closed')).to.equal(false);
    expect(owesStatusReports('completed', 'closure')).to.equal(false);
    expect(owesStatusReports('cancelled', 'planning')).to.equal(false);
    expect(owesStatusReports('on_hold', 'execution')).to.equal(false);
  });

  it('next milestone date is the earliest open one', () => {
    expect(
      nextMilestoneDate([
        ms({ plannedDate: '2026-09-01' }),
        ms({ plannedDate: '2026-08-01', forecastDate: '2026-08-20' }),
        ms({ plannedDate: '2026-01-01', status: 'completed' }),
      ]),
    ).to.equal('2026-08-20');
  });
});
