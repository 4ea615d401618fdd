import type { Knex } from 'knex';
import type { Db } from '../src/db/knex.js';
import type { SeedContext } from '../src/db/seed.js';
import { insertOne } from '../src/db/util.js';
import { canonicalJson } from '../src/modules/audit/audit.service.js';
import type { ComputedSource } from '../src/modules/strategy/computed.sources.js';
import {
  addDays,
  parsePeriodKey,
  periodOf,
  periodsBetween,
  previousPeriod,
  type Frequency,
} from '../src/modules/strategy/strategy.periods.js';
import { listKpis } from '../src/modules/strategy/strategy.repository.js';
import { loadSummaries } from '../src/modules/strategy/strategy.summary.js';
import { formatPlain, SCALE, type Direction, type Unit } from '../src/modules/strategy/strategy.values.js';

/**
 * The demo strategy: the national e-government strategy with objectives SO1–SO5, their KPIs with
 * baselines at the end of the year before last and two years of measurements (some recorded
 * late, one period missing, some KPIs off track), the PMO's own computed KPIs, links to the demo
 * programs and projects (looked up by code; missing ones are skipped) and two review cycles.
 * Idempotent: the strategy, objectives, KPIs and cycles are looked up by name, code and period.
 */

const STRATEGY = {
  nameEn: 'National e-Government Strategy',
  nameAr: 'الاستراتيجية الوطنية للحكومة الإلكترونية',
  descriptionEn:
    'The kingdom’s strategy for government services that are digital by default, customer-centred, efficiently governed and built on shared, secure infrastructure.',
  descriptionAr:
    'استراتيجية المملكة لخدمات حكومية رقمية أولاً، تتمحور حول المتعامل، وتُدار بكفاءة، وتقوم على بنية تحتية مشتركة وآمنة.',
};

interface ObjectiveSeed {
  code: string;
  nameEn: string;
  nameAr: string;
  descriptionEn: string;
  descriptionAr: string;
  owner: string;
  links: { code: string; kind: 'program' | 'project'; noteEn: string; noteAr: string }[];
}

const OBJECTIVES: ObjectiveSeed[] = [
  {
    code: 'SO1',
    nameEn: 'Deliver every suitable government service electronically',
    nameAr: 'تقديم جميع الخدمات الحكومية الملائمة إلكترونياً',
    descriptionEn:
      'Every service that can be offered online is offered online, end to end, with electronic payment.',
    descriptionAr: 'تقديم كل خدمة يمكن تقديمها إلكترونياً من البداية إلى النهاية، مع الدفع الإلكتروني.',
    owner: 'sponsor@masar.test',
    links: [
      {
        code: 'DST',
        kind: 'program',
        noteEn: 'Moves services online end to end.',
        noteAr: 'ينقل الخدمات إلى القنوات الإلكترونية بالكامل.',
      },
      {
        code: 'DST-01',
        kind: 'project',
        noteEn: 'The front door to every e-service.',
        noteAr: 'البوابة الرئيسية لكل خدمة إلكترونية.',
      },
      {
        code: 'DST-02',
        kind: 'project',
        noteEn: 'Raises e-payment adoption.',
        noteAr: 'يرفع نسبة استخدام الدفع الإلكتروني.',
      },
      {
        code: 'DST-05',
        kind: 'project',
        noteEn: 'Secure sign-in for all services.',
        noteAr: 'دخول آمن لجميع الخدمات.',
      },
      { code: 'DST-06', kind: 'project', noteEn: 'Replaces paper forms.', noteAr: 'يستبدل النماذج الورقية.' },
    ],
  },
  {
    code: 'SO2',
    nameEn: 'Raise customer satisfaction with government services',
    nameAr: 'رفع رضا المتعاملين عن الخدمات الحكومية',
    descriptionEn: 'Customers find services easy, fast and responsive to their complaints and suggestions.',
    descriptionAr: 'يجد المتعاملون الخدمات سهلة وسريعة ومستجيبة لشكاواهم ومقترحاتهم.',
    owner: 'sponsor@masar.test',
    links: [
      {
        code: 'CXF',
        kind: 'program',
        noteEn: 'Listens to customers and acts on it.',
        noteAr: 'يستمع إلى المتعاملين ويتصرف بناءً على ذلك.',
      },
      {
        code: 'CXF-01',
        kind: 'project',
        noteEn: 'Closes complaints within the SLA.',
        noteAr: 'يغلق الشكاوى ضمن مستوى الخدمة.',
      },
      {
        code: 'CXF-02',
        kind: 'project',
        noteEn: 'Measures satisfaction independently.',
        noteAr: 'يقيس الرضا بشكل مستقل.',
      },
      {
        code: 'DST-03',
        kind: 'project',
        noteEn: 'Services for deaf customers.',
        noteAr: 'خدمات للمتعاملين من ذوي الإعاقة السمعية.',
      },
    ],
  },
  {
    code: 'SO3',
    nameEn: 'Govern programs and projects efficiently and transparently',
    nameAr: 'حوكمة البرامج والمشاريع بكفاءة وشفافية',
    descriptionEn: 'Decisions are taken on time, projects keep their schedules and records are paperless.',
    descriptionAr: 'تُتخذ القرارات في وقتها، وتلتزم المشاريع بجداولها، وتكون السجلات بلا ورق.',
    owner: 'pmo@masar.test',
    links: [
      {
        code: 'GOV',
        kind: 'program',
        noteEn: 'The PMO’s own governance program.',
        noteAr: 'برنامج الحوكمة الخاص بمكتب إدارة المشاريع.',
      },
      {
        code: 'GOV-01',
        kind: 'project',
        noteEn: 'This portfolio management system.',
        noteAr: 'نظام إدارة المحفظة هذا.',
      },
      {
        code: 'GOV-02',
        kind: 'project',
        noteEn: 'Monitors the strategy KPIs.',
        noteAr: 'يرصد مؤشرات الاستراتيجية.',
      },
      {
        code: 'GOV-03',
        kind: 'project',
        noteEn: 'Removes paper from approvals.',
        noteAr: 'يلغي الورق من الموافقات.',
      },
    ],
  },
  {
    code: 'SO4',
    nameEn: 'Build shared, secure government infrastructure',
    nameAr: 'بناء بنية تحتية حكومية مشتركة وآمنة',
    descriptionEn: 'Government entities share one cloud, one network and one security operations center.',
    descriptionAr: 'تتشارك الجهات الحكومية سحابة واحدة وشبكة واحدة ومركز عمليات أمنية واحداً.',
    owner: 'sponsor2@masar.test',
    links: [
      {
        code: 'INF',
        kind: 'program',
        noteEn: 'Shared infrastructure for all entities.',
        noteAr: 'بنية تحتية مشتركة لجميع الجهات.',
      },
      {
        code: 'INF-02',
        kind: 'project',
        noteEn: 'Moves entities to the government cloud.',
        noteAr: 'ينقل الجهات إلى السحابة الحكومية.',
      },
      {
        code: 'INF-04',
        kind: 'project',
        noteEn: 'Finds and fixes vulnerabilities faster.',
        noteAr: 'يكتشف الثغرات ويعالجها بسرعة أكبر.',
      },
    ],
  },
  {
    code: 'SO5',
    nameEn: 'Share the kingdom’s experience and build capacity',
    nameAr: 'نقل التجربة الوطنية وبناء القدرات',
    descriptionEn: 'Government staff gain digital skills and the national experience is shared abroad.',
    descriptionAr: 'يكتسب موظفو الحكومة المهارات الرقمية وتُنقل التجربة الوطنية إلى الخارج.',
    owner: 'sponsor3@masar.test',
    links: [
      {
        code: 'CAP',
        kind: 'program',
        noteEn: 'Capacity building and cooperation.',
        noteAr: 'بناء القدرات والتعاون.',
      },
      {
        code: 'CAP-01',
        kind: 'project',
        noteEn: 'Experience transfer with UNDESA.',
        noteAr: 'نقل التجربة مع الأمم المتحدة.',
      },
      { code: 'CAP-03', kind: 'project', noteEn: 'Trains government staff.', noteAr: 'يدرّب موظفي الحكومة.' },
    ],
  },
];

interface KpiSeed {
  objective: string;
  code: string;
  nameEn: string;
  nameAr: string;
  unit: Unit;
  direction: Direction;
  frequency: Frequency;
  owner: string;
  sourceEn: string;
  sourceAr: string;
  /** Years after the baseline year: baseline at the end of (this year − 2) unless `recent`. */
  baseline: number;
  /** Targets: [years from this year (−1 = last year), value]. */
  targets: [number, number][];
  /** Values of the periods since the baseline, oldest first (fewer than the periods = the last ones missing). */
  values?: number[];
  /** Indexes (from the end, 1 = latest) of values recorded after their due date. */
  lateRecorded?: number[];
  computed?: ComputedSource;
  /** Baseline in the middle of this year (for the computed KPIs of features new this year). */
  recent?: boolean;
}

const KPIS: KpiSeed[] = [
  {
    objective: 'SO1',
    code: 'SO1-K1',
    nameEn: 'Share of government services available online',
    nameAr: 'نسبة الخدمات الحكومية المتاحة إلكترونياً',
    unit: 'percent',
    direction: 'higher',
    frequency: 'quarterly',
    owner: 'pm@masar.test',
    sourceEn: 'Government services catalogue, quarterly census',
    sourceAr: 'دليل الخدمات الحكومية، الحصر الربع سنوي',
    baseline: 62,
    targets: [
      [-1, 72],
      [0, 80],
    ],
    values: [64.5, 67, 69.5, 71.8, 73.5, 75, 76.5],
  },
  {
    objective: 'SO1',
    code: 'SO1-K2',
    nameEn: 'E-payment adoption',
    nameAr: 'نسبة استخدام الدفع الإلكتروني',
    unit: 'percent',
    direction: 'higher',
    frequency: 'monthly',
    owner: 'pm2@masar.test',
    sourceEn: 'National payment gateway statistics',
    sourceAr: 'إحصاءات بوابة الدفع الوطنية',
    baseline: 48,
    targets: [
      [-1, 60],
      [0, 70],
    ],
    // The latest ended month is missing on purpose (late).
    values: [
      49, 50.2, 51, 52.1, 52.8, 53.5, 54.6, 55.2, 56, 56.9, 57.5, 58.1, 58.8, 59.4, 60.1, 60.9, 61.6, 62.2,
      63, 63.6, 64.2,
    ],
    lateRecorded: [3],
  },
  {
    objective: 'SO2',
    code: 'SO2-K1',
    nameEn: 'Customer satisfaction with government services',
    nameAr: 'رضا المتعاملين عن الخدمات الحكومية',
    unit: 'percent',
    direction: 'higher',
    frequency: 'quarterly',
    owner: 'pm2@masar.test',
    sourceEn: 'Satisfaction survey with the national excellence center',
    sourceAr: 'استبيان الرضا بالشراكة مع مركز التميز الوطني',
    baseline: 78,
    targets: [
      [-1, 82],
      [0, 85],
    ],
    values: [78.5, 79, 77.5, 76, 75.5, 74, 73],
    lateRecorded: [1],
  },
  {
    objective: 'SO2',
    code: 'SO2-K2',
    nameEn: 'Complaints closed within SLA',
    nameAr: 'الشكاوى المغلقة ضمن مستوى الخدمة',
    unit: 'percent',
    direction: 'higher',
    frequency: 'monthly',
    owner: 'pm2@masar.test',
    sourceEn: 'Tawasul national complaints system',
    sourceAr: 'النظام الوطني للمقترحات والشكاوى (تواصل)',
    baseline: 70,
    targets: [
      [-1, 80],
      [0, 90],
    ],
    values: [
      70.5, 71.4, 72.2, 73, 73.9, 74.8, 75.5, 76.4, 77.2, 78, 79.1, 80, 80.6, 81.5, 82.4, 83.1, 84, 84.9,
      85.6, 86.2, 87.1, 88,
    ],
  },
  {
    objective: 'SO3',
    code: 'SO3-K1',
    nameEn: 'Milestones completed on schedule',
    nameAr: 'المراحل المنجزة في موعدها',
    unit: 'percent',
    direction: 'higher',
    frequency: 'quarterly',
    owner: 'pmo@masar.test',
    sourceEn: 'Masar: milestones completed in the period by their planned date',
    sourceAr: 'مسار: المراحل المنجزة خلال الفترة بحلول تاريخها المخطط',
    baseline: 60,
    targets: [
      [-1, 70],
      [0, 80],
    ],
    computed: 'milestones_on_schedule',
  },
  {
    objective: 'SO3',
    code: 'SO3-K2',
    nameEn: 'Approval steps decided within SLA',
    nameAr: 'خطوات الموافقة المنجزة ضمن مستوى الخدمة',
    unit: 'percent',
    direction: 'higher',
    frequency: 'monthly',
    owner: 'pmo@masar.test',
    sourceEn: 'Masar: approval steps decided by their due time',
    sourceAr: 'مسار: خطوات الموافقة المتخذة قبل موعد استحقاقها',
    baseline: 75,
    targets: [[0, 90]],
    computed: 'approvals_within_sla',
    recent: true,
  },
  {
    objective: 'SO3',
    code: 'SO3-K3',
    nameEn: 'Median approval cycle time',
    nameAr: 'وسيط مدة دورة الموافقة',
    unit: 'days',
    direction: 'lower',
    frequency: 'monthly',
    owner: 'pmo@masar.test',
    sourceEn: 'Masar: days from submission to decision of requests closed in the period',
    sourceAr: 'مسار: الأيام من تقديم الطلب إلى البت فيه للطلبات المغلقة خلال الفترة',
    baseline: 12,
    targets: [[0, 5]],
    computed: 'approval_cycle_days',
    recent: true,
  },
  {
    objective: 'SO3',
    code: 'SO3-K4',
    nameEn: 'Paper pages avoided (PDF pages filed electronically)',
    nameAr: 'الصفحات الورقية الموفَّرة (صفحات PDF المحفوظة إلكترونياً)',
    unit: 'count',
    direction: 'higher',
    frequency: 'monthly',
    owner: 'pmo@masar.test',
    sourceEn: 'Masar: pages of the PDF document versions filed in the period',
    sourceAr: 'مسار: صفحات إصدارات مستندات PDF المحفوظة خلال الفترة',
    baseline: 0,
    targets: [[0, 400]],
    computed: 'pdf_pages_filed',
    recent: true,
  },
  {
    objective: 'SO4',
    code: 'SO4-K1',
    nameEn: 'Government entities hosted on the government cloud',
    nameAr: 'الجهات الحكومية المستضافة على السحابة الحكومية',
    unit: 'count',
    direction: 'higher',
    frequency: 'quarterly',
    owner: 'pm2@masar.test',
    sourceEn: 'Government cloud tenancy register',
    sourceAr: 'سجل المستأجرين في السحابة الحكومية',
    baseline: 12,
    targets: [
      [-1, 20],
      [0, 30],
    ],
    values: [14, 16, 18, 21, 23, 26, 28],
  },
  {
    objective: 'SO4',
    code: 'SO4-K2',
    nameEn: 'Average days to remediate critical vulnerabilities',
    nameAr: 'متوسط أيام معالجة الثغرات الحرجة',
    unit: 'days',
    direction: 'lower',
    frequency: 'quarterly',
    owner: 'pm2@masar.test',
    sourceEn: 'Security operations center ticketing system',
    sourceAr: 'نظام التذاكر في مركز العمليات الأمنية',
    baseline: 30,
    targets: [
      [-1, 20],
      [0, 12],
    ],
    values: [28, 25, 22.5, 20, 19, 18.5, 21],
  },
  {
    objective: 'SO5',
    code: 'SO5-K1',
    nameEn: 'Government staff trained in digital skills (cumulative)',
    nameAr: 'موظفو الحكومة المدرَّبون على المهارات الرقمية (تراكمي)',
    unit: 'count',
    direction: 'higher',
    frequency: 'quarterly',
    owner: 'pm2@masar.test',
    sourceEn: 'Digital skills academy enrolment records',
    sourceAr: 'سجلات التسجيل في أكاديمية المهارات الرقمية',
    baseline: 0,
    targets: [
      [-1, 1500],
      [0, 3000],
    ],
    values: [300, 680, 1090, 1480, 1850, 2240, 2650],
  },
  {
    objective: 'SO5',
    code: 'SO5-K2',
    nameEn: 'International delegations hosted',
    nameAr: 'الوفود الدولية المستضافة',
    unit: 'count',
    direction: 'higher',
    frequency: 'yearly',
    owner: 'pm2@masar.test',
    sourceEn: 'International cooperation office',
    sourceAr: 'مكتب التعاون الدولي',
    baseline: 8,
    targets: [
      [-1, 10],
      [0, 12],
    ],
    values: [11],
  },
];

type Row = Record<string, unknown>;

async function userIds(db: Db): Promise<Map<string, number>> {
  const rows = (await db('users').select('id', 'email')) as Row[];
  return new Map(rows.map((r) => [String(r.email), Number(r.id)]));
}

/** A recorded-at timestamp some days after a period ended (never after today). */
function recordedAt(periodEnd: string, days: number, today: string): string {
  const day = addDays(periodEnd, days);
  return (day > today ? today : day) + 'T09:30:00.000Z';
}

async function seedStrategy(trx: Knex.Transaction, today: string): Promise<number> {
  const existing = (await trx('strategies').where({ name_en: STRATEGY.nameEn }).first()) as Row | undefined;
  if (existing) return Number(existing.id);
  const year = Number(today.slice(0, 4));
  const now = new Date().toISOString();
  return insertOne(trx, 'strategies', {
    name_en: STRATEGY.nameEn,
    name_ar: STRATEGY.nameAr,
    description_en: STRATEGY.descriptionEn,
    description_ar: STRATEGY.descriptionAr,
    start_year: year - 10,
    end_year: year,
    created_at: now,
    updated_at: now,
  });
}

export async function seed(db: Db, ctx: SeedContext): Promise<void> {
  const today = ctx.today.toISOString().slice(0, 10);
  const year = Number(today.slice(0, 4));
  const lateDays = ctx.config.kpi.lateDays;
  const users = await userIds(db);
  const now = new Date().toISOString();

  await db.transaction(async (trx) => {
    const strategyId = await seedStrategy(trx, today);
    const objectiveIds = new Map<string, number>();
    for (const [i, o] of OBJECTIVES.entries()) {
      const found = (await trx('objectives').where({ code: o.code }).first()) as Row | undefined;
      const id = found
        ? Number(found.id)
        : await insertOne(trx, 'objectives', {
            strategy_id: strategyId,
            code: o.code,
            name_en: o.nameEn,
            name_ar: o.nameAr,
            description_en: o.descriptionEn,
            description_ar: o.descriptionAr,
            owner_id: users.get(o.owner) ?? null,
            sort_order: i + 1,
            created_at: now,
            updated_at: now,
          });
      objectiveIds.set(o.code, id);
      for (const l of o.links) {
        const target = (await trx(l.kind === 'program' ? 'programs' : 'projects')
          .where({ code: l.code })
          .first()) as Row | undefined;
        if (!target) continue;
        const column = l.kind === 'program' ? 'program_id' : 'project_id';
        if (
          await trx('objective_links')
            .where({ objective_id: id, [column]: target.id })
            .first()
        )
          continue;
        await trx('objective_links').insert({
          objective_id: id,
          [column]: target.id,
          note_en: l.noteEn,
          note_ar: l.noteAr,
          created_by: users.get('pmo@masar.test') ?? null,
          created_at: now,
          updated_at: now,
        });
      }
    }

    for (const [i, k] of KPIS.entries()) {
      if (await trx('kpis').where({ code: k.code }).first()) continue;
      const baselineDate = k.recent ? `${year}-06-30` : `${year - 2}-12-31`;
      const kpiId = await insertOne(trx, 'kpis', {
        objective_id: objectiveIds.get(k.objective),
        code: k.code,
        name_en: k.nameEn,
        name_ar: k.nameAr,
        unit: k.unit,
        direction: k.direction,
        baseline_value: Math.round(k.baseline * SCALE),
        baseline_date: baselineDate,
        frequency: k.frequency,
        owner_id: users.get(k.owner) ?? null,
        data_source_en: k.sourceEn,
        data_source_ar: k.sourceAr,
        computed: !!k.computed,
        source_key: k.computed ?? null,
        sort_order: i + 1,
        created_at: now,
        updated_at: now,
      });
      for (const [offset, value] of k.targets) {
        const p = parsePeriodKey(String(year + offset))!;
        await trx('kpi_targets').insert({
          kpi_id: kpiId,
          period_key: p.key,
          period_end: p.end,
          value: Math.round(value * SCALE),
          created_at: now,
          updated_at: now,
        });
      }
      if (!k.values) continue;
      // The periods that have ended, oldest first; the values fill them from the start.
      const ended = periodsBetween(k.frequency, baselineDate, today).filter((p) => p.end < today);
      const periods = ended.slice(0, k.values.length);
      for (const [j, p] of periods.entries()) {
        const fromEnd = periods.length - j;
        const late = k.lateRecorded?.includes(fromEnd);
        await trx('kpi_measurements').insert({
          kpi_id: kpiId,
          period_key: p.key,
          period_start: p.start,
          period_end: p.end,
          value: Math.round(k.values[j] * SCALE),
          comment: null,
          source: 'manual',
          recorded_by: users.get(k.owner) ?? null,
          recorded_at: recordedAt(p.end, late ? lateDays + 10 : 6, today),
          supersedes_id: null,
        });
      }
    }

    // One correction, to show the history: the first quarter of last year's cloud count was revised.
    const cloud = (await trx('kpis').where({ code: 'SO4-K1' }).first()) as Row | undefined;
    if (cloud) {
      const first = (await trx('kpi_measurements')
        .where({ kpi_id: cloud.id, period_key: `${year - 1}-Q1` })
        .orderBy('id')
        .first()) as Row | undefined;
      const corrected = first && (await trx('kpi_measurements').where({ supersedes_id: first.id }).first());
      if (first && !corrected) {
        await trx('kpi_measurements').insert({
          kpi_id: cloud.id,
          period_key: first.period_key,
          period_start: first.period_start,
          period_end: first.period_end,
          value: 15 * SCALE,
          comment: 'Two entities migrated in the last week of the quarter were missing from the register.',
          source: 'manual',
          recorded_by: users.get('pm2@masar.test') ?? null,
          recorded_at: recordedAt(String(first.period_end), 40, today),
          supersedes_id: first.id,
        });
      }
    }
  });

  await seedReviews(db, ctx, today, users);
}

/** The last two quarters' review cycles: the earlier closed with every objective reviewed, the later open. */
async function seedReviews(db: Db, ctx: SeedContext, today: string, users: Map<string, number>) {
  const last = previousPeriod(periodOf('quarterly', today));
  const before = previousPeriod(last);
  const pmo = users.get('pmo@masar.test') ?? null;
  const kpis = await listKpis(db);
  const summaries = await loadSummaries(db, kpis, today, ctx.config.kpi);
  const snapshot = (objectiveId: number) =>
    canonicalJson(
      kpis
        .filter((k) => k.objectiveId === objectiveId)
        .map((k) => {
          const s = summaries.get(k.id)!;
          return {
            code: k.code,
            status: s.status.status,
            value: s.latest ? formatPlain(s.latest.value) : null,
            period: s.latest?.periodKey ?? null,
          };
        }),
    );
  const objectives = new Map(
    ((await db('objectives').select('id', 'code')) as Row[]).map((r) => [String(r.code), Number(r.id)]),
  );
  const cycles: {
    period: string;
    closed: boolean;
    entries: {
      code: string;
      summary: string;
      decisions: string;
      actions: [string, string, number, boolean][];
    }[];
  }[] = [
    {
      period: before.key,
      closed: true,
      entries: [
        {
          code: 'SO1',
          summary: 'Online share rising steadily; e-payment adoption slower than planned.',
          decisions: 'Make e-payment mandatory for university tuition fees from next term.',
          actions: [['Publish the e-payment mandate circular', 'pm2@masar.test', 20, true]],
        },
        {
          code: 'SO2',
          summary: 'Satisfaction fell for the second quarter running; complaints handling improved.',
          decisions: 'Commission a root-cause study of the satisfaction decline.',
          actions: [
            ['Run focus groups in three service centers', 'pm2@masar.test', 30, true],
            ['Present the root-cause study to the steering committee', 'sponsor@masar.test', 75, false],
          ],
        },
        {
          code: 'SO3',
          summary: 'Milestone schedule adherence improving; approvals now tracked in Masar.',
          decisions: 'Measure approval cycle time and SLA adherence from Masar data.',
          actions: [['Configure SLA days for every approval step', 'pmo@masar.test', 15, true]],
        },
        {
          code: 'SO4',
          summary: 'Cloud migrations on plan; vulnerability remediation on track.',
          decisions: 'No change.',
          actions: [],
        },
        {
          code: 'SO5',
          summary: 'Training numbers slightly behind the cumulative target.',
          decisions: 'Add evening cohorts at the digital skills academy.',
          actions: [['Open two evening cohorts', 'pm2@masar.test', 45, false]],
        },
      ],
    },
    {
      period: last.key,
      closed: false,
      entries: [
        {
          code: 'SO2',
          summary: 'Satisfaction is off track and still worsening; the survey result came in late.',
          decisions: 'Escalate to the sponsor; agree a recovery plan with the service owners.',
          actions: [
            ['Draft the satisfaction recovery plan', 'pm2@masar.test', 20, false],
            ['Report survey results within 15 days of quarter end', 'pm2@masar.test', 10, false],
          ],
        },
        {
          code: 'SO4',
          summary: 'Remediation time rose to 21 days after two complex incidents: off track.',
          decisions: 'Add a second remediation shift at the security operations center.',
          actions: [['Staff the second remediation shift', 'security@masar.test', 30, false]],
        },
      ],
    },
  ];
  await db.transaction(async (trx) => {
    for (const c of cycles) {
      if (await trx('review_cycles').where({ period_key: c.period }).first()) continue;
      const p = parsePeriodKey(c.period)!;
      const opened = addDays(p.end, 10) + 'T08:00:00.000Z';
      const cycleId = await insertOne(trx, 'review_cycles', {
        period_key: c.period,
        status: c.closed ? 'closed' : 'open',
        opened_by: pmo,
        opened_at: opened,
        closed_by: c.closed ? pmo : null,
        closed_at: c.closed ? addDays(p.end, 25) + 'T12:00:00.000Z' : null,
      });
      for (const e of c.entries) {
        const objectiveId = objectives.get(e.code);
        if (!objectiveId) continue;
        const at = addDays(p.end, 14) + 'T10:00:00.000Z';
        const entryId = await insertOne(trx, 'review_entries', {
          cycle_id: cycleId,
          objective_id: objectiveId,
          summary: e.summary,
          decisions: e.decisions,
          kpi_snapshot: snapshot(objectiveId),
          created_by: pmo,
          created_at: at,
          updated_by: pmo,
          updated_at: at,
        });
        for (const [description, owner, dueIn, done] of e.actions) {
          const ownerId = users.get(owner) ?? pmo;
          if (!ownerId) continue;
          await trx('review_actions').insert({
            entry_id: entryId,
            description,
            owner_id: ownerId,
            due_date: addDays(p.end, dueIn),
            status: done ? 'done' : 'open',
            done_by: done ? ownerId : null,
            done_at: done ? addDays(p.end, dueIn - 3) + 'T09:00:00.000Z' : null,
            created_by: pmo,
            created_at: at,
            updated_at: at,
          });
        }
      }
    }
  });
}
