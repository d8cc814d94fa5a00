/**
 * `mdm` as a user runs it, in child processes the drill can kill without warning (SIGKILL: no
 * handler runs, nothing is flushed or released). Every child is remembered, so that the drill
 * kills what it started if it fails itself.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../lib/hub-server';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface MdmRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

export interface MdmProcess {
  readonly pid: number;
  /** True until the process has exited. */
  running(): boolean;
  /** Resolves when the process has exited. */
  readonly exited: Promise<MdmRun>;
  /** SIGKILL; returns whether the process was still running when killed. */
  kill(): Promise<boolean>;
}

/** Starts `mdm <args>` with the given environment (logs at warn, so output stays small). */
export function startMdm(args: string[], env: Record<string, string>, options: { stdout?: (chunk: string) => void } = {}): MdmProcess {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/mdm.js', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, MDM_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d;
    options.stdout?.(String(d));
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d;
    if (stderr.length > 1_000_000) stderr = stderr.slice(-100_000);
  });
  let done = false;
  const exited = new Promise<MdmRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      done = true;
      children.delete(child);
      resolve({ code, signal, stdout, stderr, seconds: (performance.now() - started) / 1000 });
    });
  });
  return {
    pid: child.pid!,
    running: () => !done && child.exitCode === null && child.signalCode === null,
    exited,
    async kill() {
      const alive = !done && child.exitCode === null && child.signalCode === null;
      if (alive) child.kill('SIGKILL');
      await exited;
      return alive;
    },
  };
}

/** Runs `mdm <args>` to completion; a non-zero exit is an error with the command's own message. */
export async function runMdm(args: string[], env: Record<string, string>): Promise<MdmRun> {
  const run = await startMdm(args, env).exited;
  if (run.code !== 0) throw new Error(`mdm ${args.join(' ')} exited with ${run.code ?? run.signal}: ${run.stderr.trim().slice(-2000)}`);
  return run;
}

/** `mdm serve` on a fixed port, so that senders and subscribers find it again after a restart. */
export interface HubProcess {
  readonly port: number;
  readonly url: string;
  /** Starts the hub and waits until /readyz answers 200; returns the seconds it took. */
  start(): Promise<number>;
  /** SIGKILL; returns whether it was running. */
  kill(): Promise<boolean>;
  /** SIGTERM (a graceful stop), SIGKILL after 20 s. */
  stop(): Promise<void>;
  running(): boolean;
  /** Standard error of the runs so far (the hub logs there), last 200 kB. */
  log(): string;
}

export async function hubProcess(env: Record<string, string>): Promise<HubProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let current: MdmProcess | undefined;
  let log = '';
  const collect = (p: MdmProcess) => void p.exited.then((r) => (log = (log + r.stderr).slice(-200_000)));
  return {
    port,
    url,
    running: () => current?.running() ?? false,
    log: () => log,
    async start() {
      const started = performance.now();
      const until = Date.now() + 120_000;
      for (;;) {
        const p = startMdm(['serve', '--port', String(port)], env);
        current = p;
        collect(p);
        while (Date.now() < until && p.running()) {
          try {
            if ((await fetch(`${url}/readyz`)).status === 200) return (performance.now() - started) / 1000;
          } catch {
            // not listening yet
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        const run = await (p.running() ? p.kill().then(() => p.exited) : p.exited);
        // The port of a killed hub can take a moment to be free again: try again.
        if (Date.now() < until && /EADDRINUSE/.test(run.stderr)) continue;
        throw new Error(`mdm serve did not become ready (exit ${run.code ?? run.signal}): ${run.stderr.trim().slice(-2000)}`);
      }
    },
    async kill() {
      return current ? current.kill() : false;
    },
    async stop() {
      const p = current;
      if (!p || !p.running()) return;
      const timer = setTimeout(() => void p.kill(), 20_000);
      process.kill(p.pid, 'SIGTERM');
      await p.exited;
      clearTimeout(timer);
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
