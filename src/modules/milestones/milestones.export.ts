import type { TFunction } from 'i18next';
import type { ExportColumn } from '../../http/export.js';
import type { Locale } from '../../i18n/locales.js';
import { pick } from '../../i18n/locales.js';
import type { MilestoneState } from '../portfolio/portfolio.rules.js';
import type { MilestoneInPortfolio } from './milestones.repository.js';

export type ExportRow = MilestoneInPortfolio & { state: MilestoneState; slipDays: number };

/** The columns of a milestone export, headers in the reader's language. */
export function milestoneExportColumns(t: TFunction, locale: Locale): ExportColumn<ExportRow>[] {
  return [
    { header: t('milestones:export.program'), value: (m) => m.programCode, width: 10 },
    { header: t('milestones:export.projectCode'), value: (m) => m.projectCode, width: 12 },
    {
      header: t('milestones:export.project'),
      value: (m) => pick(locale, m.projectAr, m.projectEn),
      width: 36,
    },
    { header: t('milestones:export.titleEn'), value: (m) => m.titleEn, width: 36 },
    { header: t('milestones:export.titleAr'), value: (m) => m.titleAr, width: 36 },
    { header: t('milestones:columns.state'), value: (m) => t(`common:milestoneState.${m.state}`), width: 14 },
    {
      header: t('milestones:fields.status'),
      value: (m) => t(`common:milestoneStatus.${m.status}`),
      width: 14,
    },
    { header: t('milestones:fields.plannedDate'), value: (m) => m.plannedDate, type: 'date' },
    { header: t('milestones:fields.forecastDate'), value: (m) => m.forecastDate, type: 'date' },
    { header: t('milestones:fields.actualDate'), value: (m) => m.actualDate, type: 'date' },
    {
      header: t('milestones:export.slipDays'),
      value: (m) => (m.status === 'cancelled' ? null : m.slipDays),
      type: 'integer',
    },
    {
      header: t('milestones:fields.percentComplete'),
      value: (m) => (m.status === 'completed' ? 100 : m.percentComplete),
      type: 'percent',
    },
    { header: t('milestones:fields.weight'), value: (m) => m.weight, type: 'integer' },
    {
      header: t('milestones:fields.ownerId'),
      value: (m) => (m.ownerId ? pick(locale, m.ownerAr, m.ownerEn) : ''),
      width: 24,
    },
    { header: t('milestones:fields.notes'), value: (m) => m.notes, width: 40 },
  ];
}

/** A file name part made of safe characters (project codes are ASCII already). */
export function fileSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'project';
}
