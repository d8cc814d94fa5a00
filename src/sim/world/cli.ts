/**
 * Command line entry of the world generator.
 *
 *   npx tsx src/sim/world/cli.ts --size 100000 --seed 42 --out DIR [--noise 0.5] [--sources erp,crm,fsm] [--reference-date 2026-03-01]
 *
 * Writes `DIR/records.jsonl` and `DIR/truth.csv` and prints a counts table, time and peak RSS.
 */
import { parseArgs } from 'node:util';
import { SOURCE_NAMES, type SourceName } from './types';
import { countsTable, writeWorld } from './write';

const USAGE = 'usage: tsx src/sim/world/cli.ts --out DIR [--size N=10000] [--seed S=42] [--noise 0..1=0.5] [--sources erp,crm,fsm] [--reference-date YYYY-MM-DD] [--quiet]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string' },
      noise: { type: 'string' },
      sources: { type: 'string' },
      'reference-date': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help || !values.out) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const size = Number(values.size.replace(/_/g, ''));
  const seed = /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const sources = values.sources?.split(',').map((s) => s.trim()) as SourceName[] | undefined;
  if (sources?.some((s) => !SOURCE_NAMES.includes(s))) throw new Error(`--sources must be a subset of ${SOURCE_NAMES.join(',')}`);
  const noise = values.noise === undefined ? undefined : Number(values.noise);

  const result = await writeWorld(
    { seed, size, sources, noise, referenceDate: values['reference-date'] },
    values.out,
    { onProgress: values.quiet ? undefined : (n) => process.stderr.write(`\r${n.toLocaleString('en-US')} records`) },
  );
  if (!values.quiet) process.stderr.write('\n');
  console.log(countsTable(result.counts));
  console.log(
    `\n${result.records.toLocaleString('en-US')} records (${result.deleted.toLocaleString('en-US')} deleted) in ${result.seconds.toFixed(1)} s, ` +
      `${(result.bytes.records / 1e6).toFixed(1)} MB JSONL + ${(result.bytes.truth / 1e6).toFixed(1)} MB truth, peak RSS ${result.peakRssMb} MB`,
  );
  console.log(`wrote ${result.files.records} and ${result.files.truth}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
