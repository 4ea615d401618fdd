import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { ROOT } from '../../src/paths.js';

/**
 * Child processes of the benchmark (the Masar server, the bare Express ceiling) and their memory,
 * read from /proc while they work.
 */
export interface Proc {
  pid: number;
  url: string;
  /** Resident memory now, in MB. */
  rssMb(): number;
  /** Starts a peak-RSS window; the returned function ends it and gives the peak in MB. */
  watchPeak(everyMs?: number): () => number;
  /** The process's lifetime peak RSS (VmHWM), in MB. */
  hwmMb(): number;
  /** CPU time the process has used so far (user + system), in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

function statusField(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** utime + stime from /proc/<pid>/stat, in ms (clock ticks of 10 ms). */
function cpuTime(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

async function waitReady(url: string, child: ChildProcess, log: () => string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the process exited (${child.exitCode}):\n${log()}`);
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready after ${timeoutMs / 1000} s:\n${log()}`);
}

/** Runs a TypeScript entry point with `node --import tsx`, waits until `readyPath` answers. */
export async function startProcess(opts: {
  script: string;
  port: number;
  env: Record<string, string>;
  readyPath: string;
  nodeArgs?: string[];
}): Promise<Proc> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', opts.script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${opts.port}`;
  await waitReady(url + opts.readyPath, child, () => output);
  const pid = child.pid!;
  return {
    pid,
    url,
    rssMb: () => statusField(pid, 'VmRSS'),
    hwmMb: () => statusField(pid, 'VmHWM'),
    cpuMs: () => cpuTime(pid),
    watchPeak(everyMs = 50) {
      let peak = statusField(pid, 'VmRSS');
      const timer = setInterval(() => {
        peak = Math.max(peak, statusField(pid, 'VmRSS'));
      }, everyMs);
      return () => {
        clearInterval(timer);
        return Math.max(peak, statusField(pid, 'VmRSS'));
      };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
