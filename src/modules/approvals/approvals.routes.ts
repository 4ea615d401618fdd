import type { Request, Response, Router } from 'express';
import type { TFunction } from 'i18next';
import { actorOf } from '../../http/actor.js';
import { allow, anyUser, routes } from '../../http/access.js';
import { formContext } from '../../http/error-handler.js';
import { ConflictError } from '../../http/errors.js';
import { flash } from '../../http/flash.js';
import { paramId, parse } from '../../http/validate.js';
import { moneyInputValue } from '../../i18n/format.js';
import { translator } from '../../i18n/index.js';
import { pick, type Locale } from '../../i18n/locales.js';
import type { AppDeps } from '../module.js';
import { isoDay } from '../portfolio/index.js';
import { loadVisibleProject } from '../projects/projects.access.js';
import { criterionLabel, evaluateGateCriteria, parsePayload, projectSponsorId } from './approvals.engine.js';
import { canRevise, canSubmitFor, canWithdraw } from './approvals.policy.js';
import { subjectHooks } from './approvals.registry.js';
import * as repo from './approvals.repository.js';
import {
  holdsStep,
  isOverdue,
  isPhase,
  nextPhase,
  APPROVAL_KINDS,
  CHANGE_FIELDS,
  DECIDER_ROLES,
  INBOX_STATUSES,
} from './approvals.rules.js';
import {
  changeSchema,
  commentSchema,
  decisionSchema,
  gateSchema,
  inboxFilterSchema,
  listFilterSchema,
  reviseSchema,
  signoffSchema,
  versionOnlySchema,
} from './approvals.schema.js';
import { createApprovalsService, type ProjectRow } from './approvals.service.js';
import { approvalSettings } from './approvals.settings.js';
import { toRecord, type RequestRow } from './approvals.engine.js';

const tEn = translator('en');
const tAr = translator('ar');

/** Row decorations the list views share: names in the reader's language, overdue flag. */
export function decorate(rows: repo.ListRow[], locale: Locale, now: string) {
  return rows.map((r) => ({
    ...r,
    title: pick(locale, r.title_ar, r.title_en),
    projectName: pick(locale, r.project_name_ar, r.project_name_en),
    requester: pick(locale, r.requester_ar, r.requester_en),
    step: r.status === 'pending' ? pick(locale, r.step_ar, r.step_en) : '',
    overdue: r.status === 'pending' && isOverdue(r.due_at, now),
  }));
}

export function approvalsRoutes(deps: AppDeps): Router {
  const { db, config } = deps;
  const svc = createApprovalsService(db);
  const r = routes();
  const now = () => approvalSettings().clock();

  // --- inbox and my requests ------------------------------------------------------------------

  r.get('/approvals', anyUser, async (req, res) => {
    const user = req.user!;
    const f = inboxFilterSchema.parse(req.query);
    // awaiting my decision is pending by definition; all open requests may show the returned ones
    const status = f.scope === 'all' ? f.status : 'pending';
    const nowIso = now().toISOString();
    const [authority, projectSearch, programSearch, chosen, chosenProgram] = await Promise.all([
      repo.authorityOf(db, user, isoDay(now())),
      f.q ? repo.resolveProjects(db, user, f.q) : null,
      f.programQ ? repo.resolvePrograms(db, user, f.programQ) : null,
      f.project ? repo.visibleProject(db, user, f.project) : null,
      f.program ? repo.visibleProgram(db, user, f.program) : null,
    ]);
    const projects: repo.ProjectSet[] = [];
    if (f.project) projects.push([f.project]);
    if (projectSearch) projects.push(projectSearch.set);
    if (f.program) projects.push(repo.programProjects(f.program));
    if (programSearch) projects.push(programSearch.set);
    const { delegators } = authority;
    // few programs: a list; many: a search field like the project's
    const programs = authority.programs <= repo.PROGRAM_LIST_MAX ? await repo.programOptions(db, user) : null;
    const list = await repo.inbox(
      db,
      user,
      authority,
      { scope: f.scope, status, kind: f.kind, step: f.step, overdue: f.overdue, page: f.page, projects },
      nowIso,
    );
    const rows = decorate(list.rows, req.locale, nowIso).map((row) => {
      let asDelegateOf: string | null = null;
      if (f.scope === 'mine' && row.decider_role) {
        const step = { deciderRole: row.decider_role as 'pmo', deciderUserId: row.decider_user_id };
        const ctx = { sponsorId: row.sponsor_id ?? row.program_sponsor_id, requestedBy: row.requested_by };
        if (!holdsStep(step, ctx, user)) {
          const d = delegators.find((x) => holdsStep(step, ctx, x));
          if (d) asDelegateOf = pick(req.locale, d.name_ar, d.name_en);
        }
      }
      return { ...row, asDelegateOf };
    });
    res.page('approvals/inbox', {
      title: req.t('approvals:inbox.title'),
      filter: { ...f, status },
      list: { ...list, rows },
      programs,
      projectSearch,
      programSearch,
      chosen,
      chosenProgram,
      searchMatches: repo.SEARCH_MATCHES,
      kinds: APPROVAL_KINDS,
      steps: DECIDER_ROLES,
      statuses: INBOX_STATUSES,
    });
  });

  r.get('/approvals/mine', allow('pm', 'pmo', 'admin'), async (req, res) => {
    const f = listFilterSchema.parse(req.query);
    const list = await repo.mine(db, req.user!, f);
    res.page('approvals/mine', {
      title: req.t('approvals:mine.title'),
      filter: f,
      list: { ...list, rows: decorate(list.rows, req.locale, now().toISOString()) },
      kinds: APPROVAL_KINDS,
    });
  });

  // --- a request --------------------------------------------------------------------------------

  async function requestModel(req: Request, id: number, extra: Record<string, unknown> = {}) {
    const user = req.user!;
    const request = await svc.visibleRequest(db, user, id);
    const nowIso = now().toISOString();
    const [project, requester, steps, events, right] = await Promise.all([
      db('projects as p')
        .join('programs as pg', 'pg.id', 'p.program_id')
        .where('p.id', request.project_id)
        .first(
          'p.*',
          'pg.code as program_code',
          'pg.name_en as program_name_en',
          'pg.name_ar as program_name_ar',
        ),
      db('users').where({ id: request.requested_by }).first('id', 'name_en', 'name_ar'),
      repo.requestSteps(db, request.id),
      repo.requestEvents(db, request.id),
      svc.rightOnCurrentStep(db, user, request),
    ]);
    const payload = parsePayload(request.payload);
    let checklist: { label: string; met: boolean }[] | null = null;
    if (request.kind === 'gate' && typeof payload.fromPhase === 'string') {
      const checks = await evaluateGateCriteria(db, request.project_id, payload.fromPhase);
      checklist = checks.map((c) => ({ label: criterionLabel(req.t, c), met: c.met }));
    }
    let milestone: Record<string, unknown> | null = null;
    if (request.kind === 'milestone_signoff') {
      milestone =
        ((await db('milestones as m')
          .leftJoin('milestone_signoffs as so', 'so.milestone_id', 'm.id')
          .where('m.id', request.subject_id)
          .first('m.*', 'so.accepted_at')) as Record<string, unknown> | undefined) ?? null;
    }
    let behalfName: string | null = null;
    if (right.right.ok && right.right.onBehalfOf) {
      const b = await db('users').where({ id: right.right.onBehalfOf }).first('name_en', 'name_ar');
      behalfName = b ? pick(req.locale, b.name_ar, b.name_en) : null;
    }
    const rounds = [...new Set(steps.map((s) => s.round))].sort((a, b) => a - b);
    const sponsorId = await projectSponsorId(db, request.project_id);
    const sponsor = sponsorId ? await db('users').where({ id: sponsorId }).first('name_en', 'name_ar') : null;
    const hooks = subjectHooks(request.kind);
    return {
      title: pick(req.locale, request.title_ar, request.title_en),
      request,
      payload,
      project,
      requester,
      steps,
      rounds,
      events,
      checklist,
      milestone,
      nowIso,
      subjectLink: hooks?.subjectLink?.(toRecord(request)) ?? null,
      canDecide: right.right.ok,
      ownRequest: !right.right.ok && right.right.reason === 'own_request' && request.status === 'pending',
      behalfName,
      sponsorName: sponsor ? pick(req.locale, sponsor.name_ar, sponsor.name_en) : null,
      canWithdraw: canWithdraw(user, { requestedBy: request.requested_by, status: request.status }),
      canRevise: canRevise(user, { requestedBy: request.requested_by, status: request.status }),
      changeFields: CHANGE_FIELDS,
      isOverdue,
      ...extra,
    };
  }

  r.get('/approvals/:id', anyUser, async (req, res) => {
    res.page('approvals/request', await requestModel(req, paramId(req.params.id)));
  });

  r.post('/approvals/:id/decision', anyUser, async (req, res) => {
    const id = paramId(req.params.id);
    const model = await requestModel(req, id);
    formContext(res, 'approvals/request', model);
    const input = parse(decisionSchema, req.body);
    try {
      await svc.decide(actorOf(req), id, input);
    } catch (err) {
      // The one who lost the race sees the request as it is now, with the reason.
      if (err instanceof ConflictError && err.messageKey === 'approvals:errors.alreadyDecided') {
        return res.page(
          'approvals/request',
          { ...(await requestModel(req, id)), formError: { key: err.messageKey }, values: req.body },
          409,
        );
      }
      throw err;
    }
    flash(req, `approvals:decided.${input.decision}`);
    res.redirect(303, `/approvals/${id}`);
  });

  r.post('/approvals/:id/withdraw', anyUser, async (req, res) => {
    const id = paramId(req.params.id);
    formContext(res, 'approvals/request', await requestModel(req, id));
    const { version } = parse(versionOnlySchema, req.body);
    await svc.withdraw(actorOf(req), id, version);
    flash(req, 'approvals:withdrawn');
    res.redirect(303, `/approvals/${id}`);
  });

  r.post('/approvals/:id/comments', anyUser, async (req, res) => {
    const id = paramId(req.params.id);
    formContext(res, 'approvals/request', await requestModel(req, id));
    const { comment } = parse(commentSchema, req.body);
    await svc.comment(actorOf(req), id, comment);
    flash(req, 'approvals:request.commentAdded');
    res.redirect(303, `/approvals/${id}`);
  });

  async function reviseModel(req: Request, id: number) {
    const user = req.user!;
    const request = await svc.visibleRequest(db, user, id);
    const project = (await db('projects').where({ id: request.project_id }).first()) as ProjectRow;
    const payload = parsePayload(request.payload);
    const proposed = (payload.proposed ?? {}) as Record<string, unknown>;
    return {
      title: req.t('approvals:request.revise'),
      request,
      project,
      payload,
      values: {
        plannedStart: proposed.plannedStart ?? '',
        plannedEnd: proposed.plannedEnd ?? '',
        budgetPlanned:
          typeof proposed.budgetPlanned === 'number'
            ? moneyInputValue(proposed.budgetPlanned, config.currency)
            : '',
        scope: proposed.scope ?? '',
        justification: payload.justification ?? '',
        note: payload.note ?? '',
        version: request.version,
      },
      allowed: canRevise(user, { requestedBy: request.requested_by, status: request.status }),
    };
  }

  r.get('/approvals/:id/revise', anyUser, async (req, res) => {
    const model = await reviseModel(req, paramId(req.params.id));
    res.page('approvals/revise', model, model.allowed ? 200 : 403);
  });

  r.post('/approvals/:id/revise', anyUser, async (req, res) => {
    const id = paramId(req.params.id);
    formContext(res, 'approvals/revise', await reviseModel(req, id));
    const input = parse(reviseSchema(config.currency), req.body);
    await svc.revise(actorOf(req), id, input, req.t);
    flash(req, 'approvals:resubmitted');
    res.redirect(303, `/approvals/${id}`);
  });

  // --- the project's approvals tab and new requests ------------------------------------------

  r.get('/projects/:id/approvals', anyUser, async (req, res) => {
    const project = await loadVisibleProject<ProjectRow>(db, req.user!, paramId(req.params.id));
    const [rows, signoffs] = await Promise.all([
      repo.projectRequests(db, project.id),
      repo.projectSignoffs(db, project.id),
    ]);
    res.page('approvals/project', {
      title: `${project.code} — ${req.t('approvals:tab')}`,
      project,
      activeTab: 'approvals',
      rows: decorate(rows, req.locale, now().toISOString()),
      signoffs,
      canRequest: canSubmitFor(req.user!, { managerId: project.manager_id, sponsorId: project.sponsor_id }),
    });
  });

  async function gateModel(req: Request, projectId: number) {
    const project = await loadVisibleProject<ProjectRow>(db, req.user!, projectId);
    const to = isPhase(project.phase) ? nextPhase(project.phase) : null;
    const checks = to ? await evaluateGateCriteria(db, project.id, project.phase) : [];
    return {
      title: req.t('approvals:newRequest.gate'),
      project,
      activeTab: 'approvals',
      toPhase: to,
      checklist: checks.map((c) => ({ label: criterionLabel(req.t, c), met: c.met })),
      allowed: canSubmitFor(req.user!, { managerId: project.manager_id, sponsorId: project.sponsor_id }),
    };
  }

  function refuseUnlessAllowed(res: Response, model: { allowed: boolean }, view: string) {
    if (!model.allowed) {
      res.page(view, { ...model, formError: { key: 'approvals:errors.cannotRequest' } }, 403);
      return true;
    }
    return false;
  }

  r.get('/projects/:id/approvals/new/gate', anyUser, async (req, res) => {
    const model = await gateModel(req, paramId(req.params.id));
    if (refuseUnlessAllowed(res, model, 'approvals/new-gate')) return;
    res.page('approvals/new-gate', model);
  });

  r.post('/projects/:id/approvals/gate', anyUser, async (req, res) => {
    const projectId = paramId(req.params.id);
    formContext(res, 'approvals/new-gate', await gateModel(req, projectId));
    const input = parse(gateSchema, req.body);
    const id = await svc.submitGate(actorOf(req), projectId, input, req.t, tEn, tAr);
    flash(req, 'approvals:newRequest.submitted');
    res.redirect(303, `/approvals/${id}`);
  });

  async function changeModel(req: Request, projectId: number) {
    const project = await loadVisibleProject<ProjectRow>(db, req.user!, projectId);
    return {
      title: req.t('approvals:newRequest.change'),
      project,
      activeTab: 'approvals',
      allowed: canSubmitFor(req.user!, { managerId: project.manager_id, sponsorId: project.sponsor_id }),
    };
  }

  r.get('/projects/:id/approvals/new/change', anyUser, async (req, res) => {
    const model = await changeModel(req, paramId(req.params.id));
    if (refuseUnlessAllowed(res, model, 'approvals/new-change')) return;
    res.page('approvals/new-change', model);
  });

  r.post('/projects/:id/approvals/change', anyUser, async (req, res) => {
    const projectId = paramId(req.params.id);
    formContext(res, 'approvals/new-change', await changeModel(req, projectId));
    const input = parse(changeSchema(config.currency), req.body);
    const id = await svc.submitChange(actorOf(req), projectId, input, tEn, tAr);
    flash(req, 'approvals:newRequest.submitted');
    res.redirect(303, `/approvals/${id}`);
  });

  async function signoffModel(req: Request, projectId: number) {
    const project = await loadVisibleProject<ProjectRow>(db, req.user!, projectId);
    const milestones = (await repo.projectSignoffs(db, project.id)).filter(
      (m) => m.status === 'completed' && !m.accepted_at,
    );
    return {
      title: req.t('approvals:newRequest.signoff'),
      project,
      activeTab: 'approvals',
      milestones,
      allowed: canSubmitFor(req.user!, { managerId: project.manager_id, sponsorId: project.sponsor_id }),
    };
  }

  r.get('/projects/:id/approvals/new/signoff', anyUser, async (req, res) => {
    const model = await signoffModel(req, paramId(req.params.id));
    if (refuseUnlessAllowed(res, model, 'approvals/new-signoff')) return;
    res.page('approvals/new-signoff', { ...model, values: { milestoneId: req.query.milestone ?? '' } });
  });

  r.post('/projects/:id/approvals/signoff', anyUser, async (req, res) => {
    const projectId = paramId(req.params.id);
    formContext(res, 'approvals/new-signoff', await signoffModel(req, projectId));
    const input = parse(signoffSchema, req.body);
    const id = await svc.submitSignoff(actorOf(req), projectId, input, tEn, tAr);
    flash(req, 'approvals:newRequest.submitted');
    res.redirect(303, `/approvals/${id}`);
  });

  return r.router;
}

export type { RequestRow, TFunction };
