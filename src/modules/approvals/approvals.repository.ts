import type { Knex } from 'knex';
import type { CurrentUser } from '../../auth/current-user.js';
import type { Role } from '../../auth/roles.js';
import type { Conn } from '../../db/knex.js';
import { bool, whereContains } from '../../db/util.js';
import {
  visibleProgramIds,
  visibleProjectIds,
  whereProgramVisible,
  whereProjectVisible,
} from '../projects/projects.access.js';
import type { StepRow } from './approvals.engine.js';
import type { ApprovalKind, DeciderRole, INBOX_STATUSES } from './approvals.rules.js';
import type { ListFilter } from './approvals.schema.js';

type InboxStatus = (typeof INBOX_STATUSES)[number];

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
  const { ids, pmo, admin } = holdersOf(user, delegators);
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

/** The authority the user holds, themselves and through the delegations they received. */
function holdersOf(user: CurrentUser, delegators: Delegator[]) {
  const holders = [user, ...delegators.map((d) => ({ id: d.id, role: d.role }))];
  return {
    ids: holders.map((h) => h.id),
    pmo: holders.some((h) => h.role === 'pmo' || h.role === 'admin'),
    admin: holders.some((h) => h.role === 'admin'),
  };
}

// --- the inbox ---------------------------------------------------------------------------------

/**
 * Counts read at most this many requests: beyond, the inbox says "more than" (a count of every
 * open request would read the whole queue on each visit).
 */
export const COUNT_CAP = 200;
/** A search resolves to at most this many projects or programs, which it names. */
export const SEARCH_MATCHES = 20;
/** Up to this many programs the filter is a list; beyond, a search field like the project's. */
export const PROGRAM_LIST_MAX = 50;

/** Projects the inbox is restricted to: their ids, or a subquery selecting project ids. */
export type ProjectSet = number[] | ((conn: Conn) => Knex.QueryBuilder);

/** What the inbox lists: the URL's filters with the searches resolved to sets of projects. */
export interface InboxQuery {
  scope: 'mine' | 'all';
  status: InboxStatus;
  kind?: ApprovalKind;
  step?: DeciderRole;
  overdue: boolean;
  page: number;
  /** Every set restricts the requests to its projects. */
  projects: ProjectSet[];
}

const subquery = (conn: Conn, set: ProjectSet) => (Array.isArray(set) ? set : set(conn));

/** Joins a request's current step (its pending step; none for a returned request). */
function currentStep(this: Knex.JoinClause) {
  this.on('s.request_id', 'r.id').andOn('s.round', 'r.round').andOn('s.step_no', 'r.current_step');
}

/** The filters every way of reading the inbox applies to a request `r` and its current step `s`. */
function narrow(qb: Knex.QueryBuilder, q: InboxQuery, now: string): Knex.QueryBuilder {
  if (q.kind) qb.where('r.kind', q.kind);
  if (q.step) qb.where('s.decider_role', q.step);
  if (q.overdue) qb.where('s.status', 'pending').where('s.due_at', '<', now);
  return qb;
}

/**
 * Pending requests read from the steps' (status, decider role, due) index, in due order: a page
 * reads its rows and stops, whatever the size of the queue. A pending step is always the current
 * step of its pending request (the engine moves both in one transaction), so the request is read
 * by its id alone: no condition on the request's status, round or step, which PostgreSQL would
 * take for independent filters and, expecting few rows, answer by reading the whole queue.
 */
function pendingSteps(conn: Conn, q: InboxQuery, now: string, role?: DeciderRole): Source {
  const b = conn('approval_steps as s')
    .join('approval_requests as r', 'r.id', 's.request_id')
    .where('s.status', 'pending');
  if (role) b.where('s.decider_role', role);
  return {
    qb: narrow(b, q, now).select('s.request_id as id', 's.due_at'),
    order: ['s.due_at', 's.request_id'],
  };
}

/**
 * Requests of some projects (a search, a program, the projects a pm sees or a sponsor sponsors),
 * read from those projects: the request is read first (a CROSS JOIN keeps SQLite from starting at
 * the steps' queue), then its current step.
 */
function ofProjects(conn: Conn, q: InboxQuery, now: string, sets: ProjectSet[]): Source {
  const b = conn('approval_requests as r').where('r.status', q.status);
  if (q.status === 'pending')
    b.joinRaw('cross join ?? as ??', ['approval_steps', 's'])
      .where('s.request_id', conn.ref('r.id'))
      .where('s.round', conn.ref('r.round'))
      .where('s.step_no', conn.ref('r.current_step'));
  else b.leftJoin('approval_steps as s', currentStep);
  for (const set of sets) b.whereIn('r.project_id', subquery(conn, set));
  return {
    qb: narrow(b, q, now).select('r.id', 's.due_at'),
    order: q.status === 'pending' ? ['s.due_at', 'r.id'] : ['r.id'],
  };
}

/** One way to read requests: a query of (id, due_at) and the columns of its order. */
interface Source {
  qb: Knex.QueryBuilder;
  order: string[];
}

/**
 * The ways to read the requests the inbox lists, each by an index and each in the inbox's order
 * (due, then id; returned requests wait on no step: id); together exactly the requests of the
 * scope. Awaiting my decision: one way per kind of authority (PMO, administrator, sponsor, each
 * named person), so that none reads another's queue. All open requests: the steps in due order for
 * those who see the whole portfolio, otherwise the requests of the projects the user sees.
 */
function sources(conn: Conn, user: CurrentUser, authority: Authority, q: InboxQuery, now: string): Source[] {
  if (q.scope === 'all') {
    const visible = visibleProjectIds(conn, user);
    const sets = visible ? [...q.projects, () => visible] : q.projects;
    if (sets.length || q.status !== 'pending') return [ofProjects(conn, q, now, sets)];
    return [pendingSteps(conn, q, now)];
  }
  const { pmo, admin } = holdersOf(user, authority.delegators);
  const mine = (src: Source): Source => {
    src.qb.whereNot('r.requested_by', user.id);
    return src;
  };
  if (q.projects.length) {
    // a few projects: read them and keep what the user may decide
    const b = conn('approval_requests as r')
      .join('projects as p', 'p.id', 'r.project_id')
      .join('programs as pg', 'pg.id', 'p.program_id')
      .join('approval_steps as s', currentStep);
    for (const set of q.projects) b.whereIn('r.project_id', subquery(conn, set));
    return [
      {
        qb: narrow(whereDecidableBy(b, user, authority.delegators), q, now).select('r.id', 's.due_at'),
        order: ['s.due_at', 'r.id'],
      },
    ];
  }
  const out: Source[] = [];
  const wants = (role: DeciderRole) => !q.step || q.step === role;
  if (pmo && wants('pmo')) out.push(mine(pendingSteps(conn, q, now, 'pmo')));
  if (admin && wants('admin')) out.push(mine(pendingSteps(conn, q, now, 'admin')));
  if (wants('sponsor')) {
    // the projects whose sponsor is a holder, and those without one whose program's sponsor is
    const sponsored: ProjectSet[] = [];
    if (authority.projectSponsors.length)
      sponsored.push((c) =>
        c('projects as sp').select('sp.id').whereIn('sp.sponsor_id', authority.projectSponsors),
      );
    if (authority.programSponsors.length)
      sponsored.push((c) =>
        c('programs as spg')
          .join('projects as spp', 'spp.program_id', 'spg.id')
          .select('spp.id')
          .whereIn('spg.sponsor_id', authority.programSponsors)
          .whereNull('spp.sponsor_id'),
      );
    for (const set of sponsored) {
      const src = ofProjects(conn, { ...q, status: 'pending' }, now, [set]);
      src.qb.where('s.decider_role', 'sponsor');
      out.push(mine(src));
    }
  }
  if (wants('user'))
    for (const id of authority.named) {
      const src = pendingSteps(conn, q, now, 'user');
      src.qb.where('s.decider_user_id', id);
      out.push(mine(src));
    }
  return out;
}

/**
 * The first `limit` requests of the inbox in its order (due, then id), and possibly more: each
 * source gives its first `limit` (the union holds the first `limit` of all). Columns id, due_at.
 */
function firstOf(
  conn: Conn,
  user: CurrentUser,
  authority: Authority,
  q: InboxQuery,
  now: string,
  limit: number,
): Knex.QueryBuilder | null {
  const parts = sources(conn, user, authority, q, now).map(({ qb, order }, i) =>
    conn.select('*').from(
      qb
        .orderBy(order.map((column) => ({ column })))
        .limit(limit)
        .as(`src${i}`),
    ),
  );
  if (!parts.length) return null;
  return parts.length === 1 ? parts[0] : parts[0].unionAll(parts.slice(1));
}

export interface InboxPage {
  rows: ListRow[];
  /** Requests listed (at most COUNT_CAP: `more` says there are more). */
  total: number;
  overdue: number;
  /** More than COUNT_CAP requests (or overdue ones): the counts stop there. */
  more: boolean;
  overdueMore: boolean;
  page: number;
  /** The number of pages, when the count is exact. */
  pages: number | null;
  hasNext: boolean;
}

/** The columns of a page of the inbox, from its requests `c` (id, due_at) in order. */
function pageOf(qb: Knex.QueryBuilder, c: string, join: 'join' | 'leftJoin' = 'join'): Knex.QueryBuilder {
  const joined = qb[join]('approval_requests as r', 'r.id', `${c}.id`);
  joined[join]('projects as p', 'p.id', 'r.project_id');
  joined[join]('programs as pg', 'pg.id', 'p.program_id');
  joined[join]('users as u', 'u.id', 'r.requested_by');
  return joined
    .leftJoin('approval_steps as s', currentStep)
    .select(LIST_COLUMNS)
    .orderBy([{ column: `${c}.due_at` }, { column: `${c}.id` }]);
}

/**
 * The inbox: a page of requests, their count and the overdue count, read in one query (two for
 * a page past COUNT_CAP) whose cost depends on the page and on COUNT_CAP, not on the size of
 * the queue. The first COUNT_CAP + 1 requests are counted (overdue ones come first: they are due
 * first) and the page is cut from them.
 */
export async function inbox(
  conn: Conn,
  user: CurrentUser,
  authority: Authority,
  q: InboxQuery,
  now: string,
): Promise<InboxPage> {
  const empty = { rows: [], total: 0, overdue: 0, more: false, overdueMore: false, page: 1, pages: 1 };
  if (!sources(conn, user, authority, q, now).length) return { ...empty, hasNext: false };
  const first = (limit: number) => firstOf(conn, user, authority, q, now, limit)!;
  const counted = COUNT_CAP + 1;
  const totals = (c: Knex.QueryBuilder) =>
    c.select(
      conn.raw('count(*) as n'),
      conn.raw('coalesce(sum(case when c.due_at < ? then 1 else 0 end), 0) as od', [now]),
    );
  const pageRows = (page: number, from: (qb: Knex.QueryBuilder) => Knex.QueryBuilder) =>
    from(conn.select('*'))
      .orderBy([{ column: 'due_at' }, { column: 'id' }])
      .limit(PAGE_SIZE + 1)
      .offset((page - 1) * PAGE_SIZE);
  let n: number;
  let od: number;
  let rows: ListRow[] | null = null;
  if (q.page * PAGE_SIZE + 1 <= counted) {
    // the page lies within the counted requests: count and page in one query
    const found = (await pageOf(
      conn
        .withMaterialized('c', first(counted))
        .from(totals(conn.from('c')).as('t'))
        .leftJoin(pageRows(q.page, (x) => x.from('c')).as('cc'), function () {
          this.on(conn.raw('1 = 1'));
        }),
      'cc',
      'leftJoin',
    ).select('t.n as total_n', 't.od as total_od')) as (ListRow & {
      total_n: number | string;
      total_od: number | string;
    })[];
    n = Number(found[0].total_n);
    od = Number(found[0].total_od);
    rows = found.filter((r) => r.id !== null);
  } else {
    const [t] = (await totals(conn.from(first(counted).as('c')))) as {
      n: number | string;
      od: number | string;
    }[];
    n = Number(t.n);
    od = Number(t.od);
  }
  const more = n > COUNT_CAP;
  const pages = more ? null : Math.max(1, Math.ceil(n / PAGE_SIZE));
  const page = pages === null ? q.page : Math.min(q.page, pages);
  if (!rows || page !== q.page) {
    const offset = (page - 1) * PAGE_SIZE;
    rows = (await pageOf(
      conn.from(pageRows(page, (x) => x.from(first(offset + PAGE_SIZE + 1).as('c0'))).as('c')),
      'c',
    )) as ListRow[];
  }
  return {
    rows: rows.slice(0, PAGE_SIZE),
    total: Math.min(n, COUNT_CAP),
    overdue: Math.min(od, COUNT_CAP),
    more,
    overdueMore: od > COUNT_CAP,
    page,
    pages,
    hasNext: rows.length > PAGE_SIZE,
  };
}

export interface Match {
  id: number;
  code: string;
  name_en: string;
  name_ar: string;
}

/** What a search text resolved to: the matches (at most SEARCH_MATCHES) and whether there are more. */
export interface Resolved {
  matches: Match[];
  more: boolean;
  /** The projects (or programs) the text stands for: the matches' ids, or all of them when more. */
  set: ProjectSet;
}

/** Case-insensitive "contains" on a code and the names, LIKE wildcards taken literally. */
function whereText(qb: Knex.QueryBuilder, alias: string, text: string): Knex.QueryBuilder {
  return whereContains(qb, [`${alias}.code`, `${alias}.name_en`, `${alias}.name_ar`], text);
}

/**
 * Resolves a search among the rows of `table` the user sees: a code typed in full is that row
 * (read by the code's index); otherwise the rows whose code or names contain the text.
 */
async function resolve(
  conn: Conn,
  table: 'projects' | 'programs',
  visible: Knex.QueryBuilder | null,
  text: string,
  toProjects: (ids: ProjectSet) => ProjectSet,
): Promise<Resolved> {
  const rows = (q: Knex.QueryBuilder) => {
    q.select('t.id', 't.code', 't.name_en', 't.name_ar');
    if (visible) q.whereIn('t.id', visible);
    return q;
  };
  const exact = (await rows(conn(`${table} as t`).where('t.code', text.toUpperCase()))) as Match[];
  if (exact.length) return { matches: exact, more: false, set: toProjects([exact[0].id]) };
  const found = (await whereText(rows(conn(`${table} as t`)), 't', text)
    .orderBy('t.code')
    .limit(SEARCH_MATCHES + 1)) as Match[];
  if (found.length <= SEARCH_MATCHES)
    return { matches: found, more: false, set: toProjects(found.map((m) => m.id)) };
  return {
    matches: found.slice(0, SEARCH_MATCHES),
    more: true,
    set: toProjects((c: Conn) => {
      const all = whereText(c(`${table} as t`).select('t.id'), 't', text);
      return visible ? all.whereIn('t.id', visible) : all;
    }),
  };
}

/** The projects a search names (their code or names), among those the user sees. */
export function resolveProjects(conn: Conn, user: CurrentUser, text: string): Promise<Resolved> {
  return resolve(conn, 'projects', visibleProjectIds(conn, user), text, (set) => set);
}

/** The programs a search names, among those the user sees; its set is their projects. */
export function resolvePrograms(conn: Conn, user: CurrentUser, text: string): Promise<Resolved> {
  return resolve(
    conn,
    'programs',
    visibleProgramIds(conn, user),
    text,
    (set) => (c: Conn) => c('projects as pp').select('pp.id').whereIn('pp.program_id', subquery(c, set)),
  );
}

/** The projects of a program, as a set. */
export function programProjects(programId: number): ProjectSet {
  return (c: Conn) => c('projects as pp').select('pp.id').where('pp.program_id', programId);
}

/** A project the user sees, by id (the inbox names the project it is filtered to). */
export async function visibleProject(conn: Conn, user: CurrentUser, id: number): Promise<Match | null> {
  const q = conn('projects as t').select('t.id', 't.code', 't.name_en', 't.name_ar').where('t.id', id);
  return ((await whereProjectVisible(q, user, 't').first()) as Match | undefined) ?? null;
}

/** A program the user sees, by id. */
export async function visibleProgram(conn: Conn, user: CurrentUser, id: number): Promise<Match | null> {
  const q = conn('programs as t').select('t.id', 't.code', 't.name_en', 't.name_ar').where('t.id', id);
  return ((await whereProgramVisible(q, user, 't').first()) as Match | undefined) ?? null;
}

/** The programs the user sees for the inbox's list (when there are few: see Authority.programs). */
export async function programOptions(conn: Conn, user: CurrentUser): Promise<Match[]> {
  const visible = visibleProgramIds(conn, user);
  const q = conn('programs as t').select('t.id', 't.code', 't.name_en', 't.name_ar');
  if (visible) q.whereIn('t.id', visible);
  return (await q.orderBy('t.code').limit(PROGRAM_LIST_MAX)) as Match[];
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

/** The user's approval authority (whose authority they hold, where it may reach), for the inbox. */
export interface Authority {
  /** The users whose authority the user holds today through a delegation. */
  delegators: Delegator[];
  /** Holders (the user and the delegators) who sponsor a project. */
  projectSponsors: number[];
  /** Holders who sponsor a program. */
  programSponsors: number[];
  /** Holders named as the decider of a pending step. */
  named: number[];
  /** The programs the user sees, counted up to PROGRAM_LIST_MAX + 1 (is a list small enough?). */
  programs: number;
}

/**
 * The user and the delegators whose authority they hold today (active users, delegation in force),
 * each with whether they sponsor a project or a program or are named on a pending step: one
 * query, so that the inbox reads only the queues the user may have something in.
 */
export async function authorityOf(conn: Conn, user: CurrentUser, today: string): Promise<Authority> {
  const facts = (q: Knex.QueryBuilder, delegated: number) =>
    q.select(
      'u.id',
      'u.role',
      'u.name_en',
      'u.name_ar',
      conn.raw(`${delegated} as delegated`),
      conn.raw('exists (select 1 from projects x where x.sponsor_id = u.id) as project_sponsor'),
      conn.raw('exists (select 1 from programs x where x.sponsor_id = u.id) as program_sponsor'),
      conn.raw(
        "exists (select 1 from approval_steps x where x.decider_user_id = u.id and x.status = 'pending') as named",
      ),
    );
  const visible = visibleProgramIds(conn, user);
  const programs = conn('programs as pc').select(conn.raw('1'));
  if (visible) programs.whereIn('pc.id', visible);
  const self = facts(conn('users as u').where('u.id', user.id), 0).select(
    conn.raw('(select count(*) from (?) as pcs) as programs', [programs.limit(PROGRAM_LIST_MAX + 1)]),
  );
  const rows = (await self.unionAll(
    facts(
      conn('approval_delegations as d')
        .join('users as u', 'u.id', 'd.delegator_id')
        .where('d.delegate_id', user.id)
        .whereNull('d.ended_at')
        .where('d.starts_on', '<=', today)
        .where('d.ends_on', '>=', today)
        .where('u.active', true),
      1,
    ).select(conn.raw('0 as programs')),
  )) as (Delegator & {
    programs: number | string;
    delegated: number | string;
    project_sponsor: unknown;
    program_sponsor: unknown;
    named: unknown;
  })[];
  const holding = (k: 'project_sponsor' | 'program_sponsor' | 'named') => [
    ...new Set(rows.filter((r) => bool(r[k])).map((r) => r.id)),
  ];
  return {
    delegators: rows
      .filter((r) => Number(r.delegated) === 1)
      .map((r) => ({ id: r.id, role: r.role, name_en: r.name_en, name_ar: r.name_ar })),
    projectSponsors: holding('project_sponsor'),
    programSponsors: holding('program_sponsor'),
    named: holding('named'),
    programs: Number(rows.find((r) => Number(r.delegated) === 0)?.programs ?? 0),
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
