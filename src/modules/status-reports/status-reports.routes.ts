import type { Router } from 'express';
import { z } from 'zod';
import { anyUser, routes } from '../../http/access.js';
import { actorOf } from '../../http/actor.js';
import { formContext } from '../../http/error-handler.js';
import { flash } from '../../http/flash.js';
import { paramId, parse } from '../../http/validate.js';
import type { AppDeps } from '../module.js';
import { RAG_FIELDS, RAGS } from './status-reports.rules.js';
import { submitReportSchema } from './status-reports.schema.js';
import { createStatusReportsService } from './status-reports.service.js';

/** Status reports: the tab, the form, one report. There is no edit route: submitted is frozen. */
export function statusReportsRoutes(deps: AppDeps): Router {
  const svc = createStatusReportsService(deps);
  const r = routes();
  const formExtras = { activeTab: 'status-reports', rags: RAGS, ragFields: RAG_FIELDS };

  r.get('/projects/:id/status-reports', anyUser, async (req, res) => {
    const page = z.coerce.number().int().min(1).max(100000).catch(1).parse(req.query.page);
    const model = await svc.projectReports(req.user!, paramId(req.params.id), page);
    res.page('status-reports/tab', {
      title: `${req.t('statusReports:title')} · ${model.project.code}`,
      activeTab: 'status-reports',
      ...model,
    });
  });

  r.get('/projects/:id/status-reports/new', anyUser, async (req, res) => {
    const model = await svc.formModel(req.user!, paramId(req.params.id));
    res.page('status-reports/form', {
      title: req.t('statusReports:new'),
      ...formExtras,
      ...model,
      values: { periodStart: model.periods[0]?.start },
    });
  });

  r.post('/projects/:id/status-reports', anyUser, async (req, res) => {
    const projectId = paramId(req.params.id);
    const model = await svc.formModel(req.user!, projectId);
    formContext(res, 'status-reports/form', { title: req.t('statusReports:new'), ...formExtras, ...model });
    const input = parse(submitReportSchema, req.body);
    const id = await svc.submit(actorOf(req), projectId, input);
    flash(req, 'statusReports:submitted');
    res.redirect(303, `/projects/${projectId}/status-reports/${id}`);
  });

  r.get('/projects/:id/status-reports/:rid', anyUser, async (req, res) => {
    const model = await svc.report(req.user!, paramId(req.params.id), paramId(req.params.rid));
    res.page('status-reports/show', {
      title: req.t('statusReports:reportTitle', { project: model.project.code }),
      activeTab: 'status-reports',
      ragFields: RAG_FIELDS,
      ...model,
    });
  });

  return r.router;
}
