import { translator } from '../../i18n/index.js';
import { pick } from '../../i18n/locales.js';
import type { DashboardWidget } from '../module.js';
import { kpiFormat } from './strategy.format.js';
import { listKpis } from './strategy.repository.js';
import { STATUS_RANK, loadSummaries } from './strategy.summary.js';

const LIMIT = 8;

/**
 * The PMO dashboard card: KPIs off track or at risk, and measurements due or late (periods that
 * ended without a value). Four queries whatever the number of KPIs.
 */
export const strategyWidget: DashboardWidget = {
  id: 'strategy-kpis',
  roles: ['pmo', 'admin'],
  order: 60,
  view: 'strategy/widget',
  async load(deps, _user, locale) {
    const today = deps.clock().toISOString().slice(0, 10);
    const kpis = await listKpis(deps.db);
    if (!kpis.length) return null;
    const summaries = [...(await loadSummaries(deps.db, kpis, today, deps.config.kpi)).values()];
    const kf = kpiFormat(translator(locale), locale, deps.config.currency);
    const name = (k: { nameAr: string; nameEn: string }) => pick(locale, k.nameAr, k.nameEn);
    const behind = summaries
      .filter((s) => s.status.status === 'off_track' || s.status.status === 'at_risk')
      .sort(
        (a, b) =>
          STATUS_RANK[a.status.status] - STATUS_RANK[b.status.status] || a.kpi.code.localeCompare(b.kpi.code),
      );
    const missing = summaries
      .filter((s) => s.missing)
      .sort((a, b) =>
        a.missing!.state === b.missing!.state
          ? a.missing!.dueDate.localeCompare(b.missing!.dueDate)
          : a.missing!.state === 'late'
            ? -1
            : 1,
      );
    return {
      offTrackCount: behind.filter((s) => s.status.status === 'off_track').length,
      atRiskCount: behind.filter((s) => s.status.status === 'at_risk').length,
      behind: behind.slice(0, LIMIT).map((s) => ({
        id: s.kpi.id,
        code: s.kpi.code,
        name: name(s.kpi),
        status: s.status.status,
        value: s.latest ? kf.value(s.latest.value, s.kpi.unit) : '',
        period: s.latest ? kf.period(s.latest.periodKey) : '',
      })),
      lateCount: missing.filter((s) => s.missing!.state === 'late').length,
      dueCount: missing.filter((s) => s.missing!.state === 'due').length,
      missing: missing.slice(0, LIMIT).map((s) => ({
        id: s.kpi.id,
        code: s.kpi.code,
        name: name(s.kpi),
        state: s.missing!.state,
        period: kf.period(s.missing!.period.key),
        dueDate: s.missing!.dueDate,
      })),
    };
  },
};
