import { pick } from '../../i18n/locales.js';
import { THEME } from '../../pdf/theme.js';
import type { TableColumn } from '../../pdf/types.js';
import type { ReportPdf } from '../../pdf/writer.js';
import { daysBetween, isoDay, milestoneSlipDays } from '../portfolio/portfolio.rules.js';
import type { ApprovalRow, LateMilestoneRow, ProgramRollupRow, ProjectRow } from './reports.repository.js';

/** Table columns shared by the portfolio, program and project reports. */

const code = (text: string) => ({ text, ltr: true });

/** An amount in a column whose header names the currency; overspending in red. */
function amount(w: ReportPdf, minor: number) {
  return minor < 0 ? { text: w.fmt.amount(minor), color: THEME.late, bold: true } : w.fmt.amount(minor);
}

export function approvalColumns(w: ReportPdf, now: Date): TableColumn<ApprovalRow>[] {
  const t = w.t;
  const today = isoDay(now);
  const nowIso = now.toISOString();
  return [
    { header: t('reports:col.code'), width: 1, cell: (a) => code(a.projectCode) },
    { header: t('reports:col.request'), width: 3, cell: (a) => pick(w.locale, a.titleAr, a.titleEn) },
    { header: t('reports:col.kind'), width: 1.3, cell: (a) => t(`reports:kind.${a.kind}`) },
    { header: t('reports:col.submitted'), width: 1.3, cell: (a) => w.fmt.date(a.submittedAt) },
    {
      header: t('reports:col.age'),
      width: 0.9,
      align: 'end',
      cell: (a) => w.fmt.number(Math.max(0, daysBetween(a.submittedAt.slice(0, 10), today))),
    },
    {
      header: t('reports:col.awaiting'),
      width: 1.6,
      cell: (a) =>
        pick(w.locale, a.stepAr, a.stepEn) ||
        (a.deciderRole ? t(`common:roles.${a.deciderRole}`, { defaultValue: a.deciderRole }) : '—'),
    },
    {
      header: t('reports:col.due'),
      width: 1.4,
      cell: (a) =>
        a.dueAt && a.dueAt < nowIso
          ? { text: `${w.fmt.date(a.dueAt)} · ${t('reports:overdue')}`, color: THEME.late, bold: true }
          : w.fmt.date(a.dueAt) || '—',
    },
  ];
}

export function projectColumns(w: ReportPdf): TableColumn<ProjectRow>[] {
  const t = w.t;
  return [
    { header: t('reports:col.code'), width: 1, cell: (p) => code(p.code) },
    { header: t('reports:col.project'), width: 3, cell: (p) => pick(w.locale, p.nameAr, p.nameEn) },
    { header: t('reports:col.phase'), width: 1.1, cell: (p) => t(`common:phase.${p.phase}`) },
    {
      header: t('reports:col.health'),
      width: 1.15,
      cell: (p) => ({ rag: p.health, text: t(`common:health.${p.health}`) }),
    },
    {
      header: t('reports:col.progress'),
      width: 1.35,
      cell: (p) => ({ progress: p.progressPct, text: w.fmt.percent(p.progressPct) }),
    },
    {
      header: `${t('reports:col.variance')} (${w.fmt.currency})`,
      width: 1.5,
      align: 'end',
      cell: (p) => amount(w, p.budgetPlanned - p.budgetActual),
    },
    {
      header: t('reports:col.nextMilestone'),
      width: 2.1,
      cell: (p) =>
        p.nextMilestone
          ? `${w.fmt.date(p.nextMilestone.date)} · ${pick(w.locale, p.nextMilestone.titleAr, p.nextMilestone.titleEn)}`
          : '—',
    },
  ];
}

export function lateColumns(w: ReportPdf, today: string): TableColumn<LateMilestoneRow>[] {
  const t = w.t;
  return [
    { header: t('reports:col.code'), width: 1, cell: (m) => code(m.projectCode) },
    { header: t('reports:col.milestone'), width: 3.2, cell: (m) => pick(w.locale, m.titleAr, m.titleEn) },
    { header: t('reports:col.plannedDate'), width: 1.3, cell: (m) => w.fmt.date(m.plannedDate) },
    {
      header: t('reports:col.forecastDate'),
      width: 1.3,
      cell: (m) => (m.forecastDate ? { text: w.fmt.date(m.forecastDate), color: THEME.late } : '—'),
    },
    {
      header: t('reports:col.daysLate'),
      width: 1,
      align: 'end',
      cell: (m) => {
        const slip = milestoneSlipDays(
          {
            plannedDate: m.plannedDate,
            forecastDate: m.forecastDate,
            actualDate: null,
            percentComplete: m.percentComplete,
            weight: 1,
            status: m.status as 'not_started',
          },
          today,
        );
        return { text: w.fmt.number(Math.max(0, slip)), color: THEME.late, bold: true };
      },
    },
    {
      header: t('reports:col.complete'),
      width: 0.9,
      align: 'end',
      cell: (m) => w.fmt.percent(m.percentComplete),
    },
  ];
}

export function rollupProgress(r: ProgramRollupRow): number {
  if (r.projects === 0) return 0;
  return r.budgetPlanned > 0 ? r.weightedProgress / r.budgetPlanned : r.progressSum / r.projects;
}

export function rollupColumns(w: ReportPdf): TableColumn<ProgramRollupRow>[] {
  const t = w.t;
  return [
    { header: t('reports:col.code'), width: 0.8, cell: (r) => code(r.code) },
    { header: t('reports:col.program'), width: 2.6, cell: (r) => pick(w.locale, r.nameAr, r.nameEn) },
    { header: t('reports:col.projects'), width: 0.9, align: 'end', cell: (r) => w.fmt.number(r.projects) },
    {
      header: t('reports:col.progress'),
      width: 1.4,
      cell: (r) => {
        const v = rollupProgress(r);
        return { progress: v, text: w.fmt.percent(v) };
      },
    },
    {
      header: t('reports:col.healthMix'),
      width: 1.4,
      align: 'center',
      // Plain text: in Arabic the three numbers read right to left, like the header.
      cell: (r) => `${r.health.green} / ${r.health.amber} / ${r.health.red}`,
    },
    {
      header: `${t('reports:col.planned')} (${w.fmt.currency})`,
      width: 1.7,
      align: 'end',
      cell: (r) => w.fmt.amount(r.budgetPlanned),
    },
    {
      header: `${t('reports:col.variance')} (${w.fmt.currency})`,
      width: 1.6,
      align: 'end',
      cell: (r) => amount(w, r.budgetPlanned - r.budgetActual),
    },
  ];
}
