import { refreshMetricsWindow } from '../approvals/approvals.metrics-repository.js';
import type { AppDeps, MasarModule } from '../module.js';
import { dashboardWidgets } from './dashboard.widgets.js';

export { loadDashboard, type LoadedWidget } from './dashboard.service.js';

const HOUR_MS = 3600_000;

/**
 * Keeps the governance metrics' 365-day window where the clock is: at start-up, then when the next
 * decided request or step is due to leave it (at least hourly). Until it has run, the metrics are
 * computed from the rows themselves, so they are exact either way; this keeps them cheap.
 */
async function startMetricsWindow(deps: AppDeps): Promise<() => void> {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = async () => {
    let delay = HOUR_MS;
    try {
      const next = await refreshMetricsWindow(deps.db, deps.clock());
      if (next) delay = Math.min(HOUR_MS, Math.max(1000, next.getTime() - deps.clock().getTime() + 1000));
    } catch (err) {
      deps.logger.error({ err }, 'approval metrics window refresh failed');
    }
    if (stopped) return;
    timer = setTimeout(() => void run(), delay);
    timer.unref();
  };
  await run();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

/** The portfolio cards of the role dashboards shown at '/' (the home module renders them). */
export const dashboardModule: MasarModule = {
  name: 'dashboard',
  widgets: dashboardWidgets,
  async onStart(deps) {
    return startMetricsWindow(deps);
  },
};
