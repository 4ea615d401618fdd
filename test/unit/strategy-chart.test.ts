import { expect } from 'chai';
import { buildChart, niceTicks } from '../../src/modules/strategy/strategy.chart.js';
import {
  canCompleteAction,
  canManageStrategy,
  canRecordMeasurement,
} from '../../src/modules/strategy/strategy.policy.js';
import type { CurrentUser } from '../../src/auth/current-user.js';
import type { Role } from '../../src/auth/roles.js';

const user = (role: Role, id = 1): CurrentUser => ({
  id,
  role,
  email: 'x@y.z',
  nameEn: 'X',
  nameAr: 'س',
  locale: 'en',
  active: true,
  sessionEpoch: 0,
  version: 1,
});

describe('strategy chart layout', () => {
  const input = (rtl: boolean) => ({
    values: [
      { date: '2025-03-31', value: 55, label: 'Q1 2025' },
      { date: '2025-12-31', value: 70, label: 'Q4 2025' },
    ],
    path: [
      { date: '2024-12-31', value: 50 },
      { date: '2025-12-31', value: 70 },
      { date: '2026-12-31', value: 80 },
    ],
    rtl,
    formatValue: (n: number) => `${n}%`,
    tickLabel: (d: string) => d.slice(0, 4),
    bounds: { min: 0, max: 100 },
  });

  it('runs time left to right, and right to left in Arabic, with the value axis on the start side', () => {
    const ltr = buildChart(input(false));
    const rtl = buildChart(input(true));
    expect(ltr.actual.points[0].x).to.be.lessThan(ltr.actual.points[1].x);
    expect(rtl.actual.points[0].x).to.be.greaterThan(rtl.actual.points[1].x);
    expect(ltr.target.points[0].x).to.equal(ltr.plot.left);
    expect(rtl.target.points[0].x).to.equal(rtl.plot.right);
    expect(ltr.yAxis).to.include({ x: ltr.plot.left, anchor: 'end' });
    expect(rtl.yAxis).to.include({ x: rtl.plot.right, anchor: 'start' });
    // Same heights in both directions; higher values sit higher.
    expect(ltr.actual.points.map((p) => p.y)).to.deep.equal(rtl.actual.points.map((p) => p.y));
    expect(ltr.actual.points[1].y).to.be.lessThan(ltr.actual.points[0].y);
    expect(ltr.xTicks.map((t) => t.label)).to.deep.equal(['2025', '2026']);
    expect(ltr.actual.d).to.match(/^M[\d.]+ [\d.]+ L[\d.]+ [\d.]+$/);
  });

  it('has nothing to draw without values or a target path', () => {
    expect(buildChart({ ...input(false), values: [], path: [] }).empty).to.equal(true);
  });

  it('chooses round axis ticks', () => {
    expect(niceTicks(50, 80)).to.deep.equal([50, 60, 70, 80]);
    expect(niceTicks(0, 3000)).to.deep.equal([0, 1000, 2000, 3000]);
    expect(niceTicks(12, 30)).to.deep.equal([10, 15, 20, 25, 30]);
    expect(niceTicks(5, 5).length).to.be.greaterThan(1);
  });
});

describe('strategy policy', () => {
  it('lets the PMO and administrators manage, nobody else', () => {
    for (const r of ['admin', 'pmo'] as const) expect(canManageStrategy(user(r))).to.equal(true);
    for (const r of ['pm', 'sponsor', 'viewer'] as const) expect(canManageStrategy(user(r))).to.equal(false);
  });

  it("lets the KPI's owner and the PMO record; never a viewer; never by hand for a computed KPI", () => {
    const kpi = { ownerId: 7, computed: false };
    expect(canRecordMeasurement(user('pm', 7), kpi)).to.equal(true);
    expect(canRecordMeasurement(user('sponsor', 7), kpi)).to.equal(true);
    expect(canRecordMeasurement(user('pm', 8), kpi)).to.equal(false);
    expect(canRecordMeasurement(user('viewer', 7), kpi)).to.equal(false);
    expect(canRecordMeasurement(user('pmo', 9), kpi)).to.equal(true);
    expect(canRecordMeasurement(user('pmo', 9), { ownerId: 9, computed: true })).to.equal(false);
  });

  it("lets an action's owner or the PMO mark it done", () => {
    expect(canCompleteAction(user('pm', 3), { ownerId: 3 })).to.equal(true);
    expect(canCompleteAction(user('pm', 4), { ownerId: 3 })).to.equal(false);
    expect(canCompleteAction(user('admin', 4), { ownerId: 3 })).to.equal(true);
    expect(canCompleteAction(user('viewer', 3), { ownerId: 3 })).to.equal(false);
  });
});
