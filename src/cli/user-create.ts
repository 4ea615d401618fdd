import { z } from 'zod';
import { hashPassword, PASSWORD_MIN } from '../auth/passwords.js';
import { ROLES } from '../auth/roles.js';
import { migrateLatest } from '../db/migrate.js';
import { insertOne } from '../db/util.js';
import { audit } from '../modules/audit/audit.service.js';
import { args, runCli } from './cli.js';
import { secretFromEnv } from '../config.js';
import { createInterface } from 'node:readline/promises';

/**
 * npm run user:create -- --email a@b.c --role admin [--name-en "…"] [--name-ar "…"]
 * The password comes from MASAR_PASSWORD in the environment or is asked for on the terminal.
 */
const schema = z.object({
  email: z.email(),
  role: z.enum(ROLES),
  'name-en': z.string().min(1).default('Administrator'),
  'name-ar': z.string().min(1).default('مسؤول النظام'),
});

async function askPassword(): Promise<string> {
  const fromEnv = secretFromEnv('MASAR_PASSWORD');
  if (fromEnv) return fromEnv;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const p = await rl.question('Password: ');
  rl.close();
  return p;
}

await runCli(async (db) => {
  const parsed = schema.safeParse(args());
  if (!parsed.success) {
    console.error(
      `Usage: npm run user:create -- --email EMAIL --role ${ROLES.join('|')} [--name-en NAME] [--name-ar NAME]`,
    );
    return 1;
  }
  const a = parsed.data;
  const password = await askPassword();
  if (password.length < PASSWORD_MIN) {
    console.error(`The password must have at least ${PASSWORD_MIN} characters.`);
    return 1;
  }
  await migrateLatest(db);
  const email = a.email.toLowerCase();
  if (await db('users').where({ email }).first()) {
    console.error(`A user with email ${email} already exists.`);
    return 1;
  }
  const hash = await hashPassword(password);
  const now = new Date().toISOString();
  await db.transaction(async (trx) => {
    const id = await insertOne(trx, 'users', {
      email,
      name_en: a['name-en'],
      name_ar: a['name-ar'],
      role: a.role,
      locale: 'en',
      password_hash: hash,
      active: true,
      created_at: now,
      updated_at: now,
    });
    await audit(trx, null, {
      action: 'user.create',
      entity: 'user',
      entityId: id,
      after: { email, role: a.role, via: 'cli' },
    });
  });
  console.log(`Created ${a.role} ${email}.`);
});
