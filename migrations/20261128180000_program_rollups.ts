import type { Knex } from 'knex';

/**
 * Program roll-ups kept by the database: one `program_rollups` row per program with the sums the
 * portfolio pages show for the roles that see the whole portfolio (project count, budgets,
 * Σ progress × planned budget, Σ progress, count per health). Triggers on `projects` recompute the
 * rows of the program(s) a project write touches, in the same transaction, whatever wrote it (use
 * cases, the hourly health refresh, seeds, generators, bulk loads): no write path can forget them.
 * A recomputation (not ± deltas) keeps them equal to a from-scratch aggregate, floats included.
 * On PostgreSQL the row is locked before it is recomputed, so that concurrent writers to one
 * program each see the others' committed projects (READ COMMITTED takes a new snapshot per statement).
 */

const COLUMNS = 'projects, budget_planned, budget_actual, progress_budget, progress_sum, green, amber, red';

/** The sums of one program's projects, `pid` being an SQL expression for the program id. */
const sums = (pid: string) => `SELECT count(*),
      coalesce(sum(p.budget_planned), 0),
      coalesce(sum(p.budget_actual), 0),
      coalesce(sum(p.progress_pct * p.budget_planned), 0),
      coalesce(sum(p.progress_pct), 0),
      coalesce(sum(case when p.health = 'green' then 1 else 0 end), 0),
      coalesce(sum(case when p.health = 'amber' then 1 else 0 end), 0),
      coalesce(sum(case when p.health = 'red' then 1 else 0 end), 0)
    FROM projects p WHERE p.program_id = ${pid}`;

/** Only writes that change what a roll-up counts fire the recomputation. */
const CHANGED = ['program_id', 'budget_planned', 'budget_actual', 'progress_pct', 'health'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('program_rollups', (t) => {
    t.integer('program_id').primary().references('programs.id').onDelete('CASCADE');
    t.integer('projects').notNullable().defaultTo(0);
    t.bigInteger('budget_planned').notNullable().defaultTo(0);
    t.bigInteger('budget_actual').notNullable().defaultTo(0);
    t.double('progress_budget').notNullable().defaultTo(0);
    t.double('progress_sum').notNullable().defaultTo(0);
    t.integer('green').notNullable().defaultTo(0);
    t.integer('amber').notNullable().defaultTo(0);
    t.integer('red').notNullable().defaultTo(0);
  });

  if (knex.client.config.client === 'pg') {
    await knex.raw(`
      CREATE FUNCTION program_rollup_refresh(pid integer) RETURNS void AS $$
      BEGIN
        PERFORM 1 FROM program_rollups WHERE program_id = pid FOR UPDATE;
        UPDATE program_rollups SET (${COLUMNS}) = (${sums('pid')}) WHERE program_id = pid;
      END
      $$ LANGUAGE plpgsql VOLATILE`);
    await knex.raw(`
      CREATE FUNCTION program_rollup_on_program() RETURNS trigger AS $$
      BEGIN
        INSERT INTO program_rollups (program_id) VALUES (NEW.id);
        RETURN NULL;
      END
      $$ LANGUAGE plpgsql`);
    // Two programs (a project moved) are locked in id order, as every writer does.
    await knex.raw(`
      CREATE FUNCTION program_rollup_on_project() RETURNS trigger AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM program_rollup_refresh(NEW.program_id);
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM program_rollup_refresh(OLD.program_id);
        ELSIF OLD.program_id = NEW.program_id THEN
          PERFORM program_rollup_refresh(NEW.program_id);
        ELSE
          PERFORM program_rollup_refresh(least(OLD.program_id, NEW.program_id));
          PERFORM program_rollup_refresh(greatest(OLD.program_id, NEW.program_id));
        END IF;
        RETURN NULL;
      END
      $$ LANGUAGE plpgsql`);
    await knex.raw(`CREATE TRIGGER program_rollups_program_insert AFTER INSERT ON programs
      FOR EACH ROW EXECUTE FUNCTION program_rollup_on_program()`);
    await knex.raw(`CREATE TRIGGER program_rollups_project_insert AFTER INSERT ON projects
      FOR EACH ROW EXECUTE FUNCTION program_rollup_on_project()`);
    await knex.raw(`CREATE TRIGGER program_rollups_project_delete AFTER DELETE ON projects
      FOR EACH ROW EXECUTE FUNCTION program_rollup_on_project()`);
    await knex.raw(`CREATE TRIGGER program_rollups_project_update AFTER UPDATE OF ${CHANGED.join(', ')} ON projects
      FOR EACH ROW WHEN (${CHANGED.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')})
      EXECUTE FUNCTION program_rollup_on_project()`);
  } else {
    const refresh = (pids: string) =>
      `UPDATE program_rollups SET (${COLUMNS}) = (${sums('program_rollups.program_id')}) WHERE program_id IN (${pids});`;
    await knex.raw(`CREATE TRIGGER program_rollups_program_insert AFTER INSERT ON programs
      BEGIN INSERT INTO program_rollups (program_id) VALUES (NEW.id); END`);
    await knex.raw(`CREATE TRIGGER program_rollups_project_insert AFTER INSERT ON projects
      BEGIN ${refresh('NEW.program_id')} END`);
    await knex.raw(`CREATE TRIGGER program_rollups_project_delete AFTER DELETE ON projects
      BEGIN ${refresh('OLD.program_id')} END`);
    await knex.raw(`CREATE TRIGGER program_rollups_project_update AFTER UPDATE OF ${CHANGED.join(', ')} ON projects
      WHEN ${CHANGED.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')}
      BEGIN ${refresh('OLD.program_id, NEW.program_id')} END`);
  }

  // The programs and projects already there.
  await knex.raw('INSERT INTO program_rollups (program_id) SELECT id FROM programs');
  await knex.raw(`UPDATE program_rollups SET (${COLUMNS}) = (${sums('program_rollups.program_id')})`);
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'program_rollups_project_update ON projects',
    'program_rollups_project_delete ON projects',
    'program_rollups_project_insert ON projects',
    'program_rollups_program_insert ON programs',
  ])
    await knex.raw(`DROP TRIGGER IF EXISTS ${knex.client.config.client === 'pg' ? t : t.split(' ')[0]}`);
  if (knex.client.config.client === 'pg') {
    await knex.raw('DROP FUNCTION IF EXISTS program_rollup_on_project()');
    await knex.raw('DROP FUNCTION IF EXISTS program_rollup_on_program()');
    await knex.raw('DROP FUNCTION IF EXISTS program_rollup_refresh(integer)');
  }
  await knex.schema.dropTableIfExists('program_rollups');
}
