import { expect } from 'chai';
import supertest from 'supertest';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { buildMilestone, buildProgram, buildProject } from '../factories/portfolio.js';
import { buildScene, countQueries, type Scene } from '../factories/scene.js';

const NOW = new Date('2026-11-15T09:00:00Z');

describe('timeline: portfolio, program and project Gantt charts', () => {
  let ctx: TestContext;
  let s: Scene;

  before(async () => {
    ctx = await createTestApp({ clock: () => NOW });
    s = await buildScene(ctx);
    await ctx.db('projects').where({ id: s.project.id }).update({ code: 'VIS-01' });
    await ctx.db('projects').where({ id: s.other.id }).update({ code: 'HID-01' });
    await buildMilestone(ctx.db, s.project.id, {
      title_en: 'Go-live',
      title_ar: 'الإطلاق',
      planned_date: '2026-10-01',
      status: 'in_progress',
      percent_complete: 30,
    });
  });
  after(() => ctx.close());

  it('sends anonymous visitors to the login page', async () => {
    const res = await supertest(ctx.app).get('/timeline');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login');
  });

  it('is an accessible image with a data-table alternative, a today line and month names', async () => {
    const res = await s.pm.agent.get('/timeline');
    expect(res.status).to.equal(200);
    expect(res.text)
      .to.contain('role="img"')
      .and.contain('aria-labelledby="timeline-gantt-title timeline-gantt-desc"');
    expect(res.text).to.contain('<desc id="timeline-gantt-desc">');
    expect(res.text).to.contain('<details').and.contain('<caption>Projects and milestones on this page');
    expect(res.text).to.contain('>Nov<').and.contain('stroke="#c1121f"');
    expect(res.text).to.contain('Go-live: Late, 1 Oct 2026');
    expect(res.text).to.not.match(/<script(?![^>]*\bsrc=)/);
  });

  it('shows only the projects the user sees', async () => {
    const mine = await s.pm.agent.get('/timeline');
    expect(mine.text).to.contain('VIS-01').and.not.contain('HID-01');
    const all = await s.viewer.agent.get('/timeline');
    expect(all.text).to.contain('VIS-01').and.contain('HID-01');
  });

  it('per program: a program the user cannot see is 404; a malformed filter is ignored', async () => {
    const own = await s.pm.agent.get(`/timeline?program=${s.program.id}`);
    expect(own.status).to.equal(200);
    expect(own.text).to.contain('Timeline: Program');
    expect((await s.pm.agent.get(`/timeline?program=${s.other.program_id}`)).status).to.equal(404);
    const bad = await s.pm.agent.get('/timeline?program=x&page=-1');
    expect(bad.status).to.equal(200);
    expect(bad.text).to.contain('VIS-01');
  });

  it('mirrors right to left in Arabic, with Arabic month names', async () => {
    const res = await s.pm.agent.get('/timeline?lang=ar');
    expect(res.text).to.contain('dir="rtl"').and.contain('direction="rtl"');
    expect(res.text).to.contain('>نوفمبر<').and.contain('الإطلاق: متأخر');
  });

  it('the project milestones tab carries the project Gantt', async () => {
    const res = await s.pm.agent.get(`/projects/${s.project.id}/milestones`);
    expect(res.text).to.contain('<title id="project-gantt-title">Timeline of VIS-01</title>');
  });

  it('pages through large portfolios with the same number of queries for 3 and 30 projects', async () => {
    const fresh = await createTestApp({ clock: () => NOW });
    try {
      const viewer = await fresh.as('viewer');
      const program = await buildProgram(fresh.db);
      const add = async (n: number) => {
        for (let i = 0; i < n; i++) {
          const p = await buildProject(fresh.db, { program_id: program.id });
          await buildMilestone(fresh.db, p.id, {
            planned_date: '2026-10-01',
            status: 'in_progress',
            percent_complete: 5,
          });
          await buildMilestone(fresh.db, p.id, { planned_date: '2026-12-20' });
        }
      };
      await add(3);
      await viewer.agent.get('/timeline');
      const few = await countQueries(fresh, () => viewer.agent.get('/timeline').expect(200));
      await add(27);
      const many = await countQueries(fresh, () => viewer.agent.get('/timeline').expect(200));
      expect(many).to.equal(few);
      const page2 = await viewer.agent.get('/timeline?page=2');
      expect(page2.text).to.contain('Showing 21–30 of 30');
    } finally {
      await fresh.close();
    }
  });
});
