import type { Knex } from 'knex';

/** Programs, projects, their teams, milestones (with update history) and status reports. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('programs', (t) => {
    t.increments('id').primary();
    t.string('code', 20).notNullable().unique();
    t.string('name_en', 200).notNullable();
    t.string('name_ar', 200).notNullable();
    t.text('description_en');
    t.text('description_ar');
    t.integer('sponsor_id').references('users.id');
    t.integer('manager_id').references('users.id');
    t.string('planned_start', 10);
    t.string('planned_end', 10);
    t.enu('status', ['planned', 'active', 'on_hold', 'completed', 'cancelled'])
      .notNullable()
      .defaultTo('active');
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['sponsor_id']);
    t.index(['manager_id']);
  });

  await knex.schema.createTable('projects', (t) => {
    t.increments('id').primary();
    t.string('code', 20).notNullable().unique();
    t.integer('program_id').notNullable().references('programs.id');
    t.string('name_en', 200).notNullable();
    t.string('name_ar', 200).notNullable();
    t.text('description_en');
    t.text('description_ar');
    t.text('scope');
    t.integer('manager_id').references('users.id');
    t.integer('sponsor_id').references('users.id');
    t.enu('phase', ['initiation', 'planning', 'execution', 'closure', 'closed'])
      .notNullable()
      .defaultTo('initiation');
    t.enu('status', ['active', 'on_hold', 'cancelled', 'completed']).notNullable().defaultTo('active');
    t.enu('priority', ['low', 'medium', 'high', 'critical']).notNullable().defaultTo('medium');
    t.enu('report_frequency', ['weekly', 'monthly']).notNullable().defaultTo('monthly');
    t.string('planned_start', 10);
    t.string('planned_end', 10);
    t.string('actual_start', 10);
    t.string('actual_end', 10);
    // Money in exact minor units of the currency (BHD: fils, three decimals).
    t.bigInteger('budget_planned').notNullable().defaultTo(0);
    t.bigInteger('budget_actual').notNullable().defaultTo(0);
    t.string('currency', 3).notNullable().defaultTo('BHD');
    // Derived from milestones and the latest status report by portfolio.rules (see
    // src/modules/portfolio/CONTEXT.md); kept here so lists filter, sort and page in SQL.
    t.enu('health', ['green', 'amber', 'red']).notNullable().defaultTo('green');
    t.float('progress_pct').notNullable().defaultTo(0);
    t.integer('schedule_variance_days').notNullable().defaultTo(0);
    t.integer('late_milestones').notNullable().defaultTo(0);
    t.string('next_milestone_date', 10);
    t.string('last_report_at', 30);
    t.string('health_computed_on', 10);
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['program_id']);
    t.index(['manager_id']);
    t.index(['sponsor_id']);
    t.index(['phase']);
    t.index(['status']);
    t.index(['health']);
    t.check('budget_planned >= 0 AND budget_actual >= 0', [], 'projects_budget_check');
  });

  await knex.schema.createTable('project_members', (t) => {
    t.integer('project_id').notNullable().references('projects.id').onDelete('CASCADE');
    t.integer('user_id').notNullable().references('users.id');
    t.string('role_en', 100);
    t.string('role_ar', 100);
    t.string('added_at', 30).notNullable();
    t.primary(['project_id', 'user_id']);
    t.index(['user_id']);
  });

  await knex.schema.createTable('milestones', (t) => {
    t.increments('id').primary();
    t.integer('project_id').notNullable().references('projects.id').onDelete('CASCADE');
    t.string('title_en', 200).notNullable();
    t.string('title_ar', 200).notNullable();
    t.string('planned_date', 10).notNullable();
    t.string('forecast_date', 10);
    t.string('actual_date', 10);
    t.integer('percent_complete').notNullable().defaultTo(0).checkBetween([0, 100]);
    t.integer('weight').notNullable().defaultTo(1).checkBetween([0, 1000]);
    t.integer('owner_id').references('users.id');
    t.enu('status', ['not_started', 'in_progress', 'completed', 'cancelled'])
      .notNullable()
      .defaultTo('not_started');
    t.text('notes');
    t.integer('sort_order').notNullable().defaultTo(0);
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['project_id', 'planned_date']);
    t.index(['owner_id']);
    t.index(['status', 'planned_date']);
  });

  await knex.schema.createTable('milestone_updates', (t) => {
    t.increments('id').primary();
    t.integer('milestone_id').notNullable().references('milestones.id').onDelete('CASCADE');
    t.integer('user_id').references('users.id');
    t.string('at', 30).notNullable();
    t.text('note');
    // JSON: { field: [before, after] } for each field the update changed.
    t.text('changes').notNullable();
    t.index(['milestone_id', 'at']);
  });

  await knex.schema.createTable('status_reports', (t) => {
    t.increments('id').primary();
    t.integer('project_id').notNullable().references('projects.id').onDelete('CASCADE');
    t.string('period_start', 10).notNullable();
    t.string('period_end', 10).notNullable();
    for (const c of ['overall_rag', 'schedule_rag', 'budget_rag', 'scope_rag', 'risk_rag']) {
      t.enu(c, ['green', 'amber', 'red']).notNullable();
    }
    t.text('summary').notNullable();
    t.text('achievements');
    t.text('next_steps');
    t.text('escalations');
    t.integer('submitted_by').references('users.id');
    t.string('submitted_at', 30).notNullable();
    t.unique(['project_id', 'period_end']);
    t.index(['project_id', 'submitted_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'status_reports',
    'milestone_updates',
    'milestones',
    'project_members',
    'projects',
    'programs',
  ]) {
    await knex.schema.dropTable(t);
  }
}
