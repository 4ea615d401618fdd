import type { Actor } from '../../auth/current-user.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import { findPasswordHash, findUserById, type User } from '../../auth/users.repository.js';
import type { Db } from '../../db/knex.js';
import { ValidationError } from '../../http/errors.js';
import type { Locale } from '../../i18n/locales.js';
import { audit } from '../audit/audit.service.js';

export function createProfileService(db: Db, clock: () => Date) {
  return {
    /** Changes the password and ends every other session of the user (epoch bump). */
    async changePassword(actor: Actor, current: string, next: string): Promise<User> {
      const hashed = await findPasswordHash(db, actor.user.id);
      if (!hashed || !(await verifyPassword(hashed, current)))
        throw ValidationError.field('currentPassword', 'validation:passwordCurrent');
      const newHash = await hashPassword(next);
      await db.transaction(async (trx) => {
        await trx('users')
          .where({ id: actor.user.id })
          .update({
            password_hash: newHash,
            session_epoch: trx.raw('session_epoch + 1'),
            version: trx.raw('version + 1'),
            updated_at: clock().toISOString(),
          });
        await audit(trx, actor, {
          action: 'user.password',
          entity: 'user',
          entityId: actor.user.id,
          after: { passwordChanged: true },
        });
      });
      return (await findUserById(db, actor.user.id))!;
    },

    async setLocale(actor: Actor, locale: Locale): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('users').where({ id: actor.user.id }).update({ locale, updated_at: clock().toISOString() });
        await audit(trx, actor, {
          action: 'user.language',
          entity: 'user',
          entityId: actor.user.id,
          before: { locale: actor.user.locale },
          after: { locale },
        });
      });
    },
  };
}
