import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../src/paths.js';

/**
 * npx tsx test/bench/profile-summary.ts <file.cpuprofile> [--top 25] [--last 10]
 * Where a server spent its time (from `npm run bench -- --cpu-prof`): self time per function and
 * total (inclusive) time per source file, heaviest first.
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
const flag = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const top = Number(flag('--top') ?? 25);
/** Only the last S seconds of the profile (leaves start-up and warm-up out). */
const last = flag('--last') ? Number(flag('--last')) * 1e6 : undefined;
if (!file) {
  console.error('usage: tsx test/bench/profile-summary.ts <file.cpuprofile> [--top 25]');
  process.exit(2);
}
const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<number, number>();
const span = prof.timeDeltas.reduce((a, b) => a + b, 0);
let clock = 0;
prof.samples.forEach((id, i) => {
  clock += prof.timeDeltas[i] ?? 0;
  if (last !== undefined && clock < span - last) return;
  self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

const short = (url: string) => {
  const u = url.replace(/^file:\/\//, '');
  if (u.includes('/node_modules/'))
    return 'node_modules/' + u.split('/node_modules/').pop()!.split('/').slice(0, 2).join('/');
  return u.startsWith(ROOT) ? path.relative(ROOT, u) : u || '(native)';
};
const label = (n: Node) =>
  `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const fnSelf = new Map<string, number>();
for (const [id, t] of self) {
  const k = label(byId.get(id)!);
  fnSelf.set(k, (fnSelf.get(k) ?? 0) + t);
}
// inclusive time per file: a sample counts once for every file on its stack
const fileTotal = new Map<string, number>();
for (const [id, t] of self) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const f = short(byId.get(cur)!.callFrame.url);
    if (!seen.has(f)) {
      seen.add(f);
      fileTotal.set(f, (fileTotal.get(f) ?? 0) + t);
    }
  }
}
const pct = (t: number) => ((t / total) * 100).toFixed(1).padStart(5) + ' %';
console.log(`total ${(total / 1e6).toFixed(1)} s sampled\n\nself time by function:`);
for (const [k, t] of [...fnSelf].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)}  ${k}`);
console.log('\ninclusive time by file:');
for (const [k, t] of [...fileTotal].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)}  ${k}`);
