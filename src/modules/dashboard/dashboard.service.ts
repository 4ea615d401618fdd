import type { Logger } from 'pino';
import type { CurrentUser } from '../../auth/current-user.js';
import type { Locale } from '../../i18n/locales.js';
import type { AppDeps, DashboardWidget } from '../module.js';

export interface LoadedWidget {
  id: string;
  view: string;
  /** What the widget's load returned; null when it failed (the card says so, the page still shows). */
  data: Record<string, unknown> | null;
  failed: boolean;
}

/**
 * Loads the widgets of the user's role in order. A widget that fails is logged and shown as a
 * card that could not load: one broken card never takes the whole dashboard down.
 */
export async function loadDashboard(
  deps: AppDeps,
  widgets: readonly DashboardWidget[],
  user: CurrentUser,
  locale: Locale,
  logger: Logger = deps.logger,
): Promise<LoadedWidget[]> {
  const mine = widgets.filter((w) => w.roles.includes(user.role));
  const loaded = await Promise.all(
    mine.map(async (w): Promise<LoadedWidget | null> => {
      try {
        const data = await w.load(deps, user, locale);
        return data === null ? null : { id: w.id, view: w.view, data, failed: false };
      } catch (err) {
        logger.error({ err, widget: w.id }, 'dashboard widget failed');
        return { id: w.id, view: w.view, data: null, failed: true };
      }
    }),
  );
  return loaded.filter((w): w is LoadedWidget => w !== null);
}
