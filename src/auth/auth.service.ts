import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import { audit } from '../modules/audit/audit.service.js';
import { dummyHash, verifyPassword } from './passwords.js';
import { findUserWithHashByEmail, type User } from './users.repository.js';

export type LoginResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; minutes: number };

/**
 * Checks email and password with throttling per account and per address. An unknown email and a
 * wrong password give the same answer and take the same time; a deactivated account cannot log in.
 */
export function createAuthService(db: Db, config: Config, clock: () => Date = () => new Date()) {
  const windowMs = config.login.throttleMinutes * 60_000;

  async function throttled(email: string, address: string, now: Date): Promise<number | null> {
    const since = new Date(now.getTime() - windowMs).toISOString();
    const [acc] = (await db('login_failures')
      .where('email', email)
      .andWhere('at', '>=', since)
      .count({ n: '*' })
      .min({ first: 'at' })) as {
      n: number;
      first: string | null;
    }[];
    const [adr] = (await db('login_failures')
      .where('address', address)
      .andWhere('at', '>=', since)
      .count({ n: '*' })
      .min({ first: 'at' })) as {
      n: number;
      first: string | null;
    }[];
    const over = [
      Number(acc.n) >= config.login.maxFailuresPerAccount ? acc.first : null,
      Number(adr.n) >= config.login.maxFailuresPerAddress ? adr.first : null,
    ].filter((x): x is string => !!x);
    if (over.length === 0) return null;
    const until = Math.max(...over.map((f) => new Date(f).getTime() + windowMs));
    return Math.max(1, Math.ceil((until - now.getTime()) / 60_000));
  }

  return {
    async login(emailInput: string, password: string, address: string): Promise<LoginResult> {
      const email = emailInput.trim().toLowerCase().slice(0, 254);
      const now = clock();
      const minutes = await throttled(email, address, now);
      if (minutes !== null) return { ok: false, reason: 'throttled', minutes };
      const user = await findUserWithHashByEmail(db, email);
      const good = user
        ? await verifyPassword(user.passwordHash, password)
        : await verifyPassword(await dummyHash(), password).then(() => false);
      if (!user || !good || !user.active) {
        await db('login_failures').insert({ email, address: address.slice(0, 64), at: now.toISOString() });
        return { ok: false, reason: 'invalid' };
      }
      await db.transaction(async (trx) => {
        await trx('login_failures').where({ email }).del();
        await trx('users').where({ id: user.id }).update({ last_login_at: now.toISOString() });
        await audit(
          trx,
          { user, requestId: '' },
          { action: 'auth.login', entity: 'user', entityId: user.id },
        );
      });
      const { passwordHash: _omit, ...rest } = user;
      return { ok: true, user: rest };
    },

    /** Old failures are only evidence for the throttling window; keep the table small. */
    async pruneFailures(): Promise<void> {
      const before = new Date(clock().getTime() - 24 * 3600_000).toISOString();
      await db('login_failures').where('at', '<', before).del();
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
