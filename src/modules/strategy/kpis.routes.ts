import type { Request, Router } from 'express';
import { actorOf } from '../../http/actor.js';
import { allowOr403, anyUser, routes } from '../../http/access.js';
import { formContext } from '../../http/error-handler.js';
import { ForbiddenError, NotFoundError } from '../../http/errors.js';
import { EXPORT_FORMATS, sendExport } from '../../http/export.js';
import { flash } from '../../http/flash.js';
import { paramId, parse } from '../../http/validate.js';
import type { AppDeps } from '../module.js';
import { COMPUTED_SOURCES } from './computed.sources.js';
import { generateComputedMeasurements } from './computed.js';
import { createMeasurementService } from './measurements.service.js';
import { exportColumns, exportRows } from './strategy.export.js';
import { FREQUENCIES, periodsBetween } from './strategy.periods.js';
import { canRecordMeasurement } from './strategy.policy.js';
import { listOwnerCandidates, type Kpi } from './strategy.repository.js';
import {
  kpiSchema,
  kpiVersionSchema,
  measurementPrefillSchema,
  measurementSchema,
  targetSchema,
  targetUpdateSchema,
  versionSchema,
} from './strategy.schema.js';
import { createStrategyService } from './strategy.service.js';
import { kpiChart } from './strategy.kpi-page.js';
import { DIRECTIONS, formatPlain, UNITS } from './strategy.values.js';
import { strategyLocals } from './strategy.view.js';

/** KPI pages, the KPI and target forms, measurements and the exports of KPI values. */
export function kpiRoutes(deps: AppDeps): Router {
  const { db, config, clock } = deps;
  const svc = createStrategyService(deps);
  const measurements = createMeasurementService(deps);
  const r = routes();
  const pmo = allowOr403('admin', 'pmo');
  const locals = (req: Request) => strategyLocals(req, config, deps.clock);
  const today = () => clock().toISOString().slice(0, 10);

  const kpiForm = async (req: Request, objectiveId: number, extra: Record<string, unknown> = {}) => ({
    title: req.t(extra.editing ? 'strategy:kpis.edit' : 'strategy:kpis.new'),
    ...locals(req),
    objective: await svc.getObjective(objectiveId),
    owners: await listOwnerCandidates(db),
    units: UNITS,
    directions: DIRECTIONS,
    frequencies: FREQUENCIES,
    sources: COMPUTED_SOURCES,
    ...extra,
  });

  r.get('/strategy/objectives/:id/kpis/new', pmo, async (req, res) => {
    const objectiveId = paramId(req.params.id);
    res.page(
      'strategy/kpi-form',
      await kpiForm(req, objectiveId, {
        values: { unit: 'percent', direction: 'higher', frequency: 'quarterly', sortOrder: 0 },
      }),
    );
  });

  r.post('/strategy/objectives/:id/kpis', pmo, async (req, res) => {
    const objectiveId = paramId(req.params.id);
    formContext(res, 'strategy/kpi-form', await kpiForm(req, objectiveId));
    const id = await svc.createKpi(actorOf(req), objectiveId, parse(kpiSchema, req.body));
    flash(req, 'strategy:kpis.created');
    res.redirect(303, `/strategy/kpis/${id}/targets`);
  });

  r.get('/strategy/kpis/:id', anyUser, async (req, res) => {
    const id = paramId(req.params.id);
    let kpi = await svc.getKpi(id);
    // A computed KPI is brought up to date when someone looks at it.
    if (kpi.computed) {
      await generateComputedMeasurements(db, clock(), { kpiIds: [id] });
      kpi = await svc.getKpi(id);
    }
    const [objective, summary, history] = await Promise.all([
      svc.getObjective(kpi.objectiveId),
      svc.kpiSummary(kpi),
      measurements.history(id),
    ]);
    const l = locals(req);
    res.page('strategy/kpi', {
      title: `${kpi.code} · ${req.locale === 'ar' ? kpi.nameAr : kpi.nameEn}`,
      ...l,
      kpi,
      objective,
      summary,
      history,
      chart: kpiChart(kpi, summary, l.kf, req.locale, config.kpi),
      canRecord: canRecordMeasurement(req.user!, kpi),
    });
  });

  const kpiValues = (k: Kpi) => ({
    ...k,
    baselineValue: formatPlain(k.baselineValue),
    sourceKey: k.sourceKey ?? '',
  });

  r.get('/strategy/kpis/:id/edit', pmo, async (req, res) => {
    const kpi = await svc.getKpi(paramId(req.params.id));
    res.page(
      'strategy/kpi-form',
      await kpiForm(req, kpi.objectiveId, { editing: kpi, values: kpiValues(kpi) }),
    );
  });

  r.post('/strategy/kpis/:id', pmo, async (req, res) => {
    const kpi = await svc.getKpi(paramId(req.params.id));
    formContext(res, 'strategy/kpi-form', await kpiForm(req, kpi.objectiveId, { editing: kpi }));
    const input = parse(kpiSchema, req.body);
    const { version } = parse(kpiVersionSchema, req.body);
    await svc.updateKpi(actorOf(req), kpi.id, { ...input, version });
    flash(req, 'common:flash.saved');
    res.redirect(303, `/strategy/kpis/${kpi.id}`);
  });

  // ---- targets

  const targetsPage = async (req: Request, kpi: Kpi, extra: Record<string, unknown> = {}) => ({
    title: req.t('strategy:targets.title'),
    ...locals(req),
    kpi,
    objective: await svc.getObjective(kpi.objectiveId),
    targets: await svc.listTargets(kpi.id),
    ...extra,
  });

  r.get('/strategy/kpis/:id/targets', pmo, async (req, res) => {
    const kpi = await svc.getKpi(paramId(req.params.id));
    res.page('strategy/kpi-targets', await targetsPage(req, kpi));
  });

  r.post('/strategy/kpis/:id/targets', pmo, async (req, res) => {
    const kpi = await svc.getKpi(paramId(req.params.id));
    formContext(res, 'strategy/kpi-targets', await targetsPage(req, kpi));
    await svc.addTarget(actorOf(req), kpi.id, parse(targetSchema(kpi.unit), req.body));
    flash(req, 'strategy:targets.saved');
    res.redirect(303, `/strategy/kpis/${kpi.id}/targets`);
  });

  r.post('/strategy/kpis/:id/targets/:targetId', pmo, async (req, res) => {
    const kpi = await svc.getKpi(paramId(req.params.id));
    const targetId = paramId(req.params.targetId);
    formContext(res, 'strategy/kpi-targets', await targetsPage(req, kpi, { editingTargetId: targetId }));
    await svc.updateTarget(actorOf(req), kpi.id, targetId, parse(targetUpdateSchema(kpi.unit), req.body));
    flash(req, 'strategy:targets.saved');
    res.redirect(303, `/strategy/kpis/${kpi.id}/targets`);
  });

  r.post('/strategy/kpis/:id/targets/:targetId/delete', pmo, async (req, res) => {
    const kpi = await svc.getKpi(paramId(req.params.id));
    const { version } = parse(versionSchema, req.body);
    await svc.deleteTarget(actorOf(req), kpi.id, paramId(req.params.targetId), version);
    flash(req, 'strategy:targets.deleted');
    res.redirect(303, `/strategy/kpis/${kpi.id}/targets`);
  });

  // ---- measurements

  /** The measurement form's model: the periods that can take a value (newest first) and their current values. */
  const measurementForm = async (req: Request, kpi: Kpi, extra: Record<string, unknown> = {}) => {
    const summary = await svc.kpiSummary(kpi);
    const periods = periodsBetween(kpi.frequency, kpi.baselineDate, today()).reverse();
    const current = new Map(summary.values.map((v) => [v.periodKey, v]));
    return {
      title: req.t('strategy:measurements.title'),
      ...locals(req),
      kpi,
      objective: await svc.getObjective(kpi.objectiveId),
      periods: periods.map((p) => ({ key: p.key, current: current.get(p.key) ?? null })),
      summary,
      ...extra,
    };
  };

  const mayRecord = (req: Request, kpi: Kpi) => {
    if (kpi.computed) throw new ForbiddenError('strategy:measurements.computedForbidden');
    if (!canRecordMeasurement(req.user!, kpi)) throw new ForbiddenError('strategy:measurements.notOwner');
  };

  r.get('/strategy/kpis/:id/measurements/new', anyUser, async (req, res) => {
    const kpi = await svc.getKpi(paramId(req.params.id));
    mayRecord(req, kpi);
    const q = measurementPrefillSchema.parse(req.query);
    const model = await measurementForm(req, kpi);
    const periods = model.periods;
    const chosen =
      periods.find((p) => p.key === q.period?.toUpperCase()) ??
      (model.summary.missing
        ? periods.find((p) => p.key === model.summary.missing!.period.key)
        : undefined) ??
      periods[0];
    // A correction only when the person chose the period (its "Correct" link): the form then fixes
    // the period and names the value it replaces.
    const asked = !!q.period && chosen?.key === q.period.toUpperCase();
    const replaces = asked ? (chosen?.current ?? null) : null;
    res.page('strategy/measurement-form', {
      ...model,
      replacing: replaces,
      values: {
        periodKey: chosen?.key,
        value: replaces ? formatPlain(replaces.value) : '',
        replaces: replaces?.id ?? '',
      },
    });
  });

  r.post('/strategy/kpis/:id/measurements', anyUser, async (req, res) => {
    const kpi = await svc.getKpi(paramId(req.params.id));
    mayRecord(req, kpi);
    formContext(res, 'strategy/measurement-form', await measurementForm(req, kpi));
    const input = parse(measurementSchema(kpi.unit), req.body);
    const m = await measurements.record(actorOf(req), kpi.id, input);
    flash(req, m.supersedesId ? 'strategy:measurements.corrected' : 'strategy:measurements.recorded');
    res.redirect(303, `/strategy/kpis/${kpi.id}`);
  });

  // ---- exports of KPI values (current values, one row per KPI and period)

  const format = (v: unknown) => {
    const f = String(v);
    if (!(EXPORT_FORMATS as readonly string[]).includes(f)) throw new NotFoundError();
    return f as (typeof EXPORT_FORMATS)[number];
  };

  r.get('/strategy/export/:format', anyUser, async (req, res) => {
    const f = format(req.params.format);
    const rows = await exportRows(db, config, today());
    await sendExport(res, f, `kpi-values-${today()}`, exportColumns(req, config, f), rows, {
      locale: req.locale,
      currency: config.currency,
      sheetName: req.t('strategy:export.sheet'),
    });
  });

  r.get('/strategy/kpis/:id/export/:format', anyUser, async (req, res) => {
    const kpi = await svc.getKpi(paramId(req.params.id));
    const f = format(req.params.format);
    const rows = await exportRows(db, config, today(), kpi.id);
    await sendExport(
      res,
      f,
      `kpi-${kpi.code.toLowerCase()}-${today()}`,
      exportColumns(req, config, f),
      rows,
      {
        locale: req.locale,
        currency: config.currency,
        sheetName: kpi.code,
      },
    );
  });

  return r.router;
}
