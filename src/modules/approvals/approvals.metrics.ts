/**
 * Governance statistics, pure: approval cycle time (median and 90th percentile, per kind and per
 * step), the share of steps decided within their SLA. Durations are in days (fractional).
 */

/** The q-quantile of numbers by linear interpolation between closest ranks; null for none. */
export function quantile(values: readonly number[], q: number): number | null {
  const s = [...values].sort((a, b) => a - b);
  return quantileAt(s.length, q, (rank) => s[rank]);
}

/** The ranks a q-quantile of n sorted values interpolates between (equal when it falls on one). */
export function quantileRanks(n: number, q: number): { lo: number; hi: number } {
  const pos = (n - 1) * Math.min(1, Math.max(0, q));
  return { lo: Math.floor(pos), hi: Math.ceil(pos) };
}

/**
 * The q-quantile of n sorted values of which `at(rank)` reads one (only the one or two ranks the
 * quantile interpolates between are read); null for none.
 */
export function quantileAt(n: number, q: number, at: (rank: number) => number): number | null {
  if (n === 0) return null;
  const pos = (n - 1) * Math.min(1, Math.max(0, q));
  const { lo, hi } = quantileRanks(n, q);
  const low = at(lo);
  return low + (at(hi) - low) * (pos - lo);
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

/**
 * A group of decided requests (stepNo null) or decided steps whose cycle-time statistics are
 * already known (read from the maintained quantiles rather than computed from every duration).
 */
export interface CycleGroup extends CycleStat {
  kind: string;
  stepNo: number | null;
  nameEn: string;
  nameAr: string;
  /** Steps decided by their due moment (steps only). */
  withinSla: number;
}

/** The governance metrics of groups whose statistics are known, in the order governanceMetrics uses. */
export function metricsOfGroups(
  groups: readonly CycleGroup[],
  kindOrder: readonly string[],
): GovernanceMetrics {
  const rank = (k: string) => {
    const i = kindOrder.indexOf(k);
    return i < 0 ? kindOrder.length : i;
  };
  const stat = (g: CycleGroup): CycleStat => ({ count: g.count, median: g.median, p90: g.p90 });
  const steps = groups.filter((g) => g.stepNo !== null && g.count > 0);
  const decidedSteps = steps.reduce((n, g) => n + g.count, 0);
  const withinSla = steps.reduce((n, g) => n + g.withinSla, 0);
  return {
    byKind: groups
      .filter((g) => g.stepNo === null && g.count > 0)
      .sort((a, b) => rank(a.kind) - rank(b.kind) || a.kind.localeCompare(b.kind))
      .map((g) => ({ kind: g.kind, ...stat(g) })),
    byStep: steps
      .sort(
        (a, b) => rank(a.kind) - rank(b.kind) || a.stepNo! - b.stepNo! || a.nameEn.localeCompare(b.nameEn),
      )
      .map((g) => ({ kind: g.kind, stepNo: g.stepNo!, nameEn: g.nameEn, nameAr: g.nameAr, ...stat(g) })),
    decidedSteps,
    withinSla,
    withinSlaPct: decidedSteps ? (withinSla / decidedSteps) * 100 : null,
  };
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
