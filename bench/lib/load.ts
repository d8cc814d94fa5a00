/**
 * A closed-loop HTTP load generator on loopback: a fixed number of connections (keep-alive), each
 * sending its next request as soon as the previous answer arrived, for a fixed time. Requests are
 * taken in turn from a list (a different body each time). Runs in a separate process, so its CPU
 * is not the server's: `wrk` (Debian package `wrk`, with a Lua script for the bodies) when it is
 * installed, else a Node client (http.Agent keep-alive) in a child process.
 *
 * @example
 * ```ts
 * const r = await runLoad({ port: 4000, requests: [{ method: 'GET', path: '/healthz' }], connections: 8, seconds: 10 });
 * r.perSecond; r.p99Ms;
 * ```
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface LoadOptions {
  port: number;
  requests: LoadRequest[];
  connections: number;
  seconds: number;
  /** Force the Node client even when wrk is installed. */
  tool?: 'wrk' | 'node';
}

export interface LoadResult {
  tool: 'wrk' | 'node';
  requests: number;
  /** Non-2xx answers and socket errors. */
  errors: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function wrkAvailable(): boolean {
  return spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;
}

// wrk: every thread reads the request list, starts at its own offset and takes the requests in turn.
const WRK_SCRIPT = `
local requests = {}
local n = 0
local i = 0
local file = os.getenv("MDM_LOAD_FILE")

function init(args)
  for line in io.lines(file) do
    local method, path, headers, body = line:match("^(%u+)\\t([^\\t]*)\\t([^\\t]*)\\t(.*)$")
    local h = {}
    for k, v in headers:gmatch("([^\\1]+)\\1([^\\2]*)\\2") do h[k] = v end
    if body == "" then body = nil end
    n = n + 1
    requests[n] = wrk.format(method, path, h, body)
  end
  i = math.random(n) - 1
end

function request()
  i = (i % n) + 1
  return requests[i]
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT {\\"requests\\":%d,\\"errors\\":%d,\\"micros\\":%d,\\"p50\\":%d,\\"p95\\":%d,\\"p99\\":%d,\\"max\\":%d}\\n",
    summary.requests, errors, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
`;

function encodeForWrk(r: LoadRequest): string {
  const headers = Object.entries(r.headers ?? {})
    .map(([k, v]) => `${k}\u0001${v}\u0002`)
    .join('');
  for (const part of [r.path, headers, r.body ?? '']) if (/[\t\n]/.test(part)) throw new Error('request parts for wrk must not contain tabs or newlines');
  return `${r.method}\t${r.path}\t${headers}\t${r.body ?? ''}`;
}

async function runWrk(options: LoadOptions, dir: string): Promise<LoadResult> {
  const file = join(dir, 'requests.tsv');
  writeFileSync(file, options.requests.map(encodeForWrk).join('\n') + '\n');
  writeFileSync(join(dir, 'load.lua'), WRK_SCRIPT);
  const threads = Math.max(1, Math.min(2, options.connections));
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      'wrk',
      ['-t', String(threads), '-c', String(options.connections), '-d', `${options.seconds}s`, '--timeout', '10s', '-s', join(dir, 'load.lua'), `http://127.0.0.1:${options.port}`],
      { env: { ...process.env, MDM_LOAD_FILE: file } },
    );
    let text = '';
    let err = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk failed (${code}): ${err}${text}`))));
  });
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`wrk printed no result:\n${out}`);
  const r = JSON.parse(line.slice(7)) as { requests: number; errors: number; micros: number; p50: number; p95: number; p99: number; max: number };
  return { tool: 'wrk', requests: r.requests, errors: r.errors, perSecond: r.requests / (r.micros / 1e6), p50Ms: r.p50 / 1000, p95Ms: r.p95 / 1000, p99Ms: r.p99 / 1000, maxMs: r.max / 1000 };
}

async function runNodeClient(options: LoadOptions, dir: string): Promise<LoadResult> {
  const config = join(dir, 'load.json');
  writeFileSync(config, JSON.stringify(options));
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), config], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`load client failed (${code})`))));
  });
  return JSON.parse(out.trim().split('\n').pop()!) as LoadResult;
}

/** Runs the load (wrk when installed) and returns throughput and latency percentiles. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.requests.length === 0) throw new Error('runLoad needs at least one request');
  const dir = mkdtempSync(join(tmpdir(), 'mdm-load-'));
  try {
    return (options.tool ?? (wrkAvailable() ? 'wrk' : 'node')) === 'wrk' ? await runWrk(options, dir) : await runNodeClient(options, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The Node client (child process): `connections` loops over one keep-alive agent. */
async function nodeClient(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  let next = Math.floor(Math.random() * options.requests.length);
  const started = performance.now();
  const until = started + options.seconds * 1000;
  const one = (r: LoadRequest) =>
    new Promise<boolean>((resolve) => {
      const headers: Record<string, string | number> = { ...r.headers };
      if (r.body !== undefined) headers['content-length'] = Buffer.byteLength(r.body);
      const req = request({ agent, host: '127.0.0.1', port: options.port, method: r.method, path: r.path, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300));
      });
      req.on('error', () => resolve(false));
      req.end(r.body);
    });
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < until) {
        const r = options.requests[next++ % options.requests.length];
        const t0 = performance.now();
        const ok = await one(r);
        latencies.push(performance.now() - t0);
        if (!ok) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { tool: 'node', requests: latencies.length, errors, perSecond: latencies.length / elapsed, p50Ms: pct(0.5), p95Ms: pct(0.95), p99Ms: pct(0.99), maxMs: latencies.at(-1) ?? NaN };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2]) {
  const options = JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadOptions;
  process.stdout.write(`${JSON.stringify(await nodeClient(options))}\n`);
}
