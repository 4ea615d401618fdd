import type { Conn } from '../db/knex.js';
import type { CurrentUser } from './current-user.js';
import type { Role } from './roles.js';
import type { Locale } from '../i18n/locales.js';

export interface UserRow {
  id: number;
  email: string;
  name_en: string;
  name_ar: string;
  password_hash: string;
  role: Role;
  locale: Locale;
  active: boolean | number;
  session_epoch: number;
  version: number;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface User extends CurrentUser {
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
}

export function toUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    nameEn: r.name_en,
    nameAr: r.name_ar,
    role: r.role,
    locale: r.locale,
    active: Boolean(r.active),
    sessionEpoch: r.session_epoch,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastLoginAt: r.last_login_at,
  };
}

const PUBLIC_COLUMNS = [
  'id',
  'email',
  'name_en',
  'name_ar',
  'role',
  'locale',
  'active',
  'session_epoch',
  'version',
  'created_at',
  'updated_at',
  'last_login_at',
];

export async function findUserById(db: Conn, id: number): Promise<User | undefined> {
  const r = (await db('users').select(PUBLIC_COLUMNS).where({ id }).first()) as UserRow | undefined;
  return r && toUser(r);
}

export async function findUserWithHashByEmail(
  db: Conn,
  email: string,
): Promise<(User & { passwordHash: string }) | undefined> {
  const r = (await db('users').where({ email: email.toLowerCase() }).first()) as UserRow | undefined;
  return r && { ...toUser(r), passwordHash: r.password_hash };
}

export async function findPasswordHash(db: Conn, id: number): Promise<string | undefined> {
  const r = await db('users').select('password_hash').where({ id }).first();
  return r?.password_hash as string | undefined;
}

export interface UserFilter {
  q?: string;
  role?: Role;
  active?: boolean;
}

export async function listUsers(
  db: Conn,
  f: UserFilter,
  limit: number,
  offset: number,
): Promise<{ rows: User[]; total: number }> {
  const base = db('users').modify((qb) => {
    if (f.q) {
      const like = `%${f.q.toLowerCase()}%`;
      qb.where((w) =>
        w
          .whereRaw('lower(email) like ?', [like])
          .orWhereRaw('lower(name_en) like ?', [like])
          .orWhere('name_ar', 'like', `%${f.q}%`),
      );
    }
    if (f.role) qb.where('role', f.role);
    if (f.active !== undefined) qb.where('active', f.active);
  });
  const [{ n }] = (await base.clone().count({ n: '*' })) as { n: number }[];
  const rows = (await base
    .clone()
    .select(PUBLIC_COLUMNS)
    .orderBy('name_en')
    .limit(limit)
    .offset(offset)) as UserRow[];
  return { rows: rows.map(toUser), total: Number(n) };
}

/** Active users for pickers (owner, manager, sponsor, delegate), optionally restricted to roles. */
export async function listActiveUsers(db: Conn, roles?: readonly Role[]): Promise<User[]> {
  const rows = (await db('users')
    .select(PUBLIC_COLUMNS)
    .where('active', true)
    .modify((qb) => {
      if (roles) qb.whereIn('role', roles as Role[]);
    })
    .orderBy('name_en')) as UserRow[];
  return rows.map(toUser);
}
