import type { MasarModule } from '../module.js';
import { createMailSender, defaultSend, mailSenderFor, registerMailSender } from './notifications.mailer.js';
import { notificationsRoutes } from './notifications.routes.js';
import { setMailConfig } from './notifications.service.js';

export {
  notify,
  afterCommit,
  renderMail,
  localiseParams,
  type NotifyInput,
} from './notifications.service.js';
export { mailSenderFor, createMailSender, type MailSender, type SendFn } from './notifications.mailer.js';

/** In-app notifications (list, unread count in the navigation bar) and their emails. */
export const notificationsModule: MasarModule = {
  name: 'notifications',
  routes(deps) {
    setMailConfig(deps.config);
    // Tests drain the outbox themselves (a drain after the last commit would outlive the test's database).
    if (!mailSenderFor(deps.db))
      registerMailSender(
        deps.db,
        createMailSender(deps.db, deps.logger, defaultSend(deps.config), deps.clock, {
          kickAfterCommit: deps.config.env !== 'test',
        }),
      );
    return notificationsRoutes(deps);
  },
  /** One indexed count per page. */
  pageLocals(deps) {
    return async (req) => {
      if (!req.user) return {};
      const [{ n }] = (await deps
        .db('notifications')
        .where({ user_id: req.user.id })
        .whereNull('read_at')
        .count({ n: '*' })) as { n: number | string }[];
      return { unreadCount: Number(n) };
    };
  },
  /** Sends what was queued before a restart, then keeps draining every 30 seconds (retries with backoff). */
  async onStart(deps) {
    setMailConfig(deps.config);
    let sender = mailSenderFor(deps.db);
    if (!sender) {
      sender = createMailSender(deps.db, deps.logger, defaultSend(deps.config), deps.clock);
      registerMailSender(deps.db, sender);
    }
    return sender.start(30_000);
  },
};
