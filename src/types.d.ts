import type { TFunction } from 'i18next';
import type { CurrentUser } from './auth/current-user.js';
import type { Locale } from './i18n/locales.js';

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends CurrentUser {}
    interface Request {
      locale: Locale;
      t: TFunction;
      /** Set by the CSRF check in the route chain. */
      csrfVerified?: boolean;
    }
    interface Response {
      /** Renders a view inside the layout. */
      page(view: string, model?: Record<string, unknown>, status?: number): void;
      /**
       * Renders a read-only view inside the layout, keeping the view's HTML until the data changes
       * (src/http/render.ts). `scope` names whose copy it is: a role or a user.
       */
      keptPage(
        view: string,
        scope: string,
        build: () => Promise<Record<string, unknown> & { keep?: boolean }>,
      ): void;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    flash?: {
      type: 'success' | 'danger' | 'warning' | 'info';
      key: string;
      params?: Record<string, unknown>;
    }[];
    returnTo?: string;
  }
}

export {};
