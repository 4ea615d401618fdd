import fs from 'node:fs';
import type { Actor, CurrentUser } from '../../auth/current-user.js';
import type { Db, Trx } from '../../db/knex.js';
import { updateVersioned } from '../../db/versioned.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldErrors,
} from '../../http/errors.js';
import type { UploadedFile } from '../../http/upload.js';
import { audit } from '../audit/audit.service.js';
import type { AppDeps } from '../module.js';
import { loadVisibleProject } from '../projects/projects.access.js';
import { submitApprovalRequest } from '../approvals/index.js';
import { scanFile } from './documents.clamd.js';
import { pdfPageCount } from './documents.pdf.js';
import { canSubmitDocument, canUploadDocuments } from './documents.policy.js';
import {
  findDocument,
  findVersion,
  insertDocument,
  insertVersion,
  listDocuments,
  listVersions,
  nextVersionNo,
  projectMilestones,
  type DocumentFilter,
  type DocumentRow,
  type VersionRow,
} from './documents.repository.js';
import {
  baseName,
  canSubmitState,
  fallbackName,
  nameContradictsKind,
  sanitizeFileName,
  withExtension,
  type Category,
} from './documents.rules.js';
import type { NewDocumentInput, NewVersionInput } from './documents.schema.js';
import { sniffFile, type FileKind } from './documents.sniff.js';
import { fileStore, lockHash, placeFile, removeIfUnreferenced, type FileStore } from './documents.store.js';

export interface ProjectRecord {
  id: number;
  code: string;
  name_en: string;
  name_ar: string;
  manager_id: number | null;
  program_id: number;
  phase: string;
  [k: string]: unknown;
}

/** A file that passed every check and is ready to be stored. */
interface CheckedFile {
  upload: UploadedFile;
  name: string;
  kind: FileKind;
  mediaType: string;
  pageCount: number | null;
}

/**
 * Points where tests inject failures to prove the store and the rows stay consistent: after the
 * bytes are in place but before any row, and after the rows but before the commit.
 */
export interface FaultHooks {
  afterPlace?(): void | Promise<void>;
  afterRows?(): void | Promise<void>;
}

function humanTypes(allowed: readonly string[]): string {
  return allowed.map((k) => k.toUpperCase()).join(', ');
}

export function createDocumentsService(deps: AppDeps, hooks: FaultHooks = {}) {
  const { db, config, logger, clock } = deps;
  const store: FileStore = fileStore(config.dataDir);
  const accepted = humanTypes(config.uploads.allowedTypes);

  async function visibleProject(conn: Db | Trx, user: CurrentUser, projectId: number) {
    return loadVisibleProject<ProjectRecord>(conn, user, projectId);
  }

  async function visibleDocument(user: CurrentUser, projectId: number, documentId: number) {
    const project = await visibleProject(db, user, projectId);
    const doc = await findDocument(db, projectId, documentId);
    if (!doc) throw new NotFoundError();
    return { project, doc };
  }

  /**
   * Every file of the request is checked before anything is stored: its type from its bytes, the
   * virus scanner when one is configured, its page count. One bad file refuses the whole upload.
   */
  async function checkFiles(actor: Actor, projectId: number, files: UploadedFile[]): Promise<CheckedFile[]> {
    if (files.length === 0) throw ValidationError.field('files', 'documents:upload.noFile');
    const errors: FieldErrors = {};
    const push = (key: string, params: Record<string, unknown>) =>
      (errors.files ??= []).push({ key, params });
    const checked: CheckedFile[] = [];
    for (const f of files) {
      const clean = sanitizeFileName(f.originalName);
      const shown = clean || '—';
      const sniff = await sniffFile(f.tempPath, clean, config.uploads.allowedTypes);
      if (!sniff.ok) {
        push(sniff.reason === 'empty' ? 'documents:upload.empty' : 'documents:upload.badType', {
          name: shown,
          accepted,
        });
        continue;
      }
      if (nameContradictsKind(clean, sniff.kind)) {
        push('documents:upload.mismatch', { name: shown, kind: sniff.kind.toUpperCase(), accepted });
        continue;
      }
      const name = clean ? withExtension(clean, sniff.kind) : fallbackName(sniff.kind);
      checked.push({
        upload: f,
        name,
        kind: sniff.kind,
        mediaType: sniff.mediaType,
        pageCount: null,
      });
    }
    if (errors.files) throw new ValidationError(errors, 'documents:upload.refused');

    if (config.clamd.socket) {
      for (const c of checked) {
        const result = await scanFile(config.clamd.socket, c.upload.tempPath, config.clamd.timeoutMs);
        if (result.status === 'infected') {
          logger.warn(
            {
              projectId,
              name: c.name,
              sha256: c.upload.sha256,
              signature: result.signature,
              userId: actor.user.id,
            },
            'upload refused: infected',
          );
          await db.transaction((trx) =>
            audit(trx, actor, {
              action: 'document.upload_refused',
              entity: 'project',
              entityId: projectId,
              after: {
                reason: 'infected',
                signature: result.signature,
                name: c.name,
                sha256: c.upload.sha256,
                sizeBytes: c.upload.size,
              },
            }),
          );
          throw new ValidationError(
            { files: [{ key: 'documents:upload.infected', params: { name: c.name } }] },
            'documents:upload.refused',
          );
        }
        if (result.status === 'unavailable') {
          logger.error({ projectId, reason: result.reason }, 'upload refused: virus scanner unavailable');
          throw new ValidationError(
            { files: [{ key: 'documents:upload.scannerDown', params: {} }] },
            'documents:upload.refused',
          );
        }
      }
    }

    for (const c of checked) if (c.kind === 'pdf') c.pageCount = await pdfPageCount(c.upload.tempPath);
    return checked;
  }

  /**
   * Puts the files in the store and writes their rows in one transaction. If anything fails, the
   * transaction rolls back and every file this call placed is removed unless a committed row
   * (another document with the same bytes) names it.
   */
  async function storeAndWrite<T>(
    files: CheckedFile[],
    write: (trx: Trx, placed: CheckedFile[]) => Promise<T>,
  ): Promise<T> {
    const created: string[] = [];
    try {
      return await db.transaction(async (trx) => {
        for (const f of files) {
          await lockHash(trx, f.upload.sha256);
          if (await placeFile(store, f.upload.tempPath, f.upload.sha256)) created.push(f.upload.sha256);
        }
        await hooks.afterPlace?.();
        const result = await write(trx, files);
        await hooks.afterRows?.();
        return result;
      });
    } catch (err) {
      for (const sha of created) {
        await removeIfUnreferenced(db, store, sha).catch((e: unknown) =>
          logger.error({ err: e, sha256: sha }, 'could not remove the file of a failed upload'),
        );
      }
      throw err;
    }
  }

  async function addVersion(
    trx: Trx,
    actor: Actor,
    doc: { id: number; version: number },
    f: CheckedFile,
    comment: string | null,
    at: string,
  ): Promise<{ versionId: number; versionNo: number }> {
    const versionNo = await nextVersionNo(trx, doc.id);
    const versionId = await insertVersion(trx, {
      documentId: doc.id,
      versionNo,
      sha256: f.upload.sha256,
      originalName: f.name,
      mediaType: f.mediaType,
      sizeBytes: f.upload.size,
      pageCount: f.pageCount,
      comment,
      uploadedBy: actor.user.id,
      uploadedAt: at,
    });
    // The document's version moves on with its file: 0 rows means someone else changed it first.
    await updateVersioned(
      trx,
      'documents',
      doc.id,
      doc.version,
      { current_version_id: versionId, updated_at: at },
      () => new ConflictError(),
    );
    return { versionId, versionNo };
  }

  async function submit(
    trx: Trx,
    actor: Actor,
    project: ProjectRecord,
    doc: Pick<DocumentRow, 'id' | 'titleEn' | 'titleAr'>,
    versionId: number,
    versionNo: number,
  ): Promise<number> {
    const requestId = await submitApprovalRequest(trx, actor, {
      kind: 'document',
      projectId: project.id,
      subjectType: 'document_version',
      subjectId: versionId,
      titleEn: `${doc.titleEn} (v${versionNo})`,
      titleAr: `${doc.titleAr} (الإصدار ${versionNo})`,
      payload: { documentId: doc.id, versionNo },
    });
    await audit(trx, actor, {
      action: 'document.submit',
      entity: 'document',
      entityId: doc.id,
      after: { versionId, versionNo, approvalRequestId: requestId },
    });
    return requestId;
  }

  return {
    store,

    async list(user: CurrentUser, projectId: number, filter: DocumentFilter) {
      const project = await visibleProject(db, user, projectId);
      const documents = await listDocuments(db, projectId, filter);
      return { project, documents, canUpload: canUploadDocuments(user, project) };
    },

    /** The upload form's data; only for those who may upload (403 for others who see the project). */
    async uploadForm(user: CurrentUser, projectId: number) {
      const project = await visibleProject(db, user, projectId);
      if (!canUploadDocuments(user, project)) throw new ForbiddenError();
      return { project, milestones: await projectMilestones(db, projectId) };
    },

    async page(user: CurrentUser, projectId: number, documentId: number) {
      const { project, doc } = await visibleDocument(user, projectId, documentId);
      const versions = await listVersions(db, documentId);
      const milestone = doc.milestoneId
        ? ((await db('milestones').select('title_en', 'title_ar').where({ id: doc.milestoneId }).first()) as
            { title_en: string; title_ar: string } | undefined)
        : undefined;
      const may = canSubmitDocument(user, project);
      return {
        project,
        doc,
        versions,
        current: versions.find((v) => v.id === doc.currentVersionId) ?? versions[0],
        milestone,
        canUpload: canUploadDocuments(user, project),
        canSubmit: (v: VersionRow) => may && v.id === doc.currentVersionId && canSubmitState(v.approvalState),
      };
    },

    /** A version the user may download, with the place of its bytes; 404 for anything else. */
    async file(user: CurrentUser, projectId: number, documentId: number, versionId: number) {
      await visibleDocument(user, projectId, documentId);
      const version = await findVersion(db, documentId, versionId);
      if (!version) throw new NotFoundError();
      return { version, path: store.pathOf(version.sha256) };
    },

    /** Checks the target before the request body is read: 404 if not visible, 403 if not allowed. */
    async assertCanUpload(user: CurrentUser, projectId: number, documentId?: number) {
      const project = await visibleProject(db, user, projectId);
      if (documentId !== undefined && !(await findDocument(db, projectId, documentId)))
        throw new NotFoundError();
      if (!canUploadDocuments(user, project)) throw new ForbiddenError();
    },

    /** New documents, one per file; returns their ids. */
    async uploadNew(actor: Actor, projectId: number, input: NewDocumentInput, files: UploadedFile[]) {
      const project = await visibleProject(db, actor.user, projectId);
      if (!canUploadDocuments(actor.user, project)) throw new ForbiddenError();
      if (input.milestoneId) {
        const m = await db('milestones').where({ id: input.milestoneId, project_id: projectId }).first();
        if (!m) throw ValidationError.field('milestoneId', 'validation:choice');
      }
      if (input.approvalRequestId) {
        const r = await db('approval_requests')
          .where({ id: input.approvalRequestId, project_id: projectId })
          .first();
        if (!r) throw ValidationError.field('approvalRequestId', 'validation:choice');
      }
      const checked = await checkFiles(actor, projectId, files);
      const ids = await storeAndWrite(checked, async (trx) => {
        const out: number[] = [];
        for (const f of checked) {
          const at = clock().toISOString();
          const fromName = baseName(f.name) || f.name;
          const several = checked.length > 1;
          const title = (given: string | undefined) =>
            (given ? (several ? `${given} — ${fromName}` : given) : fromName).slice(0, 200);
          const titleEn = title(input.titleEn);
          const titleAr = title(input.titleAr ?? input.titleEn);
          const id = await insertDocument(trx, {
            projectId,
            milestoneId: input.milestoneId ?? null,
            approvalRequestId: input.approvalRequestId ?? null,
            category: input.category as Category,
            titleEn,
            titleAr,
            createdBy: actor.user.id,
            at,
          });
          const { versionId, versionNo } = await addVersion(
            trx,
            actor,
            { id, version: 1 },
            f,
            input.comment ?? null,
            at,
          );
          await audit(trx, actor, {
            action: 'document.create',
            entity: 'document',
            entityId: id,
            after: {
              projectId,
              category: input.category,
              titleEn,
              titleAr,
              milestoneId: input.milestoneId ?? null,
              version: {
                versionNo,
                name: f.name,
                mediaType: f.mediaType,
                sizeBytes: f.upload.size,
                sha256: f.upload.sha256,
                pageCount: f.pageCount,
              },
            },
          });
          if (input.submitForApproval)
            await submit(trx, actor, project, { id, titleEn, titleAr }, versionId, versionNo);
          out.push(id);
        }
        return out;
      });
      return ids;
    },

    /** A new version of a document: earlier versions are kept; the new one needs its own approval. */
    async uploadVersion(
      actor: Actor,
      projectId: number,
      documentId: number,
      input: NewVersionInput,
      files: UploadedFile[],
    ) {
      const project = await visibleProject(db, actor.user, projectId);
      const doc = await findDocument(db, projectId, documentId);
      if (!doc) throw new NotFoundError();
      if (!canUploadDocuments(actor.user, project)) throw new ForbiddenError();
      if (files.length > 1) throw ValidationError.field('files', 'documents:upload.oneFile');
      if (input.version !== undefined && input.version !== doc.version) throw new ConflictError();
      const checked = await checkFiles(actor, projectId, files);
      return storeAndWrite(checked, async (trx) => {
        const current = await findDocument(trx, projectId, documentId);
        if (!current) throw new NotFoundError();
        const f = checked[0];
        const at = clock().toISOString();
        const { versionId, versionNo } = await addVersion(trx, actor, current, f, input.comment ?? null, at);
        await audit(trx, actor, {
          action: 'document.version',
          entity: 'document',
          entityId: documentId,
          after: {
            versionNo,
            name: f.name,
            mediaType: f.mediaType,
            sizeBytes: f.upload.size,
            sha256: f.upload.sha256,
            pageCount: f.pageCount,
          },
        });
        if (input.submitForApproval) await submit(trx, actor, project, current, versionId, versionNo);
        return { versionId, versionNo };
      });
    },

    /** Puts the current version forward for approval (PMO review by default). */
    async submitForApproval(actor: Actor, projectId: number, documentId: number, versionId: number) {
      return db.transaction(async (trx) => {
        const project = await visibleProject(trx, actor.user, projectId);
        const doc = await findDocument(trx, projectId, documentId);
        if (!doc) throw new NotFoundError();
        const version = await findVersion(trx, documentId, versionId);
        if (!version) throw new NotFoundError();
        if (!canSubmitDocument(actor.user, project)) throw new ForbiddenError();
        if (version.id !== doc.currentVersionId || !canSubmitState(version.approvalState))
          throw new ConflictError('documents:approval.notSubmittable');
        return submit(trx, actor, project, doc, version.id, version.versionNo);
      });
    },
  };
}

export type DocumentsService = ReturnType<typeof createDocumentsService>;

/** Whether the stored bytes of a version are there (for tests and checks). */
export function storedBytesExist(store: FileStore, sha256: string): boolean {
  return fs.existsSync(store.pathOf(sha256));
}
