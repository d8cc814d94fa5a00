/**
 * Scores a cross-reference export against a world's truth, per entity type (pairwise and B-cubed,
 * bench/lib/evaluate.ts); records deleted in the world are not scored. Prints one JSON line:
 * `[{ entity, records, missing, pairwise: { precision, recall, f1, ... }, bcubed }]`.
 *
 *   node --import tsx bench/lib/e2e/score.ts --world DIR --xrefs FILE
 */
import { join } from 'node:path';
import { ENTITY_TYPES } from '../../../src/core/entities';
import { deletedKeysOf, syntheticTruth } from '../datasets';
import { evaluate, readXrefs } from '../evaluate';

const args = process.argv.slice(2);
const opt = (name: string): string => {
  const i = args.indexOf(`--${name}`);
  if (i === -1) throw new Error(`usage: score.ts --world DIR --xrefs FILE (missing --${name})`);
  return args[i + 1];
};

const world = opt('world');
const truth = syntheticTruth(join(world, 'truth.csv'), await deletedKeysOf(join(world, 'records.jsonl')));
const xrefs = readXrefs(opt('xrefs'));
const out = [];
for (const entity of ENTITY_TYPES) {
  const t = truth.get(entity);
  if (!t) continue;
  const m = evaluate(xrefs, t, { entity });
  out.push({ entity, records: m.records, missing: m.missing, pairwise: m.pairwise, bcubed: m.bcubed });
}
process.stdout.write(`${JSON.stringify(out)}\n`);
