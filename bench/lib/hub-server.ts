/**
 * The hub as a user runs it, for read benchmarks: `mdm serve` in a child process on a free port,
 * waited for until /readyz answers 200; its resident memory (the process and its children, e.g.
 * cluster workers) read from /proc; API keys made with `mdm apikey create`.
 *
 * @example
 * ```ts
 * const hub = await startHub({ databaseUrl: url });
 * const key = createKey(url, 'reader');
 * await hub.stop();
 * ```
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { PROJECT_ROOT } from './datasets';

export interface Hub {
  port: number;
  pid: number;
  /** CPU seconds (user + system) used so far by the server and its child processes. */
  cpuSeconds(): number;
  /** Current resident memory of the server and its child processes, MB. */
  rssMb(): number;
  /** Peak resident memory (VmHWM) of the server and its child processes, MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** User + system CPU seconds of a process (0 when it is gone); clock ticks are 1/100 s on Linux. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The process and every descendant. */
function tree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(parents.get(out[i]) ?? []));
  return out;
}

async function waitReady(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`mdm serve exited (${child.exitCode}) before it was ready`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`mdm serve did not become ready within ${timeoutMs / 1000} s`);
}

/**
 * Starts `mdm serve` on the database. `nodeArgs` go to node (e.g. `--cpu-prof`), `args` to serve;
 * the log goes to `logFile` (else nowhere).
 */
export async function startHub(options: {
  databaseUrl: string;
  args?: string[];
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  logFile?: string;
  /** The checkout to run (default this one), e.g. another version to compare with. */
  root?: string;
}): Promise<Hub> {
  const port = await freePort();
  const out = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'bin/mdm.js', 'serve', '--port', String(port), ...(options.args ?? [])], {
    cwd: options.root ?? PROJECT_ROOT,
    env: { ...process.env, ...options.env, DATABASE_URL: options.databaseUrl },
    stdio: ['ignore', out, out],
  });
  if (typeof out === 'number') closeSync(out);
  try {
    await waitReady(port, child, 120_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const pid = child.pid!;
  const sum = (field: 'VmRSS' | 'VmHWM') => tree(pid).reduce((s, p) => s + statusKb(p, field), 0) / 1024;
  return {
    port,
    pid,
    cpuSeconds: () => tree(pid).reduce((s, p) => s + processCpuSeconds(p), 0),
    rssMb: () => sum('VmRSS'),
    peakRssMb: () => sum('VmHWM'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Creates an API key with `mdm apikey create` and returns it (and its id, to revoke it). */
export function createKey(databaseUrl: string, role: string, name: string): { key: string; id: string } {
  const res = spawnSync(process.execPath, ['bin/mdm.js', 'apikey', 'create', '--role', role, '--name', name, '--json'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, MDM_LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`mdm apikey create failed: ${res.stderr}`);
  const created = JSON.parse(res.stdout.trim().split('\n').pop()!) as { id: string; key: string };
  return { key: created.key, id: String(created.id) };
}

export function revokeKey(databaseUrl: string, id: string): void {
  spawnSync(process.execPath, ['bin/mdm.js', 'apikey', 'revoke', id], { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, MDM_LOG_LEVEL: 'warn' } });
}
