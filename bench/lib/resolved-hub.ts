/**
 * A PostgreSQL database holding a generated world, ingested and resolved by the real CLI, for the
 * read benchmarks (bench:api, bench:console). Built once and reused: a complete build leaves a
 * marker (a JSON comment on the database: size, seed, counts and the wall time and peak RSS of each
 * phase); a database of that name without the marker is an interrupted build and is built again.
 *
 * Phases, each its own process measured by `/usr/bin/time` (wall seconds, peak RSS):
 * world generation (src/sim/world/cli.ts) -> `mdm migrate` -> `mdm ingest --file` -> `mdm resolve`.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:55432/postgres npx tsx bench/lib/resolved-hub.ts [--size 1000000] [--seed 42] [--rebuild]
 *
 * @example
 * ```ts
 * const hub = await ensureResolvedHub({ size: 1_000_000 }); // { url, name, marker: { phases, counts, ... }, reused }
 * ```
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PROJECT_ROOT } from './datasets';

export interface HubPhase {
  name: string;
  seconds: number;
  peakRssMb: number;
}

export interface HubMarker {
  size: number;
  seed: number;
  builtAt: string;
  phases: HubPhase[];
  counts: { sourceRecords: number; goldenRecords: number; xrefs: number; links: number; pendingPairs: number };
  /** `mdm resolve --json` per entity type: records, clusters, seconds. */
  resolve: Array<{ entity: string; records: number; clusters: number; seconds: number }>;
  databaseMb: number;
}

export interface ResolvedHub {
  name: string;
  url: string;
  marker: HubMarker;
  /** True when an existing complete build was used. */
  reused: boolean;
}

/** `mdm_bench_1m` for 1,000,000, `mdm_bench_200k` for 200,000, `mdm_bench_12345` otherwise. */
export function hubDatabaseName(size: number): string {
  if (size % 1_000_000 === 0) return `mdm_bench_${size / 1_000_000}m`;
  if (size % 1000 === 0) return `mdm_bench_${size / 1000}k`;
  return `mdm_bench_${size}`;
}

function baseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('the resolved hub is built on PostgreSQL: set DATABASE_URL (for example postgresql://postgres@127.0.0.1:55432/postgres)');
  return url;
}

/** DATABASE_URL with another database name. */
export function databaseUrl(name: string): string {
  const u = new URL(baseUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs `fn` with a client of its own on `url`, closed after. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function readMarker(name: string): Promise<HubMarker | null> {
  return withClient(baseUrl(), async (c) => {
    const { rows } = await c.query(`SELECT shobj_description(oid, 'pg_database') AS marker FROM pg_database WHERE datname = $1`, [name]);
    if (rows.length === 0) return null;
    try {
      const marker = JSON.parse(rows[0].marker ?? 'null') as HubMarker | null;
      return marker && Array.isArray(marker.phases) ? marker : null;
    } catch {
      return null;
    }
  });
}

/** Whether the database exists (complete or not). */
async function exists(name: string): Promise<boolean> {
  return withClient(baseUrl(), async (c) => (await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rows.length > 0);
}

/** A failed phase, with what the process printed last and the figures of the run. */
export class PhaseFailed extends Error {
  constructor(
    readonly phase: string,
    readonly status: string,
    readonly seconds: number,
    readonly peakRssMb: number,
    readonly stderrTail: string,
  ) {
    super(`${phase} failed (${status}) after ${seconds.toFixed(1)} s at peak RSS ${peakRssMb.toFixed(0)} MB:\n${stderrTail}`);
  }
}

/** Runs a command under `/usr/bin/time`, returning wall seconds, peak RSS and standard output. */
export function timedPhase(name: string, argv: string[], env: NodeJS.ProcessEnv = {}): HubPhase & { out: string } {
  const res = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', ...argv], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, MDM_LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const lines = (res.stderr ?? '').trimEnd().split('\n');
  const timeLine = [...lines].reverse().find((l) => l.startsWith('TIME ')) ?? 'TIME NaN NaN';
  const [, seconds, kb] = timeLine.split(' ').map(Number);
  const phase = { name, seconds, peakRssMb: kb / 1024 };
  if (res.status !== 0) {
    const status = res.signal ? `signal ${res.signal}` : (lines.find((l) => l.startsWith('Command ')) ?? `exit ${res.status}`);
    throw new PhaseFailed(name, status, seconds, kb / 1024, lines.filter((l) => !l.startsWith('TIME ')).slice(-40).join('\n'));
  }
  return { ...phase, out: res.stdout };
}

const mdm = (...a: string[]) => [process.execPath, 'bin/mdm.js', ...a];

async function countRows(url: string, name: string): Promise<{ counts: HubMarker['counts']; databaseMb: number }> {
  return withClient(url, async (c) => {
    const n = async (q: string) => Number((await c.query(q)).rows[0].n);
    return {
      counts: {
        sourceRecords: await n(`SELECT count(*) AS n FROM source_record`),
        goldenRecords: await n(`SELECT count(*) AS n FROM golden_record WHERE status = 'active'`),
        xrefs: await n(`SELECT count(*) AS n FROM xref`),
        links: await n(`SELECT count(*) AS n FROM record_link`),
        pendingPairs: await n(`SELECT count(*) AS n FROM match_pair WHERE status = 'pending'`),
      },
      databaseMb: Number((await c.query(`SELECT pg_database_size($1)::float8 / 1048576 AS mb`, [name])).rows[0].mb),
    };
  });
}

/**
 * The resolved hub of `size` records: reused when a complete build exists, else (re)built.
 * Throws `PhaseFailed` when a phase fails; the partial database is left for inspection (it has
 * no marker, so the next call builds it again).
 */
export async function ensureResolvedHub(options: { size?: number; seed?: number; rebuild?: boolean; log?: (line: string) => void } = {}): Promise<ResolvedHub> {
  const size = options.size ?? 1_000_000;
  const seed = options.seed ?? 42;
  const log = options.log ?? ((line: string) => console.log(line));
  const name = hubDatabaseName(size);
  const url = databaseUrl(name);
  const existing = options.rebuild ? null : await readMarker(name);
  if (existing && existing.size === size && existing.seed === seed) return { name, url, marker: existing, reused: true };

  if (await exists(name)) {
    log(`${name}: ${existing ? 'built with other parameters' : 'incomplete (no marker)'}, or --rebuild: dropping it`);
    await withClient(baseUrl(), (c) => c.query(`DROP DATABASE ${name} WITH (FORCE)`));
  }
  await withClient(baseUrl(), (c) => c.query(`CREATE DATABASE ${name}`));
  const dir = mkdtempSync(join(tmpdir(), 'mdm-hub-world-'));
  const env = { DATABASE_URL: url };
  const phases: HubPhase[] = [];
  const step = (p: HubPhase & { out: string }) => {
    phases.push({ name: p.name, seconds: p.seconds, peakRssMb: p.peakRssMb });
    log(`${name}: ${p.name} ${p.seconds.toFixed(1)} s, peak RSS ${p.peakRssMb.toFixed(0)} MB`);
    return p.out;
  };
  try {
    step(timedPhase('generate world', [process.execPath, '--import', 'tsx', 'src/sim/world/cli.ts', '--size', String(size), '--seed', String(seed), '--out', dir, '--quiet']));
    step(timedPhase('mdm migrate', mdm('migrate'), env));
    step(timedPhase('mdm ingest', mdm('ingest', '--file', join(dir, 'records.jsonl'), '--json'), env));
    rmSync(dir, { recursive: true, force: true });
    let out: string;
    try {
      out = step(timedPhase('mdm resolve', mdm('resolve', '--json'), env));
    } catch (err) {
      // Which entity types finished, and which one was running when it failed.
      const runs = await withClient(url, (c) =>
        c.query(`SELECT entity, status, round(extract(epoch FROM coalesce(finished_at, now()) - started_at)::numeric, 1) AS seconds FROM resolve_run ORDER BY id`),
      ).catch(() => ({ rows: [] }));
      log(`${name}: resolve runs at the failure: ${runs.rows.map((r) => `${r.entity} ${r.status} ${r.seconds} s`).join(', ') || 'none'}`);
      throw err;
    }
    const summary = JSON.parse(out.trim().split('\n').pop()!) as { entities: Array<{ entity: string; records: number; clusters: number; seconds: number }> };
    // Planner statistics for the read benchmarks (autovacuum would get there, later).
    await withClient(url, (c) => c.query('VACUUM ANALYZE'));
    const { counts, databaseMb } = await countRows(url, name);
    const marker: HubMarker = {
      size,
      seed,
      builtAt: new Date().toISOString(),
      phases,
      counts,
      resolve: summary.entities.map((e) => ({ entity: e.entity, records: e.records, clusters: e.clusters, seconds: e.seconds })),
      databaseMb,
    };
    const text = JSON.stringify(marker).replace(/'/g, "''");
    await withClient(baseUrl(), (c) => c.query(`COMMENT ON DATABASE ${name} IS '${text}'`));
    return { name, url, marker, reused: false };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per phase, for reports. */
export function describeHub(hub: ResolvedHub): string {
  const m = hub.marker;
  return (
    `${hub.name}: ${m.counts.sourceRecords.toLocaleString('en-US')} source records -> ${m.counts.goldenRecords.toLocaleString('en-US')} active golden records, ` +
    `${m.counts.links.toLocaleString('en-US')} record links, ${m.databaseMb.toFixed(0)} MB; built ${m.builtAt.slice(0, 10)}: ` +
    m.phases.map((p) => `${p.name} ${p.seconds.toFixed(1)} s / ${p.peakRssMb.toFixed(0)} MB`).join(', ')
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (n: string) => {
    const i = args.indexOf(`--${n}`);
    return i === -1 ? undefined : args[i + 1];
  };
  try {
    const hub = await ensureResolvedHub({ size: Number(opt('size') ?? 1_000_000), seed: Number(opt('seed') ?? 42), rebuild: args.includes('--rebuild') });
    console.log(`${hub.reused ? 'reused' : 'built'} ${describeHub(hub)}`);
    console.log(JSON.stringify(hub.marker, null, 2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
