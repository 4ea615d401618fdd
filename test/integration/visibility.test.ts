import { expect } from 'chai';
import type { Db } from '../../src/db/knex.js';
import { freshDb } from '../helpers/db.js';
import { buildUser } from '../factories/users.js';
import { addMember, buildProgram, buildProject } from '../factories/portfolio.js';
import {
  canSeeProgram,
  canSeeProject,
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
});
