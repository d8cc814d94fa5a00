/**
 * bench:e2e: the hub end to end at several sizes on PostgreSQL, so the growth of cost with size
 * shows. Per size (default 100,000, 300,000 and 1,000,000 source records), on a fresh database
 * (created, dropped after), each phase a process of its own measured by `/usr/bin/time` (wall
 * seconds, peak RSS):
 *
 *  1. generate the world (src/sim/world/cli.ts: records.jsonl + truth.csv);
 *  2. start the three simulated source systems (SAP OData, Salesforce REST, ServiceNow Table API),
 *     each a child process serving its share of the world (bench/lib/e2e/sim-child.ts), minus the
 *     records held back for the traffic phase;
 *  3. `mdm migrate`, then `mdm sync --source S --mode full` for the three sources at once, as the
 *     hub's scheduler starts sources that are due together (`--sync sequential`: one after another);
 *  4. `mdm resolve` (match, cluster, golden records, cross-references, review queue);
 *  5. traffic: `mdm serve` runs; the change volume of 30 minutes (bench/lib/e2e/world.ts) is
 *     replayed in `--traffic-seconds` (default 60: 30 times faster) at an even rate: each change is
 *     made in a simulator, every second one also pushed to the hub as a webhook event; a delta round
 *     (`mdm sync --mode delta` for each source, then `mdm resolve`) runs every sixth of the time (a
 *     5-minute schedule, compressed); meanwhile GraphQL lookups (translateId and goldenRecordByXref
 *     of stored records) run with `--lookup-connections` (default 2) busy connections (wrk);
 *  6. `mdm export xrefs`, scored against the world's truth per entity (pairwise and B-cubed);
 *     database size (pg_database_size).
 *
 * Baseline in the same run, before the first and after the last size: records/s of generating a
 * world in memory and parsing and validating its records, with no file, HTTP or database.
 * Writes docs/benchmarks.md (section bench-e2e) and docs/bench-e2e.svg.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:55432/postgres npm run bench:e2e [-- --sizes 100000,300000,1000000]
 *       [--traffic-seconds 60] [--change-share 0.005] [--lookup-connections 2] [--seed 42] [--phase-timeout 1800] [--no-write]
 *       [--sync parallel|sequential]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { getPriority, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { e2eChart } from './lib/e2e/chart';
import { type Change, drawTraffic, SIM_AUTH, SOURCES, type SourceName, type Traffic } from './lib/e2e/world';
import { PROJECT_ROOT } from './lib/datasets';
import { createKey, startHub } from './lib/hub-server';
import { databaseUrl, withClient } from './lib/resolved-hub';
import { type LoadRequest, type LoadResult, runLoad } from './lib/load';
import { machineLine, writeSection } from './lib/report';
import { args, flag, opt } from './lib/args';

const sizes = (opt('sizes') ?? '100000,300000,1000000').split(',').map((s) => Number(s.replace(/_/g, '')));
const trafficSeconds = Number(opt('traffic-seconds') ?? 60);
const changeShare = Number(opt('change-share') ?? 0.005);
const lookupConnections = Number(opt('lookup-connections') ?? 2);
const seed = Number(opt('seed') ?? 42);
const phaseTimeout = Number(opt('phase-timeout') ?? 1800);
const write = !flag('no-write');
const syncMode = opt('sync') ?? 'parallel';
if (syncMode !== 'parallel' && syncMode !== 'sequential') throw new Error(`--sync ${syncMode}: give parallel or sequential`);
const ROUNDS = 6;
const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.error('bench:e2e runs on PostgreSQL: set DATABASE_URL (for example postgresql://postgres@127.0.0.1:55432/postgres)');
  process.exit(2);
}
for (const n of sizes) if (!Number.isInteger(n) || n < 1000) throw new Error(`--sizes: ${n} is not a whole number >= 1000 (e.g. --sizes 100000,300000)`);
if (!(trafficSeconds >= 6)) throw new Error(`--traffic-seconds ${trafficSeconds}: give at least 6 (one delta round per sixth)`);

const int = (x: number) => Math.round(x).toLocaleString('en-US');
const s1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

interface Phase {
  name: string;
  seconds: number;
  peakRssMb: number;
}

/** Parses the `TIME <seconds> <kB>` line /usr/bin/time writes last. */
function timeOf(stderr: string): { seconds: number; peakRssMb: number } {
  const line = stderr.trimEnd().split('\n').reverse().find((l) => l.startsWith('TIME ')) ?? 'TIME NaN NaN';
  const [, seconds, kb] = line.split(' ').map(Number);
  return { seconds, peakRssMb: kb / 1024 };
}

/** Runs a command under /usr/bin/time (and `timeout`), without blocking this process. */
function timed(name: string, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Phase & { out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'TIME %e %M', 'timeout', String(phaseTimeout), ...argv], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, MDM_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err = (err + d).slice(-20_000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const t = timeOf(err);
      if (code !== 0) {
        const why = code === 124 ? `timed out after ${phaseTimeout} s (--phase-timeout)` : `exit ${code}`;
        reject(new Error(`${name} failed (${why}) after ${s1(t.seconds)} s:\n${err.split('\n').filter((l) => !l.startsWith('TIME ')).slice(-30).join('\n')}`));
      } else resolve({ name, ...t, out });
    });
  });
}

const node = (...a: string[]) => [process.execPath, '--import', 'tsx', ...a];
const mdm = (...a: string[]) => [process.execPath, 'bin/mdm.js', ...a];
const lastJson = <T>(out: string): T => JSON.parse(out.trim().split('\n').pop()!) as T;

/** A simulator child process under /usr/bin/time, taking changes on standard input. */
interface Sim {
  source: SourceName;
  url: string;
  records: number;
  send(command: object): void;
  /** Ends its input and resolves with its wall time and peak RSS. */
  stop(): Promise<Phase>;
  child: ChildProcess;
}

function startSim(source: SourceName, recordsFile: string, heldFile: string): Promise<Sim> {
  const child = spawn('/usr/bin/time', ['-f', 'TIME %e %M', ...node('bench/lib/e2e/sim-child.ts', '--source', source, '--records', recordsFile, '--held', heldFile)], {
    cwd: PROJECT_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err = (err + d).slice(-20_000)));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      const [, url, count] = line.split(' ');
      resolve({
        source,
        url,
        records: Number(count),
        child,
        send: (command) => child.stdin!.write(`${JSON.stringify(command)}\n`),
        stop: async () => {
          child.stdin!.end();
          await closed;
          return { name: `simulator ${source}`, ...timeOf(err) };
        },
      });
    });
    void closed.then((code) => reject(new Error(`simulator ${source} exited (${code}) before it was ready:\n${err.slice(-3000)}`)));
  });
}

function sourcesConfig(sims: Sim[]): object {
  return {
    sources: sims.map((s) =>
      s.source === 'crm'
        ? { name: 'crm', kind: 'salesforce', baseUrl: s.url, auth: { type: 'oauth-client-credentials', clientId: SIM_AUTH.clientId, clientSecret: SIM_AUTH.clientSecret } }
        : { name: s.source, kind: s.source === 'erp' ? 'sap' : 'servicenow', baseUrl: s.url, auth: { type: 'basic', username: SIM_AUTH.user, password: SIM_AUTH.password } },
    ),
  };
}

const ENUM: Record<string, string> = { customer: 'CUSTOMER', product: 'PRODUCT', serial: 'SERIAL', asset: 'ASSET', contract: 'CONTRACT', location: 'LOCATION' };
const TRANSLATE = `query Translate($entity: EntityType!, $source: String!, $sourceId: String!) {
  translateId(entity: $entity, source: $source, sourceId: $sourceId) { goldenId crossReferences { source sourceId } } }`;
const BY_XREF = `query ByXref($entity: EntityType!, $source: String!, $sourceId: String!) {
  goldenRecordByXref(entity: $entity, source: $source, sourceId: $sourceId) { id version } }`;

function lookupRequests(key: string, lookups: Traffic['lookups']): LoadRequest[] {
  return lookups.map((x, i) => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: i % 2 === 0 ? TRANSLATE : BY_XREF, variables: { entity: ENUM[x.entity], source: x.source, sourceId: x.sourceId } }),
  }));
}

/** Checks a few lookups answer with data before the load (a load of errors would measure nothing). */
async function checkLookups(port: number, requests: LoadRequest[]): Promise<void> {
  for (const r of requests.slice(0, 6)) {
    const res = await fetch(`http://127.0.0.1:${port}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    const found = body.data && Object.values(body.data)[0];
    if (res.status !== 200 || body.errors || !found) throw new Error(`lookup check failed (${res.status}): ${JSON.stringify(body).slice(0, 500)} for ${r.body}`);
  }
}

const pct = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);

interface Round {
  /** performance.now() when each source's delta sync started. */
  syncStart: Record<string, number>;
  resolveEnd: number;
  syncs: Array<Phase & { read: number }>;
  resolve: Phase & { out: string };
  seconds: number;
}

interface TrafficResult {
  changes: number;
  inserts: number;
  events: { sent: number; accepted: number; refused: number; ackP50: number; ackP99: number; done: number; pending: number; dead: number; p50: number; p95: number; p99: number; max: number };
  delta: { changes: number; p50: number; p95: number; max: number; missed: number };
  rounds: Round[];
  lookups: LoadResult;
  serve: Phase;
  /** Seconds from the start of the traffic until the last round and every event were done. */
  seconds: number;
}

/** Replays the change traffic while delta rounds and lookups run; see the file comment. */
async function runTraffic(traffic: Traffic, sims: Map<SourceName, Sim>, url: string, configFile: string): Promise<TrafficResult> {
  const hub = await startHub({ databaseUrl: url });
  const serveStarted = performance.now();
  try {
    const admin = createKey(url, 'admin', 'bench:e2e events');
    const reader = createKey(url, 'reader', 'bench:e2e lookups');
    const requests = lookupRequests(reader.key, traffic.lookups);
    await checkLookups(hub.port, requests);
    const env = { DATABASE_URL: url };
    const T = trafficSeconds * 1000;
    const changes = traffic.changes;
    const appliedAt = new Array<number>(changes.length).fill(NaN);
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const ev = { sent: 0, accepted: 0, refused: 0, ack: [] as number[] };
    const posts: Promise<void>[] = [];
    const post = (c: Change, i: number) => {
      const data = { ...c.record, ...c.patch, updatedAt: new Date().toISOString() };
      delete (data as { deleted?: boolean }).deleted;
      const body = JSON.stringify({ specversion: '1.0', id: `e2e-${i}`, source: `/${c.record.source}`, type: 'record.changed', data });
      const sentAt = performance.now();
      ev.sent++;
      posts.push(
        new Promise<void>((resolve) => {
          const req = request(
            { agent, host: '127.0.0.1', port: hub.port, method: 'POST', path: `/ingest/${c.record.source}/events`, headers: { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${admin.key}`, 'content-length': Buffer.byteLength(body) } },
            (res) => {
              res.resume();
              res.on('end', () => {
                if (res.statusCode === 202) {
                  ev.accepted++;
                  ev.ack.push(performance.now() - sentAt);
                } else ev.refused++;
                resolve();
              });
            },
          );
          req.on('error', () => {
            ev.refused++;
            resolve();
          });
          req.end(body);
        }),
      );
    };
    const t0 = performance.now();
    // The changes, at an even rate over T.
    const sender = (async () => {
      for (let i = 0; i < changes.length; i++) {
        const wait = t0 + (i * T) / changes.length - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const c = changes[i];
        const sim = sims.get(c.record.source)!;
        if (c.kind === 'insert') sim.send({ op: 'insert', record: c.record });
        else sim.send({ op: 'update', entity: c.record.entity, id: c.record.sourceId, patch: c.patch });
        appliedAt[i] = performance.now();
        if (c.event) post(c, i);
      }
    })();
    // Lookups for T seconds, alongside.
    const lookups = runLoad({ port: hub.port, requests, connections: lookupConnections, seconds: trafficSeconds });
    // Delta rounds every T / ROUNDS; the last one after the last change.
    const rounds: Round[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const due = t0 + (r * T) / ROUNDS;
      if (r === ROUNDS) await sender;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((res) => setTimeout(res, wait));
      const started = performance.now();
      const round: Round = { syncStart: {}, resolveEnd: 0, syncs: [], resolve: { name: 'resolve', seconds: NaN, peakRssMb: NaN, out: '' }, seconds: 0 };
      for (const source of SOURCES) {
        round.syncStart[source] = performance.now();
        const p = await timed(`delta sync ${source}`, mdm('sync', '--source', source, '--mode', 'delta', '--config', configFile, '--json'), env);
        round.syncs.push({ ...p, read: lastJson<{ read: number }>(p.out).read });
      }
      round.resolve = await timed('delta resolve', mdm('resolve', '--json'), env);
      round.resolveEnd = performance.now();
      round.seconds = (round.resolveEnd - started) / 1000;
      rounds.push(round);
      const resolved = lastJson<{ entities: Array<{ entity: string; status?: string; records: number; seconds: number }> }>(round.resolve.out).entities.filter((e) => e.status !== 'unchanged');
      log(
        `  delta round ${r}: read ${round.syncs.map((s) => `${s.name.split(' ').pop()} ${s.read}`).join(', ')} in ${round.syncs.map((s) => s1(s.seconds)).join(' / ')} s, ` +
          `resolve ${s1(round.resolve.seconds)} s (${resolved.map((e) => `${e.entity} ${e.records} records ${s1(e.seconds)} s`).join(', ') || 'nothing changed'})`,
      );
    }
    const lookupResult = await lookups;
    await Promise.all(posts);
    agent.destroy();
    // Events: wait until processed (or 120 s), then latency from the database (stored -> golden record committed).
    const events = await withClient(url, async (c) => {
      const until = Date.now() + 120_000;
      for (;;) {
        const { rows } = await c.query(`SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending FROM inbox_event WHERE event_id LIKE 'e2e-%'`);
        if (rows[0].pending === 0 || Date.now() > until) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const { rows } = await c.query(
        `SELECT count(*) FILTER (WHERE status = 'done')::int AS done, count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'dead')::int AS dead,
                percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at) * 1000) FILTER (WHERE status = 'done') AS p,
                max(extract(epoch FROM processed_at - received_at) * 1000) AS max
         FROM inbox_event WHERE event_id LIKE 'e2e-%'`,
      );
      return rows[0] as { done: number; pending: number; dead: number; p: number[] | null; max: number | null };
    });
    const seconds = (performance.now() - t0) / 1000;
    // Delta path: a change made in a simulator is golden when the resolve of the first round whose
    // sync of that source started after the change has finished.
    const deltaMs: number[] = [];
    let missed = 0;
    changes.forEach((c, i) => {
      if (c.event) return;
      const round = rounds.find((r) => r.syncStart[c.record.source] > appliedAt[i]);
      if (round) deltaMs.push(round.resolveEnd - appliedAt[i]);
      else missed++;
    });
    deltaMs.sort((a, b) => a - b);
    const ack = [...ev.ack].sort((a, b) => a - b);
    const servePeak = hub.peakRssMb();
    return {
      changes: changes.length,
      inserts: changes.filter((c) => c.kind === 'insert').length,
      events: {
        sent: ev.sent, accepted: ev.accepted, refused: ev.refused, ackP50: pct(ack, 0.5), ackP99: pct(ack, 0.99),
        done: events.done, pending: events.pending, dead: events.dead,
        p50: events.p?.[0] ?? NaN, p95: events.p?.[1] ?? NaN, p99: events.p?.[2] ?? NaN, max: Number(events.max ?? NaN),
      },
      delta: { changes: deltaMs.length, p50: pct(deltaMs, 0.5) / 1000, p95: pct(deltaMs, 0.95) / 1000, max: (deltaMs[deltaMs.length - 1] ?? NaN) / 1000, missed },
      rounds,
      lookups: lookupResult,
      serve: { name: 'mdm serve', seconds: (performance.now() - serveStarted) / 1000, peakRssMb: servePeak },
      seconds,
    };
  } finally {
    await hub.stop();
  }
}

interface Quality {
  entity: string;
  records: number;
  missing: number;
  pairwise: { precision: number; recall: number; f1: number };
  bcubed: { f1: number };
}

interface SizeResult {
  size: number;
  records: number;
  load: number;
  phases: Phase[];
  sync: Array<Phase & { source: string; read: number; inserted: number; quarantined: number }>;
  /** Wall seconds of the full sync of the three sources (together or one after another: `--sync`). */
  syncSeconds: number;
  resolve: Phase & { clusters: number };
  sims: Phase[];
  /** The traffic's figures, or why it failed. */
  traffic: TrafficResult | string;
  quality: Quality[];
  databaseMb: number;
  goldenRecords: number;
  drawSeconds: number;
}

async function runSize(size: number): Promise<SizeResult> {
  const name = `mdm_bench_e2e_${size}_${Date.now()}`;
  const url = databaseUrl(name);
  const dir = mkdtempSync(join(tmpdir(), 'mdm-bench-e2e-'));
  const sims: Sim[] = [];
  const load = loadavg()[0];
  await withClient(baseUrl!, (c) => c.query(`CREATE DATABASE ${name}`));
  try {
    const phases: Phase[] = [];
    const phase = <P extends Phase>(p: P): P => {
      phases.push({ name: p.name, seconds: p.seconds, peakRssMb: p.peakRssMb });
      log(`${int(size)}: ${p.name} ${s1(p.seconds)} s${Number.isFinite(p.peakRssMb) ? `, peak RSS ${int(p.peakRssMb)} MB` : ''}`);
      return p;
    };
    const env = { DATABASE_URL: url };
    phase(await timed('generate world', node('src/sim/world/cli.ts', '--size', String(size), '--seed', String(seed), '--out', dir, '--quiet')));
    const recordsFile = join(dir, 'records.jsonl');
    const heldFile = join(dir, 'held.txt');
    const d0 = performance.now();
    const traffic = await drawTraffic(recordsFile, heldFile, { changeShare, lookups: 2000 });
    const drawSeconds = (performance.now() - d0) / 1000;
    log(`${int(size)}: ${int(traffic.records)} records; traffic drawn in ${s1(drawSeconds)} s: ${int(traffic.changes.length)} changes (${int(traffic.held.length)} new records held back)`);

    const s0 = performance.now();
    sims.push(...(await Promise.all(SOURCES.map((s) => startSim(s, recordsFile, heldFile)))));
    phase({ name: 'start simulators', seconds: (performance.now() - s0) / 1000, peakRssMb: NaN });
    const configFile = join(dir, 'sources.json');
    writeFileSync(configFile, JSON.stringify(sourcesConfig(sims), null, 2));

    phase(await timed('mdm migrate', mdm('migrate'), env));
    const sync: SizeResult['sync'] = [];
    const fullSync = (source: SourceName) => timed(`sync ${source}`, mdm('sync', '--source', source, '--mode', 'full', '--config', configFile, '--json'), env);
    const y0 = performance.now();
    const synced = syncMode === 'parallel' ? await Promise.all(SOURCES.map(fullSync)) : [];
    if (syncMode === 'sequential') for (const source of SOURCES) synced.push(await fullSync(source));
    const syncSeconds = (performance.now() - y0) / 1000;
    synced.forEach((p, k) => {
      phase(p);
      const j = lastJson<{ read: number; inserted: number; quarantined: number }>(p.out);
      sync.push({ name: p.name, seconds: p.seconds, peakRssMb: p.peakRssMb, source: SOURCES[k], read: j.read, inserted: j.inserted, quarantined: j.quarantined });
    });
    if (syncMode === 'parallel') log(`${int(size)}: full sync of the three sources at once ${s1(syncSeconds)} s`);
    const r = phase(await timed('resolve', mdm('resolve', '--json'), env));
    const summary = lastJson<{ entities: Array<{ clusters: number }> }>(r.out);
    const resolve = { name: r.name, seconds: r.seconds, peakRssMb: r.peakRssMb, clusters: summary.entities.reduce((s, e) => s + (e.clusters ?? 0), 0) };

    log(`${int(size)}: traffic for ${trafficSeconds} s`);
    // A failed traffic phase (e.g. --phase-timeout) keeps the figures of the load and the quality.
    let t: TrafficResult | string;
    try {
      t = await runTraffic(traffic, new Map(sims.map((s) => [s.source, s])), url, configFile);
      phase({ name: 'traffic', seconds: t.seconds, peakRssMb: NaN }); // mdm serve's peak is in the table
    } catch (err) {
      t = `traffic failed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`;
      log(`${int(size)}: ${t}`);
    }
    const simPhases = await Promise.all(sims.splice(0).map((s) => s.stop()));

    const xrefs = join(dir, 'xrefs.csv');
    phase(await timed('export xrefs', mdm('export', 'xrefs', '--out', xrefs), env));
    const scored = phase(await timed('score against truth', node('bench/lib/e2e/score.ts', '--world', dir, '--xrefs', xrefs)));
    const quality = lastJson<Quality[]>(scored.out);
    const { databaseMb, goldenRecords } = await withClient(url, async (c) => ({
      databaseMb: Number((await c.query(`SELECT pg_database_size($1)::float8 / 1048576 AS mb`, [name])).rows[0].mb),
      goldenRecords: Number((await c.query(`SELECT count(*) AS n FROM golden_record WHERE status = 'active'`)).rows[0].n),
    }));
    return { size, records: traffic.records, load, phases, sync, syncSeconds, resolve, sims: simPhases, traffic: t, quality, databaseMb, goldenRecords, drawSeconds };
  } finally {
    for (const s of sims) s.child.kill('SIGTERM');
    await withClient(baseUrl!, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch((err) => log(`could not drop ${name}: ${err}`));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function baseline(): Promise<{ records: number; perSecond: number }> {
  const p = await timed('baseline', node('bench/lib/e2e/baseline.ts', '--size', '50000'));
  return lastJson(p.out);
}

// ---------------------------------------------------------------------------------------------
// Report

const totalSync = (r: SizeResult) => r.syncSeconds;
const readOf = (r: SizeResult) => r.sync.reduce((s, p) => s + p.read, 0);
const maxOf = (xs: number[]) => Math.max(...xs.filter(Number.isFinite));
const phaseOf = (r: SizeResult, name: string) => r.phases.find((p) => p.name === name);
const servePeak = (r: SizeResult) => (typeof r.traffic === 'string' ? NaN : r.traffic.serve.peakRssMb);

function tables(results: SizeResult[], failures: string[]): string {
  const head = (cols: string[]) => [`| ${cols.join(' | ')} |`, `|${cols.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  const phasesTable = [
    ...head(['source records', 'generate world s', syncMode === 'parallel' ? 'full sync, the three at once s (erp / crm / fsm)' : 'full sync erp / crm / fsm s', 'sync records/s', 'resolve s', 'resolve records/s', '**sync + resolve s**', 'vs linear from the smallest', 'peak RSS MB: sync / resolve / serve / simulator', 'golden records', 'database MB', 'load avg']),
    ...results.map((r, i) => {
      const total = totalSync(r) + r.resolve.seconds;
      const first = results[0];
      const linear = ((totalSync(first) + first.resolve.seconds) * r.records) / first.records;
      return `| ${int(r.records)} | ${s1(phaseOf(r, 'generate world')?.seconds ?? NaN)} | ${syncMode === 'parallel' ? `${s1(r.syncSeconds)} (${r.sync.map((p) => s1(p.seconds)).join(' / ')})` : r.sync.map((p) => s1(p.seconds)).join(' / ')} | ${int(readOf(r) / totalSync(r))} | ${s1(r.resolve.seconds)} | ${int(r.records / r.resolve.seconds)} | **${s1(total)}** | ${i === 0 ? '1.00' : (total / linear).toFixed(2)} | ${int(maxOf(r.sync.map((p) => p.peakRssMb)))} / ${int(r.resolve.peakRssMb)} / ${Number.isFinite(servePeak(r)) ? int(servePeak(r)) : '-'} / ${int(maxOf(r.sims.map((p) => p.peakRssMb)))} | ${int(r.goldenRecords)} | ${int(r.databaseMb)} | ${r.load.toFixed(1)} |`;
    }),
  ];
  const trafficTable = [
    ...head(['source records', 'changes in 30 min (new)', 'events accepted / refused', 'event 202 p50 / p99 ms', '**event -> golden p50 / p95 / p99 / max ms**', 'delta round s (sync x3 + resolve), mean / max', '**change -> golden by delta p50 / p95 / max s**', 'lookups/s', '**lookup p50 / p95 / p99 ms**', 'lookup errors', 'traffic phase s']),
    ...results.map((r) => {
      const t = r.traffic;
      if (typeof t === 'string') return `| ${int(r.records)} | ${t} |`;
      const rs = t.rounds.map((x) => x.seconds);
      return `| ${int(r.records)} | ${int(t.changes)} (${int(t.inserts)}) | ${int(t.events.accepted)} / ${int(t.events.refused)}${t.events.pending + t.events.dead > 0 ? ` (${t.events.pending} pending, ${t.events.dead} dead)` : ''} | ${s1(t.events.ackP50)} / ${s1(t.events.ackP99)} | **${int(t.events.p50)} / ${int(t.events.p95)} / ${int(t.events.p99)} / ${int(t.events.max)}** | ${s1(rs.reduce((a, b) => a + b, 0) / rs.length)} / ${s1(Math.max(...rs))} | **${s1(t.delta.p50)} / ${s1(t.delta.p95)} / ${s1(t.delta.max)}**${t.delta.missed ? ` (${t.delta.missed} not seen)` : ''} | ${int(t.lookups.perSecond)} | **${s1(t.lookups.p50Ms)} / ${s1(t.lookups.p95Ms)} / ${s1(t.lookups.p99Ms)}** | ${t.lookups.errors} | ${s1(t.seconds)} |`;
    }),
  ];
  const entities = [...new Set(results.flatMap((r) => r.quality.map((q) => q.entity)))];
  const qualityTable = [
    ...head(['entity', ...results.map((r) => `${int(r.records)}: P / R / **F1** (records)`)]),
    ...entities.map((e) => `| ${e} | ${results.map((r) => {
      const q = r.quality.find((x) => x.entity === e);
      return q ? `${q.pairwise.precision.toFixed(4)} / ${q.pairwise.recall.toFixed(4)} / **${q.pairwise.f1.toFixed(4)}** (${int(q.records)})` : '-';
    }).join(' | ')} |`),
  ];
  const others = results.map((r) => `${int(r.records)}: ${r.phases.filter((p) => !p.name.startsWith('sync ') && !['resolve', 'generate world'].includes(p.name)).map((p) => `${p.name} ${s1(p.seconds)} s${Number.isFinite(p.peakRssMb) ? ` / ${int(p.peakRssMb)} MB` : ''}`).join(', ')}; simulators ${r.sims.map((p) => `${p.name.split(' ')[1]} ${int(p.peakRssMb)} MB`).join(', ')}`);
  return [
    '**Load, sync and resolve** (each a process of its own; peak RSS of `mdm sync` is the largest of the three sources)',
    '',
    ...phasesTable,
    '',
    `**Traffic** (${trafficSeconds} s; lookups with ${lookupConnections} busy connections, half translateId, half goldenRecordByXref)`,
    '',
    ...trafficTable,
    '',
    '**Quality** against the world\'s truth (pairwise precision / recall / F1 per entity type, after the traffic; deleted records are not scored)',
    '',
    ...qualityTable,
    '',
    `Other phases (wall s / peak RSS MB): ${others.join('; ')}.`,
    ...(failures.length > 0 ? ['', `**Failed:** ${failures.join('; ')}`] : []),
  ].join('\n');
}

function headCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return ''; // not a checkout
  }
}
const startCommit = headCommit();

function report(results: SizeResult[], failures: string[], base: Array<{ records: number; perSecond: number }>, command: string, started: Date): void {
  const body = tables(results, failures);
  console.log(`\n${body}\n`);
  if (!write || results.length === 0) return;
  writeFileSync(
    join(PROJECT_ROOT, 'docs/bench-e2e.svg'),
    e2eChart(
      results.map((r) => ({
        records: r.records,
        seconds: { 'full sync (3 sources)': totalSync(r), resolve: r.resolve.seconds, 'sync + resolve': totalSync(r) + r.resolve.seconds, 'generate world': phaseOf(r, 'generate world')?.seconds ?? NaN },
        peakRssMb: { 'mdm sync (largest)': maxOf(r.sync.map((p) => p.peakRssMb)), 'mdm resolve': r.resolve.peakRssMb, 'mdm serve': servePeak(r), 'simulator (largest)': maxOf(r.sims.map((p) => p.peakRssMb)) },
      })),
      { linearOf: 'sync + resolve', timeGoal: { value: 300, label: 'goal at 1M: sync + resolve <= 300 s' }, memoryGoal: { value: 2048, label: 'goal: <= 2 GB per process' }, title: `bench:e2e on ${machineLine().split(',')[0]}, ${started.toISOString().slice(0, 10)}` },
    ),
  );
  const commit = headCommit();
  const commits = startCommit && commit && startCommit !== commit ? `commits ${startCommit} (start) to ${commit} (end: the checkout changed during the run)` : `commit ${commit}`;
  const baseLine = base.map((b) => `${int(b.perSecond)}`).join(' before the first size and ');
  writeSection(
    join(PROJECT_ROOT, 'docs/benchmarks.md'),
    'bench-e2e',
    `## End to end at 100k, 300k and 1M source records (\`npm run bench:e2e\`)

\`${command}\` on ${machineLine()}${commit ? `, ${commits}` : ''}, started ${started.toISOString().slice(11, 16)} UTC. The machine is shared: *load avg* is its 1-minute load average when the size started.

Per size, a fresh PostgreSQL database and a generated world (seed ${seed}) served by the three simulated source systems (SAP OData, Salesforce REST, ServiceNow Table API; each a child process answering from memory, rendering each record as it is read, with no response cache: their work competes with the hub's for the two cores). Each phase is a process of its own as a user runs it, wall time and peak RSS measured by \`/usr/bin/time\` (\`mdm serve\` by its VmHWM): \`mdm sync --mode full\` per source (${syncMode === 'parallel' ? 'the three at once, as the hub\'s scheduler starts sources that are due together; the phase is timed from the first start to the last end' : 'one after another'}), \`mdm resolve\` (matching, clustering, golden records, cross-references, review queue), then the traffic phase, then \`mdm export xrefs\` scored against the world's truth.

**The traffic phase** replays the change volume of 30 minutes of a manufacturer's day in ${trafficSeconds} s (${Math.round(1800 / trafficSeconds)} times faster), at an even rate: ${(changeShare * 100).toFixed(1)} % of the records, the busiest half hour of a day on which about 3 % of master records change or are created (service visits closing, asset status changes, contract renewals, new prices, new customers, assets and serials), the busiest half hour taking a sixth of the day's changes. A quarter are new records (held back from the simulators until then), three quarters changes of stored ones; every change is made in a source system, and every second one the source also announces with a webhook event (a CloudEvent to \`/ingest/<source>/events\` of \`mdm serve\`), the others only a delta sync sees. A delta round (\`mdm sync --mode delta\` for each source, then \`mdm resolve\`) runs every ${s1(trafficSeconds / ROUNDS)} s (a 5-minute schedule, compressed), the last after the last change. Meanwhile, for the first ${trafficSeconds} s, GraphQL lookups of stored records run closed loop on ${lookupConnections} connections (wrk). When a round takes longer than the interval, the next starts when it ends: the hub falls behind, and *traffic phase s* says by how much. *event -> golden* is measured by the database (stored in the inbox, just before the 202, to golden record committed); *change -> golden by delta* from the change in the simulator to the end of the resolve of the first round that read it.

Baseline in the same run (no file, HTTP or database: generate a 50,000-record world in memory, serialize, parse and validate each record): ${baseLine} after the last, records/s.

${body}

![bench:e2e: wall time per phase and peak RSS per process against the number of source records](bench-e2e.svg)

Goal: 1M source records end to end (full sync of the three sources + resolve with golden records) <= 5 min on this 2-core machine, peak RSS <= 2 GB per process; the cost close to linear in size (the *vs linear* column: sync + resolve divided by the smallest size's time scaled linearly; 1.00 is linear).`,
  );
}

async function main(): Promise<void> {
  const started = new Date();
  const niceness = getPriority();
  const command = `DATABASE_URL=... ${niceness > 0 ? `nice -n ${niceness} ` : ''}npm run bench:e2e${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  log(`bench:e2e: sizes ${sizes.map(int).join(', ')}; traffic ${trafficSeconds} s; ${machineLine()}`);
  const base = [await baseline()];
  log(`baseline: ${int(base[0].perSecond)} records/s (generate + serialize + parse + validate, in memory)`);
  const results: SizeResult[] = [];
  const failures: string[] = [];
  for (const size of sizes) {
    try {
      results.push(await runSize(size));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log(`${int(size)} failed: ${message}`);
      failures.push(`${int(size)}: ${message.split('\n')[0]}`);
    }
  }
  base.push(await baseline());
  log(`baseline: ${int(base[1].perSecond)} records/s`);
  report(results, failures, base, command, started);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
