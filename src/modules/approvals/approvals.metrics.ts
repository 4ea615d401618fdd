/**
 * Governance statistics, pure: approval cycle time (median and 90th percentile, per kind and per
 * step), the share of steps decided within their SLA. Durations are in days (fractional).
 */

/** The q-quantile of numbers by linear interpolation between closest ranks; null for none. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export const median = (v: readonly number[]) => quantile(v, 0.5);
export const p90 = (v: readonly number[]) => quantile(v, 0.9);

const DAY_MS = 86_400_000;
export function durationDays(fromIso: string, toIso: string): number {
  return Math.max(0, (Date.parse(toIso) - Date.parse(fromIso)) / DAY_MS);
}

export interface DecidedRequestFact {
  kind: string;
  submittedAt: string;
  decidedAt: string;
}

export interface DecidedStepFact {
  kind: string;
  stepNo: number;
  nameEn: string;
  nameAr: string;
  startedAt: string;
  decidedAt: string;
  dueAt: string | null;
}

export interface CycleStat {
  count: number;
  median: number | null;
  p90: number | null;
}

export interface GovernanceMetrics {
  byKind: ({ kind: string } & CycleStat)[];
  byStep: ({ kind: string; stepNo: number; nameEn: string; nameAr: string } & CycleStat)[];
  decidedSteps: number;
  withinSla: number;
  /** Percentage of decided steps decided by their due moment; null when none was decided. */
  withinSlaPct: number | null;
}

function stat(values: number[]): CycleStat {
  return { count: values.length, median: median(values), p90: p90(values) };
}

export function governanceMetrics(
  requests: readonly DecidedRequestFact[],
  steps: readonly DecidedStepFact[],
  kindOrder: readonly string[],
): GovernanceMetrics {
  const byKind = new Map<string, number[]>();
  for (const r of requests) {
    const list = byKind.get(r.kind) ?? [];
    list.push(durationDays(r.submittedAt, r.decidedAt));
    byKind.set(r.kind, list);
  }
  const byStep = new Map<
    string,
    { kind: string; stepNo: number; nameEn: string; nameAr: string; values: number[] }
  >();
  let withinSla = 0;
  for (const s of steps) {
    // Steps are grouped by kind, position and name: a renamed step is a different step.
    const key = `${s.kind}\u0000${s.stepNo}\u0000${s.nameEn}`;
    const g = byStep.get(key) ?? {
      kind: s.kind,
      stepNo: s.stepNo,
      nameEn: s.nameEn,
      nameAr: s.nameAr,
      values: [],
    };
    g.values.push(durationDays(s.startedAt, s.decidedAt));
    byStep.set(key, g);
    if (s.dueAt === null || s.decidedAt <= s.dueAt) withinSla++;
  }
  const rank = (k: string) => {
    const i = kindOrder.indexOf(k);
    return i < 0 ? kindOrder.length : i;
  };
  return {
    byKind: [...byKind.entries()]
      .sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]))
      .map(([kind, v]) => ({ kind, ...stat(v) })),
    byStep: [...byStep.values()]
      .sort((a, b) => rank(a.kind) - rank(b.kind) || a.stepNo - b.stepNo || a.nameEn.localeCompare(b.nameEn))
      .map(({ values, ...g }) => ({ ...g, ...stat(values) })),
    decidedSteps: steps.length,
    withinSla,
    withinSlaPct: steps.length ? (withinSla / steps.length) * 100 : null,
  };
}
