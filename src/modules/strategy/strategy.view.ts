import type { Request } from 'express';
import type { Config } from '../../config.js';
import { strategyLabels, kpiFormat } from './strategy.format.js';
import { canManageStrategy } from './strategy.policy.js';

const STATUS_CLASS = {
  on_track: 'rag-green',
  at_risk: 'rag-amber',
  off_track: 'rag-red',
  no_data: 'rag-none',
} as const;
const TREND_CLASS = {
  improving: 'text-success',
  stable: 'text-body',
  worsening: 'text-danger',
  unknown: 'text-muted',
} as const;

/** What every strategy page gets besides its own model: labels, value formatting, the manage flag. */
export function strategyLocals(req: Request, config: Config, clock: () => Date) {
  return {
    today: clock().toISOString().slice(0, 10),
    L: strategyLabels(req.t),
    kf: kpiFormat(req.t, req.locale, config.currency),
    canManage: !!req.user && canManageStrategy(req.user),
    /** KPI status → the RAG style it is shown in (always with its text label). */
    statusClass: STATUS_CLASS,
    trendClass: TREND_CLASS,
  };
}
