import type { Actor } from '../../auth/current-user.js';
import { insertOne } from '../../db/util.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import type { AppDeps } from '../module.js';
import {
  findCurrentMeasurement,
  isUniqueViolation,
  listMeasurementHistory,
  type Measurement,
} from './measurements.repository.js';
import { parsePeriodKey, periodProblem } from './strategy.periods.js';
import { canRecordMeasurement } from './strategy.policy.js';
import { findKpi } from './strategy.repository.js';
import type { MeasurementInput } from './strategy.schema.js';

const PROBLEM_KEYS = {
  invalid: 'strategy:validation.period',
  frequency: 'strategy:measurements.periodFrequency',
  future: 'strategy:measurements.periodFuture',
  beforeBaseline: 'strategy:measurements.periodBeforeBaseline',
} as const;

/**
 * Recording KPI values. A value is never changed in place: a correction is a new row that
 * supersedes the current value of its period (and needs a comment saying why), so the history
 * of what was reported, and when, is kept.
 */
export function createMeasurementService(deps: AppDeps) {
  const { db, clock } = deps;

  return {
    history: (kpiId: number): Promise<Measurement[]> => listMeasurementHistory(db, kpiId),

    currentFor: (kpiId: number, periodKey: string) => findCurrentMeasurement(db, kpiId, periodKey),

    async record(actor: Actor, kpiId: number, input: MeasurementInput): Promise<Measurement> {
      const at = clock().toISOString();
      const today = at.slice(0, 10);
      try {
        const id = await db.transaction(async (trx) => {
          const kpi = await findKpi(trx, kpiId);
          if (!kpi) throw new NotFoundError();
          if (kpi.computed) throw new ForbiddenError('strategy:measurements.computedForbidden');
          if (!canRecordMeasurement(actor.user, kpi))
            throw new ForbiddenError('strategy:measurements.notOwner');
          const problem = periodProblem(input.periodKey, kpi.frequency, kpi.baselineDate, today);
          if (problem) throw ValidationError.field('periodKey', PROBLEM_KEYS[problem.problem]);
          // periodProblem has accepted the key: it names a period of the KPI's frequency.
          const { key, start, end } = parsePeriodKey(input.periodKey)!;
          const current = await findCurrentMeasurement(trx, kpiId, key);
          if (input.replaces !== undefined && input.replaces !== (current?.id ?? null)) {
            // The person corrected a value that someone else has corrected (or removed) since.
            throw new ConflictError(
              'strategy:measurements.conflict',
              current ? { value: current.value } : {},
            );
          }
          if (current && !input.comment)
            throw ValidationError.field('comment', 'strategy:measurements.commentRequired');
          const newId = await insertOne(trx, 'kpi_measurements', {
            kpi_id: kpiId,
            period_key: key,
            period_start: start,
            period_end: end,
            value: input.value,
            comment: input.comment ?? null,
            source: 'manual',
            recorded_by: actor.user.id,
            recorded_at: at,
            supersedes_id: current?.id ?? null,
          });
          await audit(trx, actor, {
            action: current ? 'kpi.measurement.correct' : 'kpi.measurement.record',
            entity: 'kpi',
            entityId: kpiId,
            before: current ? { measurementId: current.id, period: key, value: current.value } : undefined,
            after: { measurementId: newId, period: key, value: input.value, comment: input.comment ?? null },
          });
          return newId;
        });
        return (await listMeasurementHistory(db, kpiId)).find((m) => m.id === id)!;
      } catch (err) {
        // Two people recorded or corrected the same period at the same moment: the first one stands.
        if (isUniqueViolation(err)) throw new ConflictError('strategy:measurements.conflict');
        throw err;
      }
    },
  };
}
