import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ROOT } from './paths.js';

/**
 * The only reader of process.env. The environment is parsed once, validated, and frozen;
 * a bad value stops start-up with one line naming the variable.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const num = (min: number, max: number) => z.coerce.number().min(min).max(max);

const weekdays = z
  .string()
  .regex(/^[0-6](,[0-6])*$/, 'a comma-separated list of weekday numbers 0 (Sunday) to 6 (Saturday)')
  .transform((s) => [...new Set(s.split(',').map(Number))].sort());

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .refine((v) => /^(postgres|postgresql):\/\//.test(v) || /^(sqlite|file):/.test(v), {
      message: 'must start with postgres:// or sqlite:',
    })
    .optional(),
  SQLITE_READERS: int(0, 16).default(4),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: int(1, 24 * 60).default(30),
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEFAULT_LOCALE: z.enum(['en', 'ar']).default('en'),
  CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as BHD')
    .default('BHD'),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(1, 1000).default(10),
  LOGIN_MAX_FAILURES_PER_ADDRESS: int(1, 10000).default(50),
  LOGIN_THROTTLE_MINUTES: int(1, 24 * 60).default(15),
  HEALTH_AMBER_LATE_WEIGHT_PCT: num(0, 100).default(10),
  HEALTH_RED_LATE_WEIGHT_PCT: num(0, 100).default(25),
  HEALTH_AMBER_SLIP_DAYS: int(0, 3650).default(7),
  HEALTH_RED_SLIP_DAYS: int(0, 3650).default(30),
  MILESTONE_AT_RISK_DAYS: int(0, 365).default(14),
  STATUS_REPORT_GRACE_DAYS: int(0, 60).default(3),
  WEEKEND_DAYS: weekdays.default([5, 6]),
  SLA_ESCALATION_DAYS: int(0, 365).default(2),
  UPLOAD_MAX_MB: int(1, 4096).default(50),
  UPLOAD_ALLOWED_TYPES: z
    .string()
    .regex(/^[a-z0-9]+(,[a-z0-9]+)*$/, 'a comma-separated list such as pdf,docx,xlsx')
    .default('pdf,docx,xlsx,pptx,png,jpg,txt,csv')
    .transform((s) => s.split(',')),
  CLAMD_SOCKET: z.string().min(1).optional(),
  CLAMD_TIMEOUT_MS: int(100, 600000).default(30000),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default('Masar <no-reply@masar.local>'),
  PUBLIC_URL: z.string().url().default('http://localhost:3000'),
  KPI_LATE_DAYS: int(0, 365).default(15),
  KPI_AT_RISK_PCT: num(0, 100).default(10),
  KPI_OFF_TRACK_PCT: num(0, 100).default(25),
  REPORT_CACHE_MB: int(0, 4096).default(64),
  PAGE_CACHE_MB: int(0, 4096).default(32),
  BENCH_COUNT_QUERIES: bool.default(false),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly isProduction: boolean;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database:
    | {
        readonly client: 'sqlite';
        readonly filename: string;
        /** Connections that only read, beside the one that writes (src/db/knex.ts); 0: one for all. */
        readonly readers?: number;
      }
    | { readonly client: 'pg'; readonly url: string };
  readonly sessionSecret: string;
  readonly sessionIdleMinutes: number;
  readonly trustProxy: boolean;
  readonly logLevel: string;
  readonly defaultLocale: 'en' | 'ar';
  readonly currency: string;
  readonly login: {
    readonly maxFailuresPerAccount: number;
    readonly maxFailuresPerAddress: number;
    readonly throttleMinutes: number;
  };
  readonly health: {
    readonly amberLateWeightPct: number;
    readonly redLateWeightPct: number;
    readonly amberSlipDays: number;
    readonly redSlipDays: number;
    readonly atRiskDays: number;
    readonly statusReportGraceDays: number;
  };
  readonly workweek: { readonly weekendDays: readonly number[] };
  readonly approvals: { readonly escalationDays: number };
  readonly uploads: { readonly maxBytes: number; readonly allowedTypes: readonly string[] };
  readonly clamd: { readonly socket: string | undefined; readonly timeoutMs: number };
  readonly mail: { readonly smtpUrl: string | undefined; readonly from: string; readonly outboxDir: string };
  readonly publicUrl: string;
  readonly kpi: { readonly lateDays: number; readonly atRiskPct: number; readonly offTrackPct: number };
  /** Memory for finished report PDFs kept for their next reader (0: none kept). */
  readonly reports: { readonly cacheBytes: number };
  /** Memory for the kept bodies of the heaviest pages (render.ts `res.keptPage`). */
  readonly pages: { readonly cacheBytes: number };
  /** Benchmarks only: count SQL queries per request and serve the tally (src/db/query-counter.ts). */
  readonly benchCountQueries: boolean;
}

export class ConfigError extends Error {}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** Reads or creates the development session secret kept under the data directory. */
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // first start: generate below
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(48).toString('base64url');
  fs.writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as a shell `VAR= npm start` intends.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(ROOT, e.DATA_DIR ?? 'data');
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    throw new ConfigError('Invalid environment variable SESSION_SECRET: required in production');
  }
  let database: Config['database'];
  if (!e.DATABASE_URL) {
    database = { client: 'sqlite', filename: path.join(dataDir, 'masar.sqlite'), readers: e.SQLITE_READERS };
  } else if (e.DATABASE_URL.startsWith('postgres')) {
    database = { client: 'pg', url: e.DATABASE_URL };
  } else {
    const file = e.DATABASE_URL.replace(/^(sqlite|file):(\/\/)?/, '');
    database =
      file === ':memory:'
        ? { client: 'sqlite', filename: file }
        : { client: 'sqlite', filename: path.resolve(ROOT, file), readers: e.SQLITE_READERS };
  }
  const config: Config = {
    env: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database,
    sessionSecret: e.SESSION_SECRET ?? developmentSecret(dataDir),
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    defaultLocale: e.DEFAULT_LOCALE,
    currency: e.CURRENCY,
    login: {
      maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
      throttleMinutes: e.LOGIN_THROTTLE_MINUTES,
    },
    health: {
      amberLateWeightPct: e.HEALTH_AMBER_LATE_WEIGHT_PCT,
      redLateWeightPct: e.HEALTH_RED_LATE_WEIGHT_PCT,
      amberSlipDays: e.HEALTH_AMBER_SLIP_DAYS,
      redSlipDays: e.HEALTH_RED_SLIP_DAYS,
      atRiskDays: e.MILESTONE_AT_RISK_DAYS,
      statusReportGraceDays: e.STATUS_REPORT_GRACE_DAYS,
    },
    workweek: { weekendDays: e.WEEKEND_DAYS },
    approvals: { escalationDays: e.SLA_ESCALATION_DAYS },
    uploads: { maxBytes: e.UPLOAD_MAX_MB * 1024 * 1024, allowedTypes: e.UPLOAD_ALLOWED_TYPES },
    clamd: { socket: e.CLAMD_SOCKET, timeoutMs: e.CLAMD_TIMEOUT_MS },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, outboxDir: path.join(dataDir, 'outbox') },
    publicUrl: e.PUBLIC_URL,
    kpi: { lateDays: e.KPI_LATE_DAYS, atRiskPct: e.KPI_AT_RISK_PCT, offTrackPct: e.KPI_OFF_TRACK_PCT },
    reports: { cacheBytes: e.REPORT_CACHE_MB * 1024 * 1024 },
    pages: { cacheBytes: e.PAGE_CACHE_MB * 1024 * 1024 },
    benchCountQueries: e.BENCH_COUNT_QUERIES,
  };
  return deepFreeze(config);
}

/** A one-off secret for a command-line task (never kept in the frozen config). */
export function secretFromEnv(name: 'MASAR_PASSWORD'): string | undefined {
  return process.env[name] || undefined;
}
