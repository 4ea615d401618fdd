import type { Router } from 'express';
import { z } from 'zod';
import { allow, routes } from '../../http/access.js';
import { optionalDate, optionalId, optionalText } from '../../http/fields.js';
import type { AppDeps } from '../module.js';
import { auditEntities, listAudit } from './audit.repository.js';
import { listActiveUsers } from '../../auth/users.repository.js';

const PAGE_SIZE = 50;

const filterSchema = z.object({
  actor: optionalId().catch(undefined),
  entity: optionalText(60).catch(undefined),
  entityId: optionalText(60).catch(undefined),
  action: optionalText(60).catch(undefined),
  from: optionalDate().catch(undefined),
  to: optionalDate().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});

export function auditRoutes(deps: AppDeps): Router {
  const r = routes();
  r.get('/admin/audit', allow('admin'), async (req, res) => {
    const f = filterSchema.parse(req.query);
    const { rows, total } = await listAudit(
      deps.db,
      { actorId: f.actor, entity: f.entity, entityId: f.entityId, action: f.action, from: f.from, to: f.to },
      PAGE_SIZE,
      (f.page - 1) * PAGE_SIZE,
    );
    const [entities, users] = await Promise.all([auditEntities(deps.db), listActiveUsers(deps.db)]);
    res.page('audit/index', {
      title: req.t('audit:title'),
      rows,
      total,
      page: f.page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      filter: f,
      entities,
      users,
    });
  });
  return r.router;
}
