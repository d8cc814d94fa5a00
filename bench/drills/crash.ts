/**
 * Crash drills: the hub killed with SIGKILL at seeded random points during a full sync, during
 * resolve, during event processing and during outbox delivery, then restarted; each drill checks
 * that nothing was lost or duplicated and that the end state equals an uninterrupted run
 * (bench/drills/lib/*-drill.ts say exactly what each compares). Each drill uses fresh databases on
 * the PostgreSQL server of DATABASE_URL (created and dropped), else embedded PGlite directories.
 *
 *   npm run drill:crash -- [--seed 1] [--kills 10] [--drill sync|resolve|events|delivery|all] [--size N] [--no-report]
 *
 * Prints a table per drill and writes it to docs/benchmarks.md (section drill-crash); exits 1 if
 * any drill lost, duplicated or mismatched anything.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineLine, writeSection } from '../lib/report';
import { DRILLS, type DrillName, type DrillOptions, type DrillResult, passed } from './lib/drill';
import { deliveryDrill } from './lib/delivery-drill';
import { eventsDrill } from './lib/events-drill';
import { resolveDrill } from './lib/resolve-drill';
import { syncDrill } from './lib/sync-drill';

const RUN: Record<DrillName, (options: DrillOptions) => Promise<DrillResult>> = {
  sync: syncDrill,
  resolve: resolveDrill,
  events: eventsDrill,
  delivery: deliveryDrill,
};

const USAGE = 'usage: npm run drill:crash -- [--seed 1] [--kills 10] [--drill sync|resolve|events|delivery|all] [--size N] [--no-report]';

/** Runs the chosen drills one after the other. */
export async function runDrills(names: readonly DrillName[], options: DrillOptions): Promise<DrillResult[]> {
  const results: DrillResult[] = [];
  for (const name of names) {
    options.log?.(`${name}: starting (seed ${options.seed}, ${options.kills} kills)`);
    results.push(await RUN[name](options));
  }
  return results;
}

/** The results as a Markdown table, with what each drill measured on the way below it. */
export function resultTable(results: DrillResult[]): string {
  const lines = [
    '| drill | database | kills | seconds | records checked | lost | duplicated | mismatches | result |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|',
    ...results.map(
      (r) =>
        `| ${r.drill} | ${r.database === 'postgres' ? 'PostgreSQL' : 'PGlite'} | ${r.kills} | ${r.seconds.toFixed(0)} | ${r.checked.toLocaleString('en-US')} | ${r.lost} | ${r.duplicated} | ${r.mismatches} | ${passed(r) ? 'pass' : '**FAIL**'} |`,
    ),
    '',
    ...results.flatMap((r) => [...r.notes.map((n) => `- ${r.drill}: ${n}`), ...r.problems.map((p) => `- ${r.drill}: problem: ${p}`)]),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      kills: { type: 'string', default: '10' },
      drill: { type: 'string', default: 'all' },
      size: { type: 'string' },
      'no-report': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const seed = Number(values.seed);
  const kills = Number(values.kills);
  const size = values.size === undefined ? undefined : Number(values.size.replace(/_/g, ''));
  if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number (got "${values.seed}")`);
  if (!Number.isInteger(kills) || kills < 1) throw new Error(`--kills must be a whole number of at least 1 (got "${values.kills}")`);
  if (size !== undefined && (!Number.isInteger(size) || size < 50)) throw new Error(`--size must be a whole number of at least 50 (got "${values.size}")`);
  const names = values.drill === 'all' ? DRILLS : [values.drill as DrillName];
  if (!names.every((n) => DRILLS.includes(n))) throw new Error(`--drill must be one of ${DRILLS.join(', ')} or all (got "${values.drill}")`);

  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  const results = await runDrills(names, { seed, kills, size, log });
  const command = `${process.env.DATABASE_URL ? 'DATABASE_URL=... ' : ''}npm run drill:crash -- --kills ${kills} --seed ${seed}${values.drill === 'all' ? '' : ` --drill ${values.drill}`}${size === undefined ? '' : ` --size ${size}`}`;
  const text = [
    `## Crash drills on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'} (\`npm run drill:crash\`)`,
    '',
    `\`${command}\` on ${machineLine()}.`,
    'Each drill kills the hub with SIGKILL at seeded random points, restarts it, and compares the end state with an uninterrupted run (what "equal" means: [guarantees.md](guarantees.md#crash-drills)). *kills*: kills of a process that was still running; *seconds*: the whole drill, reference runs and checks included.',
    '',
    resultTable(results),
  ].join('\n');
  process.stdout.write(`${text}\n`);
  if (!values['no-report']) {
    const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
    writeSection(join(root, 'docs/benchmarks.md'), process.env.DATABASE_URL ? 'drill-crash' : 'drill-crash-pglite', text);
  }
  if (!results.every(passed)) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // Stopped from outside: exit through the handlers that kill the hub processes this drill started.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  main().catch((error: unknown) => {
    process.stderr.write(`drill:crash: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
