import { expect } from 'chai';
import {
  expectedValue,
  kpiStatus,
  kpiTrend,
  measurementDueDate,
  periodState,
  periodTarget,
  type StatusInput,
} from '../../src/modules/strategy/strategy.rules.js';

const th = { atRiskPct: 10, offTrackPct: 25 };

describe('strategy rules: target path', () => {
  const baseline = { date: '2024-12-31', value: 50 };
  const targets = [
    { date: '2026-12-31', value: 90 },
    { date: '2025-12-31', value: 70 },
  ];

  it('runs in straight lines from the baseline through each period target', () => {
    expect(expectedValue(baseline, targets, '2024-12-31')).to.equal(50);
    expect(expectedValue(baseline, targets, '2025-12-31')).to.equal(70);
    expect(expectedValue(baseline, targets, '2026-12-31')).to.equal(90);
    // 2025-07-02 is day 183 of 365 after the baseline
    expect(expectedValue(baseline, targets, '2025-07-02')).to.be.closeTo(50 + (20 * 183) / 365, 1e-9);
    expect(expectedValue(baseline, targets, '2027-06-30')).to.equal(90);
    expect(expectedValue(baseline, [], '2025-06-30')).to.equal(null);
  });

  it('takes the first target on or after the date as the period target', () => {
    expect(periodTarget(baseline, targets, '2025-03-31')?.value).to.equal(70);
    expect(periodTarget(baseline, targets, '2025-12-31')?.value).to.equal(70);
    expect(periodTarget(baseline, targets, '2026-01-31')?.value).to.equal(90);
    expect(periodTarget(baseline, targets, '2028-01-31')?.value).to.equal(90);
    expect(periodTarget(baseline, [{ date: '2024-06-30', value: 1 }], '2025-01-31')).to.equal(null);
  });
});

describe('strategy rules: KPI status at its thresholds', () => {
  // Higher is better: baseline 50 → target 70 at the end of 2025; distance to go 20.
  const higher = (value: number): StatusInput => ({
    direction: 'higher',
    baseline: { date: '2024-12-31', value: 500000 },
    targets: [{ date: '2025-12-31', value: 700000 }],
    latest: { date: '2025-12-31', value },
  });
  // Lower is better: baseline 10 days → target 5 days; distance to go 5.
  const lower = (value: number): StatusInput => ({
    direction: 'lower',
    baseline: { date: '2024-12-31', value: 100000 },
    targets: [{ date: '2025-12-31', value: 50000 }],
    latest: { date: '2025-12-31', value },
  });

  it('higher is better: on track below 10 % of the distance behind, at risk from 10 %, off track from 25 %', () => {
    expect(kpiStatus(higher(700000), th).status).to.equal('on_track');
    expect(kpiStatus(higher(750000), th).status).to.equal('on_track');
    expect(kpiStatus(higher(680001), th).status).to.equal('on_track');
    expect(kpiStatus(higher(680000), th).status).to.equal('at_risk'); // exactly 10 %
    expect(kpiStatus(higher(650001), th).status).to.equal('at_risk');
    expect(kpiStatus(higher(650000), th).status).to.equal('off_track'); // exactly 25 %
    expect(kpiStatus(higher(400000), th).status).to.equal('off_track');
    const r = kpiStatus(higher(680000), th);
    expect(r.expected).to.equal(700000);
    expect(r.shortfallPct).to.equal(10);
  });

  it('lower is better: the same thresholds, measured the other way', () => {
    expect(kpiStatus(lower(50000), th).status).to.equal('on_track');
    expect(kpiStatus(lower(30000), th).status).to.equal('on_track');
    expect(kpiStatus(lower(54999), th).status).to.equal('on_track');
    expect(kpiStatus(lower(55000), th).status).to.equal('at_risk'); // exactly 10 %
    expect(kpiStatus(lower(62499), th).status).to.equal('at_risk');
    expect(kpiStatus(lower(62500), th).status).to.equal('off_track'); // exactly 25 %
    expect(kpiStatus(lower(120000), th).status).to.equal('off_track');
  });

  it('judges a mid-period value against the path, not the final target', () => {
    // Half-way through 2025 (2025-07-02) the path expects 50 + 20 × 183/365 ≈ 60.03.
    const mid = (value: number): StatusInput => ({ ...higher(value), latest: { date: '2025-07-02', value } });
    expect(kpiStatus(mid(600000), th).status).to.equal('on_track');
    expect(kpiStatus(mid(578000), th).status).to.equal('at_risk');
    expect(kpiStatus(mid(550000), th).status).to.equal('off_track');
  });

  it('follows configured thresholds', () => {
    expect(kpiStatus(higher(680000), { atRiskPct: 5, offTrackPct: 10 }).status).to.equal('off_track');
    expect(kpiStatus(higher(690000), { atRiskPct: 5, offTrackPct: 10 }).status).to.equal('at_risk');
  });

  it('holds the line when the target equals the baseline (distance = |target|)', () => {
    const hold: StatusInput = {
      direction: 'higher',
      baseline: { date: '2024-12-31', value: 100 },
      targets: [{ date: '2025-12-31', value: 100 }],
      latest: { date: '2025-12-31', value: 90 },
    };
    expect(kpiStatus(hold, th).status).to.equal('at_risk');
  });

  it('has no data without a measurement or a target', () => {
    expect(kpiStatus({ ...higher(1), latest: null }, th).status).to.equal('no_data');
    expect(kpiStatus({ ...higher(1), targets: [] }, th).status).to.equal('no_data');
  });
});

describe('strategy rules: trend', () => {
  it('improving, stable or worsening, depending on the direction', () => {
    expect(kpiTrend([50, 55, 60], 'higher', 20)).to.equal('improving');
    expect(kpiTrend([50, 55, 60], 'lower', 20)).to.equal('worsening');
    expect(kpiTrend([60, 55, 50], 'lower', 20)).to.equal('improving');
    expect(kpiTrend([60, 55, 50], 'higher', 20)).to.equal('worsening');
    expect(kpiTrend([50, 50.1, 50.2], 'higher', 20)).to.equal('stable'); // 0.2 / 20 = 1 %
    expect(kpiTrend([50, 50.2, 50.4], 'higher', 20)).to.equal('improving'); // 0.4 / 20 = 2 %
    expect(kpiTrend([10, 50, 60, 61], 'higher', 20)).to.equal('improving'); // only the last three count
    expect(kpiTrend([70], 'higher', 20)).to.equal('unknown');
    expect(kpiTrend([], 'higher', 20)).to.equal('unknown');
    expect(kpiTrend([5, 5, 5], 'lower', 0)).to.equal('stable');
  });
});

describe('strategy rules: measurement lateness', () => {
  const q1 = { end: '2026-03-31' };
  it('is due after the period ends and late after the allowed days', () => {
    expect(measurementDueDate(q1, 15)).to.equal('2026-04-15');
    expect(periodState(q1, null, '2026-03-31', 15)).to.equal('open');
    expect(periodState(q1, null, '2026-04-01', 15)).to.equal('due');
    expect(periodState(q1, null, '2026-04-15', 15)).to.equal('due');
    expect(periodState(q1, null, '2026-04-16', 15)).to.equal('late');
    expect(periodState(q1, '2026-04-15', '2026-06-01', 15)).to.equal('recorded');
    expect(periodState(q1, '2026-04-16', '2026-06-01', 15)).to.equal('recorded_late');
    expect(periodState(q1, null, '2026-04-02', 0)).to.equal('late');
  });
});
