import type { Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../../http/actor.js';
import { anyUser, routes } from '../../http/access.js';
import { flash } from '../../http/flash.js';
import { paramId } from '../../http/validate.js';
import { NotFoundError } from '../../http/errors.js';
import type { AppDeps } from '../module.js';
import { audit } from '../audit/audit.service.js';
import { localiseParams, safeLink } from './notifications.service.js';

const PAGE_SIZE = 25;
const filterSchema = z.object({
  page: z.coerce.number().int().min(1).max(100000).catch(1),
  show: z.enum(['all', 'unread']).catch('all'),
});

interface Row {
  id: number;
  kind: string;
  title_key: string;
  params: string;
  link: string | null;
  read_at: string | null;
  created_at: string;
}

function parseParams(s: string): Record<string, unknown> {
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The user's notifications: a list (newest first), mark one or all read, open one. */
export function notificationsRoutes(deps: AppDeps): Router {
  const { db, clock } = deps;
  const r = routes();

  r.get('/notifications', anyUser, async (req, res) => {
    const f = filterSchema.parse(req.query);
    const uid = req.user!.id;
    const base = db('notifications')
      .where({ user_id: uid })
      .modify((q) => (f.show === 'unread' ? q.whereNull('read_at') : q));
    const [{ n }] = (await base.clone().count({ n: '*' })) as { n: number | string }[];
    const total = Number(n);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(f.page, pages);
    const rows = (await base
      .clone()
      .select('id', 'kind', 'title_key', 'params', 'link', 'read_at', 'created_at')
      .orderBy('id', 'desc')
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)) as Row[];
    const items = rows.map((x) => ({
      id: x.id,
      title: req.t(x.title_key, localiseParams(req.locale, parseParams(x.params))),
      link: safeLink(x.link),
      read: !!x.read_at,
      createdAt: x.created_at,
    }));
    res.page('notifications/index', {
      title: req.t('notifications:title'),
      items,
      filter: f,
      list: { total, page, pages },
    });
  });

  async function markRead(userId: number, id: number, actor: ReturnType<typeof actorOf>) {
    return db.transaction(async (trx) => {
      const row = (await trx('notifications').where({ id, user_id: userId }).first()) as Row | undefined;
      if (!row) throw new NotFoundError();
      if (!row.read_at) {
        const at = clock().toISOString();
        await trx('notifications').where({ id }).whereNull('read_at').update({ read_at: at });
        await audit(trx, actor, {
          action: 'notification.read',
          entity: 'notification',
          entityId: id,
          after: { readAt: at },
        });
      }
      return row;
    });
  }

  r.post('/notifications/read-all', anyUser, async (req, res) => {
    const uid = req.user!.id;
    await db.transaction(async (trx) => {
      const at = clock().toISOString();
      const n = await trx('notifications')
        .where({ user_id: uid })
        .whereNull('read_at')
        .update({ read_at: at });
      if (n > 0)
        await audit(trx, actorOf(req), {
          action: 'notification.read_all',
          entity: 'user',
          entityId: uid,
          after: { count: n, readAt: at },
        });
    });
    flash(req, 'notifications:allRead');
    res.redirect(303, '/notifications');
  });

  r.post('/notifications/:id/read', anyUser, async (req, res) => {
    await markRead(req.user!.id, paramId(req.params.id), actorOf(req));
    flash(req, 'notifications:markedRead');
    res.redirect(303, '/notifications');
  });

  /** Opening a notification marks it read and follows its link. */
  r.post('/notifications/:id/open', anyUser, async (req, res) => {
    const row = await markRead(req.user!.id, paramId(req.params.id), actorOf(req));
    res.redirect(303, safeLink(row.link) ?? '/notifications');
  });

  return r.router;
}
