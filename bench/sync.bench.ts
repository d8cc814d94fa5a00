/**
 * Sync throughput: a full sync of ~100k records from each local simulator (SAP OData, Salesforce
 * REST, ServiceNow Table API) into the hub, including mapping, validation and storage. Goal:
 * >= 10,000 records/s per source.
 *
 *   npx tsx bench/sync.bench.ts [--size 100000] [--page-size 2000]
 *
 * Uses the embedded database in memory, or the PostgreSQL server in DATABASE_URL (a fresh
 * database is created and dropped). Each simulator runs in a child process of its own (this file
 * with `--serve <source>`), so the figures are the hub's work, not the simulator's.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import pino from 'pino';
import pg from 'pg';
import { type Database, openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import type { SourceConfig } from '../src/ingest/sources-config';
import { createSourceAdapter } from '../src/ingest/adapters';
import { syncSource } from '../src/ingest/sync.service';
import { startCrmSimulator } from '../src/sim/crm/crm-simulator';
import { startErpSimulator } from '../src/sim/erp/erp-simulator';
import { startFsmSimulator } from '../src/sim/fsm/fsm-simulator';
import type { SimRecord, Simulator } from '../src/sim/index';
import { generateWorld } from '../src/sim/world';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const size = arg('--size', 100_000);
const pageSize = arg('--page-size', 2000);

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

function worldOf(source: 'erp' | 'crm' | 'fsm'): SimRecord[] {
  return [...generateWorld({ seed: 42, size, sources: [source] })].map(({ record }) => ({ ...record }) as unknown as SimRecord);
}

/** Child mode: serve one simulator until stdin closes. */
async function serve(source: 'erp' | 'crm' | 'fsm'): Promise<void> {
  const records = worldOf(source);
  const sim: Simulator =
    source === 'erp'
      ? await startErpSimulator({ records, auth: { username: AUTH.user, password: AUTH.password } })
      : source === 'crm'
        ? await startCrmSimulator({ records, auth: { clientId: AUTH.clientId, clientSecret: AUTH.clientSecret } })
        : await startFsmSimulator({ records, auth: { username: AUTH.user, password: AUTH.password } });
  process.stdout.write(`READY ${sim.url}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void sim.close().then(() => process.exit(0)));
}

async function start(source: 'erp' | 'crm' | 'fsm'): Promise<{ stop: () => void; config: SourceConfig }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sync.bench.ts', '--serve', source, '--size', String(size)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => line.startsWith('READY ') && resolve(line.slice(6)));
    child.on('exit', (code) => reject(new Error(`simulator ${source} exited with ${code}`)));
  });
  const stop = () => child.stdin!.end();
  const common = { pageSize, schedules: [], keepSourcePayload: !args.includes('--no-payload') };
  if (source === 'crm') {
    return { stop, config: { name: 'crm', kind: 'salesforce', baseUrl: url, auth: { type: 'oauth-client-credentials', clientId: AUTH.clientId, clientSecret: AUTH.clientSecret }, ...common } };
  }
  return { stop, config: { name: source, kind: source === 'erp' ? 'sap' : 'servicenow', baseUrl: url, auth: { type: 'basic', username: AUTH.user, password: AUTH.password }, ...common } };
}

const serveIndex = args.indexOf('--serve');
if (serveIndex >= 0) {
  await serve(args[serveIndex + 1] as 'erp' | 'crm' | 'fsm');
} else {
  await main();
}

async function main(): Promise<void> {
const logger = pino({ level: 'silent' });
const { database, drop } = await open();
console.log(`sync bench: ~${size.toLocaleString('en')} records per source, page size ${pageSize}, database ${database.description}`);
console.log('| source | API | records | full sync s | records/s | requests | delta (no change) s | peak RSS MB |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
const api = { erp: 'SAP OData v2', crm: 'Salesforce REST', fsm: 'ServiceNow Table API' };
let peak = 0;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
try {
  for (const source of ['erp', 'crm', 'fsm'] as const) {
    const { stop, config } = await start(source);
    // Warm-up read (not stored): the simulator renders and caches every response once, so the
    // timed run measures the hub (HTTP, parsing, mapping, validation, storage), not the simulator.
    const { adapter } = createSourceAdapter(config);
    for (const feed of adapter.feeds) for await (const _page of feed.pages({ since: null })) void _page;
    peak = 0;
    const t0 = performance.now();
    const full = await syncSource(database, config, { mode: 'full', logger });
    const seconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await syncSource(database, config, { mode: 'delta', logger });
    const delta = (performance.now() - t1) / 1000;
    console.log(
      `| ${source} | ${api[source]} | ${full.read.toLocaleString('en')} | ${seconds.toFixed(2)} | ${Math.round(full.read / seconds).toLocaleString('en')} | ${full.requests} | ${delta.toFixed(2)} | ${Math.round(peak / 1e6)} |`,
    );
    stop();
  }
} finally {
  clearInterval(timer);
  await drop();
}
}
