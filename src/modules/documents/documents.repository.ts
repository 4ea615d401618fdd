import type { Knex } from 'knex';
import type { Conn } from '../../db/knex.js';
import { insertOne, whereContains } from '../../db/util.js';
import { approvalState, type ApprovalState, type Category } from './documents.rules.js';

/** Documents and versions: knex queries, rows mapped to camelCase here and nowhere else. */
export interface DocumentRow {
  id: number;
  projectId: number;
  milestoneId: number | null;
  approvalRequestId: number | null;
  category: Category;
  titleEn: string;
  titleAr: string;
  currentVersionId: number | null;
  version: number;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface VersionRow {
  id: number;
  documentId: number;
  versionNo: number;
  sha256: string;
  originalName: string;
  mediaType: string;
  sizeBytes: number;
  pageCount: number | null;
  comment: string | null;
  uploadedBy: number | null;
  uploadedAt: string;
  uploaderEn: string | null;
  uploaderAr: string | null;
  approvalState: ApprovalState;
  approvalRequestId: number | null;
}

export interface DocumentListItem extends DocumentRow {
  current: Pick<
    VersionRow,
    'versionNo' | 'originalName' | 'mediaType' | 'sizeBytes' | 'pageCount' | 'uploadedAt' | 'approvalState'
  > & { id: number };
  milestoneEn: string | null;
  milestoneAr: string | null;
}

type Row = Record<string, unknown>;

function toDocument(r: Row): DocumentRow {
  return {
    id: Number(r.id),
    projectId: Number(r.project_id),
    milestoneId: r.milestone_id == null ? null : Number(r.milestone_id),
    approvalRequestId: r.approval_request_id == null ? null : Number(r.approval_request_id),
    category: r.category as Category,
    titleEn: String(r.title_en),
    titleAr: String(r.title_ar),
    currentVersionId: r.current_version_id == null ? null : Number(r.current_version_id),
    version: Number(r.version),
    createdBy: r.created_by == null ? null : Number(r.created_by),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

function toVersion(r: Row): VersionRow {
  return {
    id: Number(r.id),
    documentId: Number(r.document_id),
    versionNo: Number(r.version_no),
    sha256: String(r.sha256),
    originalName: String(r.original_name),
    mediaType: String(r.media_type),
    sizeBytes: Number(r.size_bytes),
    pageCount: r.page_count == null ? null : Number(r.page_count),
    comment: (r.comment as string | null) ?? null,
    uploadedBy: r.uploaded_by == null ? null : Number(r.uploaded_by),
    uploadedAt: String(r.uploaded_at),
    uploaderEn: (r.uploader_en as string | null) ?? null,
    uploaderAr: (r.uploader_ar as string | null) ?? null,
    approvalState: approvalState(r.approval_status as string | null),
    approvalRequestId: r.approval_id == null ? null : Number(r.approval_id),
  };
}

/** The latest document approval request of the version aliased `alias` (id and status columns). */
function latestApproval(conn: Conn, qb: Knex.QueryBuilder, alias: string): Knex.QueryBuilder {
  const latestId = conn('approval_requests as arx')
    .max('arx.id')
    .where('arx.kind', 'document')
    .andWhere('arx.subject_type', 'document_version')
    .andWhereRaw(`arx.subject_id = ${alias}.id`);
  return qb
    .leftJoin('approval_requests as apr', (j) => j.on('apr.id', '=', conn.raw('(?)', [latestId])))
    .select('apr.status as approval_status', 'apr.id as approval_id');
}

export interface DocumentFilter {
  category?: Category;
  q?: string;
}

export async function listDocuments(
  conn: Conn,
  projectId: number,
  f: DocumentFilter,
): Promise<DocumentListItem[]> {
  const q = conn('documents as d')
    .join('document_versions as v', 'v.id', 'd.current_version_id')
    .leftJoin('milestones as m', 'm.id', 'd.milestone_id')
    .select(
      'd.*',
      'v.version_no',
      'v.original_name',
      'v.media_type',
      'v.size_bytes',
      'v.page_count',
      'v.uploaded_at',
      'm.title_en as milestone_en',
      'm.title_ar as milestone_ar',
    )
    .where('d.project_id', projectId)
    .modify((qb) => {
      if (f.category) qb.andWhere('d.category', f.category);
      if (f.q) whereContains(qb, ['d.title_en', 'd.title_ar'], f.q);
    })
    .orderBy([
      { column: 'v.uploaded_at', order: 'desc' },
      { column: 'd.id', order: 'desc' },
    ]);
  const rows = (await latestApproval(conn, q, 'v')) as Row[];
  return rows.map((r) => ({
    ...toDocument(r),
    current: {
      id: Number(r.current_version_id),
      versionNo: Number(r.version_no),
      originalName: String(r.original_name),
      mediaType: String(r.media_type),
      sizeBytes: Number(r.size_bytes),
      pageCount: r.page_count == null ? null : Number(r.page_count),
      uploadedAt: String(r.uploaded_at),
      approvalState: approvalState(r.approval_status as string | null),
    },
    milestoneEn: (r.milestone_en as string | null) ?? null,
    milestoneAr: (r.milestone_ar as string | null) ?? null,
  }));
}

/** A document of this project, or undefined (also when it belongs to another project). */
export async function findDocument(
  conn: Conn,
  projectId: number,
  documentId: number,
): Promise<DocumentRow | undefined> {
  const r = (await conn('documents').where({ id: documentId, project_id: projectId }).first()) as
    Row | undefined;
  return r ? toDocument(r) : undefined;
}

export async function listVersions(conn: Conn, documentId: number): Promise<VersionRow[]> {
  const q = conn('document_versions as v')
    .leftJoin('users as u', 'u.id', 'v.uploaded_by')
    .select('v.*', 'u.name_en as uploader_en', 'u.name_ar as uploader_ar')
    .where('v.document_id', documentId)
    .orderBy('v.version_no', 'desc');
  return ((await latestApproval(conn, q, 'v')) as Row[]).map(toVersion);
}

/** A version of this document, or undefined (also for a version of another document). */
export async function findVersion(
  conn: Conn,
  documentId: number,
  versionId: number,
): Promise<VersionRow | undefined> {
  const q = conn('document_versions as v')
    .leftJoin('users as u', 'u.id', 'v.uploaded_by')
    .select('v.*', 'u.name_en as uploader_en', 'u.name_ar as uploader_ar')
    .where({ 'v.id': versionId, 'v.document_id': documentId });
  const r = (await latestApproval(conn, q, 'v').first()) as Row | undefined;
  return r ? toVersion(r) : undefined;
}

export async function nextVersionNo(conn: Conn, documentId: number): Promise<number> {
  const r = await conn('document_versions')
    .where({ document_id: documentId })
    .max({ n: 'version_no' })
    .first();
  return Number(r?.n ?? 0) + 1;
}

export interface NewVersion {
  documentId: number;
  versionNo: number;
  sha256: string;
  originalName: string;
  mediaType: string;
  sizeBytes: number;
  pageCount: number | null;
  comment: string | null;
  uploadedBy: number;
  uploadedAt: string;
}

export async function insertVersion(conn: Conn, v: NewVersion): Promise<number> {
  return insertOne(conn, 'document_versions', {
    document_id: v.documentId,
    version_no: v.versionNo,
    sha256: v.sha256,
    original_name: v.originalName,
    media_type: v.mediaType,
    size_bytes: v.sizeBytes,
    page_count: v.pageCount,
    comment: v.comment,
    uploaded_by: v.uploadedBy,
    uploaded_at: v.uploadedAt,
  });
}

export interface NewDocument {
  projectId: number;
  milestoneId: number | null;
  approvalRequestId: number | null;
  category: Category;
  titleEn: string;
  titleAr: string;
  createdBy: number;
  at: string;
}

export async function insertDocument(conn: Conn, d: NewDocument): Promise<number> {
  return insertOne(conn, 'documents', {
    project_id: d.projectId,
    milestone_id: d.milestoneId,
    approval_request_id: d.approvalRequestId,
    category: d.category,
    title_en: d.titleEn,
    title_ar: d.titleAr,
    created_by: d.createdBy,
    created_at: d.at,
    updated_at: d.at,
  });
}

export async function projectMilestones(conn: Conn, projectId: number) {
  return (await conn('milestones')
    .select('id', 'title_en', 'title_ar')
    .where({ project_id: projectId })
    .orderBy([{ column: 'sort_order' }, { column: 'planned_date' }, { column: 'id' }])) as {
    id: number;
    title_en: string;
    title_ar: string;
  }[];
}
