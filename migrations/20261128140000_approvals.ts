import type { Knex } from 'knex';

/**
 * Governance approvals (requests, their steps and history, workflows as data, gate criteria,
 * public holidays, delegations, milestone sign-offs) and notifications (in-app list, mail queue).
 */
const KINDS = ['gate', 'change_request', 'milestone_signoff', 'document'];
const DECIDER_ROLES = ['pmo', 'sponsor', 'admin', 'user'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('approval_requests', (t) => {
    t.increments('id').primary();
    t.enu('kind', KINDS).notNullable();
    t.integer('project_id').notNullable().references('projects.id').onDelete('CASCADE');
    t.enu('subject_type', ['project', 'milestone', 'document_version']).notNullable();
    t.integer('subject_id').notNullable();
    t.string('title_en', 300).notNullable();
    t.string('title_ar', 300).notNullable();
    t.enu('status', ['pending', 'approved', 'rejected', 'returned', 'withdrawn']).notNullable();
    t.integer('requested_by').notNullable().references('users.id');
    t.string('submitted_at', 30).notNullable();
    t.string('decided_at', 30);
    t.integer('current_step');
    // Canonical JSON: gate { fromPhase, toPhase }; change request { proposed, before, justification }.
    t.text('payload').notNullable();
    // A returned request resubmitted after revision starts a new round of steps; history is kept.
    t.integer('round').notNullable().defaultTo(1);
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['project_id', 'status']);
    t.index(['status', 'kind']);
    t.index(['requested_by', 'status']);
    t.index(['subject_type', 'subject_id']);
  });

  await knex.schema.createTable('approval_steps', (t) => {
    t.increments('id').primary();
    t.integer('request_id').notNullable().references('approval_requests.id').onDelete('CASCADE');
    t.integer('round').notNullable().defaultTo(1);
    t.integer('step_no').notNullable();
    t.string('name_en', 120).notNullable();
    t.string('name_ar', 120).notNullable();
    t.enu('decider_role', DECIDER_ROLES).notNullable();
    t.integer('decider_user_id').references('users.id');
    t.integer('sla_days').notNullable().defaultTo(0);
    t.enu('status', ['waiting', 'pending', 'approved', 'rejected', 'returned', 'skipped']).notNullable();
    t.string('started_at', 30);
    t.string('due_at', 30);
    t.string('decided_at', 30);
    t.integer('decided_by').references('users.id');
    t.integer('on_behalf_of').references('users.id');
    t.text('comment');
    // Set once when the PMO has been told the step is overdue (the escalation job is idempotent).
    t.string('escalated_at', 30);
    t.unique(['request_id', 'round', 'step_no']);
    t.index(['status', 'due_at']);
    t.index(['decider_role', 'status']);
    t.index(['decider_user_id']);
  });

  // Everything that happened to a request, in order: the timeline of its page.
  await knex.schema.createTable('approval_events', (t) => {
    t.increments('id').primary();
    t.integer('request_id').notNullable().references('approval_requests.id').onDelete('CASCADE');
    t.integer('round').notNullable();
    t.integer('step_no');
    t.enu('action', [
      'submitted',
      'resubmitted',
      'approved',
      'rejected',
      'returned',
      'withdrawn',
      'commented',
      'escalated',
      'completed',
    ]).notNullable();
    t.integer('actor_id').references('users.id');
    t.integer('on_behalf_of').references('users.id');
    t.text('comment');
    t.string('at', 30).notNullable();
    t.index(['request_id', 'id']);
  });

  await knex.schema.createTable('gate_criteria', (t) => {
    t.increments('id').primary();
    t.enu('from_phase', ['initiation', 'planning', 'execution', 'closure']).notNullable();
    t.string('criterion_type', 60).notNullable();
    t.text('params').notNullable().defaultTo('{}');
    t.integer('position').notNullable().defaultTo(0);
    t.index(['from_phase', 'position']);
  });

  await knex.schema.createTable('approval_workflows', (t) => {
    t.increments('id').primary();
    t.enu('kind', KINDS).notNullable().unique();
    t.integer('version').notNullable().defaultTo(1);
    t.string('updated_at', 30).notNullable();
  });

  await knex.schema.createTable('approval_workflow_steps', (t) => {
    t.increments('id').primary();
    t.integer('workflow_id').notNullable().references('approval_workflows.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.string('name_en', 120).notNullable();
    t.string('name_ar', 120).notNullable();
    t.enu('decider_role', DECIDER_ROLES).notNullable();
    t.integer('decider_user_id').references('users.id');
    t.integer('sla_days').notNullable().defaultTo(3).checkBetween([0, 365]);
    t.index(['workflow_id', 'position']);
  });

  await knex.schema.createTable('public_holidays', (t) => {
    t.increments('id').primary();
    t.string('date', 10).notNullable().unique();
    t.string('name_en', 200).notNullable();
    t.string('name_ar', 200).notNullable();
    t.string('created_at', 30).notNullable();
  });

  await knex.schema.createTable('approval_delegations', (t) => {
    t.increments('id').primary();
    t.integer('delegator_id').notNullable().references('users.id');
    t.integer('delegate_id').notNullable().references('users.id');
    t.string('starts_on', 10).notNullable();
    t.string('ends_on', 10).notNullable();
    t.text('reason');
    t.string('ended_at', 30);
    t.integer('created_by').notNullable().references('users.id');
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 30).notNullable();
    t.index(['delegate_id', 'starts_on', 'ends_on']);
    t.index(['delegator_id']);
  });

  // A completed milestone accepted by its sponsor through a milestone sign-off request.
  await knex.schema.createTable('milestone_signoffs', (t) => {
    t.increments('id').primary();
    t.integer('milestone_id').notNullable().unique().references('milestones.id').onDelete('CASCADE');
    t.integer('request_id').notNullable().references('approval_requests.id').onDelete('CASCADE');
    t.integer('accepted_by').references('users.id');
    t.string('accepted_at', 30).notNullable();
  });

  await knex.schema.createTable('notifications', (t) => {
    t.increments('id').primary();
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('kind', 60).notNullable();
    t.string('title_key', 120).notNullable();
    t.text('params').notNullable().defaultTo('{}');
    t.string('link', 500);
    t.string('read_at', 30);
    t.string('created_at', 30).notNullable();
    t.index(['user_id', 'read_at']);
    t.index(['user_id', 'id']);
  });

  // Mail is queued in the use case's transaction and sent after it commits, with retries.
  await knex.schema.createTable('mail_outbox', (t) => {
    t.increments('id').primary();
    t.integer('notification_id').references('notifications.id').onDelete('SET NULL');
    t.integer('user_id').references('users.id').onDelete('SET NULL');
    t.string('to_address', 254).notNullable();
    t.enu('locale', ['en', 'ar']).notNullable();
    t.string('subject', 300).notNullable();
    t.text('body_text').notNullable();
    t.text('body_html').notNullable();
    t.enu('status', ['pending', 'sending', 'sent', 'failed']).notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 30).notNullable();
    t.string('claimed_at', 30);
    t.text('last_error');
    t.string('created_at', 30).notNullable();
    t.string('sent_at', 30);
    t.index(['status', 'next_attempt_at']);
  });

  // Reference data: the default workflows and the built-in gate criterion.
  const now = new Date().toISOString();
  const steps: Record<string, [string, string, string, number][]> = {
    gate: [
      ['PMO review', 'مراجعة مكتب إدارة المشاريع', 'pmo', 3],
      ['Sponsor approval', 'موافقة الراعي', 'sponsor', 5],
    ],
    change_request: [
      ['PMO review', 'مراجعة مكتب إدارة المشاريع', 'pmo', 3],
      ['Sponsor approval', 'موافقة الراعي', 'sponsor', 5],
    ],
    milestone_signoff: [['Sponsor sign-off', 'اعتماد الراعي', 'sponsor', 5]],
    document: [['PMO review', 'مراجعة مكتب إدارة المشاريع', 'pmo', 3]],
  };
  for (const kind of KINDS) {
    await knex('approval_workflows').insert({ kind, version: 1, updated_at: now });
    const wf = await knex('approval_workflows').where({ kind }).first('id');
    let position = 0;
    for (const [nameEn, nameAr, role, sla] of steps[kind]) {
      await knex('approval_workflow_steps').insert({
        workflow_id: wf.id,
        position: ++position,
        name_en: nameEn,
        name_ar: nameAr,
        decider_role: role,
        sla_days: sla,
      });
    }
  }
  await knex('gate_criteria').insert({
    from_phase: 'closure',
    criterion_type: 'all_milestones_done',
    params: '{}',
    position: 1,
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'mail_outbox',
    'notifications',
    'milestone_signoffs',
    'approval_delegations',
    'public_holidays',
    'approval_workflow_steps',
    'approval_workflows',
    'gate_criteria',
    'approval_events',
    'approval_steps',
    'approval_requests',
  ]) {
    await knex.schema.dropTable(t);
  }
}
