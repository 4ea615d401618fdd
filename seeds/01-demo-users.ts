import type { Db } from '../src/db/knex.js';
import { hashPassword } from '../src/auth/passwords.js';
import type { Role } from '../src/auth/roles.js';

export const DEMO_PASSWORD = 'masar-demo';

export const DEMO_USERS: {
  email: string;
  role: Role;
  nameEn: string;
  nameAr: string;
  locale: 'en' | 'ar';
}[] = [
  {
    email: 'admin@masar.test',
    role: 'admin',
    nameEn: 'Hessa Al-Mannai',
    nameAr: 'حصة المناعي',
    locale: 'en',
  },
  { email: 'pmo@masar.test', role: 'pmo', nameEn: 'Khalid Al-Doseri', nameAr: 'خالد الدوسري', locale: 'ar' },
  { email: 'pm@masar.test', role: 'pm', nameEn: 'Fatima Al-Sayed', nameAr: 'فاطمة السيد', locale: 'en' },
  { email: 'pm2@masar.test', role: 'pm', nameEn: 'Yousif Janahi', nameAr: 'يوسف جناحي', locale: 'ar' },
  {
    email: 'sponsor@masar.test',
    role: 'sponsor',
    nameEn: 'Dr. Mohammed Al-Qaed',
    nameAr: 'د. محمد القائد',
    locale: 'ar',
  },
  {
    email: 'viewer@masar.test',
    role: 'viewer',
    nameEn: 'Noora Al-Khalifa',
    nameAr: 'نورة آل خليفة',
    locale: 'en',
  },
];

/** The demo accounts, all with the password "masar-demo". Existing accounts are left alone. */
export async function seed(db: Db): Promise<void> {
  const hash = await hashPassword(DEMO_PASSWORD);
  const now = new Date().toISOString();
  for (const u of DEMO_USERS) {
    const exists = await db('users').where({ email: u.email }).first();
    if (exists) continue;
    await db('users').insert({
      email: u.email,
      name_en: u.nameEn,
      name_ar: u.nameAr,
      role: u.role,
      locale: u.locale,
      password_hash: hash,
      active: true,
      created_at: now,
      updated_at: now,
    });
  }
}
