import type { TFunction } from 'i18next';
import type { Actor } from '../../auth/current-user.js';
import type { Conn, Trx } from '../../db/knex.js';
import type { ApprovalKind } from './approvals.rules.js';

/** A request as the subject hooks receive it (payload parsed). */
export interface ApprovalRequestRecord {
  id: number;
  kind: ApprovalKind;
  projectId: number;
  subjectType: string;
  subjectId: number;
  titleEn: string;
  titleAr: string;
  status: string;
  requestedBy: number;
  payload: Record<string, unknown>;
  round: number;
  version: number;
}

/**
 * What a module that owns a kind of subject contributes: what happens on the final approval
 * and on rejection (inside the deciding transaction: throw to refuse the decision), and
 * optionally where the subject's own page is.
 */
export interface ApprovalSubjectHooks {
  onFinalApproval?(trx: Trx, request: ApprovalRequestRecord, actor: Actor): Promise<void>;
  onRejected?(trx: Trx, request: ApprovalRequestRecord, actor: Actor): Promise<void>;
  /** A path inside Masar showing the subject (e.g. the document), for the request page. */
  subjectLink?(request: ApprovalRequestRecord): string | null;
}

/** A kind of gate criterion: its label on the checklist and whether a project meets it now. */
export interface GateCriterionType {
  label(t: TFunction, params: Record<string, unknown>): string;
  evaluate(conn: Conn, projectId: number, params: Record<string, unknown>): Promise<boolean>;
}

const subjects = new Map<string, ApprovalSubjectHooks>();
const criteria = new Map<string, GateCriterionType>();

/** Called at module load by the module that owns a kind (documents registers `document`). */
export function registerApprovalSubject(kind: ApprovalKind, hooks: ApprovalSubjectHooks): void {
  subjects.set(kind, hooks);
}

export function subjectHooks(kind: string): ApprovalSubjectHooks | undefined {
  return subjects.get(kind);
}

/** Called at module load; a gate criterion row whose type is not registered counts as unmet. */
export function registerGateCriterion(type: string, def: GateCriterionType): void {
  criteria.set(type, def);
}

export function gateCriterionType(type: string): GateCriterionType | undefined {
  return criteria.get(type);
}

export function gateCriterionTypes(): string[] {
  return [...criteria.keys()].sort();
}
