import type { Router } from 'express';
import { ROLES } from '../../auth/roles.js';
import { LOCALES } from '../../i18n/locales.js';
import { allow, routes } from '../../http/access.js';
import { formContext } from '../../http/error-handler.js';
import { flash } from '../../http/flash.js';
import { paramId, parse } from '../../http/validate.js';
import type { AppDeps } from '../module.js';
import { createUserSchema, updateUserSchema, userFilterSchema } from './admin.schema.js';
import { createAdminService } from './admin.service.js';
import { actorOf } from '../../http/actor.js';

export function adminRoutes(deps: AppDeps): Router {
  const svc = createAdminService(deps.db, deps.clock);
  const r = routes();
  const admin = allow('admin');
  const formModel = { roles: ROLES, locales: LOCALES };

  r.get('/admin/users', admin, async (req, res) => {
    const f = userFilterSchema.safeParse(req.query);
    const q = f.success ? f.data : { page: 1, q: undefined, role: undefined, status: undefined };
    const list = await svc.list(
      { q: q.q, role: q.role, active: q.status === undefined ? undefined : q.status === 'active' },
      q.page,
    );
    res.page('admin/users', { title: req.t('admin:users.title'), list, filter: q, roles: ROLES });
  });

  r.get('/admin/users/new', admin, (req, res) => {
    res.page('admin/user-form', {
      title: req.t('admin:users.new'),
      ...formModel,
      values: { locale: 'ar', role: 'pm' },
    });
  });

  r.post('/admin/users', admin, async (req, res) => {
    formContext(res, 'admin/user-form', { title: req.t('admin:users.new'), ...formModel });
    const input = parse(createUserSchema, req.body);
    const user = await svc.create(actorOf(req), input);
    flash(req, 'admin:users.created');
    res.redirect(303, `/admin/users/${user.id}/edit`);
  });

  r.get('/admin/users/:id/edit', admin, async (req, res) => {
    const user = await svc.get(paramId(req.params.id));
    res.page('admin/user-form', {
      title: req.t('admin:users.edit'),
      ...formModel,
      editing: user,
      values: user,
    });
  });

  r.post('/admin/users/:id', admin, async (req, res) => {
    const id = paramId(req.params.id);
    const user = await svc.get(id);
    formContext(res, 'admin/user-form', { title: req.t('admin:users.edit'), ...formModel, editing: user });
    const input = parse(updateUserSchema, req.body);
    await svc.update(actorOf(req), id, input);
    flash(req, 'admin:users.updated');
    res.redirect(303, `/admin/users/${id}/edit`);
  });

  return r.router;
}
