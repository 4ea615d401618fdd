import type { Config } from '../../config.js';
import type { Conn } from '../../db/knex.js';
import type { WorkCalendar } from './approvals.rules.js';

/**
 * The settings the approval use cases need when called from other modules (which pass only a
 * transaction): the working week, escalation, health thresholds and the clock. Set once from the
 * application's dependencies when the module's routes are built.
 */
export interface ApprovalSettings {
  weekendDays: readonly number[];
  escalationDays: number;
  health: Config['health'];
  clock: () => Date;
}

let settings: ApprovalSettings = {
  weekendDays: [5, 6],
  escalationDays: 2,
  health: {
    amberLateWeightPct: 10,
    redLateWeightPct: 25,
    amberSlipDays: 7,
    redSlipDays: 30,
    atRiskDays: 14,
    statusReportGraceDays: 3,
  },
  clock: () => new Date(),
};

export function setApprovalSettings(config: Config, clock: () => Date): void {
  settings = {
    weekendDays: config.workweek.weekendDays,
    escalationDays: config.approvals.escalationDays,
    health: config.health,
    clock,
  };
}

export function approvalSettings(): ApprovalSettings {
  return settings;
}

/** The working calendar: the configured weekend and the public holidays from the database. */
export async function loadCalendar(conn: Conn, weekendDays: readonly number[]): Promise<WorkCalendar> {
  const rows = (await conn('public_holidays').select('date')) as { date: string }[];
  return { weekendDays, holidays: new Set(rows.map((r) => r.date)) };
}
