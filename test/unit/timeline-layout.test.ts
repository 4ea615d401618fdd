import { expect } from 'chai';
import {
  ganttRange,
  layoutGantt,
  portfolioRows,
  projectCurrentSpan,
  projectRows,
  truncate,
  type GanttRowInput,
  type TimelineMilestone,
  type TimelineProject,
} from '../../src/modules/timeline/timeline.layout.js';

const today = '2026-11-15';
const project: TimelineProject = {
  id: 1,
  code: 'DST-01',
  name_en: 'National portal redesign',
  name_ar: 'إعادة تصميم البوابة الوطنية',
  planned_start: '2026-02-01',
  planned_end: '2026-12-31',
  actual_start: '2026-02-10',
  actual_end: null,
};
const ms = (o: Partial<TimelineMilestone>): TimelineMilestone => ({
  id: 1,
  projectId: 1,
  titleEn: 'Go-live',
  titleAr: 'الإطلاق',
  plannedDate: '2026-10-01',
  forecastDate: null,
  actualDate: null,
  percentComplete: 0,
  weight: 1,
  status: 'in_progress',
  ...o,
});

describe('timeline layout', () => {
  it('covers whole months around every date and today', () => {
    const rows: GanttRowInput[] = [
      {
        key: 'a',
        kind: 'project',
        label: 'A',
        planned: { start: '2026-02-10', end: '2026-06-20' },
        current: null,
        markers: [],
      },
    ];
    expect(ganttRange(rows, today)).to.deep.equal({ start: '2026-02-01', end: '2026-12-01' });
    expect(ganttRange([], '2026-11-15')).to.deep.equal({ start: '2026-11-01', end: '2027-02-01' });
  });

  it('time flows left to right in English and right to left in Arabic, labels on the reading side', () => {
    const rows = projectRows(project, [ms({})], today, 'en', 14);
    const en = layoutGantt(rows, today, 'en');
    const ar = layoutGantt(projectRows(project, [ms({})], today, 'ar', 14), today, 'ar');
    expect(en.rtl).to.equal(false);
    expect(ar.rtl).to.equal(true);
    // English: labels at the left edge, the chart to their right; Arabic: mirrored.
    expect(en.labelX).to.be.lessThan(en.chartLeft);
    expect(ar.labelX).to.be.greaterThan(ar.chartRight);
    // months advance rightwards in English, leftwards in Arabic
    expect(en.months[1].x).to.be.greaterThan(en.months[0].x);
    expect(ar.months[1].x).to.be.lessThan(ar.months[0].x);
    // a date sits at mirrored positions: x_en - left === right - x_ar
    const mEn = en.rows[1].markers[0];
    const mAr = ar.rows[1].markers[0];
    expect(Math.round(mEn.x - en.chartLeft)).to.equal(Math.round(ar.chartRight - mAr.x));
    expect(Math.round(en.todayX! - en.chartLeft)).to.equal(Math.round(ar.chartRight - ar.todayX!));
    expect(ar.rows[0].label).to.contain('إعادة تصميم');
  });

  it('month names are in the reader’s language, the year over the first month of each year', () => {
    const rows = projectRows({ ...project, planned_end: '2027-01-15' }, [], today, 'en', 14);
    const en = layoutGantt(rows, today, 'en');
    expect(en.months[0]).to.include({ label: 'Feb', year: '2026' });
    expect(en.months.filter((m) => m.year).map((m) => m.year)).to.deep.equal(['2026', '2027']);
    const ar = layoutGantt(rows, today, 'ar');
    expect(ar.months[0].label).to.equal('فبراير');
  });

  it('long ranges label quarters aligned to the calendar', () => {
    const long = { ...project, planned_start: '2025-05-01', planned_end: '2027-06-30' };
    const g = layoutGantt(projectRows(long, [], today, 'en', 14), today, 'en');
    const labelled = g.months.filter((m) => m.label).map((m) => m.label);
    expect(labelled.slice(0, 3)).to.deep.equal(['Jul', 'Oct', 'Jan']);
    expect(g.months.length).to.be.greaterThan(labelled.length);
  });

  it('the current span runs to the latest expected date, or today while a milestone is late', () => {
    const late = ms({ plannedDate: '2026-10-01' });
    expect(projectCurrentSpan(project, [late], today, 14)).to.deep.equal({
      start: '2026-02-10',
      end: '2026-12-31',
      kind: 'forecast',
    });
    const slipped = ms({ plannedDate: '2026-12-01', forecastDate: '2027-02-15' });
    expect(projectCurrentSpan(project, [slipped], today, 14)!.end).to.equal('2027-02-15');
    const noEnd = { ...project, planned_end: null };
    expect(projectCurrentSpan(noEnd, [late], today, 14)!.end).to.equal(today);
    expect(projectCurrentSpan({ ...project, actual_end: '2026-11-01' }, [], today, 14)).to.deep.equal({
      start: '2026-02-10',
      end: '2026-11-01',
      kind: 'actual',
    });
    expect(
      projectCurrentSpan({ ...project, planned_start: null, actual_start: null }, [], today, 14),
    ).to.equal(null);
  });

  it('portfolio rows: one per project, milestones as markers by state, cancelled left out', () => {
    const rows = portfolioRows(
      [project],
      [
        ms({ id: 1 }),
        ms({ id: 2, status: 'completed', actualDate: '2026-09-01', percentComplete: 100 }),
        ms({ id: 3, status: 'cancelled' }),
      ],
      today,
      'en',
      14,
    );
    expect(rows).to.have.length(1);
    expect(rows[0].markers.map((m) => m.state)).to.deep.equal(['late', 'completed']);
    expect(rows[0].markers[1].date).to.equal('2026-09-01');
  });

  it('project rows: the project, then each milestone with its planned date beside the expected one', () => {
    const g = layoutGantt(
      projectRows(project, [ms({ plannedDate: '2026-06-01', forecastDate: '2026-12-01' })], today, 'en', 14),
      today,
      'en',
    );
    expect(g.rows.map((r) => r.kind)).to.deep.equal(['project', 'milestone']);
    const m = g.rows[1].markers[0];
    expect(m.plannedX).to.be.a('number').and.lessThan(m.x);
    expect(m.state).to.equal('late');
  });

  it('truncates long labels with an ellipsis, counting characters not bytes', () => {
    expect(truncate('abc', 5)).to.equal('abc');
    expect(truncate('abcdefgh', 5)).to.equal('abcd…');
    expect([...truncate('إعادة تصميم البوابة الوطنية', 10)]).to.have.length(10);
  });
});
