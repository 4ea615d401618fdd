import type { Knex } from 'knex';

/**
 * Strategy alignment: national strategies, their objectives, the programs and projects that serve
 * them, KPIs with targets and measurements, and periodic reviews.
 *
 * KPI values (baselines, targets, measurements) are exact decimals stored as integers scaled by
 * 10 000 (four decimal places) in bigInteger columns: 87.5 % is 875000. No float drift on either
 * database; see src/modules/strategy/CONTEXT.md.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('strategies', (t) => {
    t.increments('id').primary();
    t.string('name_en', 300).notNullable();
    t.string('name_ar', 300).notNullable();
    t.text('description_en');
    t.text('description_ar');
    t.integer('start_year').notNullable();
    t.integer('end_year').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.check('end_year >= start_year', [], 'strategies_years_check');
  });

  await knex.schema.createTable('objectives', (t) => {
    t.increments('id').primary();
    t.integer('strategy_id').notNullable().references('strategies.id');
    t.string('code', 20).notNullable().unique();
    t.string('name_en', 300).notNullable();
    t.string('name_ar', 300).notNullable();
    t.text('description_en');
    t.text('description_ar');
    t.integer('owner_id').references('users.id');
    t.integer('sort_order').notNullable().defaultTo(0);
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['strategy_id']);
    t.index(['owner_id']);
  });

  // A program or a project (exactly one) contributing to an objective, with a short note.
  await knex.schema.createTable('objective_links', (t) => {
    t.increments('id').primary();
    t.integer('objective_id').notNullable().references('objectives.id').onDelete('CASCADE');
    t.integer('program_id').references('programs.id').onDelete('CASCADE');
    t.integer('project_id').references('projects.id').onDelete('CASCADE');
    t.string('note_en', 500);
    t.string('note_ar', 500);
    t.integer('version').notNullable().defaultTo(1);
    t.integer('created_by').references('users.id');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['objective_id', 'program_id']);
    t.unique(['objective_id', 'project_id']);
    t.index(['program_id']);
    t.index(['project_id']);
    t.check(
      '(program_id IS NULL AND project_id IS NOT NULL) OR (program_id IS NOT NULL AND project_id IS NULL)',
      [],
      'objective_links_one_target_check',
    );
  });

  await knex.schema.createTable('kpis', (t) => {
    t.increments('id').primary();
    t.integer('objective_id').notNullable().references('objectives.id');
    t.string('code', 20).notNullable().unique();
    t.string('name_en', 300).notNullable();
    t.string('name_ar', 300).notNullable();
    t.enu('unit', ['percent', 'count', 'currency', 'days', 'score']).notNullable();
    t.enu('direction', ['higher', 'lower']).notNullable();
    t.bigInteger('baseline_value').notNullable();
    t.string('baseline_date', 10).notNullable();
    t.enu('frequency', ['monthly', 'quarterly', 'yearly']).notNullable();
    t.integer('owner_id').references('users.id');
    t.text('data_source_en');
    t.text('data_source_ar');
    // Computed KPIs are measured by Masar from its own data; source_key names the formula.
    t.boolean('computed').notNullable().defaultTo(false);
    t.string('source_key', 40);
    t.integer('sort_order').notNullable().defaultTo(0);
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['objective_id']);
    t.index(['owner_id']);
    t.check(
      '(computed = false AND source_key IS NULL) OR (computed = true AND source_key IS NOT NULL)',
      [],
      'kpis_source_check',
    );
  });

  // The target a KPI should reach by the end of a period (period key: 2026, 2026-Q2 or 2026-M06).
  await knex.schema.createTable('kpi_targets', (t) => {
    t.increments('id').primary();
    t.integer('kpi_id').notNullable().references('kpis.id').onDelete('CASCADE');
    t.string('period_key', 8).notNullable();
    t.string('period_end', 10).notNullable();
    t.bigInteger('value').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['kpi_id', 'period_key']);
  });

  // Append-only: a correction is a new row that supersedes the current one; nothing is updated.
  await knex.schema.createTable('kpi_measurements', (t) => {
    t.increments('id').primary();
    t.integer('kpi_id').notNullable().references('kpis.id').onDelete('CASCADE');
    t.string('period_key', 8).notNullable();
    t.string('period_start', 10).notNullable();
    t.string('period_end', 10).notNullable();
    t.bigInteger('value').notNullable();
    t.text('comment');
    t.enu('source', ['manual', 'computed']).notNullable().defaultTo('manual');
    t.integer('recorded_by').references('users.id');
    t.string('recorded_at', 30).notNullable();
    // One correction per row: two people correcting the same value at once cannot both win.
    t.integer('supersedes_id').references('kpi_measurements.id').unique();
    t.index(['kpi_id', 'period_end']);
  });
  // One first value per KPI and period; later values are corrections (supersedes_id set).
  await knex.raw(
    'CREATE UNIQUE INDEX kpi_measurements_first_uq ON kpi_measurements (kpi_id, period_key) WHERE supersedes_id IS NULL',
  );

  await knex.schema.createTable('review_cycles', (t) => {
    t.increments('id').primary();
    t.string('period_key', 8).notNullable().unique();
    t.enu('status', ['open', 'closed']).notNullable().defaultTo('open');
    t.integer('opened_by').references('users.id');
    t.string('opened_at', 30).notNullable();
    t.integer('closed_by').references('users.id');
    t.string('closed_at', 30);
    t.integer('version').notNullable().defaultTo(1);
  });

  await knex.schema.createTable('review_entries', (t) => {
    t.increments('id').primary();
    t.integer('cycle_id').notNullable().references('review_cycles.id').onDelete('CASCADE');
    t.integer('objective_id').notNullable().references('objectives.id');
    t.text('summary').notNullable();
    t.text('decisions');
    // The KPI statuses the review looked at (canonical JSON), so history shows what was seen.
    t.text('kpi_snapshot');
    t.integer('version').notNullable().defaultTo(1);
    t.integer('created_by').references('users.id');
    t.string('created_at', 30).notNullable();
    t.integer('updated_by').references('users.id');
    t.string('updated_at', 30).notNullable();
    t.unique(['cycle_id', 'objective_id']);
    t.index(['objective_id']);
  });

  await knex.schema.createTable('review_actions', (t) => {
    t.increments('id').primary();
    t.integer('entry_id').notNullable().references('review_entries.id').onDelete('CASCADE');
    t.text('description').notNullable();
    t.integer('owner_id').notNullable().references('users.id');
    t.string('due_date', 10).notNullable();
    t.enu('status', ['open', 'done']).notNullable().defaultTo('open');
    t.integer('done_by').references('users.id');
    t.string('done_at', 30);
    t.integer('version').notNullable().defaultTo(1);
    t.integer('created_by').references('users.id');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['entry_id']);
    t.index(['owner_id', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'review_actions',
    'review_entries',
    'review_cycles',
    'kpi_measurements',
    'kpi_targets',
    'kpis',
    'objective_links',
    'objectives',
    'strategies',
  ]) {
    await knex.schema.dropTable(t);
  }
}
