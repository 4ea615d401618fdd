/** Tables of the benchmark's results, as Markdown (pasted as they are into the README). */

export interface PageResult {
  name: string;
  path: string;
  kind: 'page' | 'pdf' | 'ceiling';
  status: number;
  bytes: number;
  rps: number;
  p50: number;
  p99: number;
  ratio: number | null;
  queriesPerRequest: number | null;
  queriesMin: number | null;
  queriesMax: number | null;
  peakRssMb: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** The first request after the server started, alone, in ms (a report: built, not a kept copy). */
  firstMs?: number;
  /** One request alone (the check before the load), in ms. */
  singleMs: number;
  /** 'load': all connections for `seconds`; 'sequential': too slow for that, three requests in a row. */
  mode: 'load' | 'sequential';
  seconds: number;
}

const n = (v: number | null | undefined, d = 0) =>
  v === null || v === undefined || Number.isNaN(v)
    ? '—'
    : v.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });

function table(head: string[], rows: string[][], right: boolean[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    '| ' + cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ') + ' |';
  const sep =
    '|' + widths.map((w, i) => (right[i] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|';
  return [line(head), sep, ...rows.map(line)].join('\n');
}

export function pagesTable(pages: PageResult[]): string {
  return table(
    [
      'page',
      'req/s',
      'p50 ms',
      'p99 ms',
      'first ms',
      'alone ms',
      'vs Express+EJS',
      'SQL/request',
      'peak RSS MB',
      'KB',
    ],
    pages.map((p) => [
      (p.kind === 'ceiling' ? `*${p.name}*` : p.name) + (p.mode === 'sequential' ? ' ¹' : ''),
      n(p.rps, p.rps < 10 ? 1 : 0),
      n(p.p50),
      n(p.p99),
      p.kind === 'ceiling' ? '—' : n(p.firstMs),
      n(p.singleMs),
      p.ratio === null ? '—' : `${n(p.ratio * 100)} %`,
      p.queriesPerRequest === null
        ? '—'
        : p.queriesMin === p.queriesMax
          ? n(p.queriesPerRequest)
          : `${n(p.queriesPerRequest, 1)} (${p.queriesMin}–${p.queriesMax})`,
      p.peakRssMb ? n(p.peakRssMb) : '—',
      n(p.bytes / 1024),
    ]),
    [false, true, true, true, true, true, true, true, true, true],
  );
}

export const SEQUENTIAL_NOTE =
  '¹ one request at a time (three requests): a round of concurrent requests would take longer than the run allows.';

export interface GrowthRow {
  projects: number;
  pages: PageResult[];
}

/** One row per page, one column group per portfolio size: req/s, p99 and SQL per request. */
export function growthTable(runs: GrowthRow[]): string {
  const names = runs[0]?.pages.map((p) => p.name) ?? [];
  const head = [
    'page',
    ...runs.flatMap((r) => [`req/s @${n(r.projects)}`, `p99 ms @${n(r.projects)}`, `SQL @${n(r.projects)}`]),
  ];
  const rows = names.map((name) => [
    name,
    ...runs.flatMap((r) => {
      const p = r.pages.find((x) => x.name === name);
      return p
        ? [
            n(p.rps, p.rps < 10 ? 1 : 0),
            n(p.p99),
            n(p.queriesPerRequest, p.queriesMin === p.queriesMax ? 0 : 1),
          ]
        : ['—', '—', '—'];
    }),
  ]);
  return table(
    head,
    rows,
    head.map((_, i) => i > 0),
  );
}
