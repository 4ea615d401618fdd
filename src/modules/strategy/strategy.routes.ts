import type { Request, Router } from 'express';
import { actorOf } from '../../http/actor.js';
import { allowOr403, anyUser, routes } from '../../http/access.js';
import { formContext } from '../../http/error-handler.js';
import { flash } from '../../http/flash.js';
import { paramId, parse } from '../../http/validate.js';
import { loadVisibleProject } from '../projects/projects.access.js';
import type { AppDeps } from '../module.js';
import {
  linkTargetOptions,
  listObjectives,
  listOwnerCandidates,
  listStrategies,
} from './strategy.repository.js';
import {
  linkPrefillSchema,
  linkSchema,
  linkUpdateSchema,
  objectiveSchema,
  objectiveUpdateSchema,
  strategySchema,
  strategyUpdateSchema,
  versionSchema,
} from './strategy.schema.js';
import { createStrategyService } from './strategy.service.js';
import { createReviewService } from './reviews.service.js';
import { strategyLocals } from './strategy.view.js';

/** The strategy map, strategies, objectives and their links to programs and projects. */
export function strategyRoutes(deps: AppDeps): Router {
  const { db, config } = deps;
  const svc = createStrategyService(deps);
  const reviews = createReviewService(deps);
  const r = routes();
  const pmo = allowOr403('admin', 'pmo');
  const locals = (req: Request) => strategyLocals(req, config, deps.clock);

  r.get('/strategy', anyUser, async (req, res) => {
    const map = await svc.map(req.user!);
    res.page('strategy/map', { title: req.t('strategy:map.title'), ...locals(req), ...map });
  });

  // ---- strategies

  const strategyForm = (req: Request, extra: Record<string, unknown> = {}) => ({
    title: req.t(extra.editing ? 'strategy:strategies.edit' : 'strategy:strategies.new'),
    ...locals(req),
    ...extra,
  });

  r.get('/strategy/strategies/new', pmo, (req, res) => {
    const year = new Date().getUTCFullYear();
    res.page('strategy/strategy-form', strategyForm(req, { values: { startYear: year, endYear: year + 4 } }));
  });

  r.post('/strategy/strategies', pmo, async (req, res) => {
    formContext(res, 'strategy/strategy-form', strategyForm(req));
    await svc.createStrategy(actorOf(req), parse(strategySchema, req.body));
    flash(req, 'strategy:strategies.created');
    res.redirect(303, '/strategy');
  });

  r.get('/strategy/strategies/:id/edit', pmo, async (req, res) => {
    const s = await svc.getStrategy(paramId(req.params.id));
    res.page('strategy/strategy-form', strategyForm(req, { editing: s, values: s }));
  });

  r.post('/strategy/strategies/:id', pmo, async (req, res) => {
    const s = await svc.getStrategy(paramId(req.params.id));
    formContext(res, 'strategy/strategy-form', strategyForm(req, { editing: s }));
    await svc.updateStrategy(actorOf(req), s.id, parse(strategyUpdateSchema, req.body));
    flash(req, 'common:flash.saved');
    res.redirect(303, '/strategy');
  });

  // ---- objectives

  const objectiveForm = async (req: Request, extra: Record<string, unknown> = {}) => ({
    title: req.t(extra.editing ? 'strategy:objectives.edit' : 'strategy:objectives.new'),
    ...locals(req),
    strategies: await listStrategies(db),
    owners: await listOwnerCandidates(db),
    ...extra,
  });

  r.get('/strategy/objectives/new', pmo, async (req, res) => {
    const model = await objectiveForm(req);
    const first = (model.strategies as { id: number }[])[0];
    res.page('strategy/objective-form', { ...model, values: { strategyId: first?.id, sortOrder: 0 } });
  });

  r.post('/strategy/objectives', pmo, async (req, res) => {
    formContext(res, 'strategy/objective-form', await objectiveForm(req));
    const id = await svc.createObjective(actorOf(req), parse(objectiveSchema, req.body));
    flash(req, 'strategy:objectives.created');
    res.redirect(303, `/strategy/objectives/${id}`);
  });

  r.get('/strategy/objectives/:id', anyUser, async (req, res) => {
    const page = await svc.objectivePage(req.user!, paramId(req.params.id));
    const history = await reviews.objectiveHistory(page.objective.id);
    res.page('strategy/objective', {
      title: `${page.objective.code} · ${req.locale === 'ar' ? page.objective.nameAr : page.objective.nameEn}`,
      ...locals(req),
      ...page,
      history,
    });
  });

  r.get('/strategy/objectives/:id/edit', pmo, async (req, res) => {
    const o = await svc.getObjective(paramId(req.params.id));
    res.page('strategy/objective-form', await objectiveForm(req, { editing: o, values: o }));
  });

  r.post('/strategy/objectives/:id', pmo, async (req, res) => {
    const o = await svc.getObjective(paramId(req.params.id));
    formContext(res, 'strategy/objective-form', await objectiveForm(req, { editing: o }));
    await svc.updateObjective(actorOf(req), o.id, parse(objectiveUpdateSchema, req.body));
    flash(req, 'common:flash.saved');
    res.redirect(303, `/strategy/objectives/${o.id}`);
  });

  // ---- links between objectives and programs / projects

  const linkForm = async (req: Request, extra: Record<string, unknown> = {}) => ({
    title: req.t(extra.editing ? 'strategy:links.edit' : 'strategy:links.new'),
    ...locals(req),
    objectives: await listObjectives(db),
    options: await linkTargetOptions(db, req.user!),
    ...extra,
  });

  r.get('/strategy/links/new', pmo, async (req, res) => {
    const q = linkPrefillSchema.parse(req.query);
    const target = q.project ? `project:${q.project}` : q.program ? `program:${q.program}` : '';
    const back = q.project
      ? `/projects/${q.project}/objectives`
      : q.objective
        ? `/strategy/objectives/${q.objective}`
        : '/strategy';
    res.page(
      'strategy/link-form',
      await linkForm(req, { values: { objectiveId: q.objective, target }, back }),
    );
  });

  r.post('/strategy/links', pmo, async (req, res) => {
    formContext(res, 'strategy/link-form', await linkForm(req, { back: '/strategy' }));
    const input = parse(linkSchema, req.body);
    await svc.createLink(actorOf(req), input);
    flash(req, 'strategy:links.created');
    res.redirect(303, `/strategy/objectives/${input.objectiveId}`);
  });

  r.get('/strategy/links/:id/edit', pmo, async (req, res) => {
    const link = await svc.getLink(req.user!, paramId(req.params.id));
    const objective = await svc.getObjective(link.objectiveId);
    res.page('strategy/link-form', await linkForm(req, { editing: link, objective, values: link }));
  });

  r.post('/strategy/links/:id', pmo, async (req, res) => {
    const link = await svc.getLink(req.user!, paramId(req.params.id));
    const objective = await svc.getObjective(link.objectiveId);
    formContext(res, 'strategy/link-form', await linkForm(req, { editing: link, objective }));
    const objectiveId = await svc.updateLink(actorOf(req), link.id, parse(linkUpdateSchema, req.body));
    flash(req, 'common:flash.saved');
    res.redirect(303, `/strategy/objectives/${objectiveId}`);
  });

  r.post('/strategy/links/:id/delete', pmo, async (req, res) => {
    const link = await svc.getLink(req.user!, paramId(req.params.id));
    const { version } = parse(versionSchema, req.body);
    const objectiveId = await svc.deleteLink(actorOf(req), link.id, version);
    flash(req, 'strategy:links.deleted');
    res.redirect(303, `/strategy/objectives/${objectiveId}`);
  });

  // ---- the project page's "Objectives" tab

  r.get('/projects/:id/objectives', anyUser, async (req, res) => {
    const project = await loadVisibleProject<{ id: number; program_id: number; code: string }>(
      db,
      req.user!,
      paramId(req.params.id),
    );
    const objectives = await svc.projectObjectives(req.user!, project);
    res.page('strategy/project-tab', {
      title: `${project.code} · ${req.t('strategy:tab.label')}`,
      ...locals(req),
      project,
      activeTab: 'objectives',
      objectives,
    });
  });

  return r.router;
}
