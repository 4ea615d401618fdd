import crypto from 'node:crypto';
import { seed as seedUsers } from '../../seeds/01-demo-users.js';
import type { Config } from '../../src/config.js';
import type { Conn, Db } from '../../src/db/knex.js';
import { isPg } from '../../src/db/knex.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { generateLargePortfolio } from '../../src/modules/portfolio/portfolio.generator.js';

/**
 * The benchmark's large portfolio: the demo accounts, the portfolio engineer's generator for
 * programs, projects, milestones and status reports, then approval requests (with their steps and
 * a submission event) and documents with their versions, inserted here in batches following the
 * approvals and documents tables of contracts.md. No file bytes are written: the measured pages
 * list documents, they do not download them.
 */
export interface DatasetSize {
  projects: number;
  milestonesPerProject: number;
  approvalRequests: number;
  documentVersions: number;
}

export interface DatasetResult {
  programs: number;
  projects: number;
  milestones: number;
  statusReports: number;
  approvalRequests: number;
  approvalSteps: number;
  documents: number;
  documentVersions: number;
  seconds: number;
}

/** Scales the default 2,000 / 20,000 / 5,000 / 10,000 with the number of projects. */
export function sizeFor(projects: number): DatasetSize {
  return {
    projects,
    milestonesPerProject: 10,
    approvalRequests: Math.round(projects * 2.5),
    documentVersions: projects * 5,
  };
}

async function insertChunks(conn: Conn, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  // within SQLite's bound-parameter and compound-select limits, and PostgreSQL's
  const size = Math.max(1, Math.min(400, Math.floor(20_000 / Object.keys(rows[0]).length)));
  for (let i = 0; i < rows.length; i += size) await conn(table).insert(rows.slice(i, i + size));
}

async function nextId(conn: Conn, table: string): Promise<number> {
  const row = (await conn(table).max({ m: 'id' }).first()) as { m: number | null } | undefined;
  return Number(row?.m ?? 0) + 1;
}

/** After rows inserted with explicit ids, PostgreSQL's sequence must continue after them. */
async function fixSequence(db: Db, table: string): Promise<void> {
  if (!isPg(db)) return;
  await db.raw(`SELECT setval(pg_get_serial_sequence(?, 'id'), (SELECT COALESCE(MAX(id), 1) FROM ??))`, [
    table,
    table,
  ]);
}

function rng(seed: number) {
  let h = seed >>> 0;
  return () => {
    h += 0x6d2b79f5;
    let t = h;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (d: Date) => d.toISOString();
const daysAgo = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

const CATEGORIES = [
  'charter',
  'business_case',
  'project_plan',
  'status_report',
  'change_request',
  'closure_report',
  'other',
];
const WORKFLOW: Record<string, [string, string, string][]> = {
  gate: [
    ['PMO review', 'مراجعة مكتب إدارة المشاريع', 'pmo'],
    ['Sponsor approval', 'موافقة الراعي', 'sponsor'],
  ],
  change_request: [
    ['PMO review', 'مراجعة مكتب إدارة المشاريع', 'pmo'],
    ['Sponsor approval', 'موافقة الراعي', 'sponsor'],
  ],
  milestone_signoff: [['Sponsor sign-off', 'اعتماد الراعي', 'sponsor']],
  document: [['PMO review', 'مراجعة مكتب إدارة المشاريع', 'pmo']],
};

export async function buildDataset(
  db: Db,
  config: Config,
  size: DatasetSize,
  log: (m: string) => void,
): Promise<DatasetResult> {
  const started = Date.now();
  await migrateLatest(db);
  await seedUsers(db);
  await generateLargePortfolio(db, {
    projects: size.projects,
    milestonesPerProject: size.milestonesPerProject,
    reportsPerProject: 3,
    health: config.health,
    log,
  });
  const now = new Date();
  const r = rng(42);
  const projects = (await db('projects')
    .select('id', 'manager_id', 'sponsor_id', 'phase')
    .where('code', 'like', 'LP-%')
    .orderBy('id')) as { id: number; manager_id: number; sponsor_id: number; phase: string }[];
  const byId = new Map(projects.map((p) => [p.id, p]));
  const admin = (await db('users').where({ email: 'admin@masar.test' }).first('id')) as { id: number };
  const pmo = (await db('users').where({ email: 'pmo@masar.test' }).first('id')) as { id: number };

  // Documents: two versions each (a revised document), the current one the latest.
  const docCount = Math.ceil(size.documentVersions / 2);
  log(`  ${docCount} documents, ${size.documentVersions} versions…`);
  let docId = await nextId(db, 'documents');
  const firstDoc = docId;
  let versionId = await nextId(db, 'document_versions');
  const docVersions: { id: number; projectId: number; docId: number; title: string }[] = [];
  await db.transaction(async (trx) => {
    const docs: Record<string, unknown>[] = [];
    const versions: Record<string, unknown>[] = [];
    let left = size.documentVersions;
    for (let i = 0; i < docCount; i++) {
      const p = projects[i % projects.length];
      const id = docId++;
      const category = CATEGORIES[i % CATEGORIES.length];
      const created = daysAgo(now, 10 + Math.floor(r() * 400));
      const nVersions = Math.min(2, left);
      let current = 0;
      for (let v = 1; v <= nVersions; v++) {
        current = versionId++;
        left--;
        versions.push({
          id: current,
          document_id: id,
          version_no: v,
          sha256: crypto.createHash('sha256').update(`bench-${id}-${v}`).digest('hex'),
          original_name: `${category}-v${v}.pdf`,
          media_type: 'application/pdf',
          size_bytes: 50_000 + Math.floor(r() * 2_000_000),
          page_count: 1 + Math.floor(r() * 40),
          comment: v > 1 ? 'Revised after review.' : null,
          uploaded_by: p.manager_id,
          uploaded_at: iso(daysAgo(created, -v)),
        });
      }
      docVersions.push({ id: current, projectId: p.id, docId: id, title: `Document ${id}` });
      docs.push({
        id,
        project_id: p.id,
        milestone_id: null,
        approval_request_id: null,
        category,
        title_en: `Document ${id} (${category.replace('_', ' ')})`,
        title_ar: `وثيقة ${id}`,
        current_version_id: null,
        version: 1,
        created_by: p.manager_id,
        created_at: iso(created),
        updated_at: iso(created),
      });
    }
    await insertChunks(trx, 'documents', docs);
    await insertChunks(trx, 'document_versions', versions);
    await trx('documents')
      .where('id', '>=', firstDoc)
      .update({
        current_version_id: trx('document_versions as v')
          .max('v.id')
          .where('v.document_id', trx.ref('documents.id')),
      });
  });

  // Approval requests: a fifth still pending (the inboxes), the rest decided in every way.
  log(`  ${size.approvalRequests} approval requests…`);
  let requestId = await nextId(db, 'approval_requests');
  const milestoneOf = new Map<number, number>();
  for (const m of (await db('milestones')
    .select('project_id')
    .min({ id: 'id' })
    .whereIn('project_id', db('projects').select('id').where('code', 'like', 'LP-%'))
    .groupBy('project_id')) as { project_id: number; id: number }[])
    milestoneOf.set(m.project_id, m.id);
  let steps = 0;
  await db.transaction(async (trx) => {
    const requests: Record<string, unknown>[] = [];
    const stepRows: Record<string, unknown>[] = [];
    const events: Record<string, unknown>[] = [];
    const kinds = ['gate', 'change_request', 'milestone_signoff', 'document'] as const;
    for (let i = 0; i < size.approvalRequests; i++) {
      const kind = kinds[i % kinds.length];
      const doc = kind === 'document' ? docVersions[i % docVersions.length] : undefined;
      const p = doc ? byId.get(doc.projectId)! : projects[(i * 7) % projects.length];
      const id = requestId++;
      const submitted = daysAgo(now, Math.floor(r() * 300) + 1);
      const roll = r();
      const status =
        roll < 0.2
          ? 'pending'
          : roll < 0.75
            ? 'approved'
            : roll < 0.85
              ? 'rejected'
              : roll < 0.93
                ? 'returned'
                : 'withdrawn';
      const wf = WORKFLOW[kind];
      const pendingAt = status === 'pending' ? 1 + Math.floor(r() * wf.length) : null;
      const decidedAt = status === 'pending' || status === 'returned' ? null : iso(daysAgo(submitted, -3));
      const subject =
        kind === 'document'
          ? { subject_type: 'document_version', subject_id: doc!.id }
          : kind === 'milestone_signoff'
            ? { subject_type: 'milestone', subject_id: milestoneOf.get(p.id) ?? 0 }
            : { subject_type: 'project', subject_id: p.id };
      const title =
        kind === 'gate'
          ? ['Phase gate: Execution → Closure', 'بوابة مرحلة: التنفيذ ← الإغلاق']
          : kind === 'change_request'
            ? ['Change request: Planned end', 'طلب تغيير: النهاية المخططة']
            : kind === 'milestone_signoff'
              ? ['Milestone sign-off', 'اعتماد معلم رئيسي']
              : [`Document approval: ${doc!.title}`, `اعتماد وثيقة: ${doc!.title}`];
      requests.push({
        id,
        kind,
        project_id: p.id,
        ...subject,
        title_en: title[0],
        title_ar: title[1],
        status,
        requested_by: p.manager_id,
        submitted_at: iso(submitted),
        decided_at: decidedAt,
        current_step: pendingAt,
        payload:
          kind === 'gate'
            ? '{"fromPhase":"execution","toPhase":"closure"}'
            : kind === 'change_request'
              ? '{"before":{},"justification":"Vendor delay.","proposed":{}}'
              : '{}',
        round: 1,
        version: 1,
        created_at: iso(submitted),
        updated_at: decidedAt ?? iso(submitted),
      });
      wf.forEach(([nameEn, nameAr, role], k) => {
        const no = k + 1;
        const stepStatus =
          status === 'pending'
            ? no < pendingAt!
              ? 'approved'
              : no === pendingAt
                ? 'pending'
                : 'waiting'
            : status === 'approved'
              ? 'approved'
              : no === 1
                ? status === 'withdrawn'
                  ? 'skipped'
                  : status
                : 'waiting';
        const started = no === 1 || stepStatus !== 'waiting' ? iso(daysAgo(submitted, -(no - 1))) : null;
        stepRows.push({
          request_id: id,
          round: 1,
          step_no: no,
          name_en: nameEn,
          name_ar: nameAr,
          decider_role: role,
          decider_user_id: null,
          sla_days: role === 'pmo' ? 3 : 5,
          status: stepStatus,
          started_at: started,
          due_at: started ? iso(daysAgo(new Date(started), -(role === 'pmo' ? 5 : 7))) : null,
          decided_at: ['approved', 'rejected', 'returned'].includes(stepStatus)
            ? iso(daysAgo(submitted, -no))
            : null,
          decided_by: ['approved', 'rejected', 'returned'].includes(stepStatus)
            ? role === 'pmo'
              ? pmo.id
              : (p.sponsor_id ?? admin.id)
            : null,
          on_behalf_of: null,
          comment: stepStatus === 'rejected' || stepStatus === 'returned' ? 'Needs more detail.' : null,
        });
        steps++;
      });
      events.push({
        request_id: id,
        round: 1,
        step_no: null,
        action: 'submitted',
        actor_id: p.manager_id,
        on_behalf_of: null,
        comment: null,
        at: iso(submitted),
      });
    }
    await insertChunks(trx, 'approval_requests', requests);
    await insertChunks(trx, 'approval_steps', stepRows);
    await insertChunks(trx, 'approval_events', events);
  });
  for (const t of ['documents', 'document_versions', 'approval_requests']) await fixSequence(db, t);
  if (!isPg(db)) await db.raw('PRAGMA optimize');
  else await db.raw('ANALYZE');

  return {
    programs: Number((await db('programs').count({ n: '*' }))[0].n),
    projects: Number((await db('projects').count({ n: '*' }))[0].n),
    milestones: Number((await db('milestones').count({ n: '*' }))[0].n),
    statusReports: Number((await db('status_reports').count({ n: '*' }))[0].n),
    approvalRequests: Number((await db('approval_requests').count({ n: '*' }))[0].n),
    approvalSteps: steps,
    documents: Number((await db('documents').count({ n: '*' }))[0].n),
    documentVersions: Number((await db('document_versions').count({ n: '*' }))[0].n),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}
