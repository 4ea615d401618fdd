import type { Knex } from 'knex';

/**
 * Indexes that let the approvals inbox read a page without reading the whole queue:
 * - pending steps by decider role in due order (awaiting my decision: the PMO's queue, the
 *   administrators'), with the columns that join them to their request;
 * - a named person's pending steps in due order (replaces the index on the decider alone);
 * - pending steps in due order (all open requests, for those who see the whole portfolio;
 *   replaces the index on status and due);
 * - requests by status in id order (returned requests, which wait on no step);
 * - project codes and names together, so that a search by name reads this index, not every
 *   project row with its description and scope.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('approval_steps', (t) => {
    t.index(
      ['status', 'decider_role', 'due_at', 'request_id', 'round', 'step_no'],
      'approval_steps_queue_index',
    );
    t.index(
      ['decider_user_id', 'status', 'decider_role', 'due_at', 'request_id', 'round', 'step_no'],
      'approval_steps_named_queue_index',
    );
    t.index(['status', 'due_at', 'request_id', 'round', 'step_no'], 'approval_steps_due_index');
    t.dropIndex(['decider_user_id']);
    t.dropIndex(['status', 'due_at']);
  });
  await knex.schema.alterTable('approval_requests', (t) => {
    t.index(['status', 'id'], 'approval_requests_status_id_index');
  });
  await knex.schema.alterTable('projects', (t) => {
    t.index(['code', 'name_en', 'name_ar'], 'projects_search_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('projects', (t) => {
    t.dropIndex([], 'projects_search_index');
  });
  await knex.schema.alterTable('approval_requests', (t) => {
    t.dropIndex([], 'approval_requests_status_id_index');
  });
  await knex.schema.alterTable('approval_steps', (t) => {
    t.index(['status', 'due_at']);
    t.index(['decider_user_id']);
    t.dropIndex([], 'approval_steps_due_index');
    t.dropIndex([], 'approval_steps_named_queue_index');
    t.dropIndex([], 'approval_steps_queue_index');
  });
}
