import { describe, expect, it } from 'vitest';
import { seededRandom } from '../clustering/test-random';
import { blockingKeys } from './blocking-keys';
import { candidatePairs, DEFAULT_MAX_BLOCK_SIZE } from './candidate-pairs';
import { pairTriples, randomRecords, randomRules, type PairTriple } from './test-fixtures';
import type { BlockingRule, PreparedRecord } from './types';

/**
 * Brute force: for every record pair, the first rule under which the two
 * records share a key that is held by at most the rule's bound of records.
 */
function bruteForce(
  records: PreparedRecord[],
  rules: BlockingRule[],
  maxBlockSize: number,
  linkOnly: boolean,
): PairTriple[] {
  const keySets = rules.map((rule) => records.map((r) => new Set(blockingKeys(r, rule))));
  const kept = rules.map((rule, k) => {
    const counts = new Map<string, number>();
    for (const set of keySets[k]) for (const key of set) counts.set(key, (counts.get(key) ?? 0) + 1);
    const bound = rule.maxBlockSize ?? maxBlockSize;
    return (key: string) => (counts.get(key) ?? 0) <= bound;
  });
  const out: PairTriple[] = [];
  for (let i = 0; i < records.length; i++) {
    for (let j = i + 1; j < records.length; j++) {
      if (linkOnly && records[i].source === records[j].source) continue;
      for (let k = 0; k < rules.length; k++) {
        const shared = [...keySets[k][i]].some((key) => keySets[k][j].has(key) && kept[k](key));
        if (shared) {
          out.push([i, j, k]);
          break;
        }
      }
    }
  }
  return out;
}

describe('candidatePairs against a brute-force reference', () => {
  it('matches on random records and rules (seeded)', () => {
    let totalPairs = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const rnd = seededRandom(seed * 7919);
      const n = 100 + rnd.int(300);
      const records = randomRecords(seed, n);
      const rules = randomRules(seed);
      const maxBlockSize = rnd.next() < 0.5 ? DEFAULT_MAX_BLOCK_SIZE : 10 + rnd.int(60);
      const linkOnly = rnd.next() < 0.3;
      const got = pairTriples(candidatePairs(records, rules, { maxBlockSize, linkOnly }));
      const want = bruteForce(records, rules, maxBlockSize, linkOnly);
      expect(got, `seed ${seed}`).toEqual(want);
      totalPairs += got.length;
    }
    // Guard against a vacuous comparison.
    expect(totalPairs).toBeGreaterThan(10_000);
  });

  it('reports per-rule pair counts that add up to the total', () => {
    for (let seed = 30; seed < 35; seed++) {
      const res = candidatePairs(randomRecords(seed, 300), randomRules(seed), { maxBlockSize: 40 });
      expect(res.stats.reduce((s, r) => s + r.pairs, 0)).toBe(res.count);
      const perRule = new Array(res.stats.length).fill(0);
      for (let i = 0; i < res.count; i++) perRule[res.rule[i]]++;
      expect(res.stats.map((s) => s.pairs)).toEqual(perRule);
    }
  });
});
