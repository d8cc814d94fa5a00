/**
 * Sync throughput: a full sync of ~100k records from each local simulator (SAP OData, Salesforce
 * REST, ServiceNow Table API) into the hub, including mapping, validation and storage. Goal:
 * >= 10,000 records/s per source. Writes docs/benchmarks.md (section bench-sync-postgres or
 * bench-sync-pglite).
 *
 *   npm run bench:sync [-- --size 100000] [--page-size P] [--no-payload] [--source erp|crm|fsm]
 *
 * `--source` measures one source and leaves docs/benchmarks.md alone.
 *
 * Each source is measured in a child process of its own (this file with `--measure <source>`),
 * into a fresh embedded database in memory, or a fresh database on the PostgreSQL server in
 * DATABASE_URL (created and dropped). Each simulator runs in a further child process (`--serve
 * <source>`) and is read once before the timed run, so it answers from its response cache and the
 * figures are the hub's work, not the simulator's.
 *
 * Baselines in the same run, per source: the same pull with mapping, validation, hashing and
 * serialization but no database ("read only"), and storing the same records with no HTTP
 * ("store only": the sync's storage, `storeInLanes` in batches of 5,000, into a fresh database). A full sync can go
 * no faster than the slower of the two; on a shared machine they also show how loaded it was.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import pino from 'pino';
import pg from 'pg';
import { type Database, openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { createSourceAdapter } from '../src/ingest/adapters';
import { validateCanonical } from '../src/ingest/canonical-record';
import type { RecordToStore } from '../src/ingest/source-record.repository';
import type { SourceConfig } from '../src/ingest/sources-config';
import { storeInLanes, syncSource, toStore } from '../src/ingest/sync.service';
import { startCrmSimulator } from '../src/sim/crm/crm-simulator';
import { startErpSimulator } from '../src/sim/erp/erp-simulator';
import { startFsmSimulator } from '../src/sim/fsm/fsm-simulator';
import type { SimRecord, Simulator } from '../src/sim/index';
import { generateWorld } from '../src/sim/world';
import { machineLine, writeSection } from './lib/report';

const args = process.argv.slice(2);
const arg = (name: string): number | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};
const size = arg('--size') ?? 100_000;
const pageSize = arg('--page-size');
const keepPayload = !args.includes('--no-payload');
const only = args.includes('--source') ? args[args.indexOf('--source') + 1] : undefined;

type SourceName = 'erp' | 'crm' | 'fsm';

async function open(): Promise<{ database: Database; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openDatabase({ dataDir: 'memory://' });
    const { error } = await migrateToLatest(database.db);
    if (error) throw error;
    return { database, drop: () => database.close() };
  }
  const name = `mdm_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: u.toString() });
  const { error } = await migrateToLatest(database.db);
  if (error) throw error;
  return {
    database,
    drop: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

const AUTH = { user: 'bench', password: 'bench-pw', clientId: 'bench', clientSecret: 'bench-secret' };

function worldOf(source: SourceName): SimRecord[] {
  return [...generateWorld({ seed: 42, size, sources: [source] })].map(({ record }) => ({ ...record }) as unknown as SimRecord);
}

/** Child mode: serve one simulator until stdin closes. */
async function serve(source: SourceName): Promise<void> {
  const records = worldOf(source);
  const sim: Simulator =
    source === 'erp'
      ? await startErpSimulator({ records, auth: { username: AUTH.user, password: AUTH.password } })
      : source === 'crm'
        ? await startCrmSimulator({ records, auth: { clientId: AUTH.clientId, clientSecret: AUTH.clientSecret } })
        : await startFsmSimulator({ records, auth: { username: AUTH.user, password: AUTH.password } });
  process.stdout.write(`READY ${sim.url}\n`);
  // Commands on stdin: `gc` collects the garbage of the warm-up (so the timed run does not pay
  // for it), `cpu` reports the CPU time used so far; end of input stops the simulator.
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'gc') (globalThis as { gc?: () => void }).gc?.();
    if (line === 'gc' || line === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.stdout.write(`CPU ${(user + system) / 1e6}\n`);
    }
  });
  process.stdin.on('end', () => void sim.close().then(() => process.exit(0)));
}

interface SimChild {
  config: SourceConfig;
  /** Sends a command and resolves with the simulator's CPU seconds so far. */
  command(name: 'gc' | 'cpu'): Promise<number>;
  stop(): void;
}

async function start(source: SourceName): Promise<SimChild> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/sync.bench.ts', '--serve', source, '--size', String(size)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const waiting: Array<(cpu: number) => void> = [];
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) resolve(line.slice(6));
      if (line.startsWith('CPU ')) waiting.shift()?.(Number(line.slice(4)));
    });
    child.on('exit', (code) => reject(new Error(`simulator ${source} exited with ${code}`)));
  });
  const command = (name: 'gc' | 'cpu') =>
    new Promise<number>((resolve) => {
      waiting.push(resolve);
      child.stdin!.write(`${name}\n`);
    });
  const stop = () => child.stdin!.end();
  const common = { pageSize, schedules: [], keepSourcePayload: keepPayload };
  if (source === 'crm') {
    return { stop, command, config: { name: 'crm', kind: 'salesforce', baseUrl: url, auth: { type: 'oauth-client-credentials', clientId: AUTH.clientId, clientSecret: AUTH.clientSecret }, ...common } };
  }
  return { stop, command, config: { name: source, kind: source === 'erp' ? 'sap' : 'servicenow', baseUrl: url, auth: { type: 'basic', username: AUTH.user, password: AUTH.password }, ...common } };
}

/** Reads every feed through the adapter; with `prepare`, validates, hashes and serializes too. */
async function pull(config: SourceConfig, prepare: boolean): Promise<RecordToStore[]> {
  const out: RecordToStore[] = [];
  const { adapter } = createSourceAdapter(config);
  for (const feed of adapter.feeds) {
    for await (const page of feed.pages({ since: null })) {
      if (!prepare) continue;
      for (const item of page.items) {
        if (!item.ok) continue;
        if (!keepPayload) delete item.input.sourcePayload;
        const v = validateCanonical(item.input, { defaultSource: config.name });
        if (!v.ok) continue;
        // Only the text is stored; letting go of the parsed payload keeps the heap small.
        const stored = toStore(v.record);
        out.push({ ...stored, record: { ...stored.record, raw: {} } });
      }
    }
  }
  return out;
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const perSecond = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');

interface Row {
  source: SourceName;
  records: number;
  requests: number;
  full: number;
  delta: number;
  readOnly: number;
  storeOnly: number;
  rssMb: number;
  /** CPU seconds of the hub's process and of the simulator during the full sync. */
  hubCpu: number;
  simCpu: number;
  load: number;
}

async function measure(source: SourceName): Promise<Row> {
  const logger = pino({ level: 'silent' });
  const { stop, config, command } = await start(source);
  try {
    await pull(config, false); // the simulator renders and caches every response once
    const simBefore = await command('gc');
    const load = loadavg()[0];
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const { database, drop } = await open();
    let full: Awaited<ReturnType<typeof syncSource>>;
    let fullSeconds: number;
    let deltaSeconds: number;
    let hubCpu: number;
    let simCpu: number;
    try {
      peak = process.memoryUsage().rss;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      full = await syncSource(database, config, { mode: 'full', logger });
      fullSeconds = seconds(t0);
      const cpu = process.cpuUsage(cpu0);
      hubCpu = (cpu.user + cpu.system) / 1e6;
      simCpu = (await command('cpu')) - simBefore;
      clearInterval(timer);
      const t1 = performance.now();
      await syncSource(database, config, { mode: 'delta', logger });
      deltaSeconds = seconds(t1);
    } finally {
      clearInterval(timer);
      await drop();
    }
    const t2 = performance.now();
    const prepared = await pull(config, true);
    const readSeconds = seconds(t2);
    const store = await open();
    let storeSeconds: number;
    try {
      const t3 = performance.now();
      for (let i = 0; i < prepared.length; i += 5000) await storeInLanes(store.database, prepared.slice(i, i + 5000), null);
      storeSeconds = seconds(t3);
    } finally {
      await store.drop();
    }
    return {
      source,
      records: full.read,
      requests: full.requests,
      full: fullSeconds,
      delta: deltaSeconds,
      readOnly: prepared.length / readSeconds,
      storeOnly: prepared.length / storeSeconds,
      rssMb: peak / 2 ** 20,
      hubCpu,
      simCpu,
      load,
    };
  } finally {
    stop();
  }
}

async function main(): Promise<void> {
  const where = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite (in memory)';
  console.log(`sync bench: ~${size.toLocaleString('en-US')} records per source, page size ${pageSize ?? 'default'}, source payload ${keepPayload ? 'kept' : 'not kept'}, ${where}`);
  const api: Record<SourceName, string> = { erp: 'SAP OData v2', crm: 'Salesforce REST', fsm: 'ServiceNow Table API' };
  const head = [
    '| source | API | records | requests | full sync s | **records/s** | CPU s hub / simulator | read only, no database (rec/s) | store only, no HTTP (rec/s) | delta, nothing changed (s) | peak RSS MB | load avg |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  console.log(head.join('\n'));
  const rows: string[] = [];
  for (const source of ['erp', 'crm', 'fsm'] as const) {
    if (only && source !== only) continue;
    const r = await measureInChild(source);
    const line = `| ${source} | ${api[source]} | ${r.records.toLocaleString('en-US')} | ${r.requests} | ${r.full.toFixed(2)} | **${perSecond(r.records, r.full)}** | ${r.hubCpu.toFixed(1)} / ${r.simCpu.toFixed(1)} | ${Math.round(r.readOnly).toLocaleString('en-US')} | ${Math.round(r.storeOnly).toLocaleString('en-US')} | ${r.delta.toFixed(2)} | ${r.rssMb.toFixed(0)} | ${r.load.toFixed(1)} |`;
    console.log(line);
    rows.push(line);
  }
  if (only) return; // a partial run does not replace the figures in docs/benchmarks.md
  const options = [size !== 100_000 ? `--size ${size}` : '', pageSize ? `--page-size ${pageSize}` : '', keepPayload ? '' : '--no-payload'].filter(Boolean).join(' ');
  writeSection(
    'docs/benchmarks.md',
    `bench-sync-${process.env.DATABASE_URL ? 'postgres' : 'pglite'}`,
    `## Source sync into ${where} (\`npm run bench:sync${options ? ` -- ${options}` : ''}\`)

A full sync of about ${size.toLocaleString('en-US')} records from each simulated source system, through the real adapter and sync service, including validation and storage; each simulator in a child process on the same machine (warmed up, answering from its response cache), each source into a fresh database. Page size ${pageSize ?? 'the adapters\' default (2,000)'}, source payload ${keepPayload ? 'kept (the default)' : 'not kept'}. Machine: ${machineLine()}.

Baselines in the same run, per source: *read only* is the same pull with mapping, validation, hashing and serialization but no database; *store only* stores the same records the way the sync does (batches of 5,000, each split by key over up to three connections on PostgreSQL, one on PGlite; fresh database) with no HTTP. A full sync overlaps the two (the next pages are read while a batch is stored) and can go no faster than the slower. *CPU s* is the processor time of the hub's process and of the simulator during the full sync (the database server's is not counted). *load avg* is the machine's 1-minute load average before the source's run (2 cores; other work was running).

${head.join('\n')}
${rows.join('\n')}

Goal: >= 10,000 records/s per source, including storage.`,
  );
}

/** Each source is measured in a process of its own, so its peak RSS and heap are its own. */
async function measureInChild(source: SourceName): Promise<Row> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sync.bench.ts', ...args, '--measure', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const last = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`measuring ${source} failed (exit ${code}): ${out}`);
  return JSON.parse(last) as Row;
}

const serveIndex = args.indexOf('--serve');
const measureIndex = args.indexOf('--measure');
if (serveIndex >= 0) await serve(args[serveIndex + 1] as SourceName);
else if (measureIndex >= 0) process.stdout.write(`${JSON.stringify(await measure(args[measureIndex + 1] as SourceName))}\n`);
else await main();
