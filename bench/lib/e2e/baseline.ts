/**
 * The in-run baseline of bench:e2e: generate a world in memory, serialize each record to JSON, parse
 * it back and validate it as a canonical record (what every path into the hub starts with), with no
 * file, no HTTP and no database. Prints one JSON line `{ records, seconds, perSecond }`; comparing it
 * between runs tells how loaded the machine was.
 *
 *   node --import tsx bench/lib/e2e/baseline.ts [--size 50000]
 */
import { validateCanonical } from '../../../src/ingest/canonical-record';
import { generateWorld } from '../../../src/sim/world';

const i = process.argv.indexOf('--size');
const size = i === -1 ? 50_000 : Number(process.argv[i + 1]);
const t0 = performance.now();
let records = 0;
let valid = 0;
for (const { record } of generateWorld({ seed: 1, size })) {
  const parsed = JSON.parse(JSON.stringify(record)) as { source?: string };
  if (validateCanonical(parsed, { defaultSource: parsed.source }).ok) valid++;
  records++;
}
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ records, valid, seconds, perSecond: records / seconds })}\n`);
