import type { Knex } from 'knex';
import type { CurrentUser } from '../../auth/current-user.js';
import { seesWholePortfolio } from '../../auth/roles.js';
import { isPg, type Conn, type Db } from '../../db/knex.js';
import { whereProjectVisible } from '../projects/projects.access.js';
import { audit } from '../audit/audit.service.js';
import { quantile, quantileAt, quantileRanks, type CycleGroup } from './approvals.metrics.js';

/**
 * Reads for the PMO dashboard's approval cards, from what the database keeps (migration
 * 20261128190000_dashboard_counters): requests per status, pending steps per due day, and the
 * cycle-time groups with their quantile pointers. A constant number of small queries, whatever
 * the number of requests.
 */

const DAY_MS = 86_400_000;
/** The governance metrics cover what was decided in the last 365 days. */
export const METRICS_WINDOW_MS = 365 * DAY_MS;

export interface OverdueRow {
  id: number;
  title_en: string;
  title_ar: string;
  project_code: string;
  step_en: string;
  step_ar: string;
  due_at: string;
}

/**
 * Pending requests, those whose pending step is past its due moment, and the `limit` most
 * overdue: one query. A step is pending only while its request is pending and the step is the
 * request's current one, so counting pending steps due before `now` counts overdue requests: for
 * those who see the whole portfolio, a sum over `approval_due_days` before today plus today's
 * steps already due (an index range), and the pending count from `approval_request_counts`.
 */
export async function overdueApprovals(conn: Conn, user: CurrentUser, now: string, limit = 8) {
  const today = now.slice(0, 10);
  const whole = seesWholePortfolio(user.role);
  // Pending steps with their pending request and its project; for the whole portfolio only the
  // `limit` first overdue steps (an index range in due order), which are those of the `limit` most
  // overdue requests, so that the join reads a few rows whatever the planner estimates.
  const pendingSteps = (steps: Knex.QueryBuilder | string) => {
    const q = conn
      .from(steps)
      .join('approval_requests as r', (j) =>
        j.on('r.id', 's.request_id').andOn('r.round', 's.round').andOn('r.current_step', 's.step_no'),
      )
      .join('projects as p', 'p.id', 'r.project_id')
      .where('s.status', 'pending')
      .where('r.status', 'pending');
    return whereProjectVisible(q, user, 'p');
  };
  const overdueSteps = whole
    ? pendingSteps(
        conn('approval_steps')
          .select('request_id', 'round', 'step_no', 'status', 'name_en', 'name_ar', 'due_at')
          .where('status', 'pending')
          .where('due_at', '<', now)
          .orderBy([{ column: 'due_at' }, { column: 'request_id' }])
          .limit(limit)
          .as('s'),
      )
    : pendingSteps('approval_steps as s').where('s.due_at', '<', now);
  const list = overdueSteps
    .select(
      'r.id',
      'r.title_en',
      'r.title_ar',
      'p.code as project_code',
      's.name_en as step_en',
      's.name_ar as step_ar',
      's.due_at',
      's.request_id',
    )
    .orderBy([{ column: 's.due_at' }, { column: 's.request_id' }])
    .limit(limit);
  const counts = whole
    ? conn.select(
        conn.raw('(?) as before_today', [conn('approval_due_days').where('due_day', '<', today).sum('n')]),
        conn.raw('(?) as today', [
          conn('approval_steps')
            .where('status', 'pending')
            .where('due_at', '>=', today)
            .where('due_at', '<', now)
            .count('*'),
        ]),
        conn.raw('(?) as open', [conn('approval_request_counts').where('status', 'pending').select('n')]),
      )
    : conn.select(
        conn.raw('(?) as today', [
          pendingSteps('approval_steps as s').where('s.due_at', '<', now).count('*'),
        ]),
        conn.raw('(?) as open', [
          whereProjectVisible(
            conn('approval_requests as r')
              .join('projects as p', 'p.id', 'r.project_id')
              .where('r.status', 'pending'),
            user,
            'p',
          ).count('*'),
        ]),
      );
  // One query: the counts (one row) beside each of the first overdue requests, if any.
  const rows = (await conn
    .select('c.*', 'o.*')
    .from(counts.as('c'))
    .leftJoin(list.as('o'), (j) => j.on(conn.raw('1 = 1')))
    .orderBy([{ column: 'o.due_at' }, { column: 'o.request_id' }])) as Record<string, unknown>[];
  const c = rows[0] ?? {};
  return {
    rows: rows.filter((r) => r.id !== null && r.id !== undefined) as unknown as OverdueRow[],
    overdue: Number(c.before_today ?? 0) + Number(c.today ?? 0),
    open: Number(c.open ?? 0),
  };
}

/**
 * The cycle-time groups of what was decided since `since`, with their counts and quantiles: one
 * query. Each group row carries the values at the ranks of its median and 90th percentile; the
 * next value in order (which a quantile between two ranks interpolates towards) is one index seek.
 * When the window has moved past rows the refresher has not yet moved out (or the clock is behind
 * it), the groups are computed from the rows decided since `since` instead — exact either way.
 */
export async function cycleGroups(conn: Conn, since: string): Promise<CycleGroup[]> {
  // The value after a pointer, one index seek: PostgreSQL bounds an index range by a row
  // comparison; SQLite bounds only its first column (it would read every tie), so there an equal
  // cycle time with a greater id is looked for first, then the next cycle time.
  const next = (q: 'med' | 'p90') => {
    const from = `from approval_cycle_times f where f.group_id = g.id and f.in_window = 1`;
    const sorted = 'order by f.cycle_ms, f.id limit 1';
    return conn.raw(
      isPg(conn)
        ? `(select f.cycle_ms ${from} and (f.cycle_ms, f.id) > (g.${q}_ms, g.${q}_id) ${sorted}) as ${q}_next`
        : `coalesce(
            (select f.cycle_ms ${from} and f.cycle_ms = g.${q}_ms and f.id > g.${q}_id ${sorted}),
            (select f.cycle_ms ${from} and f.cycle_ms > g.${q}_ms ${sorted})) as ${q}_next`,
    );
  };
  // Every group, even one whose rows have all left the window, so that the check below is read.
  const rows = (await conn('approval_cycle_groups as g')
    .select('g.kind', 'g.step_no', 'g.name_en', 'g.name_ar', 'g.n', 'g.within_sla', 'g.med_ms', 'g.p90_ms')
    .select(next('med'), next('p90'))
    .select(
      conn.raw('(?) as leaving', [
        conn('approval_cycle_times')
          .select('id')
          .where('in_window', 1)
          .where('decided_at', '<', since)
          .limit(1),
      ]),
      conn.raw('(?) as joining', [
        conn('approval_cycle_times')
          .select('id')
          .where('in_window', 0)
          .where('decided_at', '>=', since)
          .limit(1),
      ]),
    )) as Record<string, unknown>[];
  if (rows.some((r) => r.leaving != null || r.joining != null)) return cycleGroupsSince(conn, since);
  return rows
    .filter((r) => Number(r.n) > 0)
    .map((r) => {
      const n = Number(r.n);
      const at = (q: 'med' | 'p90', qv: number) => {
        const { lo } = quantileRanks(n, qv);
        return (rank: number) => Number(rank === lo ? r[`${q}_ms`] : r[`${q}_next`]) / DAY_MS;
      };
      return {
        kind: r.kind as string,
        stepNo: Number(r.step_no) === 0 ? null : Number(r.step_no),
        nameEn: r.name_en as string,
        nameAr: r.name_ar as string,
        count: n,
        withinSla: Number(r.within_sla),
        median: quantileAt(n, 0.5, at('med', 0.5)),
        p90: quantileAt(n, 0.9, at('p90', 0.9)),
      };
    });
}

/** The groups computed from every row decided since `since` (the refresher is behind the clock). */
async function cycleGroupsSince(conn: Conn, since: string): Promise<CycleGroup[]> {
  const rows = (await conn('approval_cycle_times as f')
    .join('approval_cycle_groups as g', 'g.id', 'f.group_id')
    .where('f.decided_at', '>=', since)
    .select('g.id', 'g.kind', 'g.step_no', 'g.name_en', 'g.name_ar', 'f.cycle_ms', 'f.within_sla')) as Record<
    string,
    unknown
  >[];
  const groups = new Map<number, { g: Record<string, unknown>; days: number[]; withinSla: number }>();
  for (const r of rows) {
    const id = Number(r.id);
    const e = groups.get(id) ?? { g: r, days: [], withinSla: 0 };
    e.days.push(Number(r.cycle_ms) / DAY_MS);
    e.withinSla += Number(r.within_sla);
    groups.set(id, e);
  }
  return [...groups.values()].map(({ g, days, withinSla }) => ({
    kind: g.kind as string,
    stepNo: Number(g.step_no) === 0 ? null : Number(g.step_no),
    nameEn: g.name_en as string,
    nameAr: g.name_ar as string,
    count: days.length,
    withinSla,
    median: quantile(days, 0.5),
    p90: quantile(days, 0.9),
  }));
}

/**
 * Moves cycle-time rows out of the metrics' window once decided more than 365 days before `now`
 * (and back in, should the clock go back), so that their groups' quantiles follow the window.
 * Returns when the next row leaves it (null when no row is in it). Run by the dashboard module at
 * start-up and whenever a row is due to leave (at least hourly).
 */
export async function refreshMetricsWindow(db: Db, now: Date): Promise<Date | null> {
  const since = new Date(now.getTime() - METRICS_WINDOW_MS).toISOString();
  await db.transaction(async (trx) => {
    const left = await trx('approval_cycle_times')
      .where('in_window', 1)
      .where('decided_at', '<', since)
      .update({ in_window: 0 });
    const entered = await trx('approval_cycle_times')
      .where('in_window', 0)
      .where('decided_at', '>=', since)
      .update({ in_window: 1 });
    // audited when it moved anything, which also moves the data version of kept pages
    if (left || entered)
      await audit(trx, null, {
        action: 'approval.metrics_window',
        entity: 'approval_cycle_times',
        after: { since, left, entered },
      });
  });
  const row = (await db('approval_cycle_times').where('in_window', 1).min({ d: 'decided_at' }).first()) as
    { d: string | null } | undefined;
  const first = row?.d ? Date.parse(row.d) : NaN;
  return Number.isNaN(first) ? null : new Date(first + METRICS_WINDOW_MS);
}
