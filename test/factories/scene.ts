import type { Agent, TestContext } from '../helpers/app.js';
import { buildProgram, buildProject, type ProgramRow, type ProjectRow } from './portfolio.js';

/**
 * A small portfolio with one signed-in user of each kind: `pm` manages `project` (sponsored by
 * `sponsor`), `otherPm` manages `other` in another program; `pmo` and `viewer` see everything.
 */
export interface Scene {
  pm: Agent;
  otherPm: Agent;
  pmo: Agent;
  viewer: Agent;
  sponsor: Agent;
  program: ProgramRow;
  project: ProjectRow;
  other: ProjectRow;
}

export async function buildScene(ctx: TestContext, project: Record<string, unknown> = {}): Promise<Scene> {
  const [pm, otherPm, pmo, viewer, sponsor] = [
    await ctx.as('pm'),
    await ctx.as('pm'),
    await ctx.as('pmo'),
    await ctx.as('viewer'),
    await ctx.as('sponsor'),
  ];
  const program = await buildProgram(ctx.db);
  const p = await buildProject(ctx.db, {
    program_id: program.id,
    manager_id: pm.user.id,
    sponsor_id: sponsor.user.id,
    ...project,
  });
  const other = await buildProject(ctx.db, { manager_id: otherPm.user.id });
  return { pm, otherPm, pmo, viewer, sponsor, program, project: p, other };
}

/** Counts the database queries one request makes (session reads included: they are constant). */
export async function countQueries(ctx: TestContext, run: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const onQuery = () => n++;
  ctx.db.on('query', onQuery);
  try {
    await run();
  } finally {
    ctx.db.removeListener('query', onQuery);
  }
  return n;
}
