import type { TFunction } from 'i18next';
import type { Conn } from '../../db/knex.js';
import { pick, type Locale } from '../../i18n/locales.js';
import type { HistoryRow } from './projects.history.js';

/** Message keys of the labels of project form fields (form key → label). */
export const FIELD_LABELS: Record<string, string> = {
  code: 'projects:fields.code',
  programId: 'projects:fields.program',
  nameEn: 'projects:fields.nameEn',
  nameAr: 'projects:fields.nameAr',
  descriptionEn: 'projects:fields.descriptionEn',
  descriptionAr: 'projects:fields.descriptionAr',
  scope: 'projects:fields.scope',
  managerId: 'projects:fields.manager',
  sponsorId: 'projects:fields.sponsor',
  phase: 'projects:fields.phase',
  status: 'projects:fields.status',
  priority: 'projects:fields.priority',
  reportFrequency: 'projects:fields.reportFrequency',
  plannedStart: 'projects:fields.plannedStart',
  plannedEnd: 'projects:fields.plannedEnd',
  actualStart: 'projects:fields.actualStart',
  actualEnd: 'projects:fields.actualEnd',
  budgetPlanned: 'projects:fields.budgetPlanned',
  budgetActual: 'projects:fields.budgetActual',
  currency: 'projects:fields.currency',
  userId: 'projects:team.person',
  roleEn: 'projects:team.roleEn',
  roleAr: 'projects:team.roleAr',
};

export function fieldLabel(t: TFunction, key: string): string {
  const k = FIELD_LABELS[key];
  return k ? t(k) : key;
}

const ACTION_LABELS: Record<string, string> = {
  'project.create': 'projects:history.actions.projectCreate',
  'project.update': 'projects:history.actions.projectUpdate',
  'project.member.add': 'projects:history.actions.memberAdd',
  'project.member.remove': 'projects:history.actions.memberRemove',
};

const PERSON_KEYS =
  /^(managerId|sponsorId|userId|ownerId|decidedBy|requestedBy|onBehalfOf|uploadedBy|submittedBy)$/;
const MONEY_KEYS = /^budget(Planned|Actual)$/;

export interface HistoryChange {
  field: string;
  before: string;
  after: string;
}

export interface HistoryItem {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  actionLabel: string | null;
  entity: string;
  entityId: string | null;
  changes: HistoryChange[];
}

function parse(json: string | null): Record<string, unknown> {
  if (!json) return {};
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return {};
  }
}

/**
 * Turns audit rows into readable entries: field labels, people by name (one query for the whole
 * page), money formatted; unknown values shown as they were recorded.
 */
export async function historyItems(
  conn: Conn,
  rows: HistoryRow[],
  t: TFunction,
  locale: Locale,
  fmtMoney: (minor: number) => string,
): Promise<HistoryItem[]> {
  const parsed = rows.map((r) => ({ r, before: parse(r.before), after: parse(r.after) }));
  const ids = new Set<number>();
  for (const p of parsed)
    for (const o of [p.before, p.after])
      for (const [k, v] of Object.entries(o)) if (PERSON_KEYS.test(k) && typeof v === 'number') ids.add(v);
  const people = new Map<number, string>();
  if (ids.size) {
    const us = (await conn('users')
      .select('id', 'name_en', 'name_ar')
      .whereIn('id', [...ids])) as {
      id: number;
      name_en: string;
      name_ar: string;
    }[];
    for (const u of us) people.set(u.id, pick(locale, u.name_ar, u.name_en));
  }
  const show = (k: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (PERSON_KEYS.test(k) && typeof v === 'number') return people.get(v) ?? `#${v}`;
    if (MONEY_KEYS.test(k) && typeof v === 'number') return fmtMoney(v);
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  return parsed.map(({ r, before, after }) => {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return {
      id: r.id,
      at: r.at,
      actor: r.actorId ? pick(locale, r.actorAr, r.actorEn) : null,
      action: r.action,
      actionLabel: ACTION_LABELS[r.action] ? t(ACTION_LABELS[r.action]) : null,
      entity: r.entity,
      entityId: r.entityId,
      changes: keys.map((k) => ({
        field: fieldLabel(t, k),
        before: k in before ? show(k, before[k]) : '',
        after: k in after ? show(k, after[k]) : '',
      })),
    };
  });
}
