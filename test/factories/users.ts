import { hashPassword } from '../../src/auth/passwords.js';
import type { Role } from '../../src/auth/roles.js';
import type { Conn } from '../../src/db/knex.js';
import { insertOne } from '../../src/db/util.js';
import { findUserById, type User } from '../../src/auth/users.repository.js';

export const TEST_PASSWORD = 'correct-horse-battery';
let hashed: Promise<string> | undefined;
let seq = 0;

export async function buildUser(
  db: Conn,
  overrides: Partial<{
    email: string;
    role: Role;
    nameEn: string;
    nameAr: string;
    locale: 'en' | 'ar';
    active: boolean;
  }> = {},
): Promise<User> {
  hashed ??= hashPassword(TEST_PASSWORD);
  const n = ++seq;
  const role = overrides.role ?? 'pm';
  const now = new Date().toISOString();
  const id = await insertOne(db, 'users', {
    email: overrides.email ?? `${role}${n}-${process.pid}@example.test`,
    name_en: overrides.nameEn ?? `User ${n}`,
    name_ar: overrides.nameAr ?? `مستخدم ${n}`,
    role,
    locale: overrides.locale ?? 'en',
    active: overrides.active ?? true,
    password_hash: await hashed,
    created_at: now,
    updated_at: now,
  });
  return (await findUserById(db, id))!;
}
