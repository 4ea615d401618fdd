import type { Knex } from 'knex';

/**
 * Monthly snapshots of the portfolio report: the PDF of each month, in each language, frozen as a
 * file under the data directory with its SHA-256 recorded here. One row per month and language.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_snapshots', (t) => {
    t.increments('id').primary();
    // 'YYYY-MM'
    t.string('month', 7).notNullable();
    t.enu('locale', ['en', 'ar']).notNullable();
    // File name under <dataDir>/snapshots/.
    t.string('file_name', 100).notNullable();
    t.string('sha256', 64).notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.integer('pages').notNullable();
    // Null when made by the command-line job.
    t.integer('created_by').references('users.id');
    t.string('created_at', 30).notNullable();
    t.unique(['month', 'locale']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('report_snapshots');
}
