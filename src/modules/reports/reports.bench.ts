import { Writable } from 'node:stream';
import type { Config } from '../../config.js';
import type { Db } from '../../db/knex.js';
import type { Locale } from '../../i18n/locales.js';
import { addDays, isoDay } from '../portfolio/portfolio.rules.js';
import { refreshProjects } from '../portfolio/portfolio.health.js';
import { preparePortfolioReport } from './portfolio-report.js';
import { writeReport } from './reports.output.js';
import { features } from './reports.repository.js';
import { SNAPSHOT_READER } from './reports.snapshots.js';

/**
 * Benchmark support (nothing here runs in production): fills a database with a large portfolio and
 * builds the portfolio report into a sink that only counts bytes, sampling this process's memory
 * and counting the queries run, to show that the report streams with bounded memory.
 */

const MB = 1024 * 1024;

/** A sink that keeps nothing: bytes are counted and dropped, as a fast client would take them. */
class CountingSink extends Writable {
  bytes = 0;
  constructor(private readonly onChunk: () => void) {
    super();
  }
  private chunks = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (++this.chunks % 32 === 0) this.onChunk();
    cb();
  }
}

export interface PortfolioBenchResult {
  projects: number;
  locale: Locale;
  pages: number;
  bytes: number;
  ms: number;
  /** CPU time of this process (user + system): steadier than wall time on a busy machine. */
  cpuMs: number;
  queries: number;
  rssStartMb: number;
  rssPeakMb: number;
  heapPeakMb: number;
}

/** Builds the whole-portfolio report (as the snapshot reader) and measures it. */
export async function benchPortfolioReport(
  db: Db,
  config: Config,
  locale: Locale,
  now = new Date(),
): Promise<PortfolioBenchResult> {
  await features(db);
  (globalThis as { gc?: () => void }).gc?.();
  const rssStart = process.memoryUsage.rss();
  let rssPeak = rssStart;
  let heapPeak = process.memoryUsage().heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > rssPeak) rssPeak = m.rss;
    if (m.heapUsed > heapPeak) heapPeak = m.heapUsed;
  };
  const timer = setInterval(sample, 25);
  let queries = 0;
  const onQuery = () => queries++;
  db.on('query', onQuery);
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const env = { db, config, reader: SNAPSHOT_READER, locale, now, sections: [] };
    const report = await preparePortfolioReport(env, { kind: 'portfolio' });
    const sink = new CountingSink(sample);
    const { pages } = await writeReport(env, report, sink);
    sample();
    const row = await db('projects').count({ n: '*' }).first();
    return {
      projects: Number(row?.n ?? 0),
      locale,
      pages,
      bytes: sink.bytes,
      ms: Math.round(performance.now() - started),
      cpuMs: Math.round(((u) => (u.user + u.system) / 1000)(process.cpuUsage(cpu))),
      queries: queries - 1,
      rssStartMb: +(rssStart / MB).toFixed(1),
      rssPeakMb: +(rssPeak / MB).toFixed(1),
      heapPeakMb: +(heapPeak / MB).toFixed(1),
    };
  } finally {
    clearInterval(timer);
    db.off('query', onQuery);
  }
}

const PHASES = ['initiation', 'planning', 'execution', 'closure', 'closed'];
const STATUSES = ['active', 'active', 'active', 'on_hold', 'completed', 'cancelled'];
const WORDS_AR = [
  'منصة',
  'الخدمات',
  'الرقمية',
  'الموحدة',
  'تطوير',
  'البوابة',
  'الوطنية',
  'السحابة',
  'الحكومية',
  'البيانات',
];
const WORDS_EN = [
  'Platform',
  'services',
  'digital',
  'unified',
  'upgrade',
  'portal',
  'national',
  'cloud',
  'government',
  'data',
];
const MILESTONES: [string, string][] = [
  ['Charter approved', 'اعتماد ميثاق المشروع'],
  ['Requirements signed off', 'اعتماد المتطلبات'],
  ['User acceptance testing', 'اختبار قبول المستخدم'],
  ['Go-live', 'الإطلاق'],
];

/**
 * Adds `count` projects (25 to a program) with four milestones each, some late, and a pending
 * approval request on every seventh project. Bulk inserts; refreshes derived health at the end.
 */
export async function seedLargePortfolio(
  db: Db,
  config: Config,
  count: number,
  today = isoDay(new Date()),
): Promise<void> {
  const now = new Date().toISOString();
  const [{ id: managerId }] = (await db('users').insert(benchUser('pm', now)).returning('id')) as {
    id: number;
  }[];
  const [{ id: sponsorId }] = (await db('users').insert(benchUser('sponsor', now)).returning('id')) as {
    id: number;
  }[];
  const programIds: number[] = [];
  for (let p = 0; p < Math.ceil(count / 25); p++) {
    const [{ id }] = (await db('programs')
      .insert({
        code: `BP${String(p).padStart(3, '0')}`,
        name_en: `Bench program ${p}`,
        name_ar: `برنامج القياس ${p}`,
        sponsor_id: sponsorId,
        status: 'active',
        created_at: now,
        updated_at: now,
      })
      .returning('id')) as { id: number }[];
    programIds.push(id);
  }
  const ids: number[] = [];
  for (let start = 0; start < count; start += 100) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 100); i++) {
      const w = (k: number) => (i * 7 + k * 3) % 10;
      rows.push({
        code: `BP${String(Math.floor(i / 25)).padStart(3, '0')}-${String(i % 25).padStart(2, '0')}`,
        program_id: programIds[Math.floor(i / 25)],
        name_en: `${WORDS_EN[w(1)]} ${WORDS_EN[w(2)]} ${WORDS_EN[w(3)]} ${i}`,
        name_ar: `${WORDS_AR[w(1)]} ${WORDS_AR[w(2)]} ${WORDS_AR[w(3)]} ${i}`,
        manager_id: managerId,
        sponsor_id: sponsorId,
        phase: PHASES[i % PHASES.length],
        status: STATUSES[i % STATUSES.length],
        planned_start: addDays(today, -300 + (i % 90)),
        planned_end: addDays(today, 200 + (i % 120)),
        budget_planned: 100_000_000 + (i % 37) * 12_345_000,
        budget_actual: 40_000_000 + (i % 53) * 9_876_500,
        created_at: now,
        updated_at: now,
      });
    }
    const inserted = (await db('projects').insert(rows).returning('id')) as { id: number }[];
    const batch = inserted.map((r) => r.id);
    ids.push(...batch);
    const milestones = batch.flatMap((pid, k) =>
      MILESTONES.map(([en, ar], m) => {
        const planned = addDays(today, -120 + m * 60 + ((start + k) % 30));
        const done = planned < today && (start + k + m) % 3 !== 0;
        return {
          project_id: pid,
          title_en: en,
          title_ar: ar,
          planned_date: planned,
          forecast_date: !done && (start + k) % 4 === 0 ? addDays(planned, 21) : null,
          actual_date: done ? planned : null,
          percent_complete: done ? 100 : 30,
          status: done ? 'completed' : 'in_progress',
          weight: 1,
          sort_order: m,
          created_at: now,
          updated_at: now,
        };
      }),
    );
    // SQLite allows at most 500 terms in one compound insert.
    for (let m = 0; m < milestones.length; m += 100)
      await db('milestones').insert(milestones.slice(m, m + 100));
    if ((await features(db)).approvals) {
      for (const pid of batch.filter((_, k) => (start + k) % 7 === 0)) {
        const [{ id: requestId }] = (await db('approval_requests')
          .insert({
            kind: 'gate',
            project_id: pid,
            subject_type: 'project',
            subject_id: pid,
            title_en: 'Move to the next phase',
            title_ar: 'الانتقال إلى المرحلة التالية',
            status: 'pending',
            requested_by: managerId,
            submitted_at: `${addDays(today, -((pid % 20) + 1))}T08:00:00.000Z`,
            current_step: 1,
            payload: '{}',
            created_at: now,
            updated_at: now,
          })
          .returning('id')) as { id: number }[];
        await db('approval_steps').insert({
          request_id: requestId,
          step_no: 1,
          name_en: 'PMO review',
          name_ar: 'مراجعة مكتب إدارة المشاريع',
          decider_role: 'pmo',
          status: 'pending',
          started_at: now,
          due_at: `${addDays(today, (pid % 10) - 5)}T08:00:00.000Z`,
        });
      }
    }
  }
  for (let i = 0; i < ids.length; i += 500)
    await refreshProjects(db, ids.slice(i, i + 500), today, config.health);
}

function benchUser(role: string, now: string) {
  return {
    email: `bench-${role}-${process.pid}-${Date.now()}@example.test`,
    name_en: `Bench ${role}`,
    name_ar: `مستخدم القياس`,
    role,
    locale: 'en',
    active: true,
    password_hash: 'x',
    created_at: now,
    updated_at: now,
  };
}
