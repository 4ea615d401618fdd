import type { Db, Trx } from '../src/db/knex.js';
import type { SeedContext } from '../src/db/seed.js';
import { insertOne } from '../src/db/util.js';
import { canonicalJson } from '../src/modules/audit/audit.service.js';
import { notify } from '../src/modules/notifications/index.js';
import { stepDueAt, type ApprovalKind } from '../src/modules/approvals/approvals.rules.js';

/**
 * Demo governance history on the demo projects: requests in every state (pending — some overdue —,
 * approved, rejected, returned, withdrawn), a decision by a delegate, a milestone sign-off, public
 * holidays and delegations. Idempotent (a request is looked up by project and title); a project
 * code that does not exist is skipped.
 */

const HOLIDAYS: [string, string, string][] = [
  ['2026-12-16', 'National Day', 'العيد الوطني'],
  ['2026-12-17', 'National Day (second day)', 'العيد الوطني (اليوم الثاني)'],
  ['2027-01-01', "New Year's Day", 'رأس السنة الميلادية'],
  ['2027-03-10', 'Eid al-Fitr', 'عيد الفطر'],
  ['2027-03-11', 'Eid al-Fitr (second day)', 'عيد الفطر (اليوم الثاني)'],
  ['2027-05-01', 'Labour Day', 'عيد العمال'],
  ['2027-05-17', 'Eid al-Adha', 'عيد الأضحى'],
  ['2027-05-18', 'Eid al-Adha (second day)', 'عيد الأضحى (اليوم الثاني)'],
];

type Outcome = 'approved' | 'rejected' | 'returned';
interface Decision {
  outcome: Outcome;
  by: string;
  behalfOf?: string;
  comment?: string;
  /** Hours after the step started. */
  afterHours: number;
}
interface Spec {
  code: string;
  kind: ApprovalKind;
  titleEn: string;
  titleAr: string;
  requester: string;
  /** Days before "today" it was submitted. */
  daysAgo: number;
  payload: (p: ProjectRow) => Record<string, unknown>;
  decisions: Decision[];
  withdrawnAfterHours?: number;
  milestone?: boolean;
  comments?: { by: string; text: string; afterHours: number }[];
}
interface ProjectRow {
  id: number;
  planned_start: string | null;
  planned_end: string | null;
  budget_planned: number;
  scope: string | null;
}

const addDays = (d: string, n: number) => {
  const x = new Date(d + 'T00:00:00Z');
  x.setUTCDate(x.getUTCDate() + n);
  return x.toISOString().slice(0, 10);
};
const plusHours = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3600_000).toISOString();

const gate = (fromPhase: string, toPhase: string) => () => ({ fromPhase, toPhase });
const change =
  (f: (p: ProjectRow) => Record<string, unknown>, justification: string) =>
  (p: ProjectRow): Record<string, unknown> => {
    const proposed = f(p);
    const current: Record<string, unknown> = {
      plannedStart: p.planned_start,
      plannedEnd: p.planned_end,
      budgetPlanned: Number(p.budget_planned),
      scope: p.scope,
    };
    const before: Record<string, unknown> = {};
    for (const k of Object.keys(proposed)) before[k] = current[k] ?? null;
    return { proposed, before, justification };
  };

const SPECS: Spec[] = [
  // History: gates passed, consistent with the projects' present phases.
  {
    code: 'DST-01',
    kind: 'gate',
    titleEn: 'Phase gate: Planning → Execution',
    titleAr: 'بوابة مرحلة: التخطيط ← التنفيذ',
    requester: 'pm@masar.test',
    daysAgo: 150,
    payload: gate('planning', 'execution'),
    decisions: [
      { outcome: 'approved', by: 'pmo@masar.test', comment: 'Plan baselined; risks logged.', afterHours: 30 },
      { outcome: 'approved', by: 'sponsor@masar.test', afterHours: 50 },
    ],
  },
  {
    code: 'GOV-01',
    kind: 'gate',
    titleEn: 'Phase gate: Planning → Execution',
    titleAr: 'بوابة مرحلة: التخطيط ← التنفيذ',
    requester: 'pm@masar.test',
    daysAgo: 95,
    payload: gate('planning', 'execution'),
    decisions: [
      { outcome: 'approved', by: 'pmo@masar.test', afterHours: 20 },
      { outcome: 'approved', by: 'sponsor@masar.test', comment: 'Proceed.', afterHours: 250 },
    ],
  },
  {
    code: 'INF-04',
    kind: 'gate',
    titleEn: 'Phase gate: Closure → Closed',
    titleAr: 'بوابة مرحلة: الإغلاق ← مغلق',
    requester: 'pm2@masar.test',
    daysAgo: 40,
    payload: gate('closure', 'closed'),
    decisions: [
      { outcome: 'approved', by: 'pmo@masar.test', comment: 'Closure report accepted.', afterHours: 70 },
      { outcome: 'approved', by: 'sponsor2@masar.test', afterHours: 26 },
    ],
  },
  {
    code: 'CXF-01',
    kind: 'gate',
    titleEn: 'Phase gate: Planning → Execution',
    titleAr: 'بوابة مرحلة: التخطيط ← التنفيذ',
    requester: 'pm2@masar.test',
    daysAgo: 70,
    payload: gate('planning', 'execution'),
    decisions: [
      { outcome: 'approved', by: 'pmo@masar.test', afterHours: 150 },
      {
        outcome: 'approved',
        by: 'pmo@masar.test',
        behalfOf: 'sponsor2@masar.test',
        comment: 'Approved on behalf of the sponsor during her leave.',
        afterHours: 20,
      },
    ],
  },
  {
    code: 'GOV-03',
    kind: 'change_request',
    titleEn: 'Change request: Planned end',
    titleAr: 'طلب تغيير: النهاية المخططة',
    requester: 'pm@masar.test',
    daysAgo: 60,
    payload: (p) => ({
      proposed: { plannedEnd: p.planned_end },
      before: { plannedEnd: p.planned_end ? addDays(p.planned_end, -42) : null },
      justification: 'Archive scanning vendor mobilised late; six weeks added to the schedule.',
    }),
    decisions: [
      { outcome: 'approved', by: 'pmo@masar.test', afterHours: 50 },
      { outcome: 'approved', by: 'sponsor@masar.test', afterHours: 100 },
    ],
  },
  {
    code: 'GOV-03',
    kind: 'milestone_signoff',
    titleEn: 'Milestone sign-off',
    titleAr: 'اعتماد مرحلة رئيسية',
    requester: 'pm@masar.test',
    daysAgo: 20,
    payload: () => ({}),
    milestone: true,
    decisions: [{ outcome: 'approved', by: 'sponsor@masar.test', comment: 'Accepted.', afterHours: 28 }],
  },
  // Rejected, returned, withdrawn.
  {
    code: 'CAP-03',
    kind: 'change_request',
    titleEn: 'Change request: Planned budget',
    titleAr: 'طلب تغيير: الميزانية المخططة',
    requester: 'pm2@masar.test',
    daysAgo: 25,
    payload: change(
      (p) => ({ budgetPlanned: Math.round(Number(p.budget_planned) * 1.35) }),
      'Add two further cohorts to the academy this year.',
    ),
    decisions: [
      { outcome: 'approved', by: 'pmo@masar.test', afterHours: 22 },
      {
        outcome: 'rejected',
        by: 'sponsor2@masar.test',
        comment: 'Not funded this year; propose it in next year’s budget cycle.',
        afterHours: 75,
      },
    ],
  },
  {
    code: 'DST-04',
    kind: 'change_request',
    titleEn: 'Change request: Planned end, Scope',
    titleAr: 'طلب تغيير: النهاية المخططة، النطاق',
    requester: 'pm@masar.test',
    daysAgo: 9,
    payload: change(
      (p) => ({
        plannedEnd: p.planned_end ? addDays(p.planned_end, 45) : null,
        scope: 'Add in-app payments through the national payment gateway.',
      }),
      'Ministries asked for in-app payments before launch.',
    ),
    decisions: [
      {
        outcome: 'returned',
        by: 'pmo@masar.test',
        comment: 'Quantify the budget impact and attach the updated plan.',
        afterHours: 40,
      },
    ],
  },
  {
    code: 'DST-01',
    kind: 'change_request',
    titleEn: 'Change request: Planned budget',
    titleAr: 'طلب تغيير: الميزانية المخططة',
    requester: 'pm@masar.test',
    daysAgo: 30,
    payload: change(
      (p) => ({ budgetPlanned: Math.round(Number(p.budget_planned) * 1.1) }),
      'Accessibility audit by an external firm.',
    ),
    decisions: [],
    withdrawnAfterHours: 20,
  },
  // Open: awaiting decisions, some overdue.
  {
    code: 'GOV-01',
    kind: 'change_request',
    titleEn: 'Change request: Planned end, Planned budget',
    titleAr: 'طلب تغيير: النهاية المخططة، الميزانية المخططة',
    requester: 'pm@masar.test',
    daysAgo: 8,
    payload: change(
      (p) => ({
        plannedEnd: p.planned_end ? addDays(p.planned_end, 60) : null,
        budgetPlanned: Math.round(Number(p.budget_planned) * 1.12),
      }),
      'Documents and strategy modules added at the PMO’s request; two more sprints needed.',
    ),
    decisions: [],
    comments: [
      { by: 'pm@masar.test', text: 'The sprint plan is attached to the project documents.', afterHours: 3 },
    ],
  },
  {
    code: 'DST-05',
    kind: 'gate',
    titleEn: 'Phase gate: Planning → Execution',
    titleAr: 'بوابة مرحلة: التخطيط ← التنفيذ',
    requester: 'pm@masar.test',
    daysAgo: 4,
    payload: gate('planning', 'execution'),
    decisions: [
      { outcome: 'approved', by: 'pmo@masar.test', comment: 'Ready for the sponsor.', afterHours: 24 },
    ],
  },
  {
    code: 'INF-02',
    kind: 'change_request',
    titleEn: 'Change request: Planned budget',
    titleAr: 'طلب تغيير: الميزانية المخططة',
    requester: 'pm2@masar.test',
    daysAgo: 16,
    payload: change(
      (p) => ({ budgetPlanned: Math.round(Number(p.budget_planned) * 1.08) }),
      'Second availability zone for the government cloud.',
    ),
    decisions: [{ outcome: 'approved', by: 'pmo@masar.test', afterHours: 20 }],
  },
  {
    code: 'CXF-04',
    kind: 'gate',
    titleEn: 'Phase gate: Planning → Execution',
    titleAr: 'بوابة مرحلة: التخطيط ← التنفيذ',
    requester: 'pm2@masar.test',
    daysAgo: 1,
    payload: gate('planning', 'execution'),
    decisions: [],
  },
  {
    code: 'GOV-04',
    kind: 'gate',
    titleEn: 'Phase gate: Initiation → Planning',
    titleAr: 'بوابة مرحلة: البدء ← التخطيط',
    requester: 'pm2@masar.test',
    daysAgo: 12,
    payload: gate('initiation', 'planning'),
    decisions: [],
  },
];

export async function seed(db: Db, ctx: SeedContext): Promise<void> {
  if (!(await db.schema.hasTable('approval_requests'))) return;
  const today = ctx.today.toISOString().slice(0, 10);
  const weekendDays = ctx.config.workweek.weekendDays;
  await db.transaction(async (trx) => {
    for (const [date, nameEn, nameAr] of HOLIDAYS) {
      if (!(await trx('public_holidays').where({ date }).first()))
        await trx('public_holidays').insert({
          date,
          name_en: nameEn,
          name_ar: nameAr,
          created_at: ctx.today.toISOString(),
        });
    }
  });
  const holidays = new Set(
    ((await db('public_holidays').select('date')) as { date: string }[]).map((h) => h.date),
  );
  const cal = { weekendDays, holidays };
  const users = new Map(
    ((await db('users').select('id', 'email')) as { id: number; email: string }[]).map((u) => [
      u.email,
      u.id,
    ]),
  );

  // Delegations: the sponsor of CXF was away (ended), the DST sponsor plans leave next month.
  const sponsor2 = users.get('sponsor2@masar.test');
  const sponsor = users.get('sponsor@masar.test');
  const pmo = users.get('pmo@masar.test');
  const admin = users.get('admin@masar.test');
  if (pmo && (sponsor2 || sponsor) && !(await db('approval_delegations').first('id'))) {
    if (sponsor2)
      await db('approval_delegations').insert({
        delegator_id: sponsor2,
        delegate_id: pmo,
        starts_on: addDays(today, -72),
        ends_on: addDays(today, -60),
        reason: 'Annual leave',
        created_by: sponsor2,
        version: 1,
        created_at: plusHours(ctx.today.toISOString(), -72 * 24),
      });
    if (sponsor && admin)
      await db('approval_delegations').insert({
        delegator_id: sponsor,
        delegate_id: admin,
        starts_on: addDays(today, 30),
        ends_on: addDays(today, 44),
        reason: 'Official mission abroad',
        created_by: sponsor,
        version: 1,
        created_at: ctx.today.toISOString(),
      });
  }

  for (const spec of SPECS) {
    await db.transaction(async (trx) => {
      const project = (await trx('projects').where({ code: spec.code }).first()) as
        (ProjectRow & { sponsor_id: number | null }) | undefined;
      const requester = users.get(spec.requester);
      if (!project || !requester) return;
      const exists = await trx('approval_requests')
        .where({ project_id: project.id, kind: spec.kind })
        .where('title_en', 'like', spec.titleEn + '%')
        .first('id');
      if (exists) return;
      await createRequest(trx, spec, project, requester, users, today, cal, ctx.today);
    });
  }
}

async function createRequest(
  trx: Trx,
  spec: Spec,
  project: ProjectRow & { sponsor_id: number | null },
  requester: number,
  users: Map<string, number>,
  today: string,
  cal: { weekendDays: readonly number[]; holidays: Set<string> },
  now: Date,
) {
  let subjectType: 'project' | 'milestone' = 'project';
  let subjectId = project.id;
  let payload = spec.payload(project);
  let titleEn = spec.titleEn;
  let titleAr = spec.titleAr;
  if (spec.milestone) {
    const m = (await trx('milestones')
      .where({ project_id: project.id, status: 'completed' })
      .whereNotExists((q) =>
        q.select(1).from('milestone_signoffs as so').whereRaw('so.milestone_id = milestones.id'),
      )
      .orderBy('planned_date')
      .first('id', 'title_en', 'title_ar')) as { id: number; title_en: string; title_ar: string } | undefined;
    if (!m) return;
    subjectType = 'milestone';
    subjectId = m.id;
    payload = { milestoneId: m.id };
    titleEn = `${spec.titleEn}: ${m.title_en}`;
    titleAr = `${spec.titleAr}: ${m.title_ar}`;
  }
  const steps = (await trx('approval_workflow_steps as s')
    .join('approval_workflows as w', 'w.id', 's.workflow_id')
    .where('w.kind', spec.kind)
    .orderBy('s.position')
    .select('s.name_en', 's.name_ar', 's.decider_role', 's.decider_user_id', 's.sla_days')) as {
    name_en: string;
    name_ar: string;
    decider_role: string;
    decider_user_id: number | null;
    sla_days: number;
  }[];
  if (steps.length === 0) return;
  const submittedAt = `${addDays(today, -spec.daysAgo)}T06:30:00.000Z`;
  const last = spec.decisions[spec.decisions.length - 1];
  const finalOutcome = !last
    ? null
    : last.outcome === 'approved' && spec.decisions.length < steps.length
      ? null
      : last.outcome;
  const status = spec.withdrawnAfterHours !== undefined ? 'withdrawn' : (finalOutcome ?? 'pending');
  let t = submittedAt;
  const rows: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [
    { action: 'submitted', actor_id: requester, at: submittedAt, step_no: null },
  ];
  let currentStep: number | null = null;
  let decidedAt: string | null = null;
  steps.forEach((s, i) => {
    const d = spec.decisions[i];
    const base = {
      round: 1,
      step_no: i + 1,
      name_en: s.name_en,
      name_ar: s.name_ar,
      decider_role: s.decider_role,
      decider_user_id: s.decider_user_id,
      sla_days: s.sla_days,
    };
    const reached = i === 0 || spec.decisions[i - 1]?.outcome === 'approved';
    if (d && reached) {
      const at = plusHours(t, d.afterHours);
      rows.push({
        ...base,
        status: d.outcome,
        started_at: t,
        due_at: stepDueAt(t, s.sla_days, cal),
        decided_at: at,
        decided_by: users.get(d.by) ?? null,
        on_behalf_of: d.behalfOf ? (users.get(d.behalfOf) ?? null) : null,
        comment: d.comment ?? null,
      });
      events.push({
        action: d.outcome,
        actor_id: users.get(d.by) ?? null,
        on_behalf_of: d.behalfOf ? (users.get(d.behalfOf) ?? null) : null,
        comment: d.comment ?? null,
        at,
        step_no: i + 1,
      });
      if (d.outcome !== 'approved' || i === steps.length - 1)
        decidedAt = d.outcome === 'returned' ? null : at;
      t = at;
    } else if (reached && status === 'pending') {
      rows.push({ ...base, status: 'pending', started_at: t, due_at: stepDueAt(t, s.sla_days, cal) });
      currentStep = i + 1;
    } else if (reached && status === 'withdrawn') {
      rows.push({ ...base, status: 'skipped', started_at: t, due_at: stepDueAt(t, s.sla_days, cal) });
    } else {
      rows.push({ ...base, status: status === 'pending' ? 'waiting' : 'skipped' });
    }
  });
  if (status === 'approved')
    events.push({ action: 'completed', actor_id: null, at: decidedAt, step_no: null });
  if (status === 'withdrawn') {
    decidedAt = plusHours(submittedAt, spec.withdrawnAfterHours!);
    events.push({ action: 'withdrawn', actor_id: requester, at: decidedAt, step_no: null });
  }
  for (const c of spec.comments ?? [])
    events.push({
      action: 'commented',
      actor_id: users.get(c.by) ?? null,
      comment: c.text,
      at: plusHours(submittedAt, c.afterHours),
      step_no: null,
    });
  const updatedAt = [submittedAt, ...events.map((e) => e.at as string)].sort().pop()!;
  const id = await insertOne(trx, 'approval_requests', {
    kind: spec.kind,
    project_id: project.id,
    subject_type: subjectType,
    subject_id: subjectId,
    title_en: titleEn,
    title_ar: titleAr,
    status,
    requested_by: requester,
    submitted_at: submittedAt,
    decided_at: decidedAt,
    current_step: currentStep,
    payload: canonicalJson(payload),
    round: 1,
    version: 1 + spec.decisions.length + (spec.withdrawnAfterHours !== undefined ? 1 : 0),
    created_at: submittedAt,
    updated_at: updatedAt,
  });
  for (const r of rows) await trx('approval_steps').insert({ ...r, request_id: id });
  events.sort((a, b) => String(a.at).localeCompare(String(b.at)));
  for (const e of events) await trx('approval_events').insert({ request_id: id, round: 1, ...e });
  if (status === 'approved' && spec.milestone) {
    const by = users.get(spec.decisions[spec.decisions.length - 1].by) ?? null;
    await trx('milestone_signoffs').insert({
      milestone_id: subjectId,
      request_id: id,
      accepted_by: by,
      accepted_at: decidedAt,
    });
  }
  // The people a pending request waits on see it among their notifications.
  if (status === 'pending' && currentStep) {
    const step = rows[currentStep - 1];
    const code = spec.code;
    const deciders =
      step.decider_role === 'sponsor'
        ? [project.sponsor_id].filter((x): x is number => !!x)
        : ((await trx('users').where({ role: 'pmo', active: true }).select('id')) as { id: number }[]).map(
            (u) => u.id,
          );
    for (const userId of deciders)
      await notify(trx, {
        userId,
        kind: 'approval.pending',
        titleKey: 'approvals:notify.pending.title',
        bodyKey: 'approvals:notify.pending.body',
        params: {
          titleEn,
          titleAr,
          code,
          stepEn: String(step.name_en),
          stepAr: String(step.name_ar),
          due: String(step.due_at).slice(0, 10),
        },
        link: `/approvals/${id}`,
        email: false,
      });
  }
  void now;
}
