import type { Actor } from '../../auth/current-user.js';
import { ForbiddenError } from '../../http/errors.js';
import { canTakeSnapshot } from './reports.policy.js';
import { takeMonthlySnapshot, type SnapshotDeps, type SnapshotResult } from './reports.snapshots.js';

export { listSnapshots, readSnapshot } from './reports.snapshots.js';

/** Takes this month's snapshot on a person's request: PMO and administrators only (others see 403). */
export async function takeSnapshot(deps: SnapshotDeps, actor: Actor): Promise<SnapshotResult> {
  if (!canTakeSnapshot(actor.user.role)) throw new ForbiddenError();
  return takeMonthlySnapshot(deps, actor);
}
