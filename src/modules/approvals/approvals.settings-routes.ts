import type { Request, Router } from 'express';
import { actorOf } from '../../http/actor.js';
import { allow, routes } from '../../http/access.js';
import { formContext } from '../../http/error-handler.js';
import { NotFoundError } from '../../http/errors.js';
import { flash } from '../../http/flash.js';
import { paramId, parse } from '../../http/validate.js';
import type { AppDeps } from '../module.js';
import { isoDay } from '../portfolio/index.js';
import { canManageHolidays } from './approvals.policy.js';
import { criterionLabel, parsePayload } from './approvals.engine.js';
import { gateCriterionTypes } from './approvals.registry.js';
import * as repo from './approvals.repository.js';
import {
  APPROVAL_KINDS,
  DECIDER_ROLES,
  GATE_FROM_PHASES,
  delegationActive,
  type ApprovalKind,
} from './approvals.rules.js';
import {
  criterionMoveSchema,
  criterionSchema,
  delegationSchema,
  holidaySchema,
  kindParam,
  moveSchema,
  workflowStepSchema,
} from './approvals.schema.js';
import { approvalSettings } from './approvals.settings.js';
import { createApprovalSettingsService } from './approvals.settings-service.js';
import { isGovernance } from '../../auth/roles.js';

const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

function kindOf(v: unknown): ApprovalKind {
  const p = kindParam.safeParse(v);
  if (!p.success) throw new NotFoundError();
  return p.data;
}

/** Approval settings (workflows, gate criteria), public holidays and delegations. */
export function approvalSettingsRoutes(deps: AppDeps): Router {
  const { db } = deps;
  const svc = createApprovalSettingsService(db);
  const r = routes();
  const governance = allow('pmo', 'admin');
  const deciders = allow('admin', 'pmo', 'pm', 'sponsor');

  async function settingsModel(req: Request) {
    const [wfs, criteria, users] = await Promise.all([
      repo.workflows(db),
      repo.criteriaRows(db),
      repo.deciderCandidates(db),
    ]);
    const ordered = APPROVAL_KINDS.map((k) => wfs.find((w) => w.kind === k)).filter((w) => !!w);
    const { weekendDays, escalationDays } = approvalSettings();
    return {
      title: req.t('approvals:settings.title'),
      workflows: ordered,
      criteria: GATE_FROM_PHASES.map((phase) => ({
        phase,
        items: criteria
          .filter((c) => c.from_phase === phase)
          .map((c) => {
            const params = parsePayload(c.params);
            return {
              ...c,
              label: criterionLabel(req.t, { type: c.criterion_type, params, known: true }),
              paramsText: Object.entries(params)
                .map(([k, v]) => `${k}=${String(v)}`)
                .join(', '),
            };
          }),
      })),
      criterionTypes: gateCriterionTypes(),
      criterionTypeLabel: (type: string) => criterionLabel(req.t, { type, params: {}, known: true }),
      deciderRoles: DECIDER_ROLES,
      users,
      phases: GATE_FROM_PHASES,
      escalationDays,
      weekend: weekendDays.map((d) => req.t(`approvals:weekday.${WEEKDAY_KEYS[d]}`)).join(', '),
      canHolidays: canManageHolidays(req.user!),
    };
  }

  r.get('/approvals/settings', governance, async (req, res) => {
    res.page('approvals/settings', await settingsModel(req));
  });

  r.post('/approvals/settings/workflows/:kind/steps', governance, async (req, res) => {
    const kind = kindOf(req.params.kind);
    formContext(res, 'approvals/settings', { ...(await settingsModel(req)), formKind: kind });
    const input = parse(workflowStepSchema, req.body);
    await svc.addStep(actorOf(req), kind, input);
    flash(req, 'approvals:settings.saved');
    res.redirect(303, `/approvals/settings#wf-${kind}`);
  });

  r.post('/approvals/settings/workflows/:kind/steps/:stepId/delete', governance, async (req, res) => {
    const kind = kindOf(req.params.kind);
    const stepId = paramId(req.params.stepId);
    formContext(res, 'approvals/settings', { ...(await settingsModel(req)), formKind: kind });
    const { version } = parse(moveSchema.pick({ version: true }), req.body);
    await svc.removeStep(actorOf(req), kind, stepId, version);
    flash(req, 'approvals:settings.saved');
    res.redirect(303, `/approvals/settings#wf-${kind}`);
  });

  r.post('/approvals/settings/workflows/:kind/steps/:stepId/move', governance, async (req, res) => {
    const kind = kindOf(req.params.kind);
    const stepId = paramId(req.params.stepId);
    formContext(res, 'approvals/settings', { ...(await settingsModel(req)), formKind: kind });
    const { direction, version } = parse(moveSchema, req.body);
    await svc.moveStep(actorOf(req), kind, stepId, direction, version);
    flash(req, 'approvals:settings.saved');
    res.redirect(303, `/approvals/settings#wf-${kind}`);
  });

  r.post('/approvals/settings/criteria', governance, async (req, res) => {
    formContext(res, 'approvals/settings', { ...(await settingsModel(req)), formKind: 'criteria' });
    const input = parse(criterionSchema, req.body);
    await svc.addCriterion(actorOf(req), input);
    flash(req, 'approvals:settings.criterionSaved');
    res.redirect(303, '/approvals/settings#criteria');
  });

  r.post('/approvals/settings/criteria/:id/delete', governance, async (req, res) => {
    await svc.removeCriterion(actorOf(req), paramId(req.params.id));
    flash(req, 'approvals:settings.criterionSaved');
    res.redirect(303, '/approvals/settings#criteria');
  });

  r.post('/approvals/settings/criteria/:id/move', governance, async (req, res) => {
    const id = paramId(req.params.id);
    formContext(res, 'approvals/settings', { ...(await settingsModel(req)), formKind: 'criteria' });
    const { direction } = parse(criterionMoveSchema, req.body);
    await svc.moveCriterion(actorOf(req), id, direction);
    flash(req, 'approvals:settings.criterionSaved');
    res.redirect(303, '/approvals/settings#criteria');
  });

  // --- public holidays (administrators) --------------------------------------------------------

  const admin = allow('admin');
  async function holidaysModel(req: Request) {
    return { title: req.t('approvals:holidays.title'), holidays: await repo.holidays(db) };
  }

  r.get('/approvals/holidays', admin, async (req, res) => {
    res.page('approvals/holidays', await holidaysModel(req));
  });

  r.post('/approvals/holidays', admin, async (req, res) => {
    formContext(res, 'approvals/holidays', await holidaysModel(req));
    const input = parse(holidaySchema, req.body);
    await svc.addHoliday(actorOf(req), input);
    flash(req, 'approvals:holidays.added');
    res.redirect(303, '/approvals/holidays');
  });

  r.post('/approvals/holidays/:id/delete', admin, async (req, res) => {
    await svc.removeHoliday(actorOf(req), paramId(req.params.id));
    flash(req, 'approvals:holidays.removed');
    res.redirect(303, '/approvals/holidays');
  });

  // --- delegations -------------------------------------------------------------------------------

  async function delegationsModel(req: Request) {
    const user = req.user!;
    const today = isoDay(approvalSettings().clock());
    const [rows, candidates] = await Promise.all([
      repo.delegations(db, user, isGovernance(user.role)),
      svc.suitableDelegates(user),
    ]);
    return {
      title: req.t('approvals:delegations.title'),
      today,
      rows: rows.map((d) => ({
        ...d,
        state:
          d.ended_at || d.ends_on < today
            ? 'ended'
            : delegationActive({ startsOn: d.starts_on, endsOn: d.ends_on, endedAt: null }, today)
              ? 'active'
              : 'scheduled',
        canEnd: !d.ended_at && d.ends_on >= today,
      })),
      candidates,
      values: { startsOn: today, endsOn: today },
    };
  }

  r.get('/approvals/delegations', deciders, async (req, res) => {
    res.page('approvals/delegations', await delegationsModel(req));
  });

  r.post('/approvals/delegations', deciders, async (req, res) => {
    formContext(res, 'approvals/delegations', await delegationsModel(req));
    const input = parse(delegationSchema, req.body);
    await svc.createDelegation(actorOf(req), input);
    flash(req, 'approvals:delegations.created');
    res.redirect(303, '/approvals/delegations');
  });

  r.post('/approvals/delegations/:id/end', deciders, async (req, res) => {
    await svc.endDelegation(actorOf(req), paramId(req.params.id));
    flash(req, 'approvals:delegations.endedMsg');
    res.redirect(303, '/approvals/delegations');
  });

  return r.router;
}
