import type { Request, Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../../http/actor.js';
import { allowOr403, anyUser, routes } from '../../http/access.js';
import { formContext } from '../../http/error-handler.js';
import { NotFoundError } from '../../http/errors.js';
import { checkbox, version } from '../../http/fields.js';
import { flash } from '../../http/flash.js';
import { paramId, parse } from '../../http/validate.js';
import type { AppDeps } from '../module.js';
import { createReviewService } from './reviews.service.js';
import { periodOf, previousPeriod } from './strategy.periods.js';
import { findObjective, listOwnerCandidates } from './strategy.repository.js';
import { openCycleSchema, reviewActionSchema, reviewEntrySchema, versionSchema } from './strategy.schema.js';
import { strategyLocals } from './strategy.view.js';
import { canCompleteAction } from './strategy.policy.js';

const actionDoneSchema = z.object({ done: checkbox(), version: version() });

/** Periodic strategy reviews: cycles, per-objective entries, actions. */
export function reviewRoutes(deps: AppDeps): Router {
  const { db, config, clock } = deps;
  const svc = createReviewService(deps);
  const r = routes();
  const pmo = allowOr403('admin', 'pmo');
  const locals = (req: Request) => strategyLocals(req, config, deps.clock);

  const listPage = async (req: Request, extra: Record<string, unknown> = {}) => ({
    title: req.t('strategy:reviews.title'),
    ...locals(req),
    cycles: await svc.listCycles(),
    // Quarterly by default: the form proposes the quarter that has just ended.
    suggested: previousPeriod(periodOf('quarterly', clock().toISOString().slice(0, 10))).key,
    ...extra,
  });

  r.get('/strategy/reviews', anyUser, async (req, res) => {
    const model = await listPage(req);
    res.page('strategy/reviews', { ...model, values: { periodKey: model.suggested } });
  });

  r.post('/strategy/reviews', pmo, async (req, res) => {
    formContext(res, 'strategy/reviews', await listPage(req));
    const { periodKey } = parse(openCycleSchema, req.body);
    const id = await svc.openCycle(actorOf(req), periodKey);
    flash(req, 'strategy:reviews.opened');
    res.redirect(303, `/strategy/reviews/${id}`);
  });

  r.get('/strategy/reviews/:id', anyUser, async (req, res) => {
    const page = await svc.cyclePage(paramId(req.params.id));
    res.page('strategy/review', {
      title: req.t('strategy:reviews.cycleTitle', { period: locals(req).kf.period(page.cycle.periodKey) }),
      ...locals(req),
      ...page,
      mayComplete: (a: { ownerId: number }) => canCompleteAction(req.user!, a),
    });
  });

  const entryForm = async (
    req: Request,
    cycleId: number,
    objectiveId: number,
    extra: Record<string, unknown> = {},
  ) => {
    const cycle = await svc.getCycle(cycleId);
    const objective = await findObjective(db, objectiveId);
    if (!objective) throw new NotFoundError();
    const page = await svc.cyclePage(cycleId);
    const row = page.objectives.find((o) => o.objective.id === objectiveId)!;
    return {
      title: req.t('strategy:reviews.entryTitle', { code: objective.code }),
      ...locals(req),
      cycle,
      objective,
      kpis: row.kpis,
      status: row.status,
      entry: row.entry,
      owners: await listOwnerCandidates(db),
      mayComplete: (a: { ownerId: number }) => canCompleteAction(req.user!, a),
      ...extra,
    };
  };

  r.get('/strategy/reviews/:id/objectives/:objectiveId', pmo, async (req, res) => {
    const model = await entryForm(req, paramId(req.params.id), paramId(req.params.objectiveId));
    res.page('strategy/review-entry', {
      ...model,
      values: model.entry
        ? { summary: model.entry.summary, decisions: model.entry.decisions, version: model.entry.version }
        : { version: 0 },
    });
  });

  r.post('/strategy/reviews/:id/objectives/:objectiveId', pmo, async (req, res) => {
    const cycleId = paramId(req.params.id);
    const objectiveId = paramId(req.params.objectiveId);
    formContext(res, 'strategy/review-entry', await entryForm(req, cycleId, objectiveId, { form: 'entry' }));
    await svc.saveEntry(actorOf(req), cycleId, objectiveId, parse(reviewEntrySchema, req.body));
    flash(req, 'strategy:reviews.entrySaved');
    res.redirect(303, `/strategy/reviews/${cycleId}/objectives/${objectiveId}`);
  });

  r.post('/strategy/reviews/:id/objectives/:objectiveId/actions', pmo, async (req, res) => {
    const cycleId = paramId(req.params.id);
    const objectiveId = paramId(req.params.objectiveId);
    const model = await entryForm(req, cycleId, objectiveId, { form: 'action' });
    const entry = model.entry as { summary: string; decisions: string | null; version: number } | null;
    formContext(res, 'strategy/review-entry', {
      ...model,
      entryValues: entry
        ? { summary: entry.summary, decisions: entry.decisions, version: entry.version }
        : { version: 0 },
    });
    await svc.addAction(actorOf(req), cycleId, objectiveId, parse(reviewActionSchema, req.body));
    flash(req, 'strategy:reviews.actionAdded');
    res.redirect(303, `/strategy/reviews/${cycleId}/objectives/${objectiveId}`);
  });

  r.post('/strategy/reviews/actions/:actionId', anyUser, async (req, res) => {
    const id = paramId(req.params.actionId);
    const action = await svc.findAction(id);
    if (!action) throw new NotFoundError();
    const input = parse(actionDoneSchema, req.body);
    const cycleId = await svc.setActionDone(actorOf(req), id, input.done, input.version);
    flash(req, input.done ? 'strategy:reviews.actionCompleted' : 'strategy:reviews.actionReopened');
    const back =
      typeof req.body.back === 'string' &&
      /^\/strategy\/reviews\/\d+(\/objectives\/\d+)?$/.test(req.body.back);
    res.redirect(303, back ? (req.body.back as string) : `/strategy/reviews/${cycleId}`);
  });

  r.post('/strategy/reviews/:id/close', pmo, async (req, res) => {
    const id = paramId(req.params.id);
    const { version: v } = parse(versionSchema, req.body);
    await svc.closeCycle(actorOf(req), id, v);
    flash(req, 'strategy:reviews.closed');
    res.redirect(303, `/strategy/reviews/${id}`);
  });

  return r.router;
}
