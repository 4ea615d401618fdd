import { expect } from 'chai';
import type { Config } from '../../src/config.js';
import type { Db } from '../../src/db/knex.js';
import { findUserWithHashByEmail } from '../../src/auth/users.repository.js';
import { whereProjectVisible } from '../../src/modules/projects/projects.access.js';
import { generateLargePortfolio } from '../../src/cli/seed-large.js';
import { seed as seedUsers } from '../../seeds/01-demo-users.js';
import { seed as seedPortfolio } from '../../seeds/02-demo-portfolio.js';
import { freshDb } from '../helpers/db.js';

const today = new Date('2026-11-28T08:00:00Z');

describe('demo portfolio seed', () => {
  let db: Db;
  let config: Config;
  const n = async (table: string) => Number((await db(table).count({ n: '*' }))[0].n);
  const codesOf = async (where: Record<string, unknown>) =>
    ((await db('projects').select('code').where(where).orderBy('code')) as { code: string }[]).map(
      (r) => r.code,
    );
  const idOf = async (email: string) => (await db('users').where({ email }).first()).id as number;

  before(async () => {
    ({ db, config } = await freshDb());
    await seedUsers(db);
    await seedPortfolio(db, { config, today });
  });
  after(() => db.destroy());

  it('holds 5 programs and 30 projects in the order of the contract, with milestones and six months of reports', async () => {
    const programs = ((await db('programs').select('code').orderBy('code')) as { code: string }[]).map(
      (r) => r.code,
    );
    expect(programs).to.deep.equal(['CAP', 'CXF', 'DST', 'GOV', 'INF']);
    expect(await n('projects')).to.equal(30);
    expect((await db('projects').where({ code: 'GOV-01' }).first()).name_en).to.equal(
      'Project portfolio management system',
    );
    expect((await db('projects').where({ code: 'CAP-06' }).first()).name_en).to.equal('Innovation lab');
    const milestones = await n('milestones');
    expect(milestones).to.be.within(240, 280);
    const [{ late }] = await db('projects').sum({ late: 'late_milestones' });
    expect(Number(late)).to.be.greaterThan(5);
    const [{ first }] = await db('status_reports').min({ first: 'period_start' });
    expect(first <= '2026-06-01').to.equal(true);
    expect(await n('status_reports')).to.be.greaterThan(150);
    expect(await n('project_members')).to.be.greaterThan(20);
    const budgets = (await db('projects').select('budget_planned')).map((r: { budget_planned: number }) =>
      Number(r.budget_planned),
    );
    expect(Math.min(...budgets)).to.be.at.least(85_000_000);
    expect(Math.max(...budgets)).to.be.at.most(2_400_000_000);
  });

  it('covers every phase, status and health', async () => {
    const distinct = async (c: string) =>
      ((await db('projects').distinct(c)) as Record<string, string>[]).map((r) => r[c]).sort();
    expect(await distinct('phase')).to.deep.equal([
      'closed',
      'closure',
      'execution',
      'initiation',
      'planning',
    ]);
    expect(await distinct('status')).to.deep.equal(['active', 'cancelled', 'completed', 'on_hold']);
    expect(await distinct('health')).to.deep.equal(['amber', 'green', 'red']);
    expect((await db('projects').whereNull('health_computed_on')).length).to.equal(0);
  });

  it('gives pm@, pm2@ and sponsor@ the projects of the contract', async () => {
    const pm = await idOf('pm@masar.test');
    const pm2 = await idOf('pm2@masar.test');
    const sponsor = await idOf('sponsor@masar.test');
    expect(await codesOf({ manager_id: pm })).to.deep.equal([
      'DST-01',
      'DST-02',
      'DST-03',
      'DST-04',
      'DST-05',
      'DST-06',
      'GOV-01',
      'GOV-02',
      'GOV-03',
    ]);
    const pm2Codes = await codesOf({ manager_id: pm2 });
    expect(pm2Codes).to.have.length(21);
    expect(pm2Codes).to.include.members(['CXF-01', 'INF-06', 'CAP-06', 'GOV-04', 'GOV-06']);
    const sponsored = await codesOf({ sponsor_id: sponsor });
    expect(sponsored).to.have.length(13);
    expect(sponsored).to.include('INF-02').and.not.include('INF-01').and.not.include('CXF-01');
    const sponsoredPrograms = (
      (await db('programs').select('code').where({ sponsor_id: sponsor })) as { code: string }[]
    )
      .map((r) => r.code)
      .sort();
    expect(sponsoredPrograms).to.deep.equal(['DST', 'GOV']);
    // What each one sees through the one visibility rule.
    const sees = async (email: string) => {
      const u = (await findUserWithHashByEmail(db, email))!;
      return ((await whereProjectVisible(db('projects').select('projects.code'), u)) as { code: string }[])
        .length;
    };
    expect(await sees('pm@masar.test')).to.equal(9);
    expect(await sees('pm2@masar.test')).to.equal(21);
    expect(await sees('sponsor@masar.test')).to.equal(13);
  });

  it('is idempotent', async () => {
    const before = await Promise.all(
      ['users', 'programs', 'projects', 'milestones', 'status_reports'].map(n),
    );
    await seedUsers(db);
    await seedPortfolio(db, { config, today });
    const after = await Promise.all(['users', 'programs', 'projects', 'milestones', 'status_reports'].map(n));
    expect(after).to.deep.equal(before);
  });
});

describe('large portfolio generator', () => {
  it('generates programs, projects, milestones and reports in batches, and adds nothing when run again', async () => {
    const { db, config } = await freshDb();
    try {
      const r = await generateLargePortfolio(db, {
        projects: 60,
        milestonesPerProject: 10,
        today,
        health: config.health,
      });
      expect(r).to.deep.include({ programs: 3, projects: 60, milestones: 600 });
      expect(Number((await db('projects').count({ n: '*' }))[0].n)).to.equal(60);
      expect((await db('projects').whereNull('health_computed_on')).length).to.equal(0);
      const again = await generateLargePortfolio(db, { projects: 60, today });
      expect(again).to.deep.include({ programs: 0, projects: 0, milestones: 0 });
      expect(Number((await db('milestones').count({ n: '*' }))[0].n)).to.equal(600);
    } finally {
      await db.destroy();
    }
  });
});
