/**
 * bench:api: the GraphQL API under load, on PostgreSQL, against a hub holding a resolved world
 * (default 1,000,000 source records; built once by bench/lib/resolved-hub.ts and reused).
 *
 * The hub is `mdm serve` in a child process; the load generator (wrk with a Lua script, else a Node
 * client, in its own process) keeps a fixed number of keep-alive connections busy on loopback.
 * Scenarios, each with its own requests (a different body each time, taken in turn):
 *  - baseline: `GET /healthz` (the loopback + HTTP floor) and `{ __typename }` with a key (+ auth and GraphQL);
 *  - translateId with random existing (entity, source, sourceId) cross-references;
 *  - one customer with up to 50 installed assets and each asset's contracts, plus the customer's
 *    contracts, in one query (customers with the most assets);
 *  - matchCandidates with customer names, addresses and tax ids sampled from stored records, perturbed.
 * Each answer of a sample of every scenario is checked (HTTP 200, no GraphQL errors, data found)
 * before the load. Translation and the baselines run with `--connections` (default 8) busy
 * connections, the customer and search queries with `--latency-connections` (default 2). Per
 * scenario: throughput, latency percentiles, CPU per request of the hub and of its PostgreSQL
 * backends, and how busy the rest of the machine was. Another hub can run in the same run, taking
 * turns per scenario: a checkout of another version (`--compare DIR`) and/or another worker count
 * (`--compare-workers N`). Writes docs/benchmarks.md (section bench-api).
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:55432/postgres npm run bench:api [-- --size 1000000]
 *       [--seconds 15] [--connections 8] [--latency-connections 2] [--workers N]
 *       [--only healthz,typename,translate,customer,search] [--compare DIR] [--compare-workers N] [--compare-label TEXT]
 *       [--cpu-prof DIR] (profile the hub: node --cpu-prof) [--no-write]
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from './lib/datasets';
import { createKey, type Hub, processCpuSeconds, revokeKey, startHub } from './lib/hub-server';
import { type LoadRequest, type LoadResult, runLoad, wrkAvailable } from './lib/load';
import { machineLine, writeSection } from './lib/report';
import { describeHub, ensureResolvedHub } from './lib/resolved-hub';
import { args, flag, opt } from './lib/args';

const size = Number(opt('size') ?? 1_000_000);
const seconds = Number(opt('seconds') ?? 15);
const connections = Number(opt('connections') ?? 8);
const latencyConnections = Number(opt('latency-connections') ?? 2);
const workers = opt('workers');
const compareDir = opt('compare');
const compareWorkers = opt('compare-workers');
const compareLabel = opt('compare-label');
const only = opt('only')?.split(',');
const cpuProf = opt('cpu-prof');
const write = !flag('no-write');

/** A small deterministic random source (mulberry32), so a run's requests can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = random(20261126);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

/** A typo: one character dropped, doubled, or two neighbours swapped. */
function typo(s: string): string {
  if (s.length < 4) return s;
  const i = 1 + Math.floor(rnd() * (s.length - 2));
  const kind = Math.floor(rnd() * 3);
  if (kind === 0) return s.slice(0, i) + s.slice(i + 1);
  if (kind === 1) return s.slice(0, i) + s[i] + s.slice(i);
  return s.slice(0, i - 1) + s[i] + s[i - 1] + s.slice(i + 1);
}

/** A tax id written another way: spaces every three characters, or lower case. */
function reformat(id: string): string {
  return rnd() < 0.5 ? id.replace(/(.{3})/g, '$1 ').trim() : id.toLowerCase();
}

/** A stored customer's attributes as someone might type them again: typos, other spellings, fields left out. */
function perturb(a: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keep = ['kind', 'name', 'firstName', 'lastName', 'taxId', 'duns', 'street', 'houseNumber', 'postalCode', 'city', 'country', 'email', 'phone', 'birthDate'];
  for (const k of keep) if (a[k] !== undefined && a[k] !== null && a[k] !== '') out[k] = a[k];
  if (typeof out.name === 'string' && rnd() < 0.6) out.name = typo(out.name);
  if (typeof out.lastName === 'string' && rnd() < 0.4) out.lastName = typo(out.lastName);
  if (typeof out.taxId === 'string') {
    if (rnd() < 0.3) delete out.taxId;
    else out.taxId = reformat(out.taxId);
  }
  if (typeof out.street === 'string' && rnd() < 0.5) out.street = out.street.replace(/strasse\b/i, 'str.').replace(/Street\b/, 'St');
  if (rnd() < 0.5) delete out.email;
  if (rnd() < 0.5) delete out.phone;
  return out;
}

const TRANSLATE = `query Translate($entity: EntityType!, $source: String!, $sourceId: String!) {
  translateId(entity: $entity, source: $source, sourceId: $sourceId) { goldenId crossReferences { source sourceId } } }`;

const CUSTOMER = `query CustomerAssets($id: ID!) {
  goldenRecord(id: $id) { record { id version attributes ... on Customer {
    installedAssets(first: 50) { edges { node { id attributes contracts { id attributes } } } }
    contracts { id attributes } } } } }`;

const SEARCH = `query Search($attributes: JSON!) {
  matchCandidates(entity: CUSTOMER, attributes: $attributes, limit: 10) { model scoredRecords candidates { goldenId probability verdict matchedOn } } }`;

interface Scenario {
  name: string;
  label: string;
  target?: string;
  /** Keep-alive connections kept busy (closed loop). */
  connections: number;
  requests: LoadRequest[];
  /** Checks one answer; returns a figure to report (e.g. assets returned) or throws. */
  check?: (data: any) => number;
}

function gqlRequest(key: string, query: string, variables: Record<string, unknown>, operationName?: string): LoadRequest {
  return {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables, ...(operationName ? { operationName } : {}) }),
  };
}

async function sampleData(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const xrefs = (await c.query(`SELECT entity, source, source_id FROM xref TABLESAMPLE SYSTEM (3) REPEATABLE (7) LIMIT 20000`)).rows as Array<{ entity: string; source: string; source_id: string }>;
    // Customers (golden) by the number of distinct installed assets that reference them.
    const customers = (
      await c.query(`
        SELECT tx.golden_id, count(DISTINCT fx.golden_id)::int AS assets
        FROM record_link l
        JOIN xref fx ON fx.record_id = l.record_id AND fx.entity = 'asset'
        JOIN xref tx ON tx.entity = l.target_entity AND tx.source = l.target_source AND tx.source_id = l.target_source_id
        WHERE l.relation = 'customer' AND l.target_entity = 'customer'
        GROUP BY tx.golden_id ORDER BY assets DESC, tx.golden_id LIMIT 200`)
    ).rows as Array<{ golden_id: string; assets: number }>;
    const people = (
      await c.query(`SELECT attributes FROM source_record TABLESAMPLE SYSTEM (5) REPEATABLE (11) WHERE entity = 'customer' AND NOT deleted LIMIT 3000`)
    ).rows as Array<{ attributes: Record<string, unknown> }>;
    return { xrefs, customers, people };
  } finally {
    await c.end();
  }
}

const ENUM: Record<string, string> = { customer: 'CUSTOMER', product: 'PRODUCT', serial: 'SERIAL', asset: 'ASSET', contract: 'CONTRACT', location: 'LOCATION' };

async function verify(port: number, s: Scenario, n = 30): Promise<number[]> {
  const figures: number[] = [];
  for (const r of s.requests.slice(0, n)) {
    const res = await fetch(`http://127.0.0.1:${port}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${s.name}: HTTP ${res.status}: ${text.slice(0, 500)}`);
    if (s.check) {
      const body = JSON.parse(text) as { data?: unknown; errors?: unknown[] };
      if (body.errors?.length) throw new Error(`${s.name}: GraphQL errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
      figures.push(s.check(body.data));
    }
  }
  return figures;
}

/** Busy and total CPU seconds of the whole machine so far (/proc/stat). */
function machineCpu(): { busy: number; total: number } {
  const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = v.map(Number);
  const idle = n[3] + n[4];
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / 100, total: total / 100 };
}

/** CPU seconds so far of each PostgreSQL backend serving the hub's database. */
async function backendCpu(admin: pg.Client, database: string): Promise<Map<number, number>> {
  const { rows } = await admin.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'mdm-hub'`, [database]);
  return new Map(rows.map((r: { pid: number }) => [r.pid, processCpuSeconds(r.pid)]));
}

interface CpuUse {
  hubMsPerRequest: number;
  pgMsPerRequest: number;
  /** Share of the machine's CPU used by everything else (load generator, other work) during the run. */
  restShare: number;
}

async function measureCpu<T extends { requests: number }>(hub: Hub, admin: pg.Client, database: string, run: () => Promise<T>): Promise<T & { cpu: CpuUse }> {
  const hub0 = hub.cpuSeconds();
  const pg0 = await backendCpu(admin, database);
  const m0 = machineCpu();
  const result = await run();
  const m1 = machineCpu();
  const pg1 = await backendCpu(admin, database);
  const hubCpu = hub.cpuSeconds() - hub0;
  let pgCpu = 0;
  for (const [pid, cpu] of pg1) pgCpu += cpu - (pg0.get(pid) ?? 0);
  const total = m1.total - m0.total;
  const rest = Math.max(0, m1.busy - m0.busy - hubCpu - pgCpu);
  return { ...result, cpu: { hubMsPerRequest: (1000 * hubCpu) / result.requests, pgMsPerRequest: (1000 * pgCpu) / result.requests, restShare: total > 0 ? rest / total : NaN } };
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface Variant {
  label: string;
  root: string;
  workers?: string;
  hub?: Hub;
  idleRss?: number;
}

/** Copies the migrations this checkout has and `root` lacks (additive indexes), so an older version opens the database. */
function shareMigrations(root: string): string[] {
  const mine = readdirSync(join(PROJECT_ROOT, 'sql'));
  const theirs = new Set(readdirSync(join(root, 'sql')));
  const copied = mine.filter((f) => f.endsWith('.sql') && !theirs.has(f));
  for (const f of copied) copyFileSync(join(PROJECT_ROOT, 'sql', f), join(root, 'sql', f));
  return copied;
}

async function main(): Promise<void> {
  const hub = await ensureResolvedHub({ size });
  console.log(describeHub(hub));
  const data = await sampleData(hub.url);
  const { key, id: keyId } = createKey(hub.url, 'reader', 'bench:api');
  const dir = mkdtempSync(join(tmpdir(), 'mdm-bench-api-'));
  const nodeArgs = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : [];
  if (cpuProf) mkdirSync(cpuProf, { recursive: true });
  const comparing = Boolean(compareDir || compareWorkers);
  const variants: Variant[] = [{ label: `${comparing ? 'this version' : 'one process'}${workers ? `, ${workers} workers` : ''}`, root: PROJECT_ROOT, workers }];
  const notes: string[] = [];
  if (comparing) {
    const root = compareDir ? resolve(compareDir) : PROJECT_ROOT;
    const copied = compareDir ? shareMigrations(root) : [];
    if (copied.length) notes.push(`${copied.join(', ')} copied into the compared checkout so it opens the database`);
    variants.push({ label: `${compareLabel ?? (compareDir ? basename(root) : 'this version')}${compareWorkers ? `, ${compareWorkers} workers` : ''}`, root, workers: compareWorkers });
  }
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    for (const [i, v] of variants.entries()) {
      v.hub = await startHub({ databaseUrl: hub.url, root: v.root, nodeArgs, args: v.workers ? ['--workers', v.workers] : [], logFile: join(dir, `hub-${i}.log`) });
      v.idleRss = v.hub.rssMb();
    }

    const scenarios: Scenario[] = [
      { name: 'healthz', label: 'baseline: `GET /healthz` (loopback + HTTP floor)', connections, requests: [{ method: 'GET', path: '/healthz' }] },
      {
        name: 'typename',
        label: 'baseline: `{ __typename }` with a key (+ auth, GraphQL)',
        connections,
        requests: [gqlRequest(key, '{ __typename }', {})],
        check: (d) => (d.__typename === 'Query' ? 1 : NaN),
      },
      {
        name: 'translate',
        label: 'translateId, random existing cross-references',
        target: '>= 3,000 req/s, p99 <= 10 ms',
        connections,
        requests: data.xrefs.map((x) => gqlRequest(key, TRANSLATE, { entity: ENUM[x.entity], source: x.source, sourceId: x.source_id }, 'Translate')),
        check: (d) => {
          if (!d.translateId?.goldenId) throw new Error('translate: an existing cross-reference was not found');
          return d.translateId.crossReferences.length;
        },
      },
      {
        name: 'customer',
        label: 'customer with up to 50 assets, their contracts and its contracts, one query',
        target: 'p99 <= 25 ms',
        connections: latencyConnections,
        requests: data.customers.map((c) => gqlRequest(key, CUSTOMER, { id: c.golden_id }, 'CustomerAssets')),
        check: (d) => {
          const r = d.goldenRecord?.record;
          if (!r?.installedAssets) throw new Error('customer: no record or no installedAssets');
          return r.installedAssets.edges.length;
        },
      },
      {
        name: 'search',
        label: 'matchCandidates: customer name/address/tax id, perturbed',
        target: 'p99 <= 50 ms',
        connections: latencyConnections,
        requests: data.people.map((p) => gqlRequest(key, SEARCH, { attributes: perturb(p.attributes) }, 'Search')),
        check: (d) => d.matchCandidates.candidates.length,
      },
    ];
    const results: Array<{ s: Scenario; v: Variant; r: LoadResult & { cpu: CpuUse }; rss: number; figure: number }> = [];
    for (const s of scenarios) {
      if (only && !only.includes(s.name)) continue;
      // Variants take turns per scenario, so they meet the same load from the rest of the machine.
      for (const v of variants) {
        const server = v.hub!;
        const figures = await verify(server.port, s);
        // Warm-up (not measured): plans, caches, JIT.
        await runLoad({ port: server.port, requests: s.requests, connections: s.connections, seconds: Math.min(3, seconds) });
        const r = await measureCpu(server, admin, hub.name, () => runLoad({ port: server.port, requests: s.requests, connections: s.connections, seconds }));
        const rss = server.rssMb();
        results.push({ s, v, r, rss, figure: median(figures) });
        console.log(
          `${s.name} [${v.label}] (${s.connections} connections): ${r.perSecond.toFixed(0)} req/s, p50 ${f1(r.p50Ms)} ms, p95 ${f1(r.p95Ms)} ms, p99 ${f1(r.p99Ms)} ms, max ${f1(r.maxMs)} ms, ${r.errors} errors, CPU per request: hub ${r.cpu.hubMsPerRequest.toFixed(2)} ms, PostgreSQL ${r.cpu.pgMsPerRequest.toFixed(2)} ms; rest of the machine ${(100 * r.cpu.restShare).toFixed(0)}% busy; hub RSS ${rss.toFixed(0)} MB` +
            (figures.length ? ` (checked ${figures.length} answers; median figure ${median(figures)})` : ''),
        );
      }
    }
    const peaks = variants.map((v) => v.hub!.peakRssMb());
    for (const v of variants) await v.hub!.stop();
    const assets = data.customers.map((c) => c.assets);
    const tool = results[0]?.r.tool ?? (wrkAvailable() ? 'wrk' : 'node');
    const many = variants.length > 1;
    const rows = results
      .map(
        ({ s, v, r, rss }) =>
          `| ${s.label} | ${many ? `${v.label} | ` : ''}${s.target ?? ''} | ${s.connections} | ${r.perSecond.toLocaleString('en-US', { maximumFractionDigits: 0 })} | ${f1(r.p50Ms)} | ${f1(r.p95Ms)} | **${f1(r.p99Ms)}** | ${f1(r.maxMs)} | ${r.errors} | ${r.cpu.hubMsPerRequest.toFixed(2)} / ${r.cpu.pgMsPerRequest.toFixed(2)} | ${(100 * r.cpu.restShare).toFixed(0)}% | ${rss.toFixed(0)} |`,
      )
      .join('\n');
    const searchFigure = results.find((x) => x.s.name === 'search')?.figure;
    const cmd = `DATABASE_URL=... npm run bench:api -- ${args.map((a) => (/[\s()]/.test(a) ? `'${a}'` : a)).join(' ')}`.replace(/ -- $/, '');
    const body = `## GraphQL API under load (\`npm run bench:api\`)

\`${cmd}\` on ${machineLine()}.
The hub (\`mdm serve\`${many ? '' : workers ? ` --workers ${workers}` : ''}, a child process, logging at its default level to a file) reads PostgreSQL on the same machine; the load generator (${tool === 'wrk' ? '`wrk`, 2 threads, a Lua script taking the request bodies in turn' : 'a Node client in its own process'}) keeps a fixed number of keep-alive connections busy on loopback (closed loop: the next request leaves when the answer arrived) for ${seconds} s per scenario after a ${Math.min(3, seconds)} s warm-up; server, database and load generator share the 2 cores. CPU per request is the CPU time of the hub's processes and of the PostgreSQL backends serving it during the run, divided by the requests answered; "rest busy" is the share of the machine's CPU used meanwhile by everything else (the load generator and other work on the machine).${many ? ` Hubs compared in the same run, taking turns per scenario: ${variants.map((v) => `**${v.label}**`).join(' and ')}${notes.length ? ` (${notes.join('; ')})` : ''}.` : ''}
Database: ${describeHub(hub)}.
Requests: ${data.xrefs.length.toLocaleString('en-US')} sampled cross-references; the ${data.customers.length} customers with the most installed assets (${Math.max(...assets)} to ${Math.min(...assets)} assets, 50 returned at most); ${data.people.length.toLocaleString('en-US')} sampled customer records, perturbed (typos in names, tax ids re-spaced or dropped, fields left out)${searchFigure !== undefined ? `, median ${searchFigure} candidates returned` : ''}. A sample of each scenario's answers is checked before the load.

| scenario | ${many ? 'hub | ' : ''}target | connections | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | CPU ms/request hub / PostgreSQL | rest busy | hub RSS MB |
|---|${many ? '---|' : ''}---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${rows}

Hub RSS idle ${variants.map((v, i) => `${v.idleRss!.toFixed(0)} MB, peak ${peaks[i].toFixed(0)} MB${many ? ` (${v.label})` : ''}`).join('; ')} (all processes of the hub).`;
    console.log(`\n${body}`);
    if (write) writeSection(join(PROJECT_ROOT, 'docs/benchmarks.md'), 'bench-api', body);
  } finally {
    for (const v of variants) await v.hub?.stop();
    await admin.end();
    revokeKey(hub.url, keyId);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
