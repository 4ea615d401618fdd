import type { Actor, CurrentUser } from '../../auth/current-user.js';
import { columnsOf, insertOne } from '../../db/util.js';
import { checkVersion, updateVersioned } from '../../db/versioned.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../http/errors.js';
import { audit, diff } from '../audit/audit.service.js';
import type { AppDeps } from '../module.js';
import { ASSIGNABLE, assertAssignable } from '../portfolio/portfolio.people.js';
import { canSeeProgram } from '../projects/projects.access.js';
import { canManagePrograms } from './programs.policy.js';
import { findProgram, programCodeTaken, programFacts, type ProgramRecord } from './programs.repository.js';
import type { CreateProgramInput, UpdateProgramInput } from './programs.schema.js';

/** The facts a create or edit form gives (fields left empty are null). */
function factsOf(input: CreateProgramInput) {
  return programFacts({
    ...input,
    descriptionEn: input.descriptionEn ?? null,
    descriptionAr: input.descriptionAr ?? null,
    sponsorId: input.sponsorId ?? null,
    managerId: input.managerId ?? null,
    plannedStart: input.plannedStart ?? null,
    plannedEnd: input.plannedEnd ?? null,
  });
}

/** Program use cases: policy first, then one transaction with the writes and the audit entry. */
export function createProgramsService({ db, clock }: Pick<AppDeps, 'db' | 'clock'>) {
  return {
    /** The program if the user may see it; otherwise 404. */
    async get(user: CurrentUser, id: number): Promise<ProgramRecord> {
      if (!(await canSeeProgram(db, user, id))) throw new NotFoundError();
      const p = await findProgram(db, id);
      if (!p) throw new NotFoundError();
      return p;
    },

    async create(actor: Actor, input: CreateProgramInput): Promise<number> {
      if (!canManagePrograms(actor.user)) throw new ForbiddenError();
      const facts = factsOf(input);
      return db.transaction(async (trx) => {
        if (await programCodeTaken(trx, facts.code)) throw ValidationError.field('code', 'validation:unique');
        await assertAssignable(trx, 'sponsorId', facts.sponsorId, ASSIGNABLE.programSponsor);
        await assertAssignable(trx, 'managerId', facts.managerId, ASSIGNABLE.programManager);
        const now = clock().toISOString();
        const id = await insertOne(trx, 'programs', {
          ...columnsOf(facts),
          version: 1,
          created_at: now,
          updated_at: now,
        });
        await audit(trx, actor, { action: 'program.create', entity: 'program', entityId: id, after: facts });
        return id;
      });
    },

    async update(actor: Actor, id: number, input: UpdateProgramInput): Promise<void> {
      if (!(await canSeeProgram(db, actor.user, id))) throw new NotFoundError();
      if (!canManagePrograms(actor.user)) throw new ForbiddenError();
      const next = factsOf(input);
      await db.transaction(async (trx) => {
        const current = await findProgram(trx, id);
        if (!current) throw new NotFoundError();
        const conflict = (p: ProgramRecord = current) =>
          new ConflictError('errors:409.message', { ...programFacts(p), version: p.version });
        await checkVersion(current.version, input.version, conflict);
        if (await programCodeTaken(trx, next.code, id))
          throw ValidationError.field('code', 'validation:unique');
        await assertAssignable(
          trx,
          'sponsorId',
          next.sponsorId,
          ASSIGNABLE.programSponsor,
          current.sponsorId,
        );
        await assertAssignable(
          trx,
          'managerId',
          next.managerId,
          ASSIGNABLE.programManager,
          current.managerId,
        );
        const d = diff(programFacts(current), next);
        if (Object.keys(d.after).length === 0) return;
        // Someone committed first while we waited for the row: show what they saved.
        await updateVersioned(
          trx,
          'programs',
          id,
          input.version,
          { ...columnsOf(next), updated_at: clock().toISOString() },
          async () => conflict((await findProgram(trx, id)) ?? current),
        );
        await audit(trx, actor, {
          action: 'program.update',
          entity: 'program',
          entityId: id,
          before: d.before,
          after: d.after,
        });
      });
    },
  };
}
