import type { Config } from '../../src/config.js';
import type { Db } from '../../src/db/knex.js';
import { insertOne } from '../../src/db/util.js';
import type { User } from '../../src/auth/users.repository.js';
import { refreshProjects } from '../../src/modules/portfolio/index.js';
import {
  buildMilestone,
  buildProgram,
  buildProject,
  buildStatusReport,
  type ProjectRow,
} from './portfolio.js';
import { buildUser } from './users.js';

/**
 * A small bilingual portfolio for the reports: two PMs, two sponsors, three programs, projects in
 * every health, late milestones, status reports with narrative, and pending approval requests.
 * Codes carry a per-call suffix so several fixtures can live in one database.
 */
let seq = 0;

export interface ReportFixture {
  pm1: User;
  pm2: User;
  sponsor1: User;
  sponsor2: User;
  programs: { dst: number; gov: number; inf: number };
  projects: Record<'portal' | 'ekey' | 'ppm' | 'cloud' | 'dr', ProjectRow>;
  codes: Record<'portal' | 'ekey' | 'ppm' | 'cloud' | 'dr', string>;
  names: Record<'portal' | 'ekey' | 'ppm' | 'cloud' | 'dr', { en: string; ar: string }>;
}

export const NAMES = {
  portal: { en: 'National portal redesign', ar: 'إعادة تصميم البوابة الوطنية' },
  ekey: { en: 'Digital identity (eKey 2.0)', ar: 'الهوية الرقمية (المفتاح الإلكتروني 2.0)' },
  ppm: { en: 'Project portfolio management system', ar: 'نظام إدارة محفظة المشاريع' },
  cloud: { en: 'Government cloud', ar: 'السحابة الحكومية' },
  dr: { en: 'Disaster recovery site', ar: 'موقع التعافي من الكوارث' },
};

export async function buildReportFixture(
  db: Db,
  config: Config,
  today = '2026-11-15',
): Promise<ReportFixture> {
  const n = ++seq;
  const sfx = n === 1 ? '' : String(n);
  const pm1 = await buildUser(db, { role: 'pm', nameEn: 'Layla Hassan', nameAr: 'ليلى حسن' });
  const pm2 = await buildUser(db, { role: 'pm', nameEn: 'Omar Saleh', nameAr: 'عمر صالح' });
  const sponsor1 = await buildUser(db, {
    role: 'sponsor',
    nameEn: 'Fatima Al-Khalifa',
    nameAr: 'فاطمة آل خليفة',
  });
  const sponsor2 = await buildUser(db, { role: 'sponsor', nameEn: 'Yusuf Rahman', nameAr: 'يوسف رحمن' });
  const dst = await buildProgram(db, {
    code: `DST${sfx}`,
    name_en: 'Digital Services Transformation',
    name_ar: 'برنامج التحول الرقمي للخدمات',
    sponsor_id: sponsor1.id,
  });
  const gov = await buildProgram(db, {
    code: `GOV${sfx}`,
    name_en: 'Governance and PMO',
    name_ar: 'برنامج الحوكمة وإدارة المشاريع',
    sponsor_id: sponsor1.id,
  });
  const inf = await buildProgram(db, {
    code: `INF${sfx}`,
    name_en: 'Government Infrastructure',
    name_ar: 'برنامج البنية التحتية الحكومية',
    sponsor_id: sponsor2.id,
  });
  const codes = {
    portal: `DST${sfx}-01`,
    ekey: `DST${sfx}-05`,
    ppm: `GOV${sfx}-01`,
    cloud: `INF${sfx}-02`,
    dr: `INF${sfx}-03`,
  };
  const mk = (key: keyof typeof codes, program: number, o: Record<string, unknown>) =>
    buildProject(db, {
      code: codes[key],
      name_en: NAMES[key].en,
      name_ar: NAMES[key].ar,
      program_id: program,
      ...o,
    });
  const projects = {
    portal: await mk('portal', dst.id, {
      manager_id: pm1.id,
      sponsor_id: sponsor1.id,
      phase: 'execution',
      budget_planned: 450_000_000,
      budget_actual: 310_250_500,
      planned_start: '2026-01-04',
      planned_end: '2027-03-31',
      actual_start: '2026-01-11',
      priority: 'high',
    }),
    ekey: await mk('ekey', dst.id, {
      manager_id: pm2.id,
      sponsor_id: sponsor1.id,
      phase: 'planning',
      budget_planned: 1_200_000_000,
      budget_actual: 1_310_000_000,
      planned_start: '2026-03-01',
      planned_end: '2027-06-30',
    }),
    ppm: await mk('ppm', gov.id, {
      manager_id: pm1.id,
      sponsor_id: sponsor1.id,
      phase: 'closure',
      budget_planned: 180_000_000,
      budget_actual: 172_400_000,
      planned_start: '2025-09-01',
      planned_end: '2026-12-15',
    }),
    cloud: await mk('cloud', inf.id, {
      manager_id: pm2.id,
      sponsor_id: sponsor1.id,
      phase: 'execution',
      budget_planned: 2_400_000_000,
      budget_actual: 900_000_000,
      status: 'on_hold',
    }),
    dr: await mk('dr', inf.id, {
      manager_id: pm2.id,
      sponsor_id: sponsor2.id,
      phase: 'initiation',
      budget_planned: 600_000_000,
      budget_actual: 0,
    }),
  };
  const ms = async (p: ProjectRow, rows: [string, string, string, Record<string, unknown>][]) => {
    for (const [en, ar, planned, o] of rows) {
      await buildMilestone(db, p.id, { title_en: en, title_ar: ar, planned_date: planned, ...o });
    }
  };
  await ms(projects.portal, [
    [
      'Charter approved',
      'اعتماد ميثاق المشروع',
      '2026-01-31',
      { status: 'completed', percent_complete: 100, actual_date: '2026-02-03' },
    ],
    [
      'Vendor contract awarded',
      'ترسية عقد المورد',
      '2026-04-15',
      { status: 'completed', percent_complete: 100, actual_date: '2026-05-20' },
    ],
    [
      'User acceptance testing',
      'اختبار قبول المستخدم',
      '2026-10-30',
      { status: 'in_progress', percent_complete: 60, forecast_date: '2026-12-10' },
    ],
    ['Go-live', 'الإطلاق', '2027-02-15', { status: 'not_started' }],
  ]);
  await ms(projects.ekey, [
    [
      'Requirements signed off',
      'اعتماد المتطلبات',
      '2026-06-30',
      { status: 'in_progress', percent_complete: 80 },
    ],
    ['Design approved', 'اعتماد التصميم', '2027-01-31', { status: 'not_started' }],
  ]);
  await ms(projects.ppm, [
    [
      'Build complete',
      'اكتمال التطوير',
      '2026-07-31',
      { status: 'completed', percent_complete: 100, actual_date: '2026-07-28' },
    ],
    [
      'Closure report approved',
      'اعتماد تقرير الإغلاق',
      '2026-12-10',
      { status: 'in_progress', percent_complete: 40 },
    ],
  ]);
  await ms(projects.cloud, [
    ['Design approved', 'اعتماد التصميم', '2026-09-30', { status: 'in_progress', percent_complete: 20 }],
  ]);
  await ms(projects.dr, [
    ['Charter approved', 'اعتماد ميثاق المشروع', '2027-01-20', { status: 'not_started' }],
  ]);
  await buildStatusReport(db, projects.portal.id, {
    period_start: '2026-10-01',
    period_end: '2026-10-31',
    overall_rag: 'amber',
    schedule_rag: 'red',
    budget_rag: 'green',
    scope_rag: 'green',
    risk_rag: 'amber',
    summary: 'تأخر اختبار القبول أسبوعين بانتظار المراجعة الأمنية.',
    achievements: 'تم تجهيز فريق المورد، والربط مع بوابة الدفع قيد التنفيذ. أُنجز 60% من حالات الاختبار.',
    next_steps: 'Complete the security review of GOV-PAY integration by 30 Nov 2026.',
    escalations: 'Security review capacity: the sponsor is asked to prioritise the review slot.',
    submitted_by: pm1.id,
  });
  await buildStatusReport(db, projects.ppm.id, {
    overall_rag: 'green',
    summary: 'Go-live completed; 12,000 transactions in the first week.',
    submitted_by: pm1.id,
  });
  const now = new Date().toISOString();
  const request = async (
    p: ProjectRow,
    by: User,
    kind: string,
    en: string,
    ar: string,
    submitted: string,
    due: string,
  ) => {
    const id = await insertOne(db, 'approval_requests', {
      kind,
      project_id: p.id,
      subject_type: 'project',
      subject_id: p.id,
      title_en: en,
      title_ar: ar,
      status: 'pending',
      requested_by: by.id,
      submitted_at: submitted,
      current_step: 1,
      payload: '{}',
      created_at: now,
      updated_at: now,
    });
    await insertOne(db, 'approval_steps', {
      request_id: id,
      step_no: 1,
      name_en: 'PMO review',
      name_ar: 'مراجعة مكتب إدارة المشاريع',
      decider_role: 'pmo',
      status: 'pending',
      started_at: submitted,
      due_at: due,
    });
    return id;
  };
  await request(
    projects.portal,
    pm1,
    'change_request',
    'Extend UAT by two weeks',
    'تمديد اختبار القبول أسبوعين',
    '2026-11-02T08:00:00.000Z',
    '2026-11-05T08:00:00.000Z',
  );
  await request(
    projects.ekey,
    pm2,
    'gate',
    'Move to execution',
    'الانتقال إلى مرحلة التنفيذ',
    '2026-11-12T09:30:00.000Z',
    '2026-12-20T09:30:00.000Z',
  );
  await refreshProjects(
    db,
    Object.values(projects).map((p) => p.id),
    today,
    config.health,
  );
  const fresh = {} as ReportFixture['projects'];
  for (const [k, p] of Object.entries(projects))
    fresh[k as keyof typeof projects] = (await db('projects').where({ id: p.id }).first()) as ProjectRow;
  return {
    pm1,
    pm2,
    sponsor1,
    sponsor2,
    programs: { dst: dst.id, gov: gov.id, inf: inf.id },
    projects: fresh,
    codes,
    names: NAMES,
  };
}
