import type { Db } from '../../src/db/knex.js';
import type { User } from '../../src/auth/users.repository.js';
import { submitApprovalRequest } from '../../src/modules/approvals/index.js';
import type { ApprovalKind } from '../../src/modules/approvals/approvals.rules.js';
import { buildProject, buildMilestone, type ProjectRow } from './portfolio.js';
import { buildUser } from './users.js';

/**
 * Factories for approvals: a project with its manager and sponsor, and requests submitted
 * through the module's own API (so steps, events and notifications are as in real use).
 */
export async function buildGovernedProject(db: Db, o: Partial<Record<string, unknown>> = {}) {
  const manager = (o.manager as User | undefined) ?? (await buildUser(db, { role: 'pm' }));
  const sponsor = (o.sponsor as User | undefined) ?? (await buildUser(db, { role: 'sponsor', locale: 'ar' }));
  const rest = { ...o };
  delete rest.manager;
  delete rest.sponsor;
  const project: ProjectRow = await buildProject(db, {
    manager_id: manager.id,
    sponsor_id: sponsor.id,
    ...rest,
  });
  return { project, manager, sponsor };
}

export async function submitRequest(
  db: Db,
  requester: User,
  projectId: number,
  kind: ApprovalKind,
  payload: Record<string, unknown>,
  subject: { type: 'project' | 'milestone' | 'document_version'; id: number } = {
    type: 'project',
    id: projectId,
  },
): Promise<number> {
  return db.transaction((trx) =>
    submitApprovalRequest(
      trx,
      { user: requester, requestId: 'test' },
      {
        kind,
        projectId,
        subjectType: subject.type,
        subjectId: subject.id,
        titleEn: `Test ${kind}`,
        titleAr: `اختبار ${kind}`,
        payload,
      },
    ),
  );
}

/** A gate request from the project's current phase (criteria permitting). */
export async function buildGateRequest(db: Db, requester: User, project: { id: number; phase: string }) {
  const next: Record<string, string> = {
    initiation: 'planning',
    planning: 'execution',
    execution: 'closure',
    closure: 'closed',
  };
  return submitRequest(db, requester, project.id, 'gate', {
    fromPhase: project.phase,
    toPhase: next[project.phase],
  });
}

export async function buildSignoffRequest(db: Db, requester: User, projectId: number) {
  const m = await buildMilestone(db, projectId, {
    status: 'completed',
    percent_complete: 100,
    actual_date: '2026-05-01',
  });
  const id = await submitRequest(
    db,
    requester,
    projectId,
    'milestone_signoff',
    { milestoneId: m.id },
    { type: 'milestone', id: m.id },
  );
  return { id, milestoneId: m.id as number };
}
