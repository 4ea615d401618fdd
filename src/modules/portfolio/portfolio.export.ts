import type { TFunction } from 'i18next';
import type { ExportColumn } from '../../http/export.js';
import { pick, type Locale } from '../../i18n/locales.js';
import type { ProjectListRow } from './portfolio.repository.js';

/** The columns of the project-list export, headers and labels in the reader's language. */
export function projectExportColumns(translate: TFunction, locale: Locale): ExportColumn<ProjectListRow>[] {
  const name = (ar: string | null, en: string | null) => pick(locale, ar, en);
  // Labels repeat on every row: translate each once (i18next lookups dominate large exports).
  const cache = new Map<string, string>();
  const t = (key: string): string => {
    let v = cache.get(key);
    if (v === undefined) cache.set(key, (v = translate(key)));
    return v;
  };
  return [
    { header: t('portfolio:columns.code'), value: (r) => r.code, width: 12 },
    { header: t('portfolio:columns.nameEn'), value: (r) => r.nameEn, width: 45 },
    { header: t('portfolio:columns.nameAr'), value: (r) => r.nameAr, width: 45 },
    { header: t('portfolio:columns.program'), value: (r) => r.programCode, width: 10 },
    { header: t('portfolio:columns.programName'), value: (r) => name(r.programNameAr, r.programNameEn) },
    { header: t('portfolio:columns.phase'), value: (r) => t(`common:phase.${r.phase}`), width: 14 },
    { header: t('portfolio:columns.status'), value: (r) => t(`common:projectStatus.${r.status}`), width: 14 },
    { header: t('portfolio:columns.priority'), value: (r) => t(`common:priority.${r.priority}`), width: 12 },
    { header: t('portfolio:columns.health'), value: (r) => t(`common:health.${r.health}`), width: 10 },
    { header: t('portfolio:columns.progress'), value: (r) => r.progressPct, type: 'percent' },
    { header: t('portfolio:columns.manager'), value: (r) => name(r.managerAr, r.managerEn), width: 24 },
    { header: t('portfolio:columns.sponsor'), value: (r) => name(r.sponsorAr, r.sponsorEn), width: 24 },
    { header: t('portfolio:columns.plannedStart'), value: (r) => r.plannedStart, type: 'date' },
    { header: t('portfolio:columns.plannedEnd'), value: (r) => r.plannedEnd, type: 'date' },
    { header: t('portfolio:columns.actualStart'), value: (r) => r.actualStart, type: 'date' },
    { header: t('portfolio:columns.actualEnd'), value: (r) => r.actualEnd, type: 'date' },
    { header: t('portfolio:columns.budgetPlanned'), value: (r) => r.budgetPlanned, type: 'money', width: 18 },
    { header: t('portfolio:columns.budgetActual'), value: (r) => r.budgetActual, type: 'money', width: 18 },
    {
      header: t('portfolio:columns.budgetVariance'),
      value: (r) => r.budgetPlanned - r.budgetActual,
      type: 'money',
      width: 18,
    },
    { header: t('portfolio:columns.variance'), value: (r) => r.scheduleVarianceDays, type: 'integer' },
    { header: t('portfolio:columns.lateMilestones'), value: (r) => r.lateMilestones, type: 'integer' },
    { header: t('portfolio:columns.next'), value: (r) => r.nextMilestoneDate, type: 'date' },
  ];
}
