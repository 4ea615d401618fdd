import { hashPassword } from '../../auth/passwords.js';
import type { Conn, Db } from '../../db/knex.js';
import type { Config } from '../../config.js';
import { refreshProjects } from './portfolio.health.js';
import { addDays, isoDay, reportPeriod, type Rag } from './portfolio.rules.js';
import { PRIORITIES } from './portfolio.values.js';

/**
 * A large synthetic portfolio for benchmarks (`npm run seed:large -- --projects 2000`): programs of
 * about 25 projects, each project with about ten milestones, a few monthly status reports and a
 * team member, spread in time around `today` so some work is late. Rows are inserted in chunks
 * inside transactions; projects whose codes exist already are skipped, so a second run with the
 * same size adds nothing.
 */
export interface GenerateOptions {
  projects: number;
  milestonesPerProject?: number;
  reportsPerProject?: number;
  today?: Date;
  health?: Config['health'];
  /** Called with progress messages (the command line prints them). */
  log?: (message: string) => void;
}

export interface GenerateResult {
  users: number;
  programs: number;
  projects: number;
  milestones: number;
  statusReports: number;
  members: number;
}

const DEFAULT_HEALTH: Config['health'] = {
  amberLateWeightPct: 10,
  redLateWeightPct: 25,
  amberSlipDays: 7,
  redSlipDays: 30,
  atRiskDays: 14,
  statusReportGraceDays: 3,
};

const PROJECTS_PER_PROGRAM = 25;
const CHUNK_PROJECTS = 250;

const NAMES: [string, string][] = [
  ['Service digitisation', 'رقمنة الخدمات'],
  ['Licensing platform', 'منصة التراخيص'],
  ['Payments integration', 'تكامل المدفوعات'],
  ['Data exchange hub', 'منصة تبادل البيانات'],
  ['Customer portal', 'بوابة المتعاملين'],
  ['Mobile services', 'الخدمات عبر الهاتف'],
  ['Records archive', 'أرشيف السجلات'],
  ['Analytics dashboard', 'لوحة التحليلات'],
  ['Network modernisation', 'تحديث الشبكة'],
  ['Cyber resilience', 'المرونة السيبرانية'],
];

const MILESTONE_NAMES: [string, string][] = [
  ['Charter approved', 'اعتماد ميثاق المشروع'],
  ['Requirements signed off', 'اعتماد المتطلبات'],
  ['Vendor contract awarded', 'ترسية عقد المورد'],
  ['Design approved', 'اعتماد التصميم'],
  ['Build complete', 'اكتمال التطوير'],
  ['User acceptance testing', 'اختبار قبول المستخدم'],
  ['Go-live', 'الإطلاق'],
  ['Hypercare closed', 'انتهاء فترة الدعم المكثف'],
  ['Closure report approved', 'اعتماد تقرير الإغلاق'],
];

function rng(seed: number) {
  let h = seed >>> 0;
  return () => {
    h += 0x6d2b79f5;
    let t = h;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Inserts rows in chunks within the limits of both databases: bound parameters, and SQLite's 500
 * terms of a compound SELECT (knex writes a multi-row SQLite insert as one).
 */
async function insertChunks(conn: Conn, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  const size = Math.max(1, Math.min(400, Math.floor(20_000 / Object.keys(rows[0]).length)));
  for (let i = 0; i < rows.length; i += size) await conn(table).insert(rows.slice(i, i + size));
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

async function ensureUsers(db: Db, role: 'pm' | 'sponsor', count: number, now: string): Promise<number[]> {
  const emails = Array.from({ length: count }, (_, i) => `large-${role}-${pad(i + 1, 4)}@masar.test`);
  const existing = new Set(
    ((await db('users').select('email').whereIn('email', emails)) as { email: string }[]).map((r) => r.email),
  );
  const missing = emails.filter((e) => !existing.has(e));
  if (missing.length) {
    const hash = await hashPassword('masar-demo');
    await db.transaction((trx) =>
      insertChunks(
        trx,
        'users',
        missing.map((email) => {
          const n = Number(email.match(/-(\d+)@/)![1]);
          return {
            email,
            name_en: `${role === 'pm' ? 'Project manager' : 'Sponsor'} ${n}`,
            name_ar: `${role === 'pm' ? 'مدير مشروع' : 'راعٍ'} ${n}`,
            role,
            locale: n % 2 ? 'ar' : 'en',
            password_hash: hash,
            active: true,
            created_at: now,
            updated_at: now,
          };
        }),
      ),
    );
  }
  const rows = (await db('users').select('id', 'email').whereIn('email', emails)) as {
    id: number;
    email: string;
  }[];
  const byEmail = new Map(rows.map((r) => [r.email, r.id]));
  return emails.map((e) => byEmail.get(e)!);
}

export async function generateLargePortfolio(db: Db, opts: GenerateOptions): Promise<GenerateResult> {
  const total = Math.max(1, Math.floor(opts.projects));
  const perProject = Math.max(1, Math.floor(opts.milestonesPerProject ?? 10));
  const reportsPer = Math.max(0, Math.floor(opts.reportsPerProject ?? 3));
  const today = isoDay(opts.today ?? new Date());
  const health = opts.health ?? DEFAULT_HEALTH;
  const log = opts.log ?? (() => undefined);
  const now = new Date().toISOString();
  const result: GenerateResult = {
    users: 0,
    programs: 0,
    projects: 0,
    milestones: 0,
    statusReports: 0,
    members: 0,
  };

  const pms = await ensureUsers(db, 'pm', Math.max(2, Math.ceil(total / 15)), now);
  const sponsors = await ensureUsers(db, 'sponsor', Math.max(1, Math.ceil(total / 60)), now);
  result.users = pms.length + sponsors.length;

  const programCount = Math.ceil(total / PROJECTS_PER_PROGRAM);
  const programCodes = Array.from({ length: programCount }, (_, i) => `LG-${pad(i + 1, 4)}`);
  await db.transaction(async (trx) => {
    const have = new Set(
      ((await trx('programs').select('code').whereIn('code', programCodes)) as { code: string }[]).map(
        (r) => r.code,
      ),
    );
    const rows = programCodes
      .map((code, i) => ({ code, i }))
      .filter(({ code }) => !have.has(code))
      .map(({ code, i }) => ({
        code,
        name_en: `Program ${i + 1}`,
        name_ar: `البرنامج ${i + 1}`,
        description_en: 'A generated program for benchmarks.',
        description_ar: 'برنامج مولَّد لاختبارات الأداء.',
        sponsor_id: sponsors[i % sponsors.length],
        manager_id: pms[(i * 7) % pms.length],
        planned_start: addDays(today, -720),
        planned_end: addDays(today, 720),
        status: 'active',
        version: 1,
        created_at: now,
        updated_at: now,
      }));
    await insertChunks(trx, 'programs', rows);
    result.programs = rows.length;
  });
  const programIds = new Map(
    (
      (await db('programs').select('id', 'code').whereIn('code', programCodes)) as {
        id: number;
        code: string;
      }[]
    ).map((r) => [r.code, r.id]),
  );

  for (let from = 0; from < total; from += CHUNK_PROJECTS) {
    const indexes = Array.from({ length: Math.min(CHUNK_PROJECTS, total - from) }, (_, k) => from + k);
    const codes = indexes.map((i) => `LP-${pad(i + 1, 5)}`);
    await db.transaction(async (trx) => {
      const have = new Set(
        ((await trx('projects').select('code').whereIn('code', codes)) as { code: string }[]).map(
          (r) => r.code,
        ),
      );
      const todo = indexes.filter((i) => !have.has(codes[i - from]));
      if (!todo.length) return;
      const plans = todo.map((i) => {
        const r = rng(i + 1);
        const days = 180 + Math.floor(r() * 540);
        const start = addDays(today, -Math.floor(r() * 760) + 60);
        const [en, ar] = NAMES[i % NAMES.length];
        const planned = (50 + Math.floor(r() * 2400)) * 1_000_000;
        const elapsed = Math.max(
          0,
          Math.min(1.2, -((Date.parse(start) - Date.parse(today)) / 86_400_000) / days),
        );
        const phase =
          elapsed <= 0.08
            ? 'initiation'
            : elapsed <= 0.25
              ? 'planning'
              : elapsed < 0.85
                ? 'execution'
                : elapsed < 1
                  ? 'closure'
                  : 'closed';
        const status =
          phase === 'closed' ? 'completed' : r() < 0.06 ? 'on_hold' : r() < 0.03 ? 'cancelled' : 'active';
        return { i, r, days, start, en, ar, planned, elapsed, phase, status };
      });
      await insertChunks(
        trx,
        'projects',
        plans.map((p) => ({
          code: codes[p.i - from],
          program_id: programIds.get(programCodes[Math.floor(p.i / PROJECTS_PER_PROGRAM)])!,
          name_en: `${p.en} ${p.i + 1}`,
          name_ar: `${p.ar} ${p.i + 1}`,
          description_en: 'A generated project for benchmarks.',
          description_ar: 'مشروع مولَّد لاختبارات الأداء.',
          manager_id: pms[p.i % pms.length],
          sponsor_id: sponsors[Math.floor(p.i / PROJECTS_PER_PROGRAM) % sponsors.length],
          phase: p.phase,
          status: p.status,
          priority: PRIORITIES[Math.floor(p.r() * PRIORITIES.length)],
          report_frequency: 'monthly',
          planned_start: p.start,
          planned_end: addDays(p.start, p.days),
          actual_start: p.start <= today ? p.start : null,
          actual_end: p.phase === 'closed' ? addDays(p.start, p.days) : null,
          budget_planned: p.planned,
          budget_actual: Math.round(p.planned * Math.min(1.15, p.elapsed) * (0.85 + p.r() * 0.3)),
          currency: 'BHD',
          version: 1,
          created_at: now,
          updated_at: now,
        })),
      );
      const ids = new Map(
        (
          (await trx('projects').select('id', 'code').whereIn('code', codes)) as {
            id: number;
            code: string;
          }[]
        ).map((r) => [r.code, r.id]),
      );
      const milestones: Record<string, unknown>[] = [];
      const reports: Record<string, unknown>[] = [];
      const members: Record<string, unknown>[] = [];
      for (const p of plans) {
        const id = ids.get(codes[p.i - from])!;
        const owner = pms[p.i % pms.length];
        for (let k = 0; k < perProject; k++) {
          const planned = addDays(p.start, Math.round(((k + 1) / perProject) * p.days));
          const [en, ar] = MILESTONE_NAMES[k % MILESTONE_NAMES.length];
          const past = planned < today;
          const late = past && p.r() < 0.12;
          const done = p.phase === 'closed' || (past && !late);
          milestones.push({
            project_id: id,
            title_en: k < MILESTONE_NAMES.length ? en : `${en} ${k + 1}`,
            title_ar: k < MILESTONE_NAMES.length ? ar : `${ar} ${k + 1}`,
            planned_date: planned,
            forecast_date: late ? addDays(today, 7 + Math.floor(p.r() * 30)) : null,
            actual_date: done ? (planned > today ? today : planned) : null,
            percent_complete: done ? 100 : late ? 40 + Math.floor(p.r() * 50) : 0,
            weight: 1 + (k % 3),
            owner_id: owner,
            status:
              p.status === 'cancelled' && !done
                ? 'cancelled'
                : done
                  ? 'completed'
                  : late
                    ? 'in_progress'
                    : 'not_started',
            notes: null,
            sort_order: (k + 1) * 10,
            created_at: now,
            updated_at: now,
          });
        }
        let period = reportPeriod('monthly', addDays(today.slice(0, 8) + '01', -1));
        for (let k = 0; k < reportsPer && period.end >= p.start && p.start <= today; k++) {
          const rag: Rag = p.r() < 0.7 ? 'green' : p.r() < 0.7 ? 'amber' : 'red';
          reports.push({
            project_id: id,
            period_start: period.start,
            period_end: period.end,
            overall_rag: rag,
            schedule_rag: rag,
            budget_rag: 'green',
            scope_rag: 'green',
            risk_rag: rag,
            summary: 'Generated status report.',
            achievements: null,
            next_steps: null,
            escalations: null,
            submitted_by: owner,
            submitted_at: addDays(period.end, 2) + 'T08:00:00.000Z',
          });
          period = reportPeriod('monthly', addDays(period.start, -1));
        }
        members.push({
          project_id: id,
          user_id: pms[(p.i + 1) % pms.length],
          role_en: 'Business analyst',
          role_ar: 'محلل أعمال',
          added_at: now,
        });
      }
      await insertChunks(trx, 'milestones', milestones);
      await insertChunks(trx, 'status_reports', reports);
      await insertChunks(trx, 'project_members', members);
      await refreshProjects(trx, [...ids.values()], today, health);
      result.projects += plans.length;
      result.milestones += milestones.length;
      result.statusReports += reports.length;
      result.members += members.length;
    });
    log(`  ${Math.min(from + CHUNK_PROJECTS, total)} / ${total} projects`);
  }
  return result;
}
