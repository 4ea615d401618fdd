import { registerGateCriterion } from './approvals.registry.js';

/** The built-in gate criteria; other modules register theirs (documents: `approved_document`). */
export const BUILTIN_CRITERIA = ['all_milestones_done', 'no_open_change_requests'] as const;

registerGateCriterion('all_milestones_done', {
  label: (t) => String(t('approvals:criteria.all_milestones_done')),
  async evaluate(conn, projectId) {
    const open = await conn('milestones')
      .where({ project_id: projectId })
      .whereNotIn('status', ['completed', 'cancelled'])
      .first('id');
    return !open;
  },
});

registerGateCriterion('no_open_change_requests', {
  label: (t) => String(t('approvals:criteria.no_open_change_requests')),
  async evaluate(conn, projectId) {
    const open = await conn('approval_requests')
      .where({ project_id: projectId, kind: 'change_request' })
      .whereIn('status', ['pending', 'returned'])
      .first('id');
    return !open;
  },
});
