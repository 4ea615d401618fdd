import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary();
    t.string('email', 254).notNullable().unique();
    t.string('name_en', 200).notNullable();
    t.string('name_ar', 200).notNullable();
    t.string('password_hash', 255).notNullable();
    t.enu('role', ['admin', 'pmo', 'pm', 'sponsor', 'viewer']).notNullable();
    t.enu('locale', ['en', 'ar']).notNullable().defaultTo('en');
    t.boolean('active').notNullable().defaultTo(true);
    // Bumped when every other session of the user must end (password change, deactivation).
    t.integer('session_epoch').notNullable().defaultTo(0);
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.string('last_login_at', 30);
  });

  // The table connect-session-knex reads and writes (created here so migrations own the schema).
  await knex.schema.createTable('sessions', (t) => {
    t.string('sid', 255).primary();
    t.json('sess').notNullable();
    t.timestamp('expired', { useTz: true }).notNullable().index();
  });

  await knex.schema.createTable('login_failures', (t) => {
    t.increments('id').primary();
    t.string('email', 254).notNullable();
    t.string('address', 64).notNullable();
    t.string('at', 30).notNullable();
    t.index(['email', 'at']);
    t.index(['address', 'at']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id').primary();
    t.string('at', 30).notNullable();
    t.integer('actor_id').references('users.id');
    t.string('action', 60).notNullable();
    t.string('entity', 60).notNullable();
    t.string('entity_id', 60);
    t.text('before');
    t.text('after');
    t.string('request_id', 64);
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.index(['entity', 'entity_id']);
    t.index(['actor_id']);
    t.index(['at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.schema.dropTable('login_failures');
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('users');
}
