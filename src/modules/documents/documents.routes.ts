import fs from 'node:fs';
import type { Request, Response, Router } from 'express';
import { actorOf } from '../../http/actor.js';
import { anyUser, routes } from '../../http/access.js';
import { formContext } from '../../http/error-handler.js';
import { NotFoundError } from '../../http/errors.js';
import { flash } from '../../http/flash.js';
import { uploadFiles } from '../../http/upload.js';
import { paramId, parse } from '../../http/validate.js';
import { formatNumber } from '../../i18n/format.js';
import type { AppDeps } from '../module.js';
import { contentDisposition, CATEGORIES, isPreviewable, responseType, sizeParts } from './documents.rules.js';
import { documentFilterSchema, newDocumentSchema, newVersionSchema } from './documents.schema.js';
import { createDocumentsService, type DocumentsService } from './documents.service.js';

export const MAX_FILES_PER_UPLOAD = 10;

/** What a file response may do in a browser: nothing (no script, no plugin, no requests). */
export const FILE_CSP = "default-src 'none'; img-src 'self'; frame-ancestors 'self'; sandbox";

/** Helpers the document views share: a file size in the reader's language. */
function helpers(req: Request) {
  return {
    fileSize(bytes: number): string {
      const p = sizeParts(bytes);
      return `${formatNumber(req.locale, p.value, p.digits)} ${req.t(`documents:units.${p.unit}`)}`;
    },
    isPreviewable,
  };
}

export function documentsRoutes(deps: AppDeps, svc: DocumentsService = createDocumentsService(deps)): Router {
  const r = routes();
  const receive = uploadFiles({
    tempDir: svc.store.tempDir,
    maxBytes: deps.config.uploads.maxBytes,
    field: 'files',
    maxFiles: MAX_FILES_PER_UPLOAD,
  });
  const accepted = deps.config.uploads.allowedTypes.map((k) => k.toUpperCase()).join(', ');
  // Isolated so "50 MB" keeps its order inside an Arabic sentence.
  const limit = `\u2066${Math.round(deps.config.uploads.maxBytes / 1024 / 1024)} MB\u2069`;
  const categories = CATEGORIES;

  /** Refuses a request that may not upload here before its body is read (404 / 403). */
  const mayUploadNew = async (req: Request, _res: Response, next: () => void) => {
    await svc.assertCanUpload(req.user!, paramId(req.params.id));
    next();
  };
  const mayUploadVersion = async (req: Request, _res: Response, next: () => void) => {
    await svc.assertCanUpload(req.user!, paramId(req.params.id), paramId(req.params.docId));
    next();
  };

  r.get('/projects/:id/documents', anyUser, async (req, res) => {
    const filter = documentFilterSchema.catch({ category: undefined, q: undefined }).parse(req.query);
    const data = await svc.list(req.user!, paramId(req.params.id), filter);
    res.page('documents/index', {
      title: `${req.t('documents:title')} · ${data.project.code}`,
      ...data,
      filter,
      categories,
      activeTab: 'documents',
      ...helpers(req),
    });
  });

  const newFormModel = async (req: Request) => {
    const data = await svc.uploadForm(req.user!, paramId(req.params.id));
    return {
      title: req.t('documents:upload.newTitle'),
      mode: 'new',
      ...data,
      categories,
      accepted,
      limit,
      maxFiles: MAX_FILES_PER_UPLOAD,
      activeTab: 'documents',
    };
  };

  r.get('/projects/:id/documents/new', anyUser, async (req, res) => {
    const model = await newFormModel(req);
    const request = Number(req.query.request);
    const values = {
      category: typeof req.query.category === 'string' ? req.query.category : 'other',
      milestoneId: typeof req.query.milestone === 'string' ? req.query.milestone : '',
      approvalRequestId: Number.isInteger(request) && request > 0 ? String(request) : '',
    };
    res.page('documents/upload', { ...model, values });
  });

  r.post('/projects/:id/documents', anyUser, mayUploadNew, receive, async (req, res) => {
    const projectId = paramId(req.params.id);
    formContext(res, 'documents/upload', await newFormModel(req));
    const input = parse(newDocumentSchema, req.body);
    const ids = await svc.uploadNew(actorOf(req), projectId, input, req.uploads ?? []);
    flash(req, ids.length === 1 ? 'documents:flash.uploadedOne' : 'documents:flash.uploadedMany', {
      count: ids.length,
    });
    res.redirect(
      303,
      ids.length === 1 ? `/projects/${projectId}/documents/${ids[0]}` : `/projects/${projectId}/documents`,
    );
  });

  r.get('/projects/:id/documents/:docId', anyUser, async (req, res) => {
    const data = await svc.page(req.user!, paramId(req.params.id), paramId(req.params.docId));
    res.page('documents/show', {
      title: req.locale === 'ar' ? data.doc.titleAr : data.doc.titleEn,
      ...data,
      activeTab: 'documents',
      ...helpers(req),
    });
  });

  const versionFormModel = async (req: Request) => {
    const data = await svc.page(req.user!, paramId(req.params.id), paramId(req.params.docId));
    if (!data.canUpload) await svc.assertCanUpload(req.user!, data.project.id, data.doc.id);
    return {
      title: req.t('documents:upload.versionTitle'),
      mode: 'version',
      ...data,
      categories,
      accepted,
      limit,
      maxFiles: 1,
      activeTab: 'documents',
      ...helpers(req),
    };
  };

  r.get('/projects/:id/documents/:docId/versions/new', anyUser, async (req, res) => {
    const model = await versionFormModel(req);
    res.page('documents/upload', { ...model, values: { version: model.doc.version } });
  });

  r.post('/projects/:id/documents/:docId/versions', anyUser, mayUploadVersion, receive, async (req, res) => {
    const projectId = paramId(req.params.id);
    const documentId = paramId(req.params.docId);
    formContext(res, 'documents/upload', await versionFormModel(req));
    const input = parse(newVersionSchema, req.body);
    await svc.uploadVersion(actorOf(req), projectId, documentId, input, req.uploads ?? []);
    flash(req, 'documents:flash.versionUploaded');
    res.redirect(303, `/projects/${projectId}/documents/${documentId}`);
  });

  r.post('/projects/:id/documents/:docId/versions/:versionId/submit', anyUser, async (req, res) => {
    const projectId = paramId(req.params.id);
    const documentId = paramId(req.params.docId);
    await svc.submitForApproval(actorOf(req), projectId, documentId, paramId(req.params.versionId));
    flash(req, 'documents:flash.submitted');
    res.redirect(303, `/projects/${projectId}/documents/${documentId}`);
  });

  /** Streams a stored version: a download, or shown inline when it is a PDF or an image. */
  async function sendFile(req: Request, res: Response, inline: boolean) {
    const { version, path } = await svc.file(
      req.user!,
      paramId(req.params.id),
      paramId(req.params.docId),
      paramId(req.params.versionId),
    );
    const showInline = inline && isPreviewable(version.mediaType);
    const st = await fs.promises.stat(path).catch(() => undefined);
    if (!st) {
      deps.logger.error({ versionId: version.id, sha256: version.sha256 }, 'stored file missing');
      throw new NotFoundError();
    }
    const etag = `"${version.sha256}"`;
    res.setHeader('Content-Type', responseType(version.mediaType));
    res.setHeader(
      'Content-Disposition',
      contentDisposition(showInline ? 'inline' : 'attachment', version.originalName),
    );
    res.setHeader('Content-Security-Policy', FILE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Length', String(st.size));
    if (req.method === 'HEAD') {
      res.status(200).end();
      return;
    }
    const stream = fs.createReadStream(path);
    stream.on('error', (err) => {
      deps.logger.error({ err, versionId: version.id }, 'stored file could not be read');
      res.destroy(err);
    });
    stream.pipe(res);
  }

  r.get('/projects/:id/documents/:docId/versions/:versionId', anyUser, (req, res) =>
    sendFile(req, res, req.query.inline === '1'),
  );

  r.get('/projects/:id/documents/:docId/versions/:versionId/preview', anyUser, async (req, res) => {
    const { version } = await svc.file(
      req.user!,
      paramId(req.params.id),
      paramId(req.params.docId),
      paramId(req.params.versionId),
    );
    if (!isPreviewable(version.mediaType)) throw new NotFoundError();
    await sendFile(req, res, true);
  });

  return r.router;
}
