import { expect } from 'chai';
import {
  addWorkingDays,
  applyDecision,
  canPassGate,
  datesInOrder,
  decideRight,
  delegationActive,
  effectiveChanges,
  escalationDue,
  isWorkingDay,
  nextPhase,
  stepDueAt,
  suitableDelegate,
  workingDaysBetween,
  type WorkCalendar,
} from '../../src/modules/approvals/approvals.rules.js';

const friSat: WorkCalendar = { weekendDays: [5, 6], holidays: [] };

describe('approvals rules: the phase state machine', () => {
  it('moves one phase forward at a time, and nothing follows closed', () => {
    expect(nextPhase('initiation')).to.equal('planning');
    expect(nextPhase('planning')).to.equal('execution');
    expect(nextPhase('execution')).to.equal('closure');
    expect(nextPhase('closure')).to.equal('closed');
    expect(nextPhase('closed')).to.equal(null);
  });

  it('refuses skipping, going back and staying put', () => {
    expect(canPassGate('initiation', 'planning')).to.equal(true);
    expect(canPassGate('initiation', 'execution')).to.equal(false);
    expect(canPassGate('execution', 'planning')).to.equal(false);
    expect(canPassGate('closure', 'closure')).to.equal(false);
    expect(canPassGate('closed', 'closed')).to.equal(false);
  });
});

describe('approvals rules: decisions at a step', () => {
  it('approval moves to the next step, and the last approval is final', () => {
    expect(applyDecision('approve', 1, 2)).to.deep.equal({
      stepStatus: 'approved',
      requestStatus: 'pending',
      nextStep: 2,
      final: false,
    });
    expect(applyDecision('approve', 2, 2)).to.include({
      requestStatus: 'approved',
      final: true,
      nextStep: null,
    });
  });

  it('rejection is final at any step; return sends it back to the requester', () => {
    expect(applyDecision('reject', 1, 3)).to.include({ requestStatus: 'rejected', final: true });
    expect(applyDecision('return', 1, 3)).to.include({
      requestStatus: 'returned',
      final: false,
      nextStep: null,
    });
  });

  const pmoStep = { deciderRole: 'pmo' as const, deciderUserId: null };
  const sponsorStep = { deciderRole: 'sponsor' as const, deciderUserId: null };
  const namedStep = { deciderRole: 'user' as const, deciderUserId: 42 };

  it('PMO steps are decided by pmo and admin; sponsor steps by the project sponsor; named steps by that person', () => {
    const ctx = { sponsorId: 7, requestedBy: 1 };
    expect(decideRight(pmoStep, ctx, { id: 2, role: 'pmo' }, [])).to.deep.equal({
      ok: true,
      onBehalfOf: null,
    });
    expect(decideRight(pmoStep, ctx, { id: 3, role: 'admin' }, []).ok).to.equal(true);
    expect(decideRight(pmoStep, ctx, { id: 4, role: 'sponsor' }, []).ok).to.equal(false);
    expect(decideRight(sponsorStep, ctx, { id: 7, role: 'sponsor' }, []).ok).to.equal(true);
    expect(decideRight(sponsorStep, ctx, { id: 8, role: 'sponsor' }, []).ok).to.equal(false);
    expect(decideRight(sponsorStep, ctx, { id: 2, role: 'pmo' }, []).ok).to.equal(false);
    expect(decideRight(namedStep, ctx, { id: 42, role: 'pm' }, []).ok).to.equal(true);
    expect(decideRight(namedStep, ctx, { id: 43, role: 'admin' }, []).ok).to.equal(false);
  });

  it('nobody decides their own request, even holding the role', () => {
    expect(decideRight(pmoStep, { sponsorId: 7, requestedBy: 2 }, { id: 2, role: 'pmo' }, [])).to.deep.equal({
      ok: false,
      reason: 'own_request',
    });
  });

  it('an active delegate decides on behalf of the holder, never of the requester', () => {
    const ctx = { sponsorId: 7, requestedBy: 1 };
    expect(
      decideRight(sponsorStep, ctx, { id: 9, role: 'sponsor' }, [{ id: 7, role: 'sponsor' }]),
    ).to.deep.equal({
      ok: true,
      onBehalfOf: 7,
    });
    expect(
      decideRight(sponsorStep, { sponsorId: 7, requestedBy: 7 }, { id: 9, role: 'sponsor' }, [
        { id: 7, role: 'sponsor' },
      ]).ok,
    ).to.equal(false);
  });

  it('a suitable delegate could hold the role; delegations are active within their dates until ended', () => {
    expect(suitableDelegate('sponsor', 'sponsor')).to.equal(true);
    expect(suitableDelegate('sponsor', 'pmo')).to.equal(true);
    expect(suitableDelegate('sponsor', 'pm')).to.equal(false);
    expect(suitableDelegate('pmo', 'viewer')).to.equal(false);
    expect(suitableDelegate('admin', 'pmo')).to.equal(false);
    const d = { startsOn: '2026-12-01', endsOn: '2026-12-10', endedAt: null };
    expect(delegationActive(d, '2026-11-30')).to.equal(false);
    expect(delegationActive(d, '2026-12-01')).to.equal(true);
    expect(delegationActive(d, '2026-12-10')).to.equal(true);
    expect(delegationActive(d, '2026-12-11')).to.equal(false);
    expect(delegationActive({ ...d, endedAt: '2026-12-02T00:00:00Z' }, '2026-12-05')).to.equal(false);
  });
});

describe('approvals rules: SLA in working days', () => {
  it('skips the Friday–Saturday weekend', () => {
    // 2026-11-26 is a Thursday.
    expect(isWorkingDay('2026-11-26', friSat)).to.equal(true);
    expect(isWorkingDay('2026-11-27', friSat)).to.equal(false);
    expect(isWorkingDay('2026-11-28', friSat)).to.equal(false);
    expect(addWorkingDays('2026-11-26', 1, friSat)).to.equal('2026-11-29');
    expect(addWorkingDays('2026-11-26', 3, friSat)).to.equal('2026-12-01');
    expect(addWorkingDays('2026-11-22', 5, friSat)).to.equal('2026-11-29');
  });

  it('a step started on a day off counts from the next working day', () => {
    expect(addWorkingDays('2026-11-27', 1, friSat)).to.equal('2026-11-29');
    expect(addWorkingDays('2026-11-27', 0, friSat)).to.equal('2026-11-29');
    expect(addWorkingDays('2026-11-26', 0, friSat)).to.equal('2026-11-26');
  });

  it('skips public holidays, and another weekend when configured', () => {
    const cal = { weekendDays: [5, 6], holidays: new Set(['2026-11-29', '2026-11-30']) };
    expect(addWorkingDays('2026-11-26', 1, cal)).to.equal('2026-12-01');
    const satSun = { weekendDays: [0, 6], holidays: [] };
    expect(addWorkingDays('2026-11-27', 1, satSun)).to.equal('2026-11-30');
  });

  it('crosses the year end (with New Year as a holiday)', () => {
    const cal = { weekendDays: [5, 6], holidays: ['2027-01-01'] };
    // 2026-12-30 is a Wednesday; 31st Thursday; 1st Jan holiday (Friday anyway); 2nd Saturday; 3rd Sunday.
    expect(addWorkingDays('2026-12-30', 2, cal)).to.equal('2027-01-03');
    const satSun = { weekendDays: [0, 6], holidays: ['2027-01-01'] };
    expect(addWorkingDays('2026-12-31', 1, satSun)).to.equal('2027-01-04');
    expect(workingDaysBetween('2026-12-30', '2027-01-03', cal)).to.equal(2);
  });

  it('the due moment is the end of the due date; overdue escalates after the configured working days', () => {
    const due = stepDueAt('2026-11-26T09:00:00.000Z', 3, friSat);
    expect(due).to.equal('2026-12-01T23:59:59.999Z');
    expect(escalationDue(due, '2026-12-01T12:00:00.000Z', 2, friSat)).to.equal(false);
    expect(escalationDue(due, '2026-12-02T08:00:00.000Z', 2, friSat)).to.equal(false);
    expect(escalationDue(due, '2026-12-03T23:00:00.000Z', 2, friSat)).to.equal(false);
    expect(escalationDue(due, '2026-12-04T08:00:00.000Z', 2, friSat)).to.equal(true);
    expect(escalationDue(due, '2026-12-02T00:00:01.000Z', 0, friSat)).to.equal(true);
    expect(escalationDue(null, '2030-01-01T00:00:00.000Z', 0, friSat)).to.equal(false);
  });

  it('refuses a week without working days', () => {
    expect(() =>
      addWorkingDays('2026-11-26', 1, { weekendDays: [0, 1, 2, 3, 4, 5, 6], holidays: [] }),
    ).to.throw();
  });
});

describe('approvals rules: change requests', () => {
  it('keeps only the proposed values that differ, and checks the dates stay in order', () => {
    const current = { plannedStart: '2026-01-01', plannedEnd: '2026-12-31', budgetPlanned: 1000, scope: 'A' };
    expect(
      effectiveChanges(current, { plannedEnd: '2027-03-31', budgetPlanned: 1000, scope: 'A' }),
    ).to.deep.equal({
      plannedEnd: '2027-03-31',
    });
    expect(datesInOrder(current, { plannedEnd: '2025-12-31' })).to.equal(false);
    expect(datesInOrder(current, { plannedStart: '2026-06-01', plannedEnd: '2026-07-01' })).to.equal(true);
  });
});
