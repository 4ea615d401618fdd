import { expect } from 'chai';
import type { Db } from '../../src/db/knex.js';
import { freshDb } from '../helpers/db.js';
import { buildUser } from '../factories/users.js';
import { addMember, buildProgram, buildProject } from '../factories/portfolio.js';
import {
  canSeeProgram,
  canSeeProject,
  visibleProgramIds,
  visibleProjectIds,
  whereProgramVisible,
  whereProjectVisible,
} from '../../src/modules/projects/projects.access.js';

describe('visibility of projects and programs', () => {
  let db: Db;
  before(async () => {
    ({ db } = await freshDb());
  });
  after(() => db.destroy());

  it('admin, pmo and viewer see everything; pm and sponsor what they are attached to', async () => {
    const pm = await buildUser(db, { role: 'pm' });
    const other = await buildUser(db, { role: 'pm' });
    const sponsor = await buildUser(db, { role: 'sponsor' });
    const progSponsor = await buildUser(db, { role: 'sponsor' });
    const member = await buildUser(db, { role: 'pm' });
    const prog = await buildProgram(db, { sponsor_id: progSponsor.id });
    const mine = await buildProject(db, { program_id: prog.id, manager_id: pm.id, sponsor_id: sponsor.id });
    const theirs = await buildProject(db, { manager_id: other.id });
    await addMember(db, theirs.id, member.id);
    for (const role of ['admin', 'pmo', 'viewer'] as const) {
      const u = await buildUser(db, { role });
      expect(await canSeeProject(db, u, theirs.id), role).to.equal(true);
    }
    expect(await canSeeProject(db, pm, mine.id)).to.equal(true);
    expect(await canSeeProject(db, pm, theirs.id)).to.equal(false);
    expect(await canSeeProject(db, sponsor, mine.id)).to.equal(true);
    expect(await canSeeProject(db, sponsor, theirs.id)).to.equal(false);
    expect(await canSeeProject(db, member, theirs.id)).to.equal(true);
    expect(await canSeeProject(db, progSponsor, mine.id)).to.equal(true);
    expect(await canSeeProgram(db, pm, prog.id)).to.equal(true);
    expect(await canSeeProgram(db, other, prog.id)).to.equal(false);
    expect(await canSeeProgram(db, progSponsor, prog.id)).to.equal(true);
    const ids = (await whereProjectVisible(db('projects').select('projects.id'), pm)).map(
      (r: { id: number }) => r.id,
    );
    expect(ids).to.deep.equal([mine.id]);
  });

  it('visibleProjectIds and visibleProgramIds (from the user) are exactly the sets whereProjectVisible and whereProgramVisible allow', async () => {
    const [pm, pm2, sponsor, progSponsor, progManager, member, viewer] = [
      await buildUser(db, { role: 'pm' }),
      await buildUser(db, { role: 'pm' }),
      await buildUser(db, { role: 'sponsor' }),
      await buildUser(db, { role: 'sponsor' }),
      await buildUser(db, { role: 'pm' }),
      await buildUser(db, { role: 'pm' }),
      await buildUser(db, { role: 'viewer' }),
    ];
    const p1 = await buildProgram(db, { sponsor_id: progSponsor.id });
    const p2 = await buildProgram(db, { manager_id: progManager.id });
    const p3 = await buildProgram(db);
    await buildProgram(db, { sponsor_id: progSponsor.id }); // a sponsored program without projects
    const projects = [
      await buildProject(db, { program_id: p1.id, manager_id: pm.id, sponsor_id: sponsor.id }),
      await buildProject(db, { program_id: p2.id, manager_id: pm2.id, sponsor_id: null }),
      await buildProject(db, { program_id: p3.id, manager_id: pm2.id, sponsor_id: sponsor.id }),
      await buildProject(db, { program_id: p3.id, manager_id: null, sponsor_id: null }),
    ];
    await addMember(db, projects[3].id, member.id);
    await addMember(db, projects[1].id, pm.id);
    const ids = (rows: { id: number }[]) => rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    for (const u of [pm, pm2, sponsor, progSponsor, progManager, member]) {
      const wantProjects = ids(await whereProjectVisible(db('projects').select('projects.id'), u));
      const wantPrograms = ids(await whereProgramVisible(db('programs').select('programs.id'), u));
      expect(ids(await visibleProjectIds(db, u)!), `projects of ${u.id}`).to.deep.equal(wantProjects);
      expect(ids(await visibleProgramIds(db, u)!), `programs of ${u.id}`).to.deep.equal(wantPrograms);
      expect(wantProjects.length + wantPrograms.length, `${u.id} sees something`).to.be.greaterThan(0);
    }
    expect(visibleProjectIds(db, viewer)).to.equal(null);
    expect(visibleProgramIds(db, viewer)).to.equal(null);
  });
});
