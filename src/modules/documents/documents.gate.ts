import type { Conn } from '../../db/knex.js';
import { CATEGORIES, type Category } from './documents.rules.js';

/**
 * Gate evidence: "the project has a document of this category whose current version is approved"
 * (an approval request of kind `document` on that version, with status approved).
 */
export async function hasApprovedDocument(conn: Conn, projectId: number, category: string): Promise<boolean> {
  if (!(CATEGORIES as readonly string[]).includes(category)) return false;
  const row = await conn('documents as d')
    .join('approval_requests as ar', (j) =>
      j
        .on('ar.subject_id', '=', 'd.current_version_id')
        .andOnVal('ar.kind', '=', 'document')
        .andOnVal('ar.subject_type', '=', 'document_version')
        .andOnVal('ar.status', '=', 'approved'),
    )
    .where({ 'd.project_id': projectId, 'd.category': category as Category })
    .first('d.id');
  return !!row;
}
