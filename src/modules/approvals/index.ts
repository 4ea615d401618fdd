import type { MasarModule } from '../module.js';
import './approvals.criteria.js';

/**
 * Governance approvals: gates, change requests, milestone sign-offs and documents decided in
 * recorded steps, with SLA, delegation and notifications. The one public door of the module.
 */
export { submitApprovalRequest, type SubmitInput } from './approvals.engine.js';
export {
  registerApprovalSubject,
  registerGateCriterion,
  type ApprovalRequestRecord,
  type ApprovalSubjectHooks,
  type GateCriterionType,
} from './approvals.registry.js';
export type { ApprovalKind } from './approvals.rules.js';

export const approvalsModule: MasarModule = { name: 'approvals' };
