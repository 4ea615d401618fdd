import type { Request, Router } from 'express';
import { actorOf } from '../../http/actor.js';
import { allow, anyUser, routes } from '../../http/access.js';
import { formContext } from '../../http/error-handler.js';
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../../http/errors.js';
import { flash } from '../../http/flash.js';
import { paramId, parse } from '../../http/validate.js';
import { formatMoney, moneyInputValue } from '../../i18n/format.js';
import type { AppDeps } from '../module.js';
import { ASSIGNABLE, assignablePeople, findAssignablePeople } from '../portfolio/portfolio.people.js';
import { isoDay } from '../portfolio/portfolio.rules.js';
import { slipThresholds } from '../portfolio/portfolio.routes.js';
import { PRIORITIES, PROJECT_STATUSES, REPORT_FREQUENCIES } from '../portfolio/portfolio.values.js';
import { projectHistory } from './projects.history.js';
import { projectOverview } from './projects.overview.js';
import { canManageTeam, fieldsOutside, projectEditMode, type ProjectEditMode } from './projects.policy.js';
import {
  projectFacts,
  projectMembers,
  projectPageFacts,
  type ProjectPageFacts,
  type ProjectRecord,
} from './projects.repository.js';
import {
  addMemberSchema,
  FORM_KEYS,
  GOVERNANCE_FIELDS,
  PM_FIELDS,
  projectSchemas,
} from './projects.schema.js';
import { createProjectsService } from './projects.service.js';
import { fieldLabel, historyItems } from './projects.view-model.js';

const HISTORY_PAGE = 50;
/** Beyond this many people who could join a team, the team tab asks for a name or email first. */
export const PICK_MAX = 40;

export function projectsRoutes(deps: AppDeps): Router {
  const { db, config } = deps;
  const svc = createProjectsService(deps);
  const schemas = projectSchemas(config.currency);
  const r = routes();
  const governance = allow('admin', 'pmo');

  /** Form values of a saved project (money as typed amounts). */
  function formValues(p: ProjectRecord) {
    return {
      ...projectFacts(p),
      budgetPlanned: moneyInputValue(p.budgetPlanned, config.currency),
      budgetActual: moneyInputValue(p.budgetActual, config.currency),
      version: p.version,
    };
  }

  async function formModel(req: Request, mode: ProjectEditMode, editing?: ProjectRecord) {
    const model: Record<string, unknown> = {
      title: editing
        ? req.t(mode === 'pm' ? 'projects:editPm' : 'projects:edit', { code: editing.code })
        : req.t('projects:new'),
      mode,
      editing,
      frequencies: REPORT_FREQUENCIES,
    };
    if (mode === 'full') {
      model.programs = await db('programs').select('id', 'code', 'name_en', 'name_ar').orderBy('code');
      model.managers = await assignablePeople(db, ASSIGNABLE.projectManager, [editing?.managerId]);
      model.sponsors = await assignablePeople(db, ASSIGNABLE.projectSponsor, [editing?.sponsorId]);
      model.statuses = PROJECT_STATUSES;
      model.priorities = PRIORITIES;
    }
    return model;
  }

  /** Refuses, naming them, fields this editor may not write — never silently applied. */
  function refuseOtherFields(req: Request, mode: ProjectEditMode) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const outside = fieldsOutside(body, mode === 'full' ? GOVERNANCE_FIELDS : PM_FIELDS, FORM_KEYS);
    if (!outside.length) return;
    const errors: FieldErrors = {};
    for (const f of outside) errors[f] = [{ key: 'projects:validation.fieldNotAllowed' }];
    throw new ValidationError(errors, 'projects:validation.notAllowed', {
      fields: outside.map((f) => fieldLabel(req.t, f)).join(locSep(req)),
    });
  }
  const locSep = (req: Request) => (req.locale === 'ar' ? '، ' : ', ');

  /** A project page's facts in one query; 404 when the user may not see the project. */
  async function pageFacts(req: Request): Promise<ProjectPageFacts> {
    const facts = await projectPageFacts(db, req.user!, paramId(req.params.id));
    if (!facts) throw new NotFoundError();
    return facts;
  }

  /** The model every tab of the projects module renders with: header, tabs, title, edit link. */
  function pageModel(req: Request, facts: ProjectPageFacts, tab: string, model: object) {
    const project = facts.record;
    return {
      title: `${project.code} · ${req.locale === 'ar' ? project.nameAr : project.nameEn}`,
      project: facts.row,
      record: project,
      activeTab: tab,
      editMode: projectEditMode(req.user!, project),
      ...model,
    };
  }

  r.get('/projects', anyUser, (_req, res) => res.redirect(302, '/portfolio'));

  r.get('/projects/new', governance, async (req, res) => {
    const program = Number(req.query.program) || undefined;
    res.page('projects/form', {
      ...(await formModel(req, 'full')),
      values: {
        status: 'active',
        priority: 'medium',
        reportFrequency: 'monthly',
        budgetActual: moneyInputValue(0, config.currency),
        programId: program,
      },
    });
  });

  r.post('/projects', governance, async (req, res) => {
    formContext(res, 'projects/form', await formModel(req, 'full'));
    refuseOtherFields(req, 'full');
    const id = await svc.create(actorOf(req), parse(schemas.create, req.body));
    flash(req, 'projects:created');
    res.redirect(303, `/projects/${id}`);
  });

  r.get('/projects/:id', anyUser, async (req, res) => {
    const facts = await pageFacts(req);
    const members = await projectMembers(db, facts.record.id);
    const overview = await projectOverview(
      db,
      facts.record,
      facts.latestReport,
      isoDay(deps.clock()),
      config.health,
    );
    res.page(
      'projects/show',
      pageModel(req, facts, 'overview', {
        names: facts.names,
        members,
        overview,
        slip: slipThresholds(deps),
      }),
    );
  });

  r.get('/projects/:id/edit', anyUser, async (req, res) => {
    const project = await svc.get(req.user!, paramId(req.params.id));
    const mode = projectEditMode(req.user!, project);
    if (!mode) throw new ForbiddenError();
    res.page('projects/form', { ...(await formModel(req, mode, project)), values: formValues(project) });
  });

  r.post('/projects/:id', anyUser, async (req, res) => {
    const id = paramId(req.params.id);
    const project = await svc.get(req.user!, id);
    const mode = projectEditMode(req.user!, project);
    if (!mode) throw new ForbiddenError();
    formContext(res, 'projects/form', await formModel(req, mode, project));
    refuseOtherFields(req, mode);
    if (mode === 'full') await svc.update(actorOf(req), id, parse(schemas.update, req.body));
    else await svc.updateAsManager(actorOf(req), id, parse(schemas.pmUpdate, req.body));
    flash(req, 'projects:updated');
    res.redirect(303, `/projects/${id}`);
  });

  async function teamModel(req: Request, facts: ProjectPageFacts) {
    const project = facts.record;
    const members = await projectMembers(db, project.id);
    const canManage = canManageTeam(req.user!, project);
    // Who can be added: a list to choose from while it is short; beyond PICK_MAX people, a search
    // by name or email first (an organisation has thousands of users).
    // (the add form carries the search along, so that a refused form comes back as it was)
    const asked = req.method === 'GET' ? req.query.person : (req.body as Record<string, unknown>)?.person;
    const find = typeof asked === 'string' ? asked.trim().slice(0, 100) : '';
    const found = canManage
      ? await findAssignablePeople(
          db,
          ASSIGNABLE.teamMember,
          find,
          members.map((m) => m.userId),
          PICK_MAX + 1,
        )
      : [];
    return pageModel(req, facts, 'team', {
      title: req.t('projects:team.title', { code: project.code }),
      members,
      names: facts.names,
      canManage,
      candidates: found.length > PICK_MAX ? [] : found,
      tooMany: found.length > PICK_MAX,
      find,
      pickMax: PICK_MAX,
    });
  }

  r.get('/projects/:id/team', anyUser, async (req, res) => {
    res.page('projects/team', await teamModel(req, await pageFacts(req)));
  });

  r.post('/projects/:id/team', anyUser, async (req, res) => {
    const facts = await pageFacts(req);
    if (!canManageTeam(req.user!, facts.record)) throw new ForbiddenError();
    formContext(res, 'projects/team', await teamModel(req, facts));
    await svc.addMember(actorOf(req), facts.record.id, parse(addMemberSchema, req.body));
    flash(req, 'projects:team.added_ok');
    res.redirect(303, `/projects/${facts.record.id}/team`);
  });

  r.post('/projects/:id/team/:userId/remove', anyUser, async (req, res) => {
    const id = paramId(req.params.id);
    const userId = paramId(req.params.userId);
    await svc.removeMember(actorOf(req), id, userId);
    flash(req, 'projects:team.removed_ok');
    res.redirect(303, `/projects/${id}/team`);
  });

  r.get('/projects/:id/history', anyUser, async (req, res) => {
    const facts = await pageFacts(req);
    const requested = Math.max(1, Math.min(1_000_000, Math.trunc(Number(req.query.page)) || 1));
    const { rows, total } = await projectHistory(
      db,
      facts.record.id,
      HISTORY_PAGE,
      (requested - 1) * HISTORY_PAGE,
    );
    const items = await historyItems(db, rows, req.t, req.locale, (m) =>
      formatMoney(req.locale, m, config.currency),
    );
    res.page(
      'projects/history',
      pageModel(req, facts, 'history', {
        items,
        total,
        page: requested,
        pages: Math.max(1, Math.ceil(total / HISTORY_PAGE)),
      }),
    );
  });

  return r.router;
}
