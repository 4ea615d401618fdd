import type { Request, Router } from 'express';
import { actorOf } from '../../http/actor.js';
import { allow, anyUser, routes } from '../../http/access.js';
import { formContext } from '../../http/error-handler.js';
import { ForbiddenError, NotFoundError } from '../../http/errors.js';
import { flash } from '../../http/flash.js';
import { paramId, parse } from '../../http/validate.js';
import type { AppDeps } from '../module.js';
import { ASSIGNABLE, assignablePeople } from '../portfolio/portfolio.people.js';
import { allProjects, programList, programSummary } from '../portfolio/portfolio.repository.js';
import { slipThresholds } from '../portfolio/portfolio.routes.js';
import { programRollup } from '../portfolio/portfolio.rules.js';
import { PROGRAM_STATUSES } from '../portfolio/portfolio.values.js';
import { canManagePrograms } from './programs.policy.js';
import { programFacts, type ProgramRecord } from './programs.repository.js';
import { createProgramSchema, parseProgramListQuery, updateProgramSchema } from './programs.schema.js';
import { createProgramsService } from './programs.service.js';

/** Programs per page of the programs list. */
export const PROGRAMS_PAGE_SIZE = 25;

export function programsRoutes(deps: AppDeps): Router {
  const svc = createProgramsService(deps);
  const r = routes();
  const governance = allow('admin', 'pmo');

  async function formModel(req: Request, editing?: ProgramRecord) {
    const [sponsors, managers] = [
      await assignablePeople(deps.db, ASSIGNABLE.programSponsor, [editing?.sponsorId]),
      await assignablePeople(deps.db, ASSIGNABLE.programManager, [editing?.managerId]),
    ];
    return {
      title: editing ? req.t('programs:edit', { code: editing.code }) : req.t('programs:new'),
      editing,
      sponsors,
      managers,
      statuses: PROGRAM_STATUSES,
    };
  }

  r.get('/programs', anyUser, async (req, res) => {
    const { page } = parseProgramListQuery(req.query);
    const size = PROGRAMS_PAGE_SIZE;
    const first = await programList(deps.db, req.user!, size, (page - 1) * size);
    const { totals } = first;
    const pages = Math.max(1, Math.ceil(totals.programs / size));
    const current = Math.min(page, pages);
    // a page past the end (an old link) shows the last one
    const { programs } =
      current === page ? first : await programList(deps.db, req.user!, size, (current - 1) * size);
    res.page('programs/index', {
      title: req.t('programs:title'),
      programs,
      totals,
      page: current,
      pages,
      canCreate: canManagePrograms(req.user!),
    });
  });

  r.get('/programs/new', governance, async (req, res) => {
    res.page('programs/form', { ...(await formModel(req)), values: { status: 'active' } });
  });

  r.post('/programs', governance, async (req, res) => {
    formContext(res, 'programs/form', await formModel(req));
    const input = parse(createProgramSchema, req.body);
    const id = await svc.create(actorOf(req), input);
    flash(req, 'programs:created');
    res.redirect(303, `/programs/${id}`);
  });

  r.get('/programs/:id', anyUser, async (req, res) => {
    const id = paramId(req.params.id);
    const program = await programSummary(deps.db, req.user!, id);
    if (!program) throw new NotFoundError();
    const projects = await allProjects(
      deps.db,
      req.user!,
      { program: id },
      { key: 'code', dir: 'asc' },
      req.locale,
    );
    res.page('programs/show', {
      title: `${program.code} · ${req.locale === 'ar' ? program.nameAr : program.nameEn}`,
      program,
      projects,
      rollup: programRollup(projects),
      canEdit: canManagePrograms(req.user!),
      slip: slipThresholds(deps),
    });
  });

  r.get('/programs/:id/edit', anyUser, async (req, res) => {
    const program = await svc.get(req.user!, paramId(req.params.id));
    if (!canManagePrograms(req.user!)) throw new ForbiddenError();
    res.page('programs/form', {
      ...(await formModel(req, program)),
      values: { ...programFacts(program), version: program.version },
    });
  });

  r.post('/programs/:id', anyUser, async (req, res) => {
    const id = paramId(req.params.id);
    const program = await svc.get(req.user!, id);
    if (!canManagePrograms(req.user!)) throw new ForbiddenError();
    formContext(res, 'programs/form', await formModel(req, program));
    const input = parse(updateProgramSchema, req.body);
    await svc.update(actorOf(req), id, input);
    flash(req, 'programs:updated');
    res.redirect(303, `/programs/${id}`);
  });

  return r.router;
}
