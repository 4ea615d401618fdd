import { sweepTempDir } from '../../http/upload.js';
import { registerApprovalSubject, registerGateCriterion } from '../approvals/index.js';
import type { MasarModule } from '../module.js';
import { hasApprovedDocument } from './documents.gate.js';
import { documentsRoutes } from './documents.routes.js';
import { CATEGORIES } from './documents.rules.js';
import { fileStore, sweepOrphans } from './documents.store.js';
import { paperSavedWidget } from './documents.widget.js';

export { createDocumentsService, type DocumentsService, type FaultHooks } from './documents.service.js';
export { fileStore, sweepOrphans, storedFileExists } from './documents.store.js';
export { hasApprovedDocument } from './documents.gate.js';
export { paperSaved } from './documents.widget.js';
export { CATEGORIES, type Category } from './documents.rules.js';
export { measureLargeUpload, type LargeUploadResult } from './documents.bench.js';

/** Files older than this are never taken for orphans (an upload may be committing elsewhere). */
const SWEEP_GRACE_MS = 15 * 60_000;

registerApprovalSubject('document', {
  subjectLink: (request) => {
    const documentId = Number(request.payload.documentId);
    return Number.isInteger(documentId) && documentId > 0
      ? `/projects/${request.projectId}/documents/${documentId}`
      : null;
  },
});

registerGateCriterion('approved_document', {
  label: (t, params) => {
    const c = String(params.category ?? '');
    const name = (CATEGORIES as readonly string[]).includes(c) ? t(`documents:category.${c}`) : c;
    return t('documents:gate.approvedDocument', { category: name });
  },
  evaluate: (conn, projectId, params) => hasApprovedDocument(conn, projectId, String(params.category ?? '')),
});

/** Paperless documents: upload, versions, safe download, document approval, gate evidence. */
export const documentsModule: MasarModule = {
  name: 'documents',
  routes: (deps) => documentsRoutes(deps),
  projectTabs: [{ key: 'documents', label: 'documents:tab', path: '/documents', order: 50 }],
  widgets: [paperSavedWidget],
  /** Removes temporary uploads and stored files without a row left by a crash; then hourly. */
  async onStart(deps) {
    const store = fileStore(deps.config.dataDir);
    const run = async () => {
      try {
        const temps = await sweepTempDir(store.tempDir, SWEEP_GRACE_MS);
        const orphans = await sweepOrphans(deps.db, store, SWEEP_GRACE_MS);
        if (temps || orphans) deps.logger.info({ temps, orphans }, 'document store swept');
      } catch (err) {
        deps.logger.error({ err }, 'document store sweep failed');
      }
    };
    await run();
    const timer = setInterval(() => void run(), 3600_000);
    timer.unref();
    return () => clearInterval(timer);
  },
};
