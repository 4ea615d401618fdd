import type { Db } from '../../db/knex.js';
import { notify } from '../notifications/index.js';
import { addEvent, type RequestRow, type StepRow } from './approvals.engine.js';
import { escalationDue } from './approvals.rules.js';
import { approvalSettings, loadCalendar } from './approvals.settings.js';
import { audit } from '../audit/audit.service.js';

/**
 * Tells the PMO about steps overdue by the configured number of working days. Idempotent: each
 * step is escalated once (a conditional update of `escalated_at` decides which run does it).
 * Returns the number of steps escalated.
 */
export async function escalateOverdue(db: Db): Promise<number> {
  const { clock, weekendDays, escalationDays } = approvalSettings();
  const now = clock().toISOString();
  const cal = await loadCalendar(db, weekendDays);
  const candidates = (await db('approval_steps as s')
    .join('approval_requests as r', function () {
      this.on('r.id', 's.request_id').andOn('r.round', 's.round');
    })
    .where('s.status', 'pending')
    .where('r.status', 'pending')
    .whereNull('s.escalated_at')
    .where('s.due_at', '<', now)
    .select('s.*')) as StepRow[];
  let count = 0;
  for (const step of candidates) {
    if (!escalationDue(step.due_at, now, escalationDays, cal)) continue;
    await db.transaction(async (trx) => {
      const won = await trx('approval_steps')
        .where({ id: step.id, status: 'pending' })
        .whereNull('escalated_at')
        .update({ escalated_at: now });
      if (won !== 1) return;
      const r = (await trx('approval_requests').where({ id: step.request_id }).first()) as RequestRow;
      const p = (await trx('projects').where({ id: r.project_id }).first('code')) as { code: string };
      await addEvent(trx, {
        requestId: r.id,
        round: r.round,
        stepNo: step.step_no,
        action: 'escalated',
        actorId: null,
        at: now,
      });
      await audit(trx, null, {
        action: 'approval.escalate',
        entity: 'approval_request',
        entityId: r.id,
        after: { step: step.step_no, dueAt: step.due_at },
      });
      const pmo = (await trx('users').where({ role: 'pmo', active: true }).select('id')) as { id: number }[];
      for (const u of pmo) {
        await notify(trx, {
          userId: u.id,
          kind: 'approval.escalated',
          titleKey: 'approvals:notify.escalated.title',
          bodyKey: 'approvals:notify.escalated.body',
          params: {
            titleEn: r.title_en,
            titleAr: r.title_ar,
            code: p.code,
            stepEn: step.name_en,
            stepAr: step.name_ar,
            due: (step.due_at ?? '').slice(0, 10),
          },
          link: `/approvals/${r.id}`,
        });
      }
      count++;
    });
  }
  return count;
}
