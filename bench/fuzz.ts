/**
 * npm run fuzz: hostile input against the file ingest, the webhooks, the GraphQL endpoint and the
 * authentication of the hub, in-process (`app.request`, no sockets) on a fresh database: PGlite,
 * or PostgreSQL when DATABASE_URL is set. Prints the summary and writes it to the `fuzz` section
 * of docs/benchmarks.md. Exits 1 when an invariant failed.
 *
 *   npm run fuzz -- --cases 100000 [--seed 1] [--world 400] [--drain 1000] [--no-report]
 *   npm run fuzz -- --cases 100000 --seed 1 --case 8123     reproduce one HTTP case: its request and answer
 */
import { join } from 'node:path';
import { logger } from '../src/core/logger';
import { openTestDatabase } from '../test/helpers/database';
import { PROJECT_ROOT } from './lib/datasets';
import { runFuzz } from './lib/fuzz/harness';
import { formatFuzzReport } from './lib/fuzz/report';
import { machineLine, writeSection } from './lib/report';
import { flag, opt } from './lib/args';

const intOpt = (name: string, fallback: number) => {
  const v = opt(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got "${v}"`);
    process.exit(2);
  }
  return n;
};

const cases = intOpt('cases', 10_000);
const seed = intOpt('seed', 1);
const worldSize = intOpt('world', 400);
const drain = intOpt('drain', 1000);
const only = opt('case') === undefined ? undefined : intOpt('case', 0);
// Thousands of refused requests would flood the console: the hub logs only errors during the run.
logger.level = process.env.MDM_LOG_LEVEL ?? 'fatal';

const database = await openTestDatabase();
try {
  const report = await runFuzz({ database, cases, seed, worldSize, drainEvents: only === undefined ? drain : 0, only, log: (line) => console.log(line) });
  const command = `npm run fuzz -- --cases ${cases} --seed ${seed}${worldSize !== 400 ? ` --world ${worldSize}` : ''}${drain !== 1000 ? ` --drain ${drain}` : ''}`;
  const text = formatFuzzReport(report, `${process.env.DATABASE_URL ? 'DATABASE_URL=postgresql://... ' : ''}${command}`, machineLine());
  console.log(`\n${text}`);
  if (!flag('no-report') && only === undefined) writeSection(join(PROJECT_ROOT, 'docs/benchmarks.md'), process.env.DATABASE_URL ? 'fuzz-postgres' : 'fuzz', text);
  process.exitCode = report.failures.length > 0 ? 1 : 0;
} finally {
  await database.close();
}
