import type { Request, Router } from 'express';
import type { TFunction } from 'i18next';
import { anyUser, routes } from '../../http/access.js';
import { actorOf } from '../../http/actor.js';
import { formContext } from '../../http/error-handler.js';
import { flash } from '../../http/flash.js';
import { paramId, parse } from '../../http/validate.js';
import type { AppDeps } from '../module.js';
import { MILESTONE_STATUSES } from './milestones.rules.js';
import {
  editMilestoneSchema,
  milestoneFilterSchema,
  milestoneSchema,
  progressUpdateSchema,
} from './milestones.schema.js';
import { createMilestonesService, milestoneSnapshot } from './milestones.service.js';
import { createMilestoneListService } from './milestones.list.js';
import { ganttForProject } from '../timeline/index.js';
import { EXPORT_FORMATS, sendExport } from '../../http/export.js';
import { fileSafe, milestoneExportColumns } from './milestones.export.js';

const EMPTY_FILTER = milestoneFilterSchema.parse({});

/** Labels of the milestone fields, for the history and the conflict page (literal keys). */
export function fieldLabels(t: TFunction): Record<string, string> {
  return {
    titleEn: t('milestones:fields.titleEn'),
    titleAr: t('milestones:fields.titleAr'),
    plannedDate: t('milestones:fields.plannedDate'),
    forecastDate: t('milestones:fields.forecastDate'),
    actualDate: t('milestones:fields.actualDate'),
    percentComplete: t('milestones:fields.percentComplete'),
    weight: t('milestones:fields.weight'),
    ownerId: t('milestones:fields.ownerId'),
    status: t('milestones:fields.status'),
    notes: t('milestones:fields.notes'),
  };
}

export function milestonesRoutes(deps: AppDeps): Router {
  const svc = createMilestonesService(deps);
  const lists = createMilestoneListService(deps);
  const r = routes();
  const base = (req: Request) => `/projects/${paramId(req.params.id)}/milestones`;

  r.get('/milestones', anyUser, async (req, res) => {
    const filter = milestoneFilterSchema.parse(req.query);
    const model = await lists.page(req.user!, filter);
    res.page('milestones/index', { title: req.t('milestones:list.title'), ...model, filter });
  });

  for (const format of EXPORT_FORMATS) {
    r.get(`/milestones/export.${format}`, anyUser, async (req, res) => {
      const filter = milestoneFilterSchema.parse(req.query);
      const { rows, today } = await lists.all(req.user!, filter);
      await sendExport(
        res,
        format,
        `masar-milestones-${today}`,
        milestoneExportColumns(req.t, req.locale),
        rows,
        {
          locale: req.locale,
          currency: deps.config.currency,
          sheetName: req.t('milestones:export.sheet'),
        },
      );
    });

    // Registered before /projects/:id/milestones/:mid, which would take "export.csv" for an id.
    r.get(`/projects/:id/milestones/export.${format}`, anyUser, async (req, res) => {
      const project = await svc.visibleProject(req.user!, paramId(req.params.id));
      const { rows, today } = await lists.all(req.user!, { ...EMPTY_FILTER, project: project.id });
      await sendExport(
        res,
        format,
        `masar-milestones-${fileSafe(project.code)}-${today}`,
        milestoneExportColumns(req.t, req.locale),
        rows,
        { locale: req.locale, currency: deps.config.currency, sheetName: req.t('milestones:export.sheet') },
      );
    });
  }

  r.get('/projects/:id/milestones', anyUser, async (req, res) => {
    const model = await svc.projectMilestones(req.user!, paramId(req.params.id));
    const gantt = ganttForProject(
      model.project,
      model.milestones,
      model.today,
      req.locale,
      deps.config.health.atRiskDays,
    );
    res.page('milestones/tab', {
      title: `${req.t('milestones:title')} · ${model.project.code}`,
      activeTab: 'milestones',
      ...model,
      gantt,
    });
  });

  r.get('/projects/:id/milestones/new', anyUser, async (req, res) => {
    const model = await svc.formModel(req.user!, paramId(req.params.id));
    res.page('milestones/form', {
      title: req.t('milestones:new'),
      activeTab: 'milestones',
      ...model,
      values: { status: 'not_started', percentComplete: 0, weight: 1 },
      statuses: MILESTONE_STATUSES,
      labels: fieldLabels(req.t),
    });
  });

  r.post('/projects/:id/milestones', anyUser, async (req, res) => {
    const projectId = paramId(req.params.id);
    const model = await svc.formModel(req.user!, projectId);
    formContext(res, 'milestones/form', {
      title: req.t('milestones:new'),
      activeTab: 'milestones',
      ...model,
      statuses: MILESTONE_STATUSES,
      labels: fieldLabels(req.t),
    });
    const input = parse(milestoneSchema, req.body);
    const id = await svc.create(actorOf(req), projectId, input);
    flash(req, 'milestones:created');
    res.redirect(303, `/projects/${projectId}/milestones/${id}`);
  });

  r.get('/projects/:id/milestones/:mid', anyUser, async (req, res) => {
    const model = await svc.milestonePage(req.user!, paramId(req.params.id), paramId(req.params.mid));
    res.page('milestones/show', {
      title: req.locale === 'ar' ? model.milestone.titleAr : model.milestone.titleEn,
      activeTab: 'milestones',
      ...model,
      labels: fieldLabels(req.t),
    });
  });

  r.get('/projects/:id/milestones/:mid/edit', anyUser, async (req, res) => {
    const model = await svc.formModel(req.user!, paramId(req.params.id), paramId(req.params.mid));
    res.page('milestones/form', {
      title: req.t('milestones:edit'),
      activeTab: 'milestones',
      ...model,
      values: { ...milestoneSnapshot(model.milestone!), version: model.milestone!.version },
      statuses: MILESTONE_STATUSES,
      labels: fieldLabels(req.t),
    });
  });

  r.post('/projects/:id/milestones/:mid', anyUser, async (req, res) => {
    const projectId = paramId(req.params.id);
    const id = paramId(req.params.mid);
    const model = await svc.formModel(req.user!, projectId, id);
    formContext(res, 'milestones/form', {
      title: req.t('milestones:edit'),
      activeTab: 'milestones',
      ...model,
      statuses: MILESTONE_STATUSES,
      labels: fieldLabels(req.t),
    });
    const input = parse(editMilestoneSchema, req.body);
    const changed = await svc.edit(actorOf(req), projectId, id, input);
    flash(req, changed ? 'milestones:saved' : 'milestones:unchanged', {}, changed ? 'success' : 'info');
    res.redirect(303, `${base(req)}/${id}`);
  });

  r.get('/projects/:id/milestones/:mid/update', anyUser, async (req, res) => {
    const model = await svc.updateModel(req.user!, paramId(req.params.id), paramId(req.params.mid));
    const m = model.milestone;
    res.page('milestones/update', {
      title: req.t('milestones:update'),
      activeTab: 'milestones',
      ...model,
      values: {
        percentComplete: m.percentComplete,
        forecastDate: m.forecastDate,
        actualDate: m.actualDate,
        status: m.status,
        version: m.version,
      },
      statuses: MILESTONE_STATUSES,
      labels: fieldLabels(req.t),
    });
  });

  r.post('/projects/:id/milestones/:mid/update', anyUser, async (req, res) => {
    const projectId = paramId(req.params.id);
    const id = paramId(req.params.mid);
    const model = await svc.updateModel(req.user!, projectId, id);
    formContext(res, 'milestones/update', {
      title: req.t('milestones:update'),
      activeTab: 'milestones',
      ...model,
      statuses: MILESTONE_STATUSES,
      labels: fieldLabels(req.t),
    });
    const input = parse(progressUpdateSchema, req.body);
    const changed = await svc.updateProgress(actorOf(req), projectId, id, input);
    flash(
      req,
      changed ? 'milestones:progressSaved' : 'milestones:unchanged',
      {},
      changed ? 'success' : 'info',
    );
    res.redirect(303, `${base(req)}/${id}`);
  });

  return r.router;
}
