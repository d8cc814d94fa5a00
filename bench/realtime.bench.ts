/**
 * bench:realtime: event accepted to golden record updated, on PostgreSQL, through the real hub.
 *
 * A hub (`mdm serve`, a child process) holds a resolved synthetic world; a load generator (this
 * process, keep-alive HTTP on loopback) pushes CloudEvents to `/ingest/<source>/events` at a fixed
 * rate (open loop: a slow hub does not slow the sender). Half the events are records the hub has
 * never seen (held back from the world), half are changed versions of stored records. Latency is
 * measured by the database itself: `received_at` (stored, just before the 202) to `processed_at`
 * (golden record, cross-references, history and outbox committed). Baseline in the same run: the
 * same pipeline at a trickle (20 events/s), where nothing queues.
 *
 *   DATABASE_URL=postgresql://... npm run bench:realtime [-- --world 100000] [--rate 1000] [--seconds 30]
 *       [--template mdm_bench_1m]    reuse a resolved database (cloned, never changed) instead of building one
 *       [--hub-workers N]            HTTP worker processes of the hub (mdm serve --workers)
 *       [--inbox-workers N]          inbox workers: the hub's and N - 1 `mdm inbox work` processes (default 1)
 *       [--dedicated-inbox]          the hub only accepts (`mdm serve --no-inbox-worker`); N `mdm inbox work` processes resolve
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from './lib/datasets';
import { machineLine, writeSection } from './lib/report';
import { flag, opt } from './lib/args';

const worldSize = Number(opt('world') ?? 100_000);
const rate = Number(opt('rate') ?? 1000);
const seconds = Number(opt('seconds') ?? 30);
const template = opt('template');
/** HTTP worker processes of the hub (`mdm serve --workers`); the inbox worker runs in the primary. */
const hubWorkers = Number(opt('hub-workers') ?? 1);
/** Inbox workers: the one in the hub's primary and `mdm inbox work` processes next to it. */
const inboxWorkers = Number(opt('inbox-workers') ?? 1);
if (!Number.isInteger(inboxWorkers) || inboxWorkers < 1) throw new Error(`--inbox-workers ${opt('inbox-workers')}: give a whole number >= 1`);
/** The hub accepts events only; every inbox worker is an `mdm inbox work` process of its own. */
const dedicatedInbox = flag('dedicated-inbox');
const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.error('bench:realtime runs on PostgreSQL: set DATABASE_URL (for example postgresql://postgres@127.0.0.1:5432/postgres)');
  process.exit(2);
}

const mdm = (...a: string[]) => [process.execPath, 'bin/mdm.js', ...a];

function run(argv: string[], env: NodeJS.ProcessEnv): { seconds: number; out: string } {
  const started = performance.now();
  const res = spawnSync(argv[0], argv.slice(1), { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (res.status !== 0) throw new Error(`${argv.slice(1).join(' ')} failed (${res.status}): ${res.stderr.slice(-2000)}`);
  return { seconds: (performance.now() - started) / 1000, out: res.stdout };
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function urlOf(name: string): string {
  const u = new URL(baseUrl!);
  u.pathname = `/${name}`;
  return u.toString();
}

type Rec = Record<string, unknown> & { entity: string; source: string; sourceId: string };

/** The events: held-back records (new to the hub) and changed versions of stored ones, interleaved. */
function eventStream(held: Rec[], stored: Rec[], n: number): Rec[] {
  const out: Rec[] = [];
  const later = new Date(Date.now() + 86_400_000).toISOString();
  for (let i = 0; out.length < n; i++) {
    if (i % 2 === 0 && held.length > 0) out.push(held[(i / 2) % held.length]);
    else {
      const r = stored[(i * 7919) % stored.length];
      // A technician's correction: a changed phone, email or status, with a newer timestamp.
      const change: Record<string, unknown> =
        r.entity === 'customer' ? { phone: `+49 30 ${String(1000000 + i).slice(-7)}` } : r.entity === 'asset' ? { status: i % 3 === 0 ? 'In maintenance' : 'In use' } : { name: `${String(r.name ?? r.sourceId)} ` };
      out.push({ ...r, ...change, updatedAt: later });
    }
  }
  return out;
}

interface LoadResult {
  sent: number;
  accepted: number;
  refused: number;
  ackMs: number[];
  firstId: number;
}

/** Open-loop load: `n` events at `perSecond`, one CloudEvent per request. */
async function load(port: number, key: string, events: Rec[], perSecond: number, tag: string): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  const result: LoadResult = { sent: 0, accepted: 0, refused: 0, ackMs: [], firstId: 0 };
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < events.length; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const e = events[i];
    const body = JSON.stringify({ specversion: '1.0', id: `${tag}-${i}`, source: `/${e.source}`, type: 'record.changed', data: e });
    const sentAt = performance.now();
    result.sent++;
    inflight.push(
      new Promise<void>((resolve) => {
        const req = request(
          { agent, host: '127.0.0.1', port, method: 'POST', path: `/ingest/${e.source}/events`, headers: { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${key}`, 'content-length': Buffer.byteLength(body) } },
          (res) => {
            res.resume();
            res.on('end', () => {
              if (res.statusCode === 202) {
                result.accepted++;
                result.ackMs.push(performance.now() - sentAt);
              } else result.refused++;
              resolve();
            });
          },
        );
        req.on('error', () => {
          result.refused++;
          resolve();
        });
        req.end(body);
      }),
    );
  }
  await Promise.all(inflight);
  agent.destroy();
  return result;
}

const pct = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);

async function measured(url: string, tag: string): Promise<{ n: number; p50: number; p95: number; p99: number; max: number; perSecond: number; pending: number; dead: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // Wait until every event of the run is processed (or 120 s).
    const until = Date.now() + 120_000;
    for (;;) {
      const { rows } = await c.query(`SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending FROM inbox_event WHERE event_id LIKE $1`, [`${tag}-%`]);
      if (rows[0].pending === 0 || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const { rows } = await c.query(
      `SELECT count(*) FILTER (WHERE status = 'done')::int AS n,
              count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'dead')::int AS dead,
              percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at) * 1000) FILTER (WHERE status = 'done') AS p,
              max(extract(epoch FROM processed_at - received_at) * 1000) AS max,
              extract(epoch FROM max(processed_at) - min(received_at)) AS span
       FROM inbox_event WHERE event_id LIKE $1`,
      [`${tag}-%`],
    );
    const r = rows[0];
    return { n: r.n, p50: r.p[0], p95: r.p[1], p99: r.p[2], max: Number(r.max), perSecond: r.n / Number(r.span), pending: r.pending, dead: r.dead };
  } finally {
    await c.end();
  }
}

async function waitReady(port: number): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the hub did not become ready');
}

function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mdm-bench-rt-'));
  const name = `mdm_bench_rt_${Date.now()}`;
  let server: ChildProcess | undefined;
  const workers: ChildProcess[] = [];
  const setup: string[] = [];
  try {
    const url = urlOf(name);
    const env = { DATABASE_URL: url, LOG_LEVEL: 'warn' };
    let held: Rec[] = [];
    let stored: Rec[] = [];
    let records = 0;
    if (template) {
      const t0 = performance.now();
      await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
      setup.push(`cloned ${template} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const count = await c.query(`SELECT count(*)::int AS n FROM source_record`);
      records = count.rows[0].n;
      const sample = await c.query(`SELECT entity, source, source_id, attributes, updated_at FROM source_record WHERE entity IN ('customer', 'asset') ORDER BY random() LIMIT 20000`);
      await c.end();
      const toRec = (r: { entity: string; source: string; source_id: string; attributes: Record<string, unknown> }): Rec => ({ entity: r.entity, source: r.source, sourceId: r.source_id, ...r.attributes });
      stored = sample.rows.map(toRec);
      // New records: copies of stored ones under new ids (the same customer or asset entered again in another system).
      held = sample.rows.slice(0, 10_000).map((r, i) => ({ ...toRec(r), sourceId: `RT-${i}-${r.source_id}`.slice(0, 60) }));
    } else {
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      const t0 = performance.now();
      run(['npx', 'tsx', 'src/sim/world/cli.ts', '--size', String(worldSize), '--seed', '7', '--out', dir, '--quiet'], {});
      const lines = readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').filter(Boolean);
      records = lines.length;
      // Every 20th record is held back: it arrives later as an event.
      const base: string[] = [];
      lines.forEach((l, i) => (i % 20 === 19 ? held.push(JSON.parse(l)) : base.push(l)));
      stored = base.filter((_, i) => i % 5 === 0).map((l) => JSON.parse(l));
      writeFileSync(join(dir, 'base.jsonl'), base.join('\n') + '\n');
      run(mdm('migrate'), env);
      const ingest = run(mdm('ingest', '--file', join(dir, 'base.jsonl')), env);
      const resolve = run(mdm('resolve'), env);
      setup.push(`world of ${records.toLocaleString('en-US')} records generated (${((performance.now() - t0) / 1000).toFixed(0)} s in all); ${base.length.toLocaleString('en-US')} ingested in ${ingest.seconds.toFixed(1)} s and resolved in ${resolve.seconds.toFixed(1)} s before the run`);
    }
    console.log(setup.join('\n'));
    const key = run(mdm('apikey', 'create', '--role', 'admin', '--name', 'bench'), env).out.match(/mdm_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/)![0];

    const port = 4700 + Math.floor(Math.random() * 200);
    server = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), 'bin/mdm.js', 'serve', '--port', String(port), '--workers', String(hubWorkers), ...(dedicatedInbox ? ['--no-inbox-worker'] : [])], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitReady(port);
    for (let i = dedicatedInbox ? 0 : 1; i < inboxWorkers; i++) {
      workers.push(spawn(process.execPath, ['bin/mdm.js', 'inbox', 'work'], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] }));
    }

    const total = rate * seconds;
    const events = eventStream(held, stored, total + 20 * 10);
    // Baseline: a trickle, nothing queues.
    const trickle = await load(port, key, events.slice(0, 200), 20, 'trickle');
    const base = await measured(url, 'trickle');
    // The run: `rate` events/s for `seconds`.
    const loaded = await load(port, key, events.slice(200, 200 + total), rate, 'load');
    const main = await measured(url, 'load');
    const rss = peakRssMb(server.pid!);
    const dbSize = await admin(async (c) => (await c.query(`SELECT pg_database_size($1)::float8 / 1048576 AS mb`, [name])).rows[0].mb as number);

    const ack = (r: LoadResult) => {
      const s = [...r.ackMs].sort((a, b) => a - b);
      return `${pct(s, 0.5).toFixed(1)} / ${pct(s, 0.99).toFixed(1)}`;
    };
    const row = (label: string, perSecond: number, l: LoadResult, m: Awaited<ReturnType<typeof measured>>) =>
      `| ${label} | ${perSecond.toLocaleString('en-US')} | ${l.accepted.toLocaleString('en-US')} (${l.refused} refused) | ${ack(l)} | ${m.perSecond.toFixed(0)} | ${m.p50.toFixed(1)} | ${m.p95.toFixed(1)} | ${m.p99.toFixed(1)} | ${m.max.toFixed(0)} | ${m.pending + m.dead} |`;
    const table = [
      '| run | offered events/s | accepted | 202 answer p50 / p99 (ms) | processed events/s | accepted -> golden updated p50 (ms) | p95 | p99 | max | left unprocessed |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      row('baseline: trickle', 20, trickle, base),
      row(`load, ${seconds} s`, rate, loaded, main),
    ].join('\n');
    console.log(table);
    console.log(`hub peak RSS ${rss.toFixed(0)} MB; database ${dbSize.toFixed(0)} MB`);
    writeSection(
      join(PROJECT_ROOT, 'docs/benchmarks.md'),
      'bench-realtime',
      `## Real-time resolution (bench:realtime)

\`DATABASE_URL=... npm run bench:realtime -- ${template ? `--template ${template}` : `--world ${worldSize}`} --rate ${rate} --seconds ${seconds} --hub-workers ${hubWorkers}${inboxWorkers > 1 ? ` --inbox-workers ${inboxWorkers}` : ''}${dedicatedInbox ? ' --dedicated-inbox' : ''}\` on ${machineLine()}.
The hub (\`mdm serve --workers ${hubWorkers}${dedicatedInbox ? ' --no-inbox-worker' : ''}\`: ${hubWorkers === 1 ? 'one process' : `${hubWorkers} HTTP processes and a primary`} ${dedicatedInbox ? `accepting events only, and ${inboxWorkers} \`mdm inbox work\` process${inboxWorkers > 1 ? 'es' : ''} next to it resolving them` : inboxWorkers === 1 ? 'with one inbox worker' : `with an inbox worker, and ${inboxWorkers - 1} \`mdm inbox work\` process${inboxWorkers > 2 ? 'es' : ''} next to it, each resolving its events' neighbourhoods under their own locks`}) holds ${records.toLocaleString('en-US')} source records, resolved; ${setup.join('; ')}.
Events are CloudEvents pushed one per request on loopback (keep-alive), half new records, half changed versions of stored ones.
Latency is measured by the database: stored in the inbox (just before the 202) to golden record, cross-references, history and outbox committed.

${table}

Hub peak RSS ${rss.toFixed(0)} MB; database ${dbSize.toFixed(0)} MB after the run.
`,
    );
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    server?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
