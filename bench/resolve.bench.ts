/**
 * bench:resolve: end-to-end identity resolution through the real CLI, as a user runs it:
 * `mdm ingest` (each file) -> `mdm resolve` -> `mdm export xrefs`, wall time and peak RSS per
 * phase (`/usr/bin/time`), on PostgreSQL when DATABASE_URL is set, else the embedded database.
 * Cases: Febrl3 (5k), Splink historical_50k, and the synthetic manufacturing world (default
 * 1,000,000 records; `--world N`, 0 to skip). Baseline in the same run: `mdm --help` (the CLI's start-up,
 * paid by every phase). With `--delta N` the world case then ingests N changed records (a seeded
 * sample, each with a newer timestamp and one attribute touched), resolves them as `mdm resolve` does
 * (incrementally when they are few), and as the same-run baseline reclusters everything
 * (`mdm resolve --full --force`), comparing the two partitions. Writes docs/benchmarks.md (section
 * bench-resolve).
 *
 *   npm run bench:resolve [-- --world 1000000] [--only febrl3,historical_50k,world] [--delta 1000]
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { datasetByName, datasetsDir, PROJECT_ROOT } from './lib/datasets';
import { machineLine, writeSection } from './lib/report';
import { opt } from './lib/args';

const worldSize = Number(opt('world') ?? 1_000_000);
const only = opt('only')?.split(',');
const delta = Number(opt('delta') ?? 0);

interface Phase { name: string; seconds: number; rssMb: number; cpuSeconds: number; out: string }

function timed(name: string, argv: string[], env: NodeJS.ProcessEnv): Phase {
  const res = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', ...argv], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (res.status !== 0) throw new Error(`${name} failed (${res.status}): ${res.stderr.slice(-2000)}`);
  const [seconds, kb, user, system] = res.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { name, seconds, rssMb: kb / 1024, cpuSeconds: user + system, out: res.stdout };
}

const mdm = (...a: string[]) => [process.execPath, 'bin/mdm.js', ...a];

async function freshDatabase(dir: string): Promise<{ env: NodeJS.ProcessEnv; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { env: { MDM_DATA_DIR: join(dir, 'db'), DATABASE_URL: '' }, drop: async () => undefined };
  const name = `mdm_bench_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: u.toString() },
    drop: async () => {
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

interface CaseResult { name: string; records: number; phases: Phase[]; delta?: DeltaResult }
interface DeltaResult { records: number; incremental: Phase; full: Phase; differing: number; compared: number }

/** `n` records of a JSONL file, seeded, each with a newer timestamp and one text attribute touched. */
async function writeDelta(file: string, out: string, n: number): Promise<number> {
  let state = 7;
  const random = () => ((state = (Math.imul(state, 48271) >>> 0) % 2147483647) / 2147483647);
  const picked: Array<Record<string, unknown>> = [];
  let seen = 0;
  for await (const line of createInterface({ input: createReadStream(file) })) {
    if (!line) continue;
    const r = JSON.parse(line) as Record<string, unknown>;
    if (r.deleted) continue;
    seen++;
    // Reservoir sample: every live record equally likely.
    if (picked.length < n) picked.push(r);
    else {
      const j = Math.floor(random() * seen);
      if (j < n) picked[j] = r;
    }
  }
  writeFileSync(out, picked.map((r) => {
    const changed: Record<string, unknown> = { ...r, updatedAt: '2030-06-01T00:00:00Z' };
    const key = ['name', 'city', 'street', 'description', 'plant'].find((k) => typeof changed[k] === 'string');
    if (key) changed[key] = `${String(changed[key])} `;
    return JSON.stringify(changed);
  }).join('\n') + '\n');
  return picked.length;
}

/** Records whose cluster differs between two cross-reference exports (same records). */
function differingRecords(a: string, b: string): { differing: number; compared: number } {
  const partition = (file: string) => {
    const byGolden = new Map<string, string[]>();
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      if (!line) continue;
      const [entity, source, sourceId, golden] = line.split(',');
      const list = byGolden.get(golden) ?? [];
      list.push(`${entity}|${source}|${sourceId}`);
      byGolden.set(golden, list);
    }
    const clusterOf = new Map<string, string>();
    for (const members of byGolden.values()) {
      const key = members.sort().join(' ');
      for (const m of members) clusterOf.set(m, key);
    }
    return clusterOf;
  };
  const x = partition(a);
  const y = partition(b);
  let differing = 0;
  for (const [record, cluster] of x) if (y.get(record) !== cluster) differing++;
  return { differing, compared: x.size };
}

async function runCase(name: string, records: number, files: Array<{ file: string; mapping?: string; source?: string }>, dir: string, deltaRecords = 0): Promise<CaseResult> {
  const db = await freshDatabase(dir);
  try {
    // The embedded database is created first: its one-time initdb is not part of resolution.
    timed('create database', mdm('migrate'), db.env);
    const phases: Phase[] = [];
    files.forEach((f, i) => {
      const a = ['ingest', '--file', f.file, '--json'];
      if (f.mapping) a.push('--mapping', f.mapping);
      if (f.source) a.push('--source', f.source);
      phases.push(timed(files.length > 1 ? `ingest ${i + 1}` : 'ingest', mdm(...a), db.env));
    });
    phases.push(timed('resolve', mdm('resolve', '--json'), db.env));
    phases.push(timed('export xrefs', mdm('export', 'xrefs', '--out', join(dir, `${name}.xrefs.csv`)), db.env));
    const total = phases.reduce((s, p) => s + p.seconds, 0);
    console.log(`${name} (${records.toLocaleString('en-US')} records): ${phases.map((p) => `${p.name} ${p.seconds.toFixed(1)} s (CPU ${p.cpuSeconds.toFixed(1)} s) / ${p.rssMb.toFixed(0)} MB`).join(', ')}; total ${total.toFixed(1)} s`);
    let deltaResult: DeltaResult | undefined;
    if (deltaRecords > 0) {
      const deltaFile = join(dir, `${name}.delta.jsonl`);
      const n = await writeDelta(files[0].file, deltaFile, deltaRecords);
      timed('ingest delta', mdm('ingest', '--file', deltaFile, '--json'), db.env);
      const incremental = timed('resolve (delta)', mdm('resolve', '--json'), db.env);
      timed('export', mdm('export', 'xrefs', '--out', join(dir, `${name}.delta-incremental.csv`)), db.env);
      const full = timed('resolve --full (delta)', mdm('resolve', '--full', '--force', '--json'), db.env);
      timed('export', mdm('export', 'xrefs', '--out', join(dir, `${name}.delta-full.csv`)), db.env);
      const compared = differingRecords(join(dir, `${name}.delta-incremental.csv`), join(dir, `${name}.delta-full.csv`));
      deltaResult = { records: n, incremental, full, ...compared };
      console.log(`${name} delta of ${n} records: mdm resolve ${incremental.seconds.toFixed(1)} s (CPU ${incremental.cpuSeconds.toFixed(1)} s) / ${incremental.rssMb.toFixed(0)} MB; baseline mdm resolve --full ${full.seconds.toFixed(1)} s (CPU ${full.cpuSeconds.toFixed(1)} s) / ${full.rssMb.toFixed(0)} MB; records in a different cluster: ${compared.differing} of ${compared.compared}`);
    }
    return { name, records, phases, delta: deltaResult };
  } finally {
    await db.drop();
  }
}

function deltaRows(results: CaseResult[]): string {
  const withDelta = results.filter((r) => r.delta);
  if (withDelta.length === 0) return '';
  const rows = withDelta.map((r) => {
    const d = r.delta!;
    return `| ${r.name} | ${r.records.toLocaleString('en-US')} | ${d.records.toLocaleString('en-US')} | **${d.incremental.seconds.toFixed(1)}** (CPU ${d.incremental.cpuSeconds.toFixed(1)}, ${d.incremental.rssMb.toFixed(0)} MB) | ${d.full.seconds.toFixed(1)} (CPU ${d.full.cpuSeconds.toFixed(1)}, ${d.full.rssMb.toFixed(0)} MB) | ${d.differing} of ${d.compared.toLocaleString('en-US')} |`;
  });
  return `After the run, a delta (\`--delta\`): changed copies of existing records ingested, then \`mdm resolve\` (incremental when few records changed, docs/matching.md) and, as the baseline in the same run, \`mdm resolve --full --force\` over the same records; the last column counts records whose cluster differs between the two.

| case | records | delta records | mdm resolve s | baseline --full s | records in another cluster |
|---|---:|---:|---:|---:|---:|
${rows.join('\n')}
`;
}

const dir = mkdtempSync(join(tmpdir(), 'mdm-bench-resolve-'));
const loadBefore = loadavg()[0].toFixed(1);
try {
  const baseline = timed('baseline', mdm('--help'), {});
  console.log(`baseline: mdm --help ${baseline.seconds.toFixed(2)} s`);
  const results: CaseResult[] = [];
  for (const name of ['febrl3', 'historical_50k']) {
    if (only && !only.includes(name)) continue;
    const ds = datasetByName(name);
    const files = ds.files.map((f) => ({ file: join(datasetsDir(), f.path), mapping: ds.mapping, source: f.source }));
    results.push(await runCase(name, ds.loadTruth(datasetsDir()).size, files, dir));
  }
  if (worldSize > 0 && (!only || only.includes('world'))) {
    const worldDir = join(dir, 'world');
    const gen = spawnSync(process.execPath, ['--import', 'tsx', 'src/sim/world/cli.ts', '--size', String(worldSize), '--seed', '42', '--out', worldDir, '--quiet'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(`world generation failed: ${gen.stderr}`);
    results.push(await runCase('world', worldSize, [{ file: join(worldDir, 'records.jsonl') }], dir, delta));
  }
  const where = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite';
  const rows = results
    .map((r) => {
      const total = r.phases.reduce((s, p) => s + p.seconds, 0);
      const rss = Math.max(...r.phases.map((p) => p.rssMb));
      const cpu = r.phases.reduce((s, p) => s + p.cpuSeconds, 0);
      return `| ${r.name} | ${r.records.toLocaleString('en-US')} | ${r.phases.map((p) => `${p.name} ${p.seconds.toFixed(1)}`).join(', ')} | **${total.toFixed(1)}** | ${cpu.toFixed(1)} | ${rss.toFixed(0)} |`;
    })
    .join('\n');
  writeSection(
    'docs/benchmarks.md',
    `bench-resolve-${process.env.DATABASE_URL ? 'postgres' : 'pglite'}`,
    `## Resolve end to end on ${where} (\`npm run bench:resolve\`)

The real CLI as a user runs it: \`mdm ingest\` (mapping for the public sets) -> \`mdm resolve\` -> \`mdm export xrefs\`, each a separate process, wall seconds and peak RSS per phase (\`/usr/bin/time\`); *CLI CPU s* is the user + system time of the CLI processes (the database server's is not counted), steadier than wall time on a loaded machine. Shipped default models, no training. Machine: ${machineLine()}; load average ${loadBefore} (1 min) before the run.
Baseline in the same run: \`mdm --help\` takes ${baseline.seconds.toFixed(2)} s (process start-up, paid by each phase).

| case | records | phases (s) | total s | CLI CPU s | peak RSS MB |
|---|---:|---|---:|---:|---:|
${rows}

${deltaRows(results)}
Goals: Febrl3 < 3.5 s, historical_50k < 9 s, 1M synthetic records <= 180 s with peak RSS <= 2 GB on PostgreSQL.`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
