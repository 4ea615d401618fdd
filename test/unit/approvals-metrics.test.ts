import { expect } from 'chai';
import {
  durationDays,
  governanceMetrics,
  median,
  p90,
  quantile,
} from '../../src/modules/approvals/approvals.metrics.js';

describe('approvals metrics', () => {
  it('median and 90th percentile by linear interpolation; none for no data', () => {
    expect(median([])).to.equal(null);
    expect(median([5])).to.equal(5);
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([1, 2, 3, 4])).to.equal(2.5);
    expect(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).to.be.closeTo(9.1, 1e-9);
    expect(quantile([10, 20], 0)).to.equal(10);
    expect(quantile([10, 20], 1)).to.equal(20);
  });

  it('durations are in days, never negative', () => {
    expect(durationDays('2026-11-01T00:00:00Z', '2026-11-03T12:00:00Z')).to.equal(2.5);
    expect(durationDays('2026-11-03T00:00:00Z', '2026-11-01T00:00:00Z')).to.equal(0);
  });

  it('cycle time per kind and per step, and the share decided within SLA', () => {
    const m = governanceMetrics(
      [
        { kind: 'change_request', submittedAt: '2026-11-01T00:00:00Z', decidedAt: '2026-11-05T00:00:00Z' },
        { kind: 'gate', submittedAt: '2026-11-01T00:00:00Z', decidedAt: '2026-11-02T00:00:00Z' },
        { kind: 'gate', submittedAt: '2026-11-01T00:00:00Z', decidedAt: '2026-11-04T00:00:00Z' },
      ],
      [
        {
          kind: 'gate',
          stepNo: 1,
          nameEn: 'PMO review',
          nameAr: 'م',
          startedAt: '2026-11-01T00:00:00Z',
          decidedAt: '2026-11-02T00:00:00Z',
          dueAt: '2026-11-03T23:59:59.999Z',
        },
        {
          kind: 'gate',
          stepNo: 1,
          nameEn: 'PMO review',
          nameAr: 'م',
          startedAt: '2026-11-01T00:00:00Z',
          decidedAt: '2026-11-05T00:00:00Z',
          dueAt: '2026-11-03T23:59:59.999Z',
        },
        {
          kind: 'gate',
          stepNo: 2,
          nameEn: 'Sponsor approval',
          nameAr: 'ر',
          startedAt: '2026-11-02T00:00:00Z',
          decidedAt: '2026-11-02T06:00:00Z',
          dueAt: null,
        },
      ],
      ['gate', 'change_request', 'milestone_signoff', 'document'],
    );
    expect(m.byKind.map((k) => k.kind)).to.deep.equal(['gate', 'change_request']);
    expect(m.byKind[0]).to.include({ count: 2, median: 2 });
    expect(m.byKind[0].p90).to.be.closeTo(2.8, 1e-9);
    expect(m.byStep.map((s) => [s.stepNo, s.count])).to.deep.equal([
      [1, 2],
      [2, 1],
    ]);
    expect(m.byStep[0].median).to.equal(2.5);
    expect(m.decidedSteps).to.equal(3);
    expect(m.withinSla).to.equal(2);
    expect(m.withinSlaPct).to.be.closeTo(66.67, 0.01);
  });

  it('has no SLA share when nothing was decided', () => {
    expect(governanceMetrics([], [], []).withinSlaPct).to.equal(null);
  });
});
