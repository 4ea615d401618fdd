import type { Router } from 'express';
import { z } from 'zod';
import { anyUser, routes } from '../../http/access.js';
import { optionalId } from '../../http/fields.js';
import type { AppDeps } from '../module.js';
import { createTimelineService } from './timeline.service.js';

const filterSchema = z.object({
  program: optionalId().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
});

export function timelineRoutes(deps: AppDeps): Router {
  const svc = createTimelineService(deps);
  const r = routes();
  r.get('/timeline', anyUser, async (req, res) => {
    const filter = filterSchema.parse(req.query);
    const model = await svc.page(req.user!, filter, req.locale);
    res.page('timeline/index', { title: req.t('timeline:title'), ...model, filter });
  });
  return r.router;
}
