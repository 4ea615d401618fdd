import type { Knex } from 'knex';

/**
 * Documents and their versions. A version's bytes live in the content-addressed file store under
 * data/files/ (named by `sha256`); several versions may name the same bytes. The default gate
 * criteria that need approved documents are added when the approvals schema is there.
 */
const CATEGORIES = [
  'charter',
  'business_case',
  'project_plan',
  'status_report',
  'change_request',
  'closure_report',
  'other',
];

const DEFAULT_CRITERIA = [
  { from_phase: 'initiation', category: 'charter' },
  { from_phase: 'closure', category: 'closure_report' },
];

export async function up(knex: Knex): Promise<void> {
  const hasApprovals = await knex.schema.hasTable('approval_requests');
  await knex.schema.createTable('documents', (t) => {
    t.increments('id').primary();
    t.integer('project_id').notNullable().references('projects.id').onDelete('CASCADE');
    t.integer('milestone_id').references('milestones.id').onDelete('SET NULL');
    const ar = t.integer('approval_request_id');
    if (hasApprovals) ar.references('approval_requests.id').onDelete('SET NULL');
    t.enu('category', CATEGORIES).notNullable();
    t.string('title_en', 200).notNullable();
    t.string('title_ar', 200).notNullable();
    // Set right after the first version is written, in the same transaction.
    t.integer('current_version_id');
    t.integer('version').notNullable().defaultTo(1);
    t.integer('created_by').references('users.id');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['project_id', 'category']);
    t.index(['milestone_id']);
    t.index(['approval_request_id']);
    t.index(['created_at']);
  });

  await knex.schema.createTable('document_versions', (t) => {
    t.increments('id').primary();
    t.integer('document_id').notNullable().references('documents.id').onDelete('CASCADE');
    t.integer('version_no').notNullable();
    t.string('sha256', 64).notNullable();
    t.string('original_name', 255).notNullable();
    t.string('media_type', 120).notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.integer('page_count');
    t.text('comment');
    t.integer('uploaded_by').references('users.id');
    t.string('uploaded_at', 30).notNullable();
    t.unique(['document_id', 'version_no']);
    t.index(['sha256']);
    t.index(['uploaded_at']);
    t.check('size_bytes > 0', [], 'document_versions_size_check');
    t.check('version_no >= 1', [], 'document_versions_no_check');
  });

  await knex.schema.alterTable('documents', (t) => {
    t.foreign('current_version_id', 'documents_current_version_fk').references('document_versions.id');
  });

  if (await knex.schema.hasTable('gate_criteria')) {
    const last = await knex('gate_criteria').max({ p: 'position' }).first();
    let position = Number(last?.p ?? 0);
    for (const c of DEFAULT_CRITERIA) {
      const params = JSON.stringify({ category: c.category });
      const exists = await knex('gate_criteria')
        .where({ from_phase: c.from_phase, criterion_type: 'approved_document', params })
        .first();
      if (!exists)
        await knex('gate_criteria').insert({
          from_phase: c.from_phase,
          criterion_type: 'approved_document',
          params,
          position: ++position,
        });
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('gate_criteria')) {
    await knex('gate_criteria').where({ criterion_type: 'approved_document' }).delete();
  }
  await knex.schema.alterTable('documents', (t) => {
    t.dropForeign('current_version_id', 'documents_current_version_fk');
  });
  await knex.schema.dropTable('document_versions');
  await knex.schema.dropTable('documents');
}
