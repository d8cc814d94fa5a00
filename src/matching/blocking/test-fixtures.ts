import type { CandidatePairs } from './candidate-pairs';
import { seededRandom } from '../clustering/test-random';
import type { BlockingRule, PreparedRecord } from './types';

/** A candidate pair as a plain triple, for comparisons in tests. */
export type PairTriple = [left: number, right: number, rule: number];

/**
 * The pairs of a run as sorted [left, right, rule] triples.
 *
 * @example
 * ```ts
 * pairTriples(candidatePairs(records, rules)); // [[0, 1, 0], [0, 4, 1]]
 * ```
 */
export function pairTriples(res: CandidatePairs): PairTriple[] {
  const out: PairTriple[] = [];
  for (let i = 0; i < res.count; i++) out.push([res.left[i], res.right[i], res.rule[i]]);
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

/**
 * Random records over small alphabets (so blocks collide often), with nulls,
 * blanks, numbers and array fields, from a seed.
 *
 * @example
 * ```ts
 * const records = randomRecords(1, 300);
 * ```
 */
export function randomRecords(seed: number, n: number): PreparedRecord[] {
  const rnd = seededRandom(seed);
  const maybe = (p: number, v: () => string | number | string[] | null) => (rnd.next() < p ? v() : null);
  const sources = ['erp', 'crm', 'fsm'];
  const records: PreparedRecord[] = [];
  for (let id = 0; id < n; id++) {
    records.push({
      id,
      source: rnd.pick(sources),
      fields: {
        postcode: maybe(0.9, () => (rnd.next() < 0.05 ? '  ' : `P${rnd.int(12)}`)),
        city: maybe(0.85, () => rnd.pick(['MUNICH', 'BERLIN', 'HAMBURG', 'KOELN', ''])),
        name: maybe(0.9, () => `N${rnd.int(25)}`),
        year: maybe(0.7, () => 2000 + rnd.int(6)),
        emails: maybe(0.8, () => Array.from({ length: rnd.int(4) }, () => `e${rnd.int(30)}@x`)),
        phones: maybe(0.6, () => Array.from({ length: rnd.int(3) }, () => `+49${rnd.int(8)}`)),
        // Heavily skewed: 'GENERIC' is shared by many records.
        tag: maybe(0.8, () => (rnd.next() < 0.4 ? 'GENERIC' : `T${rnd.int(40)}`)),
      },
    });
  }
  return records;
}

/**
 * Random blocking rules over the fields of {@link randomRecords}.
 *
 * @example
 * ```ts
 * const rules = randomRules(7);
 * ```
 */
export function randomRules(seed: number): BlockingRule[] {
  const rnd = seededRandom(seed);
  const fields = ['postcode', 'city', 'name', 'year', 'emails', 'phones', 'tag'];
  const count = 1 + rnd.int(4);
  const rules: BlockingRule[] = [];
  for (let k = 0; k < count; k++) {
    const on = rnd.shuffle([...fields]).slice(0, 1 + rnd.int(2));
    const rule: BlockingRule = { name: `rule${k}`, on };
    if (rnd.next() < 0.3) rule.maxBlockSize = 5 + rnd.int(40);
    rules.push(rule);
  }
  return rules;
}
