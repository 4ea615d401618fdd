import { expect } from 'chai';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildUser } from '../factories/users.js';
import { buildProgram, buildProject, type ProjectRow } from '../factories/portfolio.js';
import { PICK_MAX } from '../../src/modules/projects/projects.routes.js';

/** The team tab of an organisation with more people than a drop-down can hold. */
describe('projects: finding a person to add to a team', () => {
  let ctx: TestContext;
  let pm: Agent;
  let project: ProjectRow;
  const team = (query = '') => pm.agent.get(`/projects/${project.id}/team${query}`);
  const options = (html: string) => [...html.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]));

  before(async () => {
    ctx = await createTestApp();
    pm = await ctx.as('pm');
    project = await buildProject(ctx.db, {
      program_id: (await buildProgram(ctx.db)).id,
      manager_id: pm.user.id,
    });
    for (let i = 1; i <= PICK_MAX + 5; i++)
      await buildUser(ctx.db, {
        role: 'viewer',
        nameEn: `Analyst ${String(i).padStart(2, '0')}`,
        nameAr: `محلل ${i}`,
        email: `analyst${i}@example.gov`,
      });
    await buildUser(ctx.db, { role: 'viewer', nameEn: 'Former analyst 99', active: false });
  });
  after(() => ctx.close());

  it('asks for a name or email instead of listing everyone when there are too many', async () => {
    const res = await team();
    expect(res.status).to.equal(200);
    expect(res.text).to.contain(`More than ${PICK_MAX} people could be added`);
    expect(res.text).to.contain('name="person"');
    expect(options(res.text)).to.have.length(0);
  });

  it('lists the people matching part of a name or an email, in either language', async () => {
    const byName = await team('?person=analyst%200');
    const ids = options(byName.text);
    expect(ids).to.have.length(9); // Analyst 01 … 09
    expect(byName.text).to.contain('People matching “analyst 0”');
    expect(byName.text).to.not.contain('Former analyst');
    expect(options((await team('?person=ANALYST12%40')).text)).to.have.length(1);
    const arabic = await team(`?person=${encodeURIComponent('محلل 4')}&lang=ar`);
    expect(options(arabic.text)).to.have.length(7); // محلل 4, محلل 40 … 45
    expect(arabic.text).to.contain('dir="rtl"');
  });

  it('says when nobody matches, and when too many still do', async () => {
    expect((await team('?person=nobody-at-all')).text).to.contain('Nobody who could be added matches');
    expect((await team('?person=%25_')).status).to.equal(200); // LIKE wildcards are text
    expect((await team('?person=analyst')).text).to.contain(`More than ${PICK_MAX} people match “analyst”`);
  });

  it('adds a person found, keeps the search on a refused form, and no longer offers a member', async () => {
    const found = await team('?person=analyst%2007');
    const [id] = options(found.text);
    const refused = await pm.post(`/projects/${project.id}/team`, {
      person: 'analyst 07',
      userId: id,
      roleEn: '',
    });
    expect(refused.status).to.equal(422);
    expect(options(refused.text)).to.deep.equal([id]);
    expect(refused.text).to.contain('value="analyst 07"');
    const added = await pm.post(`/projects/${project.id}/team`, {
      person: 'analyst 07',
      userId: id,
      roleEn: 'Tester',
      roleAr: 'مختبر',
    });
    expect(added.status).to.equal(303);
    expect((await team('?person=analyst%2007')).text).to.contain('Nobody who could be added matches');
  });
});
