/**
 * bench:quality: how well the hub resolves identities, blind, on labelled public datasets and the
 * synthetic world, through the real CLI:
 *
 *   mdm ingest --file F --mapping M --source S --json   (each file of the dataset)
 *   mdm resolve --entity E --json
 *   mdm export xrefs --entity E > xrefs.csv
 *
 * then pairwise and B-cubed precision / recall / F1 of xrefs.csv against the truth
 * (bench/lib/evaluate.ts). Each dataset gets a fresh embedded data dir in /tmp, or a fresh
 * database on DATABASE_URL when it is set. Shipped defaults only: no label is used for training
 * or thresholds. Writes docs/quality.md (section bench-quality) on a full run.
 *
 *   npm run bench:quality [-- --only febrl3,abt-buy,synthetic] [--size 20000] [--seed 42] [--keep] [--write]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ENTITY_TYPES } from '../src/core/entities';
import { DATASETS, type Dataset, deletedKeysOf, PROJECT_ROOT, requireDatasetsDir, syntheticTruth } from './lib/datasets';
import { type Evaluation, evaluate, readXrefs } from './lib/evaluate';
import { machineLine, writeSection } from './lib/report';

const { values: opts } = parseArgs({
  options: {
    only: { type: 'string' },
    size: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '42' },
    keep: { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
  },
  strict: true,
});

const SYNTHETIC = 'synthetic';
const SYNTHETIC_GOAL = 0.97;
const known = [...DATASETS.map((d) => d.name), SYNTHETIC];
const only = opts.only?.split(',').map((s) => s.trim()).filter((s) => s !== '');
for (const name of only ?? []) {
  if (!known.includes(name)) throw new Error(`--only: unknown dataset ${name} (known: ${known.join(', ')})`);
}
const selected = (name: string) => !only || only.includes(name);
const worldSize = Number(opts.size.replace(/_/g, ''));

/** A step of the CLI failed; `fatal` when the command does not exist (every dataset would fail alike). */
class StepError extends Error {
  constructor(message: string, readonly fatal = false) {
    super(message);
  }
}

const f4 = (x: number) => x.toFixed(4);
const int = (x: number) => x.toLocaleString('en-US');
let syntheticNote = '';

/** Where one dataset's run stores its data: an embedded dir, or a database created on DATABASE_URL. */
interface Target {
  env: NodeJS.ProcessEnv;
  label: string;
  dispose(): Promise<void>;
}

async function freshTarget(dir: string, name: string): Promise<Target> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dataDir = join(dir, 'data');
    return { env: { MDM_DATA_DIR: dataDir, DATABASE_URL: '' }, label: 'PGlite', dispose: async () => undefined };
  }
  const db = `mdm_quality_${name.replace(/[^a-z0-9]/g, '_')}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${db}`;
  return {
    env: { DATABASE_URL: u.toString() },
    label: 'PostgreSQL',
    dispose: async () => {
      if (opts.keep) return console.log(`  kept database ${db}`);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${db}`);
      await c.end();
    },
  };
}

/** Runs `node bin/mdm.js ...args`; stdout to `stdoutFile` when given. Returns stdout (if captured) and seconds. */
function mdm(args: string[], env: NodeJS.ProcessEnv, stdoutFile?: string): { stdout: string; seconds: number } {
  const fd = stdoutFile ? openSync(stdoutFile, 'w') : undefined;
  const started = performance.now();
  try {
    const res = spawnSync(process.execPath, ['bin/mdm.js', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      stdio: ['ignore', fd ?? 'pipe', 'pipe'],
    });
    const seconds = (performance.now() - started) / 1000;
    if (res.error) throw new StepError(`\`mdm ${args.join(' ')}\` could not run: ${res.error.message}`);
    if (res.status !== 0) {
      const err = res.stderr.trim().split('\n').slice(-5).join('\n  ');
      const missing = /unknown command/i.test(res.stderr);
      const hint = missing ? `\n  (the \`mdm ${args[0]}\` command is not available in this build)` : '';
      throw new StepError(`\`mdm ${args.join(' ')}\` failed with exit code ${res.status}:\n  ${err}${hint}`, missing);
    }
    return { stdout: res.stdout ?? '', seconds };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function lastJson(stdout: string, what: string): Record<string, unknown> {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new StepError(`${what}: last line of output is not JSON: ${JSON.stringify(line.slice(0, 200))}`);
  }
}

interface Row {
  dataset: string;
  entity: string;
  linkage: boolean;
  quarantined: number;
  /** Synthetic rows after the first share its ingest/resolve run: times shown once. */
  sharedTimes?: boolean;
  m: Evaluation;
  ingestSeconds: number;
  resolveSeconds: number;
  exportSeconds: number;
  goal?: number;
  reference?: string;
}

interface Loaded {
  ingested: number;
  quarantined: number;
  seconds: number;
}

function ingest(files: { file: string; mapping?: string; source?: string }[], env: NodeJS.ProcessEnv): Loaded {
  const out: Loaded = { ingested: 0, quarantined: 0, seconds: 0 };
  for (const f of files) {
    const args = ['ingest', '--file', f.file, '--json'];
    if (f.mapping) args.push('--mapping', f.mapping);
    if (f.source) args.push('--source', f.source);
    const { stdout, seconds } = mdm(args, env);
    const counts = lastJson(stdout, `mdm ${args.join(' ')}`) as { read: number; inserted: number; quarantined: number };
    out.ingested += counts.read - counts.quarantined;
    out.quarantined += counts.quarantined;
    out.seconds += seconds;
    console.log(`  ingest ${f.source ?? ''} ${f.file}: ${seconds.toFixed(1)} s`, JSON.stringify(counts));
    if (counts.quarantined > 0) console.log(`  WARNING: ${counts.quarantined} records quarantined (see mdm quarantine list); they count as unmatched`);
  }
  return out;
}

function resolve(env: NodeJS.ProcessEnv, entity?: string): number {
  const args = ['resolve', ...(entity ? ['--entity', entity] : []), '--json'];
  const { stdout, seconds } = mdm(args, env);
  console.log(`  resolve ${entity ?? '(all)'}: ${seconds.toFixed(1)} s`, JSON.stringify(lastJson(stdout, `mdm ${args.join(' ')}`)));
  return seconds;
}

function exportXrefs(env: NodeJS.ProcessEnv, file: string, entity?: string): number {
  const { seconds } = mdm(['export', 'xrefs', ...(entity ? ['--entity', entity] : [])], env, file);
  console.log(`  export xrefs ${entity ?? '(all)'}: ${seconds.toFixed(1)} s -> ${file}`);
  return seconds;
}

function show(r: Row): void {
  const p = r.m.pairwise;
  console.log(
    `  => ${r.dataset}${r.entity ? ` ${r.entity}` : ''}: pairwise P ${p.precision.toFixed(4)} R ${p.recall.toFixed(4)} F1 ${p.f1.toFixed(4)}` +
      ` (true ${p.truePairs}, predicted ${p.predictedPairs}, correct ${p.correctPairs}), B-cubed F1 ${r.m.bcubed.f1.toFixed(4)}` +
      `${r.m.missing ? `, ${r.m.missing} truth records not in the export` : ''}${r.goal !== undefined ? `, goal ${r.goal}` : ''}`,
  );
}

async function runDataset(d: Dataset, datasetsDir: string, work: string): Promise<Row> {
  console.log(`\n${d.title} [${d.name}]`);
  const dir = join(work, d.name);
  mkdirSync(dir, { recursive: true });
  const truth = d.loadTruth(datasetsDir);
  const target = await freshTarget(dir, d.name);
  try {
    const loaded = ingest(
      d.files.map((f) => ({ file: join(datasetsDir, f.path), mapping: d.mapping, source: f.source })),
      target.env,
    );
    const resolveSeconds = resolve(target.env, d.entity);
    const xrefs = join(dir, 'xrefs.csv');
    const exportSeconds = exportXrefs(target.env, xrefs, d.entity);
    const m = evaluate(readXrefs(xrefs), truth, { entity: d.entity, crossSourceOnly: d.linkage });
    const row: Row = {
      dataset: d.name, entity: '', linkage: d.linkage, quarantined: loaded.quarantined, m,
      ingestSeconds: loaded.seconds, resolveSeconds, exportSeconds, goal: d.goal, reference: d.reference,
    };
    show(row);
    return row;
  } finally {
    await target.dispose();
  }
}

async function runSynthetic(work: string): Promise<Row[]> {
  console.log(`\nSynthetic world, size ${worldSize}, seed ${opts.seed} [${SYNTHETIC}]`);
  const dir = join(work, SYNTHETIC);
  const worldDir = join(dir, 'world');
  const gen = spawnSync(process.execPath, ['--import', 'tsx', 'src/sim/world/cli.ts', '--size', String(worldSize), '--seed', opts.seed, '--out', worldDir, '--quiet'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  if (gen.status !== 0) throw new StepError(`world generator failed (exit ${gen.status}): ${gen.stderr.trim()}`);
  const records = join(worldDir, 'records.jsonl');
  const truthByEntity = syntheticTruth(join(worldDir, 'truth.csv'), await deletedKeysOf(records));
  const target = await freshTarget(dir, SYNTHETIC);
  try {
    const loaded = ingest([{ file: records }], target.env);
    const resolveSeconds = resolve(target.env);
    const xrefsFile = join(dir, 'xrefs.csv');
    const exportSeconds = exportXrefs(target.env, xrefsFile);
    const xrefs = readXrefs(xrefsFile);
    const rows: Row[] = [];
    for (const entity of ENTITY_TYPES) {
      const truth = truthByEntity.get(entity);
      if (!truth) continue;
      const m = evaluate(xrefs, truth, { entity });
      const row: Row = {
        dataset: SYNTHETIC, entity, linkage: false, quarantined: 0, sharedTimes: rows.length > 0, m,
        ingestSeconds: loaded.seconds, resolveSeconds, exportSeconds, goal: SYNTHETIC_GOAL,
      };
      show(row);
      rows.push(row);
    }
    syntheticNote = `Synthetic world: \`--size ${worldSize} --seed ${opts.seed}\`, ${int(loaded.ingested + loaded.quarantined)} records (${int(loaded.quarantined)} quarantined; deleted ones are not scored), one ingest and one \`resolve\` for all entity types (times on its first row).`;
    return rows;
  } finally {
    await target.dispose();
  }
}


function table(rows: Row[]): string {
  const lines = [
    '| dataset | records | pairs counted | true pairs | predicted pairs | P | R | F1 | B³ P | B³ R | B³ F1 | ingest s | resolve s | goal (F1) | met | published reference |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const r of rows) {
    const p = r.m.pairwise;
    const b = r.m.bcubed;
    const name = r.entity ? `${r.dataset} ${r.entity}` : r.dataset;
    const recs = `${int(r.m.records)}${r.quarantined ? ` (${int(r.quarantined)} quarantined)` : ''}${r.m.missing ? ` (${int(r.m.missing)} not exported)` : ''}`;
    const times = r.sharedTimes ? ['″', '″'] : [r.ingestSeconds.toFixed(1), r.resolveSeconds.toFixed(1)];
    const goal = r.goal === undefined ? '-' : `>= ${r.goal}`;
    const met = r.goal === undefined ? '' : p.f1 >= r.goal ? 'yes' : 'no';
    lines.push(
      `| ${name} | ${recs} | ${r.linkage ? 'cross-source' : 'all'} | ${int(p.truePairs)} | ${int(p.predictedPairs)} | ${f4(p.precision)} | ${f4(p.recall)} | ${f4(p.f1)} | ${f4(b.precision)} | ${f4(b.recall)} | ${f4(b.f1)} | ${times[0]} | ${times[1]} | ${goal} | ${met} | ${r.reference ?? ''} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const datasetsDir = requireDatasetsDir();
  const work = mkdtempSync(join(tmpdir(), 'mdm-bench-quality-'));
  console.log(`work dir ${work}; ${process.env.DATABASE_URL ? 'a fresh PostgreSQL database per dataset on DATABASE_URL' : 'a fresh PGlite data dir per dataset'}`);
  const rows: Row[] = [];
  const failures: { dataset: string; error: string }[] = [];
  // A dataset whose step fails is reported and the next one runs; a missing command stops the bench.
  const attempt = async (dataset: string, run: () => Promise<Row[]>) => {
    try {
      rows.push(...(await run()));
    } catch (error) {
      if (!(error instanceof StepError) || error.fatal) throw error;
      console.error(`  FAILED: ${error.message}`);
      failures.push({ dataset, error: error.message });
    }
  };
  try {
    for (const d of DATASETS) if (selected(d.name)) await attempt(d.name, async () => [await runDataset(d, datasetsDir, work)]);
    if (selected(SYNTHETIC)) await attempt(SYNTHETIC, () => runSynthetic(work));
  } finally {
    if (opts.keep) console.log(`\nkept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }

  const failed = failures.map((f) => `- **${f.dataset} failed**: ${f.error.replace(/\n\s*/g, ' ')}`).join('\n');
  const body = `${table(rows)}${failed ? `\n\n${failed}` : ''}`;
  console.log(`\n${body}`);
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  } catch {
    // not a checkout
  }
  if (only && !opts.write) {
    console.log('\n--only: docs/quality.md not written (add --write to write this partial table)');
  } else {
    const db = process.env.DATABASE_URL ? 'PostgreSQL (a fresh database per dataset)' : 'PGlite (a fresh data dir per dataset)';
    writeSection(
      join(PROJECT_ROOT, 'docs/quality.md'),
      'bench-quality',
      `Written by \`npm run bench:quality${only ? ` -- --only ${only.join(',')}` : ''}\` on ${db}. Machine: ${machineLine()}${commit ? `, commit ${commit}` : ''}.
${syntheticNote}

${body}`,
    );
    console.log('\nwrote docs/quality.md');
  }
  if (failures.length > 0) {
    console.error(`\nbench:quality: ${failures.length} dataset(s) failed: ${failures.map((f) => f.dataset).join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  if (error instanceof StepError) console.error(`\nbench:quality stopped: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
