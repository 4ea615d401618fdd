import { translator } from '../../i18n/index.js';
import { pick } from '../../i18n/locales.js';
import type { ReportPdf } from '../../pdf/writer.js';
import { THEME } from '../../pdf/theme.js';
import type { TimelineRow } from '../../pdf/charts.js';
import {
  addDays,
  daysBetween,
  isoDay,
  milestoneSlipDays,
  milestoneState,
  type MilestoneFacts,
  type MilestoneState,
  type Rag,
} from '../portfolio/portfolio.rules.js';
import { loadVisibleProject } from '../projects/projects.access.js';
import { features, pendingApprovalPages, rowsOf, type ApprovalRow } from './reports.repository.js';
import { safePart, type PreparedReport, type ReportEnv } from './reports.output.js';
import { approvalColumns } from './report-parts.js';

interface ProjectFacts {
  id: number;
  code: string;
  name_en: string;
  name_ar: string;
  program_id: number;
  phase: string;
  status: string;
  priority: string;
  health: Rag;
  progress_pct: number;
  schedule_variance_days: number;
  late_milestones: number;
  next_milestone_date: string | null;
  planned_start: string | null;
  planned_end: string | null;
  actual_start: string | null;
  actual_end: string | null;
  budget_planned: number;
  budget_actual: number;
}

interface Milestone extends MilestoneFacts {
  id: number;
  titleEn: string;
  titleAr: string;
  state: MilestoneState;
  slip: number;
}

/**
 * The project status report: facts and people, the latest status report (RAG per dimension and
 * narrative), progress, milestones with a timeline, budget, and open approval requests.
 * Loading it checks visibility first (404 for a project the reader may not see).
 */
export async function prepareProjectReport(env: ReportEnv, projectId: number): Promise<PreparedReport> {
  const { db, reader } = env;
  const today = isoDay(env.now);
  const p = await loadVisibleProject<ProjectFacts>(db, reader, projectId);
  const [people, latest, milestoneRows, f] = await Promise.all([
    db('projects as p')
      .join('programs as pg', 'pg.id', 'p.program_id')
      .leftJoin('users as m', 'm.id', 'p.manager_id')
      .leftJoin('users as s', 's.id', 'p.sponsor_id')
      .where('p.id', projectId)
      .select('pg.code as program_code', 'pg.name_en as program_en', 'pg.name_ar as program_ar')
      .select(
        'm.name_en as manager_en',
        'm.name_ar as manager_ar',
        's.name_en as sponsor_en',
        's.name_ar as sponsor_ar',
      )
      .first(),
    db('status_reports')
      .where('project_id', projectId)
      .orderBy('period_end', 'desc')
      .orderBy('id', 'desc')
      .first(),
    db('milestones')
      .where('project_id', projectId)
      .orderBy('planned_date')
      .orderBy('sort_order')
      .orderBy('id'),
    features(db),
  ]);
  const atRisk = env.config.health.atRiskDays;
  const milestones: Milestone[] = (milestoneRows as Record<string, unknown>[]).map((m) => {
    const facts: MilestoneFacts = {
      plannedDate: String(m.planned_date),
      forecastDate: (m.forecast_date as string | null) ?? null,
      actualDate: (m.actual_date as string | null) ?? null,
      percentComplete: Number(m.percent_complete),
      weight: Number(m.weight),
      status: m.status as MilestoneFacts['status'],
    };
    return {
      ...facts,
      id: Number(m.id),
      titleEn: String(m.title_en),
      titleAr: String(m.title_ar),
      state: milestoneState(facts, today, atRisk),
      slip: milestoneSlipDays(facts, today),
    };
  });
  // Open approvals are few per project: read them now, before the response starts.
  const approvals: ApprovalRow[] = [];
  for await (const a of rowsOf(pendingApprovalPages(db, reader, { kind: 'portfolio' }, f, projectId)))
    approvals.push(a);
  const t = translator(env.locale);
  const name = pick(env.locale, p.name_ar, p.name_en);
  return {
    title: t('reports:project.title'),
    subtitle: p.code,
    fileName: `masar-project-${safePart(p.code)}-${today}-${env.locale}.pdf`,
    keywords: [p.code, p.name_en, p.name_ar],
    render: async (w) => {
      renderFacts(w, p, people as Record<string, string | null>, name, today);
      renderStatusReport(w, latest as Record<string, unknown> | undefined);
      renderProgress(w, p, milestones);
      await renderMilestones(w, milestones);
      renderTimeline(w, p, milestones, today);
      renderBudget(w, p);
      w.heading(w.t('reports:project.approvals'), 2);
      await w.table(approvalColumns(w, env.now), approvals, { empty: w.t('reports:project.noApprovals') });
    },
  };
}

function renderFacts(
  w: ReportPdf,
  p: ProjectFacts,
  people: Record<string, string | null>,
  name: string,
  today: string,
): void {
  const t = w.t;
  const loc = w.locale;
  const other = loc === 'ar' ? p.name_en : p.name_ar;
  w.heading(`${p.code} — ${name}`, 1);
  w.paragraph(other, { color: THEME.muted, size: 10.5 });
  w.paragraph(t('reports:pdf.asOf', { date: w.fmt.date(today) }), { color: THEME.muted, size: 8.5 });
  const range = (a: string | null, b: string | null) =>
    a || b ? `${w.fmt.date(a) || '—'} – ${w.fmt.date(b) || '—'}` : '—';
  w.keyValues(
    [
      [t('reports:project.code'), { text: p.code, ltr: true, bold: true }],
      [
        t('reports:project.program'),
        `${people.program_code} — ${pick(loc, people.program_ar, people.program_en)}`,
      ],
      [t('reports:project.phase'), t(`common:phase.${p.phase}`)],
      [t('reports:project.status'), t(`common:projectStatus.${p.status}`)],
      [t('reports:project.health'), { rag: p.health, text: t(`common:health.${p.health}`) }],
      [t('reports:project.priority'), t(`common:priority.${p.priority}`)],
      [t('reports:project.manager'), pick(loc, people.manager_ar, people.manager_en) || '—'],
      [t('reports:project.sponsor'), pick(loc, people.sponsor_ar, people.sponsor_en) || '—'],
      [t('reports:project.plannedDates'), range(p.planned_start, p.planned_end)],
      [t('reports:project.actualDates'), range(p.actual_start, p.actual_end)],
    ],
    { columns: 3 },
  );
}

function renderStatusReport(w: ReportPdf, r: Record<string, unknown> | undefined): void {
  const t = w.t;
  w.heading(t('reports:project.statusReport'), 2);
  if (!r) {
    w.note(t('reports:project.noStatusReport'));
    return;
  }
  w.paragraph(
    t('reports:project.period', {
      from: w.fmt.date(String(r.period_start)),
      to: w.fmt.date(String(r.period_end)),
      at: w.fmt.date(String(r.submitted_at)),
    }),
    { color: THEME.muted, size: 8.5 },
  );
  const rag = (k: string) => {
    const v = r[k] as Rag;
    return { rag: v, text: t(`common:health.${v}`) };
  };
  w.keyValues(
    [
      [t('reports:project.ragOverall'), rag('overall_rag')],
      [t('reports:project.ragSchedule'), rag('schedule_rag')],
      [t('reports:project.ragBudget'), rag('budget_rag')],
      [t('reports:project.ragScope'), rag('scope_rag')],
      [t('reports:project.ragRisk'), rag('risk_rag')],
    ],
    { columns: 3 },
  );
  const section = (key: string, text: unknown) => {
    if (typeof text !== 'string' || text.trim() === '') return;
    w.heading(t(key), 3);
    w.paragraph(text);
  };
  section('reports:project.summary', r.summary);
  section('reports:project.achievements', r.achievements);
  section('reports:project.nextSteps', r.next_steps);
  if (typeof r.escalations === 'string' && r.escalations.trim() !== '') {
    w.heading(t('reports:project.escalations'), 3);
    w.note(r.escalations, 'warn');
  }
}

function renderProgress(w: ReportPdf, p: ProjectFacts, milestones: Milestone[]): void {
  const t = w.t;
  w.heading(t('reports:project.progress'), 2);
  const next = milestones.find((m) => m.state !== 'completed' && m.state !== 'cancelled');
  w.keyValues(
    [
      [t('reports:project.progressValue'), { progress: p.progress_pct, text: w.fmt.percent(p.progress_pct) }],
      [t('reports:project.scheduleVariance'), t('reports:project.days', { count: p.schedule_variance_days })],
      [
        t('reports:project.lateCount'),
        p.late_milestones > 0
          ? { text: w.fmt.number(p.late_milestones), color: THEME.late, bold: true }
          : w.fmt.number(p.late_milestones),
      ],
      [
        t('reports:project.nextMilestone'),
        next
          ? `${pick(w.locale, next.titleAr, next.titleEn)} — ${w.fmt.date(next.forecastDate ?? next.plannedDate)}`
          : '—',
      ],
    ],
    { columns: 2 },
  );
}

const STATE_RAG: Record<MilestoneState, Rag | null> = {
  completed: 'green',
  on_track: 'green',
  at_risk: 'amber',
  late: 'red',
  cancelled: null,
};

async function renderMilestones(w: ReportPdf, milestones: Milestone[]): Promise<void> {
  const t = w.t;
  w.heading(t('reports:project.milestones'), 2);
  await w.table(
    [
      {
        header: t('reports:col.milestone'),
        width: 3.2,
        cell: (m: Milestone) => pick(w.locale, m.titleAr, m.titleEn),
      },
      { header: t('reports:col.plannedDate'), width: 1.3, cell: (m) => w.fmt.date(m.plannedDate) },
      {
        header: t('reports:col.forecastDate'),
        width: 1.3,
        cell: (m) =>
          m.forecastDate && m.forecastDate > m.plannedDate
            ? { text: w.fmt.date(m.forecastDate), color: THEME.late, bold: true }
            : w.fmt.date(m.forecastDate),
      },
      { header: t('reports:col.actualDate'), width: 1.3, cell: (m) => w.fmt.date(m.actualDate) },
      {
        header: t('reports:col.complete'),
        width: 0.9,
        align: 'end',
        cell: (m) => w.fmt.percent(m.status === 'completed' ? 100 : m.percentComplete),
      },
      {
        header: t('reports:col.state'),
        width: 1.5,
        cell: (m) => {
          const rag = STATE_RAG[m.state];
          const text = t(`common:milestoneState.${m.state}`);
          return rag ? { rag, text } : text;
        },
      },
    ],
    milestones,
    { empty: t('reports:project.noMilestones') },
  );
}

function renderTimeline(w: ReportPdf, p: ProjectFacts, milestones: Milestone[], today: string): void {
  const t = w.t;
  const dates = [
    p.planned_start,
    p.planned_end,
    p.actual_start,
    p.actual_end,
    ...milestones.flatMap((m) => [m.plannedDate, m.forecastDate, m.actualDate]),
  ].filter((d): d is string => !!d);
  if (dates.length === 0) return;
  dates.sort();
  let from = dates[0].slice(0, 8) + '01';
  let to = dates[dates.length - 1];
  if (daysBetween(from, to) < 60) to = addDays(from, 60);
  from = addDays(from, -3);
  to = addDays(to, 10);
  const rows: TimelineRow[] = [];
  if (p.planned_start && p.planned_end) {
    rows.push({
      label: t('reports:project.legendProject'),
      bar: { start: p.planned_start, end: p.planned_end, color: '#9fc3b8' },
    });
  }
  for (const m of milestones) {
    if (m.state === 'cancelled') continue;
    const late = m.state === 'late';
    const colour = late ? THEME.late : m.state === 'completed' ? THEME.rag.green.strong : THEME.brand;
    const landing = m.actualDate ?? m.forecastDate;
    const row: TimelineRow = {
      label: pick(w.locale, m.titleAr, m.titleEn),
      markers: [
        {
          date: m.plannedDate,
          shape: 'diamond',
          color: colour,
          filled: !landing || landing === m.plannedDate,
        },
      ],
    };
    if (landing && landing !== m.plannedDate) {
      row.slip = {
        from: m.plannedDate,
        to: landing,
        color: landing > m.plannedDate ? THEME.late : THEME.rag.green.strong,
      };
      row.markers!.push({ date: landing, shape: 'circle', color: colour, filled: true });
    } else if (late && today > m.plannedDate) {
      row.slip = { from: m.plannedDate, to: today, color: THEME.late };
    }
    rows.push(row);
  }
  w.heading(t('reports:project.timeline'), 2);
  w.timeline(rows, {
    from,
    to,
    today,
    legend: [
      { label: t('reports:project.legendProject'), color: '#9fc3b8', shape: 'bar' },
      { label: t('reports:project.legendPlanned'), color: THEME.brand, shape: 'diamond' },
      { label: t('reports:project.legendForecast'), color: THEME.brand, shape: 'circle' },
      { label: t('reports:project.legendLate'), color: THEME.late, shape: 'diamond' },
    ],
  });
}

function renderBudget(w: ReportPdf, p: ProjectFacts): void {
  const t = w.t;
  w.heading(t('reports:project.budget'), 2);
  const variance = p.budget_planned - p.budget_actual;
  w.keyValues(
    [
      [t('reports:project.budgetPlanned'), w.fmt.money(p.budget_planned)],
      [t('reports:project.budgetActual'), w.fmt.money(p.budget_actual)],
      [
        t('reports:project.budgetVariance'),
        variance < 0 ? { text: w.fmt.money(variance), color: THEME.late, bold: true } : w.fmt.money(variance),
      ],
      [
        t('reports:project.budgetSpentPct'),
        p.budget_planned > 0 ? w.fmt.percent((100 * p.budget_actual) / p.budget_planned) : '—',
      ],
    ],
    { columns: 2 },
  );
  w.barChart(
    [
      {
        label: t('reports:project.budgetPlanned'),
        value: p.budget_planned,
        color: '#9fc3b8',
        valueLabel: w.fmt.money(p.budget_planned),
      },
      {
        label: t('reports:project.budgetActual'),
        value: p.budget_actual,
        color: p.budget_actual > p.budget_planned ? THEME.late : THEME.brand,
        valueLabel: w.fmt.money(p.budget_actual),
      },
    ],
    { widthFraction: 1 },
  );
}
