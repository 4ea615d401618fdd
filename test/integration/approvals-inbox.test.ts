import { expect } from 'chai';
import type { Knex } from 'knex';
import type { CurrentUser } from '../../src/auth/current-user.js';
import type { Db } from '../../src/db/knex.js';
import { insertOne } from '../../src/db/util.js';
import * as repo from '../../src/modules/approvals/approvals.repository.js';
import { APPROVAL_KINDS, DECIDER_ROLES } from '../../src/modules/approvals/approvals.rules.js';
import { whereProjectVisible } from '../../src/modules/projects/projects.access.js';
import { freshDb } from '../helpers/db.js';
import { addMember, buildProgram, buildProject } from '../factories/portfolio.js';
import { buildUser } from '../factories/users.js';

const NOW = '2026-11-15T09:00:00.000Z';
const TODAY = NOW.slice(0, 10);

/**
 * The inbox reads its requests through several index-driven sources; this checks that together
 * they list exactly the requests of the inbox's definition, in its order, for every kind of user,
 * scope and filter: the reference below is that definition written as one plain query.
 */
function reference(
  db: Db,
  user: CurrentUser,
  authority: repo.Authority,
  q: Omit<repo.InboxQuery, 'projects' | 'page'> & { projects: number[][] },
): Knex.QueryBuilder {
  const b = db('approval_requests as r')
    .join('projects as p', 'p.id', 'r.project_id')
    .join('programs as pg', 'pg.id', 'p.program_id')
    .leftJoin('approval_steps as s', function () {
      this.on('s.request_id', 'r.id').andOn('s.round', 'r.round').andOn('s.step_no', 'r.current_step');
    })
    .where('r.status', q.scope === 'mine' ? 'pending' : q.status);
  if (q.scope === 'mine') {
    const holders = [user, ...authority.delegators];
    const ids = holders.map((h) => h.id);
    b.whereNot('r.requested_by', user.id).where((w) => {
      if (holders.some((h) => h.role === 'pmo' || h.role === 'admin')) w.orWhere('s.decider_role', 'pmo');
      if (holders.some((h) => h.role === 'admin')) w.orWhere('s.decider_role', 'admin');
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
  } else whereProjectVisible(b, user, 'p');
  if (q.kind) b.where('r.kind', q.kind);
  if (q.step) b.where('s.decider_role', q.step);
  if (q.overdue) b.where('s.status', 'pending').where('s.due_at', '<', NOW);
  for (const ids of q.projects) b.whereIn('r.project_id', ids);
  return b;
}

describe('approvals inbox: its sources list exactly the inbox of each user', () => {
  let db: Db;
  before(async () => {
    ({ db } = await freshDb());
  });
  after(() => db.destroy());

  it('for every user, scope and filter: the same requests in the same order, the same counts', async function () {
    this.timeout(120_000);
    const [pmo, pmo2, admin, viewer] = [
      await buildUser(db, { role: 'pmo' }),
      await buildUser(db, { role: 'pmo' }),
      await buildUser(db, { role: 'admin' }),
      await buildUser(db, { role: 'viewer' }),
    ];
    const pms = [await buildUser(db, { role: 'pm' }), await buildUser(db, { role: 'pm' })];
    const named = await buildUser(db, { role: 'pm' });
    const sponsors = [await buildUser(db, { role: 'sponsor' }), await buildUser(db, { role: 'sponsor' })];
    const delegate = await buildUser(db, { role: 'sponsor' });
    const users = [pmo, pmo2, admin, viewer, ...pms, named, ...sponsors, delegate];
    const programs = [
      await buildProgram(db, { sponsor_id: sponsors[0].id, manager_id: pms[1].id }),
      await buildProgram(db, { sponsor_id: null }),
      await buildProgram(db, { sponsor_id: sponsors[1].id }),
    ];
    const projects = [];
    for (let i = 0; i < 9; i++)
      projects.push(
        await buildProject(db, {
          program_id: programs[i % 3].id,
          manager_id: pms[i % 2].id,
          sponsor_id: i % 4 === 0 ? null : sponsors[i % 2].id,
        }),
      );
    await addMember(db, projects[4].id, named.id);
    // delegations in force: a sponsor's to another sponsor, an administrator's to a PMO user;
    // one ended and one not yet started
    const delegation = (
      from: number,
      to: number,
      starts: string,
      ends: string,
      ended: string | null = null,
    ) =>
      db('approval_delegations').insert({
        delegator_id: from,
        delegate_id: to,
        created_by: from,
        starts_on: starts,
        ends_on: ends,
        reason: null,
        ended_at: ended,
        created_at: NOW,
      });
    await delegation(sponsors[1].id, delegate.id, '2026-11-01', '2026-12-31');
    await delegation(admin.id, pmo2.id, '2026-11-01', '2026-12-31');
    await delegation(sponsors[0].id, delegate.id, '2026-11-01', '2026-12-31', '2026-11-10T00:00:00Z');
    await delegation(sponsors[0].id, named.id, '2026-12-01', '2026-12-31');

    // requests of every kind and status, steps of every decider, some overdue, some in a second round
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const statuses = ['pending', 'pending', 'pending', 'returned', 'approved', 'withdrawn'];
    const requesters = [pms[0], pms[1], pmo, admin];
    // besides random ones, the cases each source exists for (project index, requester, decider)
    const cases: [number, number, (typeof DECIDER_ROLES)[number], number | null][] = [
      [0, pms[0].id, 'sponsor', null], // no sponsor: the program's (sponsors[0]) decides
      [8, pms[0].id, 'sponsor', null], // no sponsor: the program's (sponsors[1], delegated) decides
      [4, pms[0].id, 'sponsor', null], // no sponsor, nor has its program: nobody
      [1, pmo.id, 'pmo', null], // the PMO's own request: not theirs to decide
      [2, pms[1].id, 'admin', null],
      [3, pms[1].id, 'user', named.id],
      [5, pms[0].id, 'user', sponsors[1].id], // named, delegated
    ];
    for (let i = 0; i < 90 + cases.length; i++) {
      const c = cases[i - 90];
      const status = c ? 'pending' : statuses[rnd(statuses.length)];
      const round = rnd(4) === 0 ? 2 : 1;
      const role = c ? c[2] : DECIDER_ROLES[rnd(DECIDER_ROLES.length)];
      const due = `2026-11-${String(1 + rnd(28)).padStart(2, '0')}T${String(rnd(24)).padStart(2, '0')}:00:00.000Z`;
      const id = await insertOne(db, 'approval_requests', {
        kind: APPROVAL_KINDS[rnd(APPROVAL_KINDS.length)],
        project_id: projects[c ? c[0] : rnd(projects.length)].id,
        subject_type: 'project',
        subject_id: 1,
        title_en: `Request ${i}`,
        title_ar: `طلب ${i}`,
        status,
        requested_by: c ? c[1] : requesters[rnd(requesters.length)].id,
        submitted_at: NOW,
        current_step: status === 'pending' ? 1 + rnd(2) : null,
        payload: '{}',
        round,
        version: 1,
        created_at: NOW,
        updated_at: NOW,
      });
      const r = (await db('approval_requests').where({ id }).first()) as { current_step: number | null };
      for (let rd = 1; rd <= round; rd++)
        for (let no = 1; no <= 2; no++) {
          const current = rd === round && no === r.current_step;
          await db('approval_steps').insert({
            request_id: id,
            round: rd,
            step_no: no,
            name_en: `Step ${no}`,
            name_ar: `خطوة ${no}`,
            decider_role: current ? role : DECIDER_ROLES[rnd(4)],
            decider_user_id:
              current && c
                ? c[3]
                : (current ? role : 'x') === 'user' || rnd(5) === 0
                  ? users[rnd(users.length)].id
                  : null,
            sla_days: 3,
            status: current ? 'pending' : rd < round ? 'returned' : no === 1 ? 'approved' : 'waiting',
            started_at: NOW,
            due_at: current || rnd(2) ? due : null,
          });
        }
    }

    const filters: Partial<repo.InboxQuery>[] = [
      {},
      { kind: 'gate' },
      { step: 'sponsor' },
      { step: 'pmo', overdue: true },
      { overdue: true },
      { status: 'returned' },
    ];
    let compared = 0;
    const listed = new Map<number, number>();
    for (const user of users) {
      const authority = await repo.authorityOf(db, user, TODAY);
      for (const scope of ['mine', 'all'] as const)
        for (const f of filters)
          for (const projectSets of [
            [],
            [[projects[1].id, projects[4].id]],
            [projects.slice(0, 6).map((p) => p.id), [projects[3].id]],
          ]) {
            const q = { scope, status: 'pending' as const, overdue: false, ...f, projects: projectSets };
            if (scope === 'mine' && q.status !== 'pending') continue;
            const want = (await reference(db, user, authority, q)
              .select('r.id', 's.due_at', 's.status as step_status')
              .orderBy([{ column: 's.due_at' }, { column: 'r.id' }])) as {
              id: number;
              due_at: string | null;
              step_status: string | null;
            }[];
            const got: number[] = [];
            let page = 1;
            let first: repo.InboxPage | undefined;
            for (;;) {
              const p = await repo.inbox(db, user, authority, { ...q, page }, NOW);
              first ??= p;
              got.push(...p.rows.map((r) => r.id));
              if (!p.hasNext) break;
              page++;
            }
            const label = `${user.role} #${user.id} ${scope} ${JSON.stringify(f)} ${JSON.stringify(projectSets)}`;
            expect(got, label).to.deep.equal(want.map((r) => r.id));
            expect(first!.total, label).to.equal(want.length);
            expect(first!.more, label).to.equal(false);
            expect(first!.overdue, label).to.equal(
              want.filter((r) => r.step_status === 'pending' && r.due_at !== null && r.due_at < NOW).length,
            );
            compared++;
            if (scope === 'mine' && !f.kind && !projectSets.length)
              listed.set(user.id, (listed.get(user.id) ?? 0) + want.length);
          }
    }
    expect(compared).to.be.greaterThan(200);
    // every decider has something awaiting them (the viewer and the pms decide nothing)
    for (const u of [pmo, pmo2, admin, named, ...sponsors, delegate])
      expect(listed.get(u.id), `${u.role} #${u.id}`).to.be.greaterThan(0);
  });
});
