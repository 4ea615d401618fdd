import type { Request, Response, Router } from 'express';
import { actorOf } from '../../http/actor.js';
import { allow, anyUser, routes } from '../../http/access.js';
import { NotFoundError, ValidationError } from '../../http/errors.js';
import { flash } from '../../http/flash.js';
import { paramId } from '../../http/validate.js';
import { isoDay } from '../portfolio/portfolio.rules.js';
import type { AppDeps } from '../module.js';
import { preparePortfolioReport } from './portfolio-report.js';
import { prepareProjectReport } from './project-report.js';
import { canReadSnapshots, canTakeSnapshot, SNAPSHOT_READERS } from './reports.policy.js';
import { ReportAborted } from '../../pdf/writer.js';
import { visiblePrograms, visibleProjects } from './reports.repository.js';
import { writeReport, type PreparedReport, type ReportEnv } from './reports.output.js';
import { centerQuerySchema, snapshotNameSchema, type CenterQuery } from './reports.schema.js';
import { contributedSections } from './reports.sections.js';
import { dataVersion, hourOf } from '../../db/data-version.js';
import { KeptCache } from '../../http/kept.js';
import { listSnapshots, readSnapshot, takeSnapshot } from './reports.service.js';
import { canSeeProgram, canSeeProject } from '../projects/projects.access.js';

/** RFC 6266 / RFC 5987: an ASCII fallback and the UTF-8 form of the same name. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** A finished report kept for its next reader: the PDF and the name it is downloaded under. */
interface KeptReport {
  pdf: Buffer;
  fileName: string;
}

export function reportsRoutes(deps: AppDeps): Router {
  const { db, config, logger } = deps;
  const r = routes();
  const cache = new KeptCache<KeptReport>(config.reports.cacheBytes, (k) => k.pdf.length + 256);

  const envOf = async (req: Request): Promise<ReportEnv> => ({
    db,
    config,
    reader: req.user!,
    locale: req.locale,
    now: deps.clock(),
    sections: await contributedSections(),
  });

  /**
   * Sends a report: a kept copy when its data has not changed (src/http/kept.ts), else prepared,
   * built and streamed, a copy kept for the next reader. `scope` names the report (kind and id);
   * `visible` is asked first, so a report the reader may not see answers 404 whether or not a copy
   * is kept, and a kept copy costs neither the preparation nor the build. Readers asking for a
   * report being built wait for that build. A client that leaves early only stops the build.
   */
  const send = async (
    req: Request,
    res: Response,
    scope: string,
    visible: () => Promise<boolean>,
    prepare: (env: ReportEnv) => Promise<PreparedReport>,
  ) => {
    if (!(await visible())) throw new NotFoundError();
    const env = await envOf(req);
    const key = cache.enabled
      ? [scope, env.locale, env.reader.id, await dataVersion(db), hourOf(env.now)].join('|')
      : null;
    const headers = (fileName: string) => {
      res.status(200);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', contentDisposition(fileName));
      res.setHeader('Cache-Control', 'private, no-store');
    };
    if (key) {
      const kept = cache.get(key) ?? (await cache.inProgress(key));
      if (kept) {
        headers(kept.fileName);
        res.setHeader('Content-Length', String(kept.pdf.length));
        res.end(kept.pdf);
        return;
      }
    }
    const done = key ? cache.begin(key) : null;
    let report: PreparedReport;
    try {
      report = await prepare(env);
    } catch (err) {
      done?.(null);
      throw err;
    }
    headers(report.fileName);
    const chunks: Buffer[] = [];
    let size = 0;
    let keep = done !== null;
    const tap = (chunk: Buffer) => {
      if (!keep) return;
      size += chunk.length;
      if (size > cache.maxEntrySize) {
        keep = false;
        chunks.length = 0;
      } else chunks.push(chunk);
    };
    try {
      await writeReport(env, report, res, done ? tap : undefined);
      done?.(keep ? { pdf: Buffer.concat(chunks), fileName: report.fileName } : null);
    } catch (err) {
      done?.(null);
      if (err instanceof ReportAborted) return;
      logger.error({ err, reqId: req.id }, 'report generation failed while streaming');
    }
  };

  const center = async (req: Request, res: Response, q: Partial<CenterQuery>, status = 200, errors = {}) => {
    const user = req.user!;
    const [programs, projects, snapshots] = await Promise.all([
      visiblePrograms(db, user),
      visibleProjects(db, user),
      canReadSnapshots(user.role) ? listSnapshots(db) : Promise.resolve(null),
    ]);
    res.page(
      'reports/index',
      {
        title: req.t('reports:center.title'),
        programs,
        projects,
        snapshots,
        canTakeSnapshot: canTakeSnapshot(user.role),
        thisMonth: isoDay(deps.clock()).slice(0, 7),
        values: {
          scope: q.scope ?? 'portfolio',
          program: q.program ?? '',
          project: q.project ?? '',
          lang: q.lang ?? req.locale,
        },
        errors,
      },
      status,
    );
  };

  r.get('/reports', anyUser, async (req, res) => {
    const parsed = centerQuerySchema.safeParse(req.query);
    await center(req, res, parsed.success ? parsed.data : {});
  });

  // The center's form is a GET: it sends the reader to the PDF of the chosen scope and language.
  r.get('/reports/download', anyUser, async (req, res) => {
    const parsed = centerQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      const err = new ValidationError({ scope: [{ key: 'validation:choice' }] });
      return center(req, res, {}, 422, err.fieldErrors);
    }
    const q = parsed.data;
    const lang = `?lang=${q.lang ?? req.locale}`;
    if (q.scope === 'portfolio') return res.redirect(303, `/reports/portfolio.pdf${lang}`);
    if (q.scope === 'program') {
      if (!q.program) return center(req, res, q, 422, { program: [{ key: 'reports:center.pickProgram' }] });
      return res.redirect(303, `/reports/programs/${Number(q.program)}.pdf${lang}`);
    }
    if (!q.project) return center(req, res, q, 422, { project: [{ key: 'reports:center.pickProject' }] });
    return res.redirect(303, `/reports/projects/${Number(q.project)}.pdf${lang}`);
  });

  // Any user may ask for the portfolio report: it shows what they see (its copies are per reader).
  r.get('/reports/portfolio.pdf', anyUser, async (req, res) => {
    await send(
      req,
      res,
      'portfolio',
      async () => true,
      (env) => preparePortfolioReport(env, { kind: 'portfolio' }),
    );
  });

  r.get('/reports/programs/:id.pdf', anyUser, async (req, res) => {
    const programId = paramId(req.params.id);
    await send(
      req,
      res,
      `program:${programId}`,
      () => canSeeProgram(db, req.user!, programId),
      (env) => preparePortfolioReport(env, { kind: 'program', programId }),
    );
  });

  r.get('/reports/projects/:id.pdf', anyUser, async (req, res) => {
    const projectId = paramId(req.params.id);
    await send(
      req,
      res,
      `project:${projectId}`,
      () => canSeeProject(db, req.user!, projectId),
      (env) => prepareProjectReport(env, projectId),
    );
  });

  // Snapshots hold the whole portfolio: only whole-portfolio roles see them (others: 404).
  r.get('/reports/snapshots/:name', allow(...SNAPSHOT_READERS), async (req, res) => {
    const name = snapshotNameSchema.safeParse(req.params.name);
    if (!name.success) throw new NotFoundError();
    const found = await readSnapshot(db, config, name.data.month, name.data.locale);
    if (!found) throw new NotFoundError();
    res.status(200);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader(
      'Content-Disposition',
      contentDisposition(`masar-portfolio-snapshot-${found.row.month}-${found.row.locale}.pdf`),
    );
    res.setHeader('Content-Length', String(found.bytes.length));
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-SHA256', found.row.sha256);
    res.end(found.bytes);
  });

  r.post('/reports/snapshots', allow(...SNAPSHOT_READERS), async (req, res) => {
    const result = await takeSnapshot(
      { db, config, clock: deps.clock, sections: await contributedSections() },
      actorOf(req),
    );
    flash(
      req,
      result.created.length ? 'reports:snapshots.taken' : 'reports:snapshots.exists',
      { month: result.month },
      result.created.length ? 'success' : 'info',
    );
    res.redirect(303, '/reports');
  });

  return r.router;
}
