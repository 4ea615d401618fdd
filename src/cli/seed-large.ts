import { pathToFileURL } from 'node:url';
import { migrateLatest } from '../db/migrate.js';
import { generateLargePortfolio } from '../modules/portfolio/portfolio.generator.js';
import { args, runCli } from './cli.js';

export { generateLargePortfolio } from '../modules/portfolio/portfolio.generator.js';

/**
 * npm run seed:large -- --projects 2000 [--milestones 10] [--reports 3]
 * Migrates the configured database, then adds a large synthetic portfolio for benchmarks.
 */
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runCli(async (db, config) => {
    const a = args();
    const projects = Number(a.projects ?? 2000);
    const milestones = Number(a.milestones ?? 10);
    const reports = Number(a.reports ?? 3);
    for (const [name, v, max] of [
      ['projects', projects, 1_000_000],
      ['milestones', milestones, 100],
      ['reports', reports, 60],
    ] as const) {
      if (!Number.isInteger(v) || v < (name === 'projects' ? 1 : 0) || v > max) {
        console.error(`--${name} must be a whole number from ${name === 'projects' ? 1 : 0} to ${max}`);
        return 2;
      }
    }
    if (config.isProduction) {
      console.error('The large portfolio generator never runs in production (NODE_ENV=production).');
      return 1;
    }
    await migrateLatest(db);
    const started = Date.now();
    console.log(
      `Generating ${projects} projects (${milestones} milestones, ${reports} status reports each)…`,
    );
    const r = await generateLargePortfolio(db, {
      projects,
      milestonesPerProject: milestones,
      reportsPerProject: reports,
      health: config.health,
      log: (m) => console.log(m),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `Added ${r.programs} programs, ${r.projects} projects, ${r.milestones} milestones, ` +
        `${r.statusReports} status reports, ${r.members} team members (${r.users} generated users) in ${seconds} s.`,
    );
  });
}
