import { translator } from '../../i18n/index.js';
import { pick } from '../../i18n/locales.js';
import { NotFoundError } from '../../http/errors.js';
import { THEME } from '../../pdf/theme.js';
import type { ChartDatum } from '../../pdf/types.js';
import type { ReportPdf } from '../../pdf/writer.js';
import { isoDay, type Rag } from '../portfolio/portfolio.rules.js';
import { canSeeProgram } from '../projects/projects.access.js';
import { approvalColumns, lateColumns, projectColumns, rollupColumns } from './report-parts.js';
import {
  breakdown,
  features,
  lateMilestonePages,
  pendingApprovalCount,
  pendingApprovalPages,
  programRollups,
  projectPages,
  rowsOf,
  type Breakdown,
  type ProgramRollupRow,
  type Scope,
} from './reports.repository.js';
import { readerName, safePart, type PreparedReport, type ReportEnv } from './reports.output.js';

const PHASES = ['initiation', 'planning', 'execution', 'closure', 'closed'] as const;
const STATUSES = ['active', 'on_hold', 'completed', 'cancelled'] as const;
const HEALTHS: Rag[] = ['green', 'amber', 'red'];

/**
 * The portfolio report (every project the reader may see) and the program report (one program's
 * visible projects): a summary page, program roll-ups, the projects table, late milestones,
 * pending approvals, then the sections other modules contribute. The summary is read before the
 * response starts; the long lists are read page by page while the PDF is written.
 */
export async function preparePortfolioReport(env: ReportEnv, scope: Scope): Promise<PreparedReport> {
  const { db, reader } = env;
  if (scope.kind === 'program' && !(await canSeeProgram(db, reader, scope.programId)))
    throw new NotFoundError();
  const today = isoDay(env.now);
  const f = await features(db);
  const [groups, rollups, pending] = await Promise.all([
    breakdown(db, reader, scope),
    programRollups(db, reader, scope),
    pendingApprovalCount(db, reader, scope, f),
  ]);
  const t = translator(env.locale);
  const program = scope.kind === 'program' ? rollups.find((r) => r.id === scope.programId) : undefined;
  if (scope.kind === 'program' && !program) throw new NotFoundError();
  const title = program ? t('reports:portfolio.programTitle') : t('reports:portfolio.title');
  const stamp = `${today}-${env.locale}`;
  const sections = env.sections
    .filter((s) => (s.reports ?? ['portfolio']).includes(scope.kind))
    .slice()
    .sort((a, b) => a.order - b.order);
  return {
    title,
    subtitle: program ? program.code : t('reports:pdf.wholePortfolio'),
    fileName: program
      ? `masar-program-${safePart(program.code)}-${stamp}.pdf`
      : `masar-portfolio-${stamp}.pdf`,
    keywords: program ? [program.code, program.nameEn, program.nameAr] : ['portfolio'],
    render: async (w) => {
      renderSummary(w, env, groups, rollups, pending, program, today);
      if (!program && rollups.length) {
        w.heading(w.t('reports:portfolio.rollups'), 1);
        await w.table(rollupColumns(w), rollups, {
          caption: w.t('reports:portfolio.rollups'),
          captionOnlyWhenContinued: true,
        });
      }
      w.heading(w.t('reports:portfolio.projectsTable'), 1);
      await w.table(projectColumns(w), rowsOf(projectPages(db, reader, scope)), {
        empty: w.t('reports:portfolio.noProjects'),
        caption: w.t('reports:portfolio.projectsTable'),
        captionOnlyWhenContinued: true,
      });
      w.heading(w.t('reports:portfolio.lateTable'), 1);
      await w.table(lateColumns(w, today), rowsOf(lateMilestonePages(db, reader, scope, today)), {
        empty: w.t('reports:portfolio.noLate'),
        caption: w.t('reports:portfolio.lateTable'),
        captionOnlyWhenContinued: true,
      });
      w.heading(w.t('reports:portfolio.approvalsTable'), 1);
      await w.table(approvalColumns(w, env.now), rowsOf(pendingApprovalPages(db, reader, scope, f)), {
        empty: w.t('reports:portfolio.noApprovals'),
        caption: w.t('reports:portfolio.approvalsTable'),
        captionOnlyWhenContinued: true,
      });
      for (const section of sections) {
        await w.drain();
        await section.render({
          reader,
          locale: env.locale,
          t: w.t,
          db,
          config: env.config,
          today,
          scope,
          pdf: w,
        });
      }
    },
  };
}

function renderSummary(
  w: ReportPdf,
  env: ReportEnv,
  groups: Breakdown[],
  rollups: ProgramRollupRow[],
  pending: number,
  program: ProgramRollupRow | undefined,
  today: string,
): void {
  const t = w.t;
  const loc = w.locale;
  const count = (pred: (g: Breakdown) => boolean) => groups.filter(pred).reduce((s, g) => s + g.count, 0);
  const sum = (k: 'budgetPlanned' | 'budgetActual' | 'lateMilestones') =>
    groups.reduce((s, g) => s + g[k], 0);
  const projects = count(() => true);
  const planned = sum('budgetPlanned');
  const actual = sum('budgetActual');
  const variance = planned - actual;
  const weighted = rollups.reduce((s, r) => s + r.weightedProgress, 0);
  const progress =
    projects === 0
      ? 0
      : planned > 0
        ? weighted / planned
        : rollups.reduce((s, r) => s + r.progressSum, 0) / projects;

  if (program) {
    w.heading(`${program.code} — ${pick(loc, program.nameAr, program.nameEn)}`, 1);
    w.paragraph(loc === 'ar' ? program.nameEn : program.nameAr, { color: THEME.muted, size: 10.5 });
  } else {
    w.heading(t('reports:portfolio.title'), 1);
  }
  w.paragraph(
    `${t('reports:pdf.asOf', { date: w.fmt.date(today) })} · ${t('reports:pdf.visibleNote', { count: projects, name: readerName(env) })}`,
    { color: THEME.muted, size: 8.5 },
  );
  if (program) {
    const range =
      program.plannedStart || program.plannedEnd
        ? `${w.fmt.date(program.plannedStart) || '—'} – ${w.fmt.date(program.plannedEnd) || '—'}`
        : '—';
    w.keyValues(
      [
        [t('reports:portfolio.sponsor'), pick(loc, program.sponsorAr, program.sponsorEn) || '—'],
        [t('reports:portfolio.manager'), pick(loc, program.managerAr, program.managerEn) || '—'],
        [t('reports:portfolio.status'), t(`common:programStatus.${program.status}`)],
        [t('reports:portfolio.dates'), range],
      ],
      { columns: 2 },
    );
  }
  w.heading(t('reports:portfolio.keyFigures'), 2);
  w.keyValues(
    [
      [t('reports:portfolio.projects'), { text: w.fmt.number(projects), bold: true }],
      [t('reports:portfolio.programs'), { text: w.fmt.number(rollups.length), bold: true }],
      [t('reports:portfolio.progress'), { progress, text: w.fmt.percent(progress) }],
      [t('reports:portfolio.budgetPlanned'), w.fmt.money(planned)],
      [t('reports:portfolio.budgetActual'), w.fmt.money(actual)],
      [
        t('reports:portfolio.budgetVariance'),
        variance < 0 ? { text: w.fmt.money(variance), color: THEME.late, bold: true } : w.fmt.money(variance),
      ],
      [t('reports:portfolio.lateMilestones'), { text: w.fmt.number(sum('lateMilestones')), bold: true }],
      [t('reports:portfolio.pendingApprovals'), { text: w.fmt.number(pending), bold: true }],
    ],
    { columns: 3 },
  );
  w.space(4);
  const health: ChartDatum[] = HEALTHS.map((h) => ({
    label: t(`common:health.${h}`),
    value: count((g) => g.health === h),
    color: THEME.rag[h].strong,
  }));
  w.donutChart(health, { title: t('reports:portfolio.byHealth'), height: 92, widthFraction: 0.62 });
  w.barChart(
    PHASES.map((p) => ({ label: t(`common:phase.${p}`), value: count((g) => g.phase === p) })),
    { title: t('reports:portfolio.byPhase') },
  );
  w.barChart(
    STATUSES.map((s, i) => ({
      label: t(`common:projectStatus.${s}`),
      value: count((g) => g.status === s),
      color: THEME.palette[(i + 1) % 8],
    })),
    { title: t('reports:portfolio.byStatus') },
  );
  w.barChart(
    [
      {
        label: t('reports:portfolio.budgetPlanned'),
        value: planned,
        color: '#9fc3b8',
        valueLabel: w.fmt.money(planned),
      },
      {
        label: t('reports:portfolio.budgetActual'),
        value: actual,
        color: actual > planned ? THEME.late : THEME.brand,
        valueLabel: w.fmt.money(actual),
      },
    ],
    { title: t('reports:portfolio.budgetChart') },
  );
}
