import type { Actor } from '../../auth/current-user.js';
import { hashPassword } from '../../auth/passwords.js';
import { findUserById, listUsers, type User, type UserFilter } from '../../auth/users.repository.js';
import type { Conn, Db } from '../../db/knex.js';
import { insertOne } from '../../db/util.js';
import { checkVersion, updateVersioned } from '../../db/versioned.js';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors.js';
import { audit, diff } from '../audit/audit.service.js';
import type { CreateUserInput, UpdateUserInput } from './admin.schema.js';

const PAGE_SIZE = 25;

function snapshot(u: Pick<User, 'email' | 'nameEn' | 'nameAr' | 'role' | 'locale' | 'active'>) {
  return {
    email: u.email,
    nameEn: u.nameEn,
    nameAr: u.nameAr,
    role: u.role,
    locale: u.locale,
    active: u.active,
  };
}

/** User administration: only admins reach these use cases (the routes declare it). */
export function createAdminService(db: Db, clock: () => Date) {
  async function emailTaken(conn: Conn, email: string, exceptId?: number): Promise<boolean> {
    const row = await conn('users')
      .select('id')
      .where({ email })
      .modify((q) => (exceptId ? q.whereNot('id', exceptId) : q))
      .first();
    return !!row;
  }

  return {
    PAGE_SIZE,
    async list(f: UserFilter, page: number) {
      const { rows, total } = await listUsers(db, f, PAGE_SIZE, (page - 1) * PAGE_SIZE);
      return { rows, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
    },

    async get(id: number): Promise<User> {
      const u = await findUserById(db, id);
      if (!u) throw new NotFoundError();
      return u;
    },

    async create(actor: Actor, input: CreateUserInput): Promise<User> {
      const passwordHash = await hashPassword(input.password);
      const id = await db.transaction(async (trx) => {
        if (await emailTaken(trx, input.email)) throw ValidationError.field('email', 'validation:unique');
        const now = clock().toISOString();
        const newId = await insertOne(trx, 'users', {
          email: input.email,
          name_en: input.nameEn,
          name_ar: input.nameAr,
          role: input.role,
          locale: input.locale,
          password_hash: passwordHash,
          active: true,
          created_at: now,
          updated_at: now,
        });
        await audit(trx, actor, {
          action: 'user.create',
          entity: 'user',
          entityId: newId,
          after: snapshot({ ...input, active: true }),
        });
        return newId;
      });
      return (await findUserById(db, id))!;
    },

    async update(actor: Actor, id: number, input: UpdateUserInput): Promise<User> {
      const passwordHash = input.password ? await hashPassword(input.password) : undefined;
      await db.transaction(async (trx) => {
        const current = await findUserById(trx, id);
        if (!current) throw new NotFoundError();
        const conflict = () => new ConflictError('errors:409.message', snapshot(current));
        await checkVersion(current.version, input.version, conflict);
        if (id === actor.user.id && (!input.active || input.role !== 'admin')) {
          throw ValidationError.field(input.active ? 'role' : 'active', 'admin:users.selfLockout');
        }
        if (await emailTaken(trx, input.email, id)) throw ValidationError.field('email', 'validation:unique');
        const next = snapshot(input);
        // Deactivation, a role change or a password reset ends the user's open sessions at once.
        const endSessions = !input.active || input.role !== current.role || !!passwordHash;
        await updateVersioned(
          trx,
          'users',
          id,
          input.version,
          {
            email: input.email,
            name_en: input.nameEn,
            name_ar: input.nameAr,
            role: input.role,
            locale: input.locale,
            active: input.active,
            ...(passwordHash ? { password_hash: passwordHash } : {}),
            session_epoch: endSessions ? current.sessionEpoch + 1 : current.sessionEpoch,
            updated_at: clock().toISOString(),
          },
          conflict,
        );
        const d = diff(snapshot(current), next);
        await audit(trx, actor, {
          action: !input.active && current.active ? 'user.deactivate' : 'user.update',
          entity: 'user',
          entityId: id,
          before: d.before,
          after: { ...d.after, ...(passwordHash ? { passwordReset: true } : {}) },
        });
      });
      return (await findUserById(db, id))!;
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
