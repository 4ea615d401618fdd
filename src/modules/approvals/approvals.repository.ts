import type { Knex } from 'knex';
import type { CurrentUser } from '../../auth/current-user.js';
import type { Role } from '../../auth/roles.js';
import type { Conn } from '../../db/knex.js';
import { whereProgramVisible, whereProjectVisible } from '../projects/projects.access.js';
import type { StepRow } from './approvals.engine.js';
import type { InboxFilter, ListFilter } from './approvals.schema.js';

/** Read queries of the approval pages: each list is a constant number of queries. */

export const PAGE_SIZE = 25;

const LIST_COLUMNS = [
  'r.id',
  'r.kind',
  'r.title_en',
  'r.title_ar',
  'r.status',
  'r.submitted_at',
  'r.decided_at',
  'r.current_step',
  'r.round',
  'r.requested_by',
  'p.id as project_id',
  'p.code as project_code',
  'p.name_en as project_name_en',
  'p.name_ar as project_name_ar',
  'pg.id as program_id',
  'pg.code as program_code',
  'u.name_en as requester_en',
  'u.name_ar as requester_ar',
  's.name_en as step_en',
  's.name_ar as step_ar',
  's.due_at',
  's.decider_role',
  's.decider_user_id',
  'p.sponsor_id',
  'pg.sponsor_id as program_sponsor_id',
];

export interface ListRow {
  id: number;
  kind: string;
  title_en: string;
  title_ar: string;
  status: string;
  submitted_at: string;
  decided_at: string | null;
  current_step: number | null;
  round: number;
  requested_by: number;
  project_id: number;
  project_code: string;
  project_name_en: string;
  project_name_ar: string;
  program_id: number;
  program_code: string;
  requester_en: string;
  requester_ar: string;
  step_en: string | null;
  step_ar: string | null;
  due_at: string | null;
  decider_role: string | null;
  decider_user_id: number | null;
  sponsor_id: number | null;
  program_sponsor_id: number | null;
}

function base(conn: Conn): Knex.QueryBuilder {
  return conn('approval_requests as r')
    .join('projects as p', 'p.id', 'r.project_id')
    .join('programs as pg', 'pg.id', 'p.program_id')
    .join('users as u', 'u.id', 'r.requested_by')
    .leftJoin('approval_steps as s', function () {
      this.on('s.request_id', 'r.id').andOn('s.round', 'r.round').andOn('s.step_no', 'r.current_step');
    });
}

export interface Delegator {
  id: number;
  role: Role;
  name_en: string;
  name_ar: string;
}

/** The pending requests whose current step the user may decide, themselves or as a delegate. */
function whereDecidableBy(
  qb: Knex.QueryBuilder,
  user: CurrentUser,
  delegators: Delegator[],
): Knex.QueryBuilder {
  const holders = [user, ...delegators.map((d) => ({ id: d.id, role: d.role }))];
  const ids = holders.map((h) => h.id);
  const pmo = holders.some((h) => h.role === 'pmo' || h.role === 'admin');
  const admin = holders.some((h) => h.role === 'admin');
  return qb
    .where('r.status', 'pending')
    .whereNot('r.requested_by', user.id)
    .where((w) => {
      if (pmo) w.orWhere('s.decider_role', 'pmo');
      if (admin) w.orWhere('s.decider_role', 'admin');
      w.orWhere((x) =>
        x
          .where('s.decider_role', 'sponsor')
          .where((y) =>
            y
              .whereIn('p.sponsor_id', ids)
              .orWhere((z) => z.whereNull('p.sponsor_id').whereIn('pg.sponsor_id', ids)),
          ),
      );
      w.orWhere((x) => x.where('s.decider_role', 'user').whereIn('s.decider_user_id', ids));
    });
}

function applyFilters(qb: Knex.QueryBuilder, f: Partial<InboxFilter>, now: string): Knex.QueryBuilder {
  if (f.kind) qb.where('r.kind', f.kind);
  if (f.project) qb.where('p.id', f.project);
  if (f.program) qb.where('pg.id', f.program);
  if (f.overdue) qb.where('s.status', 'pending').where('s.due_at', '<', now);
  return qb;
}

export async function inbox(
  conn: Conn,
  user: CurrentUser,
  delegators: Delegator[],
  f: InboxFilter,
  now: string,
): Promise<{ rows: ListRow[]; total: number; overdue: number; page: number; pages: number }> {
  const scoped = () => {
    const q = base(conn);
    if (f.scope === 'mine') whereDecidableBy(q, user, delegators);
    else whereProjectVisible(q.where('r.status', 'pending'), user, 'p');
    return q;
  };
  const filtered = () => applyFilters(scoped(), f, now);
  const [{ n }] = (await filtered().count({ n: 'r.id' })) as { n: number | string }[];
  const [{ n: od }] = (await applyFilters(scoped(), { ...f, overdue: true }, now).count({ n: 'r.id' })) as {
    n: number | string;
  }[];
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(f.page, pages);
  const rows = (await filtered()
    .select(LIST_COLUMNS)
    .orderBy([
      { column: 's.due_at', order: 'asc' },
      { column: 'r.id', order: 'asc' },
    ])
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)) as ListRow[];
  return { rows, total, overdue: Number(od), page, pages };
}

/** Requests the user submitted. */
export async function mine(conn: Conn, user: CurrentUser, f: ListFilter) {
  const q = () =>
    base(conn)
      .where('r.requested_by', user.id)
      .modify((x) => (f.status ? x.where('r.status', f.status) : x))
      .modify((x) => (f.kind ? x.where('r.kind', f.kind) : x));
  const [{ n }] = (await q().count({ n: 'r.id' })) as { n: number | string }[];
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(f.page, pages);
  const rows = (await q()
    .select(LIST_COLUMNS)
    .orderBy('r.id', 'desc')
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)) as ListRow[];
  return { rows, total, page, pages };
}

/** Every request of a project, newest first. */
export async function projectRequests(conn: Conn, projectId: number): Promise<ListRow[]> {
  return (await base(conn)
    .where('r.project_id', projectId)
    .select(LIST_COLUMNS)
    .orderBy('r.id', 'desc')) as ListRow[];
}

/** The project's milestones with their sign-off (if any). */
export async function projectSignoffs(conn: Conn, projectId: number) {
  return (await conn('milestones as m')
    .leftJoin('milestone_signoffs as so', 'so.milestone_id', 'm.id')
    .leftJoin('users as u', 'u.id', 'so.accepted_by')
    .where('m.project_id', projectId)
    .orderBy([{ column: 'm.planned_date' }, { column: 'm.id' }])
    .select(
      'm.id',
      'm.title_en',
      'm.title_ar',
      'm.status',
      'm.planned_date',
      'm.actual_date',
      'so.accepted_at',
      'so.request_id',
      'u.name_en as accepted_by_en',
      'u.name_ar as accepted_by_ar',
    )) as {
    id: number;
    title_en: string;
    title_ar: string;
    status: string;
    planned_date: string;
    actual_date: string | null;
    accepted_at: string | null;
    request_id: number | null;
    accepted_by_en: string | null;
    accepted_by_ar: string | null;
  }[];
}

/** Sign-offs of milestones, for other modules' pages (one query for any number of milestones). */
export async function milestoneSignoffs(
  conn: Conn,
  milestoneIds: number[],
): Promise<Map<number, { requestId: number; acceptedAt: string; acceptedBy: number | null }>> {
  const out = new Map<number, { requestId: number; acceptedAt: string; acceptedBy: number | null }>();
  if (milestoneIds.length === 0) return out;
  const rows = (await conn('milestone_signoffs').whereIn('milestone_id', milestoneIds)) as {
    milestone_id: number;
    request_id: number;
    accepted_at: string;
    accepted_by: number | null;
  }[];
  for (const r of rows)
    out.set(r.milestone_id, {
      requestId: r.request_id,
      acceptedAt: r.accepted_at,
      acceptedBy: r.accepted_by,
    });
  return out;
}

export interface StepView extends StepRow {
  decided_by_en: string | null;
  decided_by_ar: string | null;
  behalf_en: string | null;
  behalf_ar: string | null;
  named_en: string | null;
  named_ar: string | null;
}

export async function requestSteps(conn: Conn, requestId: number): Promise<StepView[]> {
  return (await conn('approval_steps as s')
    .leftJoin('users as d', 'd.id', 's.decided_by')
    .leftJoin('users as b', 'b.id', 's.on_behalf_of')
    .leftJoin('users as n', 'n.id', 's.decider_user_id')
    .where('s.request_id', requestId)
    .orderBy([{ column: 's.round' }, { column: 's.step_no' }])
    .select(
      's.*',
      'd.name_en as decided_by_en',
      'd.name_ar as decided_by_ar',
      'b.name_en as behalf_en',
      'b.name_ar as behalf_ar',
      'n.name_en as named_en',
      'n.name_ar as named_ar',
    )) as StepView[];
}

export async function requestEvents(conn: Conn, requestId: number) {
  return (await conn('approval_events as e')
    .leftJoin('users as a', 'a.id', 'e.actor_id')
    .leftJoin('users as b', 'b.id', 'e.on_behalf_of')
    .where('e.request_id', requestId)
    .orderBy('e.id')
    .select(
      'e.*',
      'a.name_en as actor_en',
      'a.name_ar as actor_ar',
      'b.name_en as behalf_en',
      'b.name_ar as behalf_ar',
    )) as {
    id: number;
    round: number;
    step_no: number | null;
    action: string;
    comment: string | null;
    at: string;
    actor_en: string | null;
    actor_ar: string | null;
    behalf_en: string | null;
    behalf_ar: string | null;
  }[];
}

export async function delegatorsWithNames(conn: Conn, userId: number, today: string): Promise<Delegator[]> {
  return (await conn('approval_delegations as d')
    .join('users as u', 'u.id', 'd.delegator_id')
    .where('d.delegate_id', userId)
    .whereNull('d.ended_at')
    .where('d.starts_on', '<=', today)
    .where('d.ends_on', '>=', today)
    .where('u.active', true)
    .select('u.id', 'u.role', 'u.name_en', 'u.name_ar')) as Delegator[];
}

/** Programs and projects the user sees, for the inbox filters. */
export async function filterOptions(conn: Conn, user: CurrentUser) {
  const [programs, projects] = await Promise.all([
    whereProgramVisible(conn('programs').select('id', 'code', 'name_en', 'name_ar'), user).orderBy('code'),
    whereProjectVisible(conn('projects').select('id', 'code', 'name_en', 'name_ar'), user).orderBy('code'),
  ]);
  return {
    programs: programs as { id: number; code: string; name_en: string; name_ar: string }[],
    projects: projects as { id: number; code: string; name_en: string; name_ar: string }[],
  };
}

export async function workflows(conn: Conn) {
  const [wfs, steps] = await Promise.all([
    conn('approval_workflows').select('id', 'kind', 'version'),
    conn('approval_workflow_steps as s')
      .leftJoin('users as u', 'u.id', 's.decider_user_id')
      .orderBy([{ column: 's.workflow_id' }, { column: 's.position' }])
      .select('s.*', 'u.name_en as user_en', 'u.name_ar as user_ar'),
  ]);
  return (wfs as { id: number; kind: string; version: number }[]).map((w) => ({
    ...w,
    steps: (steps as Record<string, unknown>[]).filter((s) => s.workflow_id === w.id),
  }));
}

export async function criteriaRows(conn: Conn) {
  return (await conn('gate_criteria').orderBy([
    { column: 'from_phase' },
    { column: 'position' },
    { column: 'id' },
  ])) as {
    id: number;
    from_phase: string;
    criterion_type: string;
    params: string;
    position: number;
  }[];
}

export async function holidays(conn: Conn) {
  return (await conn('public_holidays').orderBy('date', 'desc')) as {
    id: number;
    date: string;
    name_en: string;
    name_ar: string;
  }[];
}

/** Delegations the user gave or received (all of them for PMO governance). */
export async function delegations(conn: Conn, user: CurrentUser, all: boolean) {
  return (await conn('approval_delegations as d')
    .join('users as a', 'a.id', 'd.delegator_id')
    .join('users as b', 'b.id', 'd.delegate_id')
    .modify((q) =>
      all ? q : q.where((w) => w.where('d.delegator_id', user.id).orWhere('d.delegate_id', user.id)),
    )
    .orderBy('d.id', 'desc')
    .limit(200)
    .select(
      'd.*',
      'a.name_en as delegator_en',
      'a.name_ar as delegator_ar',
      'b.name_en as delegate_en',
      'b.name_ar as delegate_ar',
    )) as {
    id: number;
    delegator_id: number;
    delegate_id: number;
    created_by: number;
    starts_on: string;
    ends_on: string;
    reason: string | null;
    ended_at: string | null;
    delegator_en: string;
    delegator_ar: string;
    delegate_en: string;
    delegate_ar: string;
  }[];
}

/** Users who can be named as deciders (anyone active who is not a viewer). */
export async function deciderCandidates(conn: Conn) {
  return (await conn('users')
    .where({ active: true })
    .whereNot('role', 'viewer')
    .orderBy('name_en')
    .select('id', 'name_en', 'name_ar', 'role')) as {
    id: number;
    name_en: string;
    name_ar: string;
    role: Role;
  }[];
}

// --- dashboard widgets ---------------------------------------------------------------------

export async function overdueRequests(conn: Conn, user: CurrentUser, now: string, limit = 8) {
  const q = () =>
    whereProjectVisible(
      base(conn).where('r.status', 'pending').where('s.status', 'pending').where('s.due_at', '<', now),
      user,
      'p',
    );
  const [rows, [{ n }], [{ o }]] = await Promise.all([
    q().select(LIST_COLUMNS).orderBy('s.due_at').limit(limit),
    q().count({ n: 'r.id' }),
    whereProjectVisible(base(conn).where('r.status', 'pending'), user, 'p').count({ o: 'r.id' }),
  ]);
  return { rows: rows as ListRow[], overdue: Number(n), open: Number(o) };
}

export async function metricsFacts(conn: Conn, since: string) {
  const [requests, steps] = await Promise.all([
    conn('approval_requests')
      .whereIn('status', ['approved', 'rejected'])
      .whereNotNull('decided_at')
      .where('decided_at', '>=', since)
      .select('kind', 'submitted_at', 'decided_at'),
    conn('approval_steps as s')
      .join('approval_requests as r', 'r.id', 's.request_id')
      .whereIn('s.status', ['approved', 'rejected', 'returned'])
      .whereNotNull('s.decided_at')
      .whereNotNull('s.started_at')
      .where('s.decided_at', '>=', since)
      .select('r.kind', 's.step_no', 's.name_en', 's.name_ar', 's.started_at', 's.decided_at', 's.due_at'),
  ]);
  return {
    requests: (requests as { kind: string; submitted_at: string; decided_at: string }[]).map((r) => ({
      kind: r.kind,
      submittedAt: r.submitted_at,
      decidedAt: r.decided_at,
    })),
    steps: (
      steps as {
        kind: string;
        step_no: number;
        name_en: string;
        name_ar: string;
        started_at: string;
        decided_at: string;
        due_at: string | null;
      }[]
    ).map((s) => ({
      kind: s.kind,
      stepNo: s.step_no,
      nameEn: s.name_en,
      nameAr: s.name_ar,
      startedAt: s.started_at,
      decidedAt: s.decided_at,
      dueAt: s.due_at,
    })),
  };
}
