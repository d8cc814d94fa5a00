/**
 * bench:ingest: 1M generated canonical records through the real CLI (`mdm ingest --json`) into
 * PGlite and, when DATABASE_URL is set, into PostgreSQL; then the same file again (all unchanged).
 * Baseline in the same run: reading + parsing + validating the file with no database.
 * Writes docs/benchmarks.md (section bench-ingest).
 *
 *   npm run bench:ingest [-- --records 1000000]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { contentHash, validateCanonical } from '../src/ingest/canonical-record';
import { readFileRows } from '../src/ingest/file-reader';
import { machineLine, writeSection } from './lib/report';

const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--records') + 1] || 0) || 1_000_000;

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function generate(file: string, n: number): Promise<void> {
  const rnd = mulberry32(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const cities = ['Stuttgart', 'München', 'Lyon', 'Milano', 'Rotterdam', 'Kraków', 'Osaka', 'Chicago', 'Leeds'];
  const words = ['Maschinenbau', 'Antriebstechnik', 'Industrial Supply', 'Meccanica', 'Techniek', 'Seiki'];
  const out = createWriteStream(file);
  for (let i = 0; i < n; i++) {
    const kind = i % 6;
    const base = { source: pick(['erp', 'crm', 'fsm']), sourceId: `R${i}`, updatedAt: new Date(1.7e12 + i * 1000).toISOString() };
    let rec: Record<string, unknown>;
    if (kind === 0) rec = { entity: 'customer', ...base, kind: 'organization', name: `Firma ${Math.floor(rnd() * 1e6)} ${pick(words)} GmbH`, street: 'Industriestr.', houseNumber: String(1 + Math.floor(rnd() * 200)), postalCode: String(10000 + Math.floor(rnd() * 89999)), city: pick(cities), country: 'DE', phone: `+49 711 ${Math.floor(rnd() * 1e7)}`, taxId: `DE${100000000 + Math.floor(rnd() * 899999999)}` };
    else if (kind === 1) rec = { entity: 'product', ...base, partNumber: `PMP-${Math.floor(rnd() * 1e5)}`, name: `Pump ${pick(words)}`, manufacturer: 'Acme', price: Math.round(rnd() * 1e5) / 100, currency: 'EUR' };
    else if (kind === 2) rec = { entity: 'serial', ...base, serialNumber: `SN-${Math.floor(rnd() * 1e9)}`, productRef: `R${i - 1}`, manufactureDate: '2024-05-17', plant: 'P01' };
    else if (kind === 3) rec = { entity: 'asset', ...base, serialNumber: `SN-${Math.floor(rnd() * 1e9)}`, partNumber: 'PMP-200', customerRef: `R${i - 3}`, installDate: '2024-06-01', status: 'installed' };
    else if (kind === 4) rec = { entity: 'contract', ...base, contractNumber: `SC-${i}`, customerRef: `R${i - 4}`, assetRefs: [`R${i - 1}`], startDate: '2025-01-01', endDate: '2027-12-31', serviceLevel: 'gold' };
    else rec = { entity: 'location', ...base, name: `Werk ${pick(cities)}`, street: 'Hafenstraße', houseNumber: '3', city: pick(cities), postalCode: '70565', country: 'DE', latitude: 48.7, longitude: 9.1 };
    if (!out.write(`${JSON.stringify(rec)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
}

interface Run { label: string; seconds: number; rssMb: number; summary: Record<string, number> }

function runCli(label: string, file: string, env: NodeJS.ProcessEnv): Run {
  const res = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, 'bin/mdm.js', 'ingest', '--file', file, '--json'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (res.status !== 0) throw new Error(`${label} failed: ${res.stderr}`);
  const timeLine = res.stderr.trim().split('\n').pop()!;
  const [seconds, kb] = timeLine.split(' ').map(Number);
  const summary = JSON.parse(res.stdout.trim().split('\n').pop()!);
  const run = { label, seconds, rssMb: kb / 1024, summary };
  console.log(`${label}: ${seconds.toFixed(1)} s, ${(N / seconds).toFixed(0)} records/s, peak RSS ${run.rssMb.toFixed(0)} MB`, summary);
  return run;
}

async function baseline(file: string): Promise<number> {
  const t0 = performance.now();
  let ok = 0;
  for await (const item of readFileRows(file, { format: 'jsonl' })) {
    if ('row' in item) {
      const r = validateCanonical(item.row);
      if (r.ok) {
        contentHash(r.record);
        ok++;
      }
    }
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`baseline (read + parse + validate + hash, no database): ${s.toFixed(1)} s, ${(ok / s).toFixed(0)} records/s`);
  return s;
}

const dir = mkdtempSync(join(tmpdir(), 'mdm-bench-ingest-'));
const file = join(dir, 'records.jsonl');
try {
  console.log(`generating ${N} records...`);
  await generate(file, N);
  console.log(`file: ${(statSync(file).size / 2 ** 20).toFixed(0)} MB`);
  const base = await baseline(file);
  const runs: Run[] = [];
  const dataDir = join(dir, 'pglite');
  // Create the embedded database first: its one-time initdb is not part of an ingest.
  spawnSync(process.execPath, ['bin/mdm.js', 'migrate'], { env: { ...process.env, MDM_DATA_DIR: dataDir, DATABASE_URL: '' } });
  runs.push(runCli('PGlite, first load', file, { MDM_DATA_DIR: dataDir, DATABASE_URL: '' }));
  runs.push(runCli('PGlite, same file again (unchanged)', file, { MDM_DATA_DIR: dataDir, DATABASE_URL: '' }));
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `mdm_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    try {
      runs.push(runCli('PostgreSQL, first load', file, { DATABASE_URL: u.toString() }));
      runs.push(runCli('PostgreSQL, same file again (unchanged)', file, { DATABASE_URL: u.toString() }));
    } finally {
      await admin.query(`DROP DATABASE ${name}`);
      await admin.end();
    }
  } else {
    console.log('DATABASE_URL not set: PostgreSQL skipped (source scripts/pg-server.sh; pg_start)');
  }
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a checkout
  }
  const rows = runs
    .map((r) => `| ${r.label} | ${r.seconds.toFixed(1)} | ${Math.round(N / r.seconds).toLocaleString('en-US')} | ${r.rssMb.toFixed(0)} | ${r.summary.inserted} / ${r.summary.unchanged} |`)
    .join('\n');
  writeSection(
    'docs/benchmarks.md',
    'bench-ingest',
    `## Ingest (\`npm run bench:ingest\`)

${N.toLocaleString('en-US')} generated canonical records (six entity types, ${(statSync(file).size / 2 ** 20).toFixed(0)} MB JSONL) through the real CLI, \`mdm ingest --file F --json\`, wall time and peak RSS of the CLI process (\`/usr/bin/time\`); the embedded database is created (\`mdm migrate\`) before the first load. Machine: ${machineLine()}${commit ? `, commit ${commit}` : ''}.

Baseline in the same run: reading, parsing, validating and hashing the file with no database: ${base.toFixed(1)} s (${Math.round(N / base).toLocaleString('en-US')} records/s).

| run | seconds | records/s | peak RSS MB | inserted / unchanged |
|---|---:|---:|---:|---|
${rows}

Goals: >= 50,000 records/s into PostgreSQL, >= 15,000 records/s into PGlite, peak RSS <= 500 MB, re-ingest at least as fast.`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
