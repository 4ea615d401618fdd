import type { CurrentUser } from '../../auth/current-user.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/knex.js';
import { pick } from '../../i18n/locales.js';
import type { ReportSection, ReportSectionContext } from '../module.js';
import type { RagColour } from '../../pdf/types.js';
import { kpiFormat, strategyLabels } from './strategy.format.js';
import {
  listKpis,
  listObjectives,
  listStrategies,
  listVisibleLinks,
  type Link,
} from './strategy.repository.js';
import type { KpiStatus } from './strategy.rules.js';
import { loadSummaries, rollUp, type KpiSummary } from './strategy.summary.js';

export interface ObjectiveSectionRow {
  objective: {
    id: number;
    code: string;
    nameEn: string;
    nameAr: string;
    strategyNameEn: string;
    strategyNameAr: string;
  };
  status: KpiStatus;
  kpis: KpiSummary[];
  links: Link[];
}

/**
 * The rows of the "Objectives and KPIs" section: every objective (for a program report, those the
 * program or its projects serve), its KPIs with status, and the programs and projects the reader
 * may see. A constant number of queries.
 */
export async function objectivesSectionData(
  db: Db,
  reader: CurrentUser,
  scope: ReportSectionContext['scope'],
  today: string,
  config: Config,
): Promise<ObjectiveSectionRow[]> {
  const [strategies, objectives] = await Promise.all([listStrategies(db), listObjectives(db)]);
  const links = await listVisibleLinks(db, reader, {
    objectiveIds: objectives.map((o) => o.id),
    ...(scope.kind === 'program' ? { programIds: [scope.programId] } : {}),
  });
  const inScope =
    scope.kind === 'program'
      ? objectives.filter((o) => links.some((l) => l.objectiveId === o.id))
      : objectives;
  const kpis = await listKpis(db, { objectiveIds: inScope.map((o) => o.id) });
  const summaries = await loadSummaries(db, kpis, today, config.kpi);
  const sById = new Map(strategies.map((s) => [s.id, s]));
  return inScope.map((o) => {
    const ks = kpis.filter((k) => k.objectiveId === o.id).map((k) => summaries.get(k.id)!);
    const s = sById.get(o.strategyId);
    return {
      objective: {
        id: o.id,
        code: o.code,
        nameEn: o.nameEn,
        nameAr: o.nameAr,
        strategyNameEn: s?.nameEn ?? '',
        strategyNameAr: s?.nameAr ?? '',
      },
      status: rollUp(ks.map((x) => x.status.status)),
      kpis: ks,
      links: links.filter((l) => l.objectiveId === o.id),
    };
  });
}

const RAG: Record<KpiStatus, RagColour | null> = {
  on_track: 'green',
  at_risk: 'amber',
  off_track: 'red',
  no_data: null,
};

/** The portfolio (and program) PDF section "Objectives and KPIs", in the reader's language. */
export const objectivesReportSection: ReportSection = {
  key: 'strategy-objectives',
  order: 50,
  reports: ['portfolio', 'program'],
  async render(ctx) {
    const rows = await objectivesSectionData(ctx.db, ctx.reader, ctx.scope, ctx.today, ctx.config);
    if (!rows.length) return;
    const { pdf, t, locale } = ctx;
    const L = strategyLabels(t);
    const kf = kpiFormat(t, locale, ctx.config.currency);
    const p = (ar: string | null, en: string | null) => pick(locale, ar, en);
    pdf.heading(t('strategy:report.title'), 1);
    const counts: Record<KpiStatus, number> = { on_track: 0, at_risk: 0, off_track: 0, no_data: 0 };
    for (const r of rows) for (const k of r.kpis) counts[k.status.status]++;
    pdf.keyValues(
      [
        [L.status.on_track, { rag: 'green', text: String(counts.on_track) }],
        [L.status.at_risk, { rag: 'amber', text: String(counts.at_risk) }],
        [L.status.off_track, { rag: 'red', text: String(counts.off_track) }],
      ],
      { columns: 3 },
    );
    for (const r of rows) {
      pdf.ensureSpace(120);
      pdf.heading(`${r.objective.code} — ${p(r.objective.nameAr, r.objective.nameEn)}`, 2);
      const rag = RAG[r.status];
      pdf.keyValues(
        [
          [t('strategy:report.strategy'), p(r.objective.strategyNameAr, r.objective.strategyNameEn)],
          [t('strategy:report.status'), rag ? { rag, text: L.status[r.status] } : L.status[r.status]],
        ],
        { columns: 2 },
      );
      await pdf.table(
        [
          {
            header: t('strategy:report.kpi'),
            width: 4,
            cell: (s: KpiSummary) => `${s.kpi.code} ${p(s.kpi.nameAr, s.kpi.nameEn)}`,
          },
          {
            header: t('strategy:report.latest'),
            width: 2,
            cell: (s: KpiSummary) =>
              s.latest ? `${kf.value(s.latest.value, s.kpi.unit)} (${kf.period(s.latest.periodKey)})` : '—',
          },
          {
            header: t('strategy:report.target'),
            width: 2,
            cell: (s: KpiSummary) =>
              s.status.target
                ? `${kf.value(s.status.target.value, s.kpi.unit)} (${kf.period(s.targets.find((x) => x.periodEnd === s.status.target!.date)?.periodKey)})`
                : '—',
          },
          {
            header: t('strategy:report.status'),
            width: 1.6,
            cell: (s: KpiSummary) => {
              const c = RAG[s.status.status];
              return c ? { rag: c, text: L.status[s.status.status] } : L.status[s.status.status];
            },
          },
          { header: t('strategy:report.trend'), width: 1.4, cell: (s: KpiSummary) => L.trend[s.trend] },
        ],
        r.kpis,
        { caption: t('strategy:report.kpis'), empty: t('strategy:report.noKpis'), zebra: true, fontSize: 8 },
      );
      if (r.links.length) {
        pdf.paragraph(
          `${t('strategy:report.contributors')}: ${r.links.map((l) => `${l.code} ${p(l.nameAr, l.nameEn)}`).join(locale === 'ar' ? '، ' : ', ')}`,
          { size: 8, color: '#444444' },
        );
      }
      pdf.space(6);
    }
  },
};
