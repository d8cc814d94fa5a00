import { describe, expect, it } from 'vitest';
import { clusterPairs } from './cluster-pairs';
import { seededRandom } from './test-random';
import type { ClusteringInput, ScoredPair } from './types';

const T = { autoMerge: 10, review: 3 };
const p = (left: number, right: number, weight: number): ScoredPair => ({ left, right, weight });

describe('clusterPairs: no chaining', () => {
  it('does not chain A~B~C when A and C are clearly different', () => {
    const res = clusterPairs({ n: 3, pairs: [p(0, 1, 15), p(1, 2, 14), p(0, 2, -9)], thresholds: T });
    expect(res.clusters).toEqual([[0, 1], [2]]);
    expect(res.review).toEqual([{ left: 1, right: 2, weight: 14, reason: 'clearly-different' }]);
  });

  it('refuses a merge whose mean linkage is below the bound', () => {
    // A-C = -4 is not clearly different (> -5) but the mean (14 - 4) / 2 = 5 is below 6.
    const pairs = [p(0, 1, 15), p(1, 2, 14), p(0, 2, -4)];
    const res = clusterPairs({ n: 3, pairs, thresholds: { autoMerge: 10, review: 6 } });
    expect(res.clusters).toEqual([[0, 1], [2]]);
    expect(res.review).toEqual([{ left: 1, right: 2, weight: 14, reason: 'weak-linkage' }]);
    // With the bound at the review threshold 3, the mean of 5 is enough.
    expect(clusterPairs({ n: 3, pairs, thresholds: T }).clusters).toEqual([[0, 1, 2]]);
  });

  it('ignores unscored cross pairs by default, or counts them at unscoredWeight', () => {
    const pairs = [p(0, 1, 15), p(1, 2, 14)];
    expect(clusterPairs({ n: 3, pairs, thresholds: T }).clusters).toEqual([[0, 1, 2]]);
    // {0,1} x {2}: scored 1-2 = 14, unscored 0-2 counted at 0 -> mean 7 >= 3 -> merges.
    expect(clusterPairs({ n: 3, pairs, thresholds: T, unscoredWeight: 0 }).clusters).toEqual([[0, 1, 2]]);
    // Counted at -20: (14 - 20) / 2 = -3 < 3 -> refused.
    const strict = clusterPairs({ n: 3, pairs, thresholds: T, unscoredWeight: -20 });
    expect(strict.clusters).toEqual([[0, 1], [2]]);
    expect(strict.review[0].reason).toBe('weak-linkage');
  });

  it('never joins two values of an identity key, even through records never compared with each other', () => {
    // 0 and 2 hold different serials; 1 has none and links strongly to both; 0-2 was never scored.
    const pairs = [p(0, 1, 15), p(1, 2, 14)];
    const identityKeys = [Int32Array.of(7, -1, 8)];
    const res = clusterPairs({ n: 3, pairs, thresholds: T, identityKeys });
    expect(res.clusters).toEqual([[0, 1], [2]]);
    expect(res.review).toEqual([{ left: 1, right: 2, weight: 14, reason: 'cannot-link' }]);
    // The same value, or none, does not stop the merge.
    expect(clusterPairs({ n: 3, pairs, thresholds: T, identityKeys: [Int32Array.of(7, -1, 7)] }).clusters).toEqual([[0, 1, 2]]);
    // Stewards win: a must-link joins two values.
    expect(clusterPairs({ n: 3, pairs: [], thresholds: T, identityKeys, mustLink: [[0, 2]] }).clusters).toEqual([[0, 2], [1]]);
  });

  it('uses the clearlyDifferent bound given', () => {
    const pairs = [p(0, 1, 15), p(1, 2, 14), p(0, 2, -3)];
    expect(clusterPairs({ n: 3, pairs, thresholds: T }).clusters).toEqual([[0, 1, 2]]);
    expect(clusterPairs({ n: 3, pairs, thresholds: T, clearlyDifferent: -2 }).clusters).toEqual([[0, 1], [2]]);
  });

  it('keeps two strong groups apart when one clearly different pair joins them', () => {
    // {0,1,2} and {3,4,5} are cliques; the bridge 2-3 is strong, 0-5 clearly different.
    const pairs = [p(0, 1, 20), p(0, 2, 20), p(1, 2, 20), p(3, 4, 20), p(3, 5, 20), p(4, 5, 20), p(2, 3, 18), p(0, 5, -12)];
    const res = clusterPairs({ n: 6, pairs, thresholds: T });
    expect(res.clusters).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(res.review).toEqual([{ left: 2, right: 3, weight: 18, reason: 'clearly-different' }]);
  });
});

describe('clusterPairs: constraints', () => {
  it('respects a cannot-link even when every pair is strong', () => {
    const pairs: ScoredPair[] = [];
    for (let a = 0; a < 4; a++) for (let b = a + 1; b < 4; b++) pairs.push(p(a, b, 20 - a - b));
    const res = clusterPairs({ n: 4, pairs, thresholds: T, cannotLink: [[3, 0]] });
    const of = res.clusterOf;
    expect(of[0]).not.toBe(of[3]);
    expect(res.clusters.flat().sort()).toEqual([0, 1, 2, 3]);
    // The steward's own pair is not sent back for review; the refused bridges are.
    expect(res.review.some((r) => r.left === 0 && r.right === 3)).toBe(false);
    expect(res.review.length).toBeGreaterThan(0);
    expect(res.review.every((r) => r.reason === 'cannot-link')).toBe(true);
  });

  it('respects a must-link even against the scores', () => {
    const res = clusterPairs({ n: 3, pairs: [p(0, 1, -20)], thresholds: T, mustLink: [[1, 0]] });
    expect(res.clusters).toEqual([[0, 1], [2]]);
    expect(res.review).toEqual([]);
  });

  it('checks automatic merges against a must-linked cluster as a whole', () => {
    // 0 and 1 are must-linked; 2 matches 1 strongly but is clearly different from 0.
    const res = clusterPairs({ n: 3, pairs: [p(1, 2, 16), p(0, 2, -8)], thresholds: T, mustLink: [[0, 1]] });
    expect(res.clusters).toEqual([[0, 1], [2]]);
    expect(res.review).toEqual([{ left: 1, right: 2, weight: 16, reason: 'clearly-different' }]);
  });

  it('reports a must-link that contradicts a cannot-link instead of throwing', () => {
    const res = clusterPairs({
      n: 3,
      pairs: [],
      thresholds: T,
      mustLink: [
        [0, 1],
        [1, 2],
      ],
      cannotLink: [[2, 0]],
    });
    expect(res.clusters).toEqual([[0, 1], [2]]);
    expect(res.conflicts).toEqual([{ mustLink: [1, 2], cannotLink: [0, 2], reason: 'must-link-vs-cannot-link' }]);
  });

  it('reports a must-link on a cannot-linked pair', () => {
    const res = clusterPairs({ n: 2, pairs: [p(0, 1, 30)], thresholds: T, mustLink: [[0, 1]], cannotLink: [[0, 1]] });
    expect(res.clusters).toEqual([[0], [1]]);
    expect(res.conflicts).toHaveLength(1);
    expect(res.review).toEqual([]);
  });

  it('treats hard negatives as cannot-link for automatic merging', () => {
    const res = clusterPairs({ n: 3, pairs: [p(0, 1, 25), p(1, 2, 25), p(0, 2, 25)], thresholds: T, hardNegatives: [[0, 2]] });
    expect(res.clusterOf[0]).not.toBe(res.clusterOf[2]);
    expect(res.clusters).toEqual([[0, 1], [2]]);
    // Hard negatives are machine findings: the refused pairs stay reviewable.
    expect(res.review).toEqual([
      { left: 0, right: 2, weight: 25, reason: 'cannot-link' },
      { left: 1, right: 2, weight: 25, reason: 'cannot-link' },
    ]);
  });

  it('lets a steward must-link override a hard negative', () => {
    const res = clusterPairs({ n: 2, pairs: [], thresholds: T, mustLink: [[0, 1]], hardNegatives: [[0, 1]] });
    expect(res.clusters).toEqual([[0, 1]]);
    expect(res.conflicts).toEqual([]);
  });
});

describe('clusterPairs: review list', () => {
  it('sends pairs between the thresholds that end in different clusters to review', () => {
    const res = clusterPairs({ n: 4, pairs: [p(0, 1, 15), p(1, 2, 5), p(2, 3, 2)], thresholds: T });
    expect(res.clusters).toEqual([[0, 1], [2], [3]]);
    expect(res.review).toEqual([{ left: 1, right: 2, weight: 5, reason: 'between-thresholds' }]);
  });

  it('does not review pairs that end inside one cluster', () => {
    const res = clusterPairs({ n: 3, pairs: [p(0, 1, 15), p(1, 2, 15), p(0, 2, 5)], thresholds: T });
    expect(res.clusters).toEqual([[0, 1, 2]]);
    expect(res.review).toEqual([]);
  });

  it('includes the autoMerge threshold in automatic merging and the review threshold in review', () => {
    const res = clusterPairs({ n: 4, pairs: [p(0, 1, 10), p(2, 3, 3)], thresholds: T });
    expect(res.clusters).toEqual([[0, 1], [2], [3]]);
    expect(res.review).toEqual([{ left: 2, right: 3, weight: 3, reason: 'between-thresholds' }]);
  });

  it('drops a refused pair from review when its records merge later through a better linkage', () => {
    // 1-2 (14) is refused at first: mean with 0-2 (-4) is 5 < 6. After 2 and 3 merge,
    // the cross pairs of {0,1} and {2,3} average (14 - 4 + 13 + 12) / 4 = 8.75.
    const pairs = [p(0, 1, 15), p(1, 2, 14), p(0, 2, -4), p(2, 3, 13.5), p(1, 3, 13), p(0, 3, 12)];
    const res = clusterPairs({ n: 4, pairs, thresholds: { autoMerge: 10, review: 6 } });
    expect(res.clusters).toEqual([[0, 1, 2, 3]]);
    expect(res.review).toEqual([]);
  });

  it('sorts review by weight descending, then ids', () => {
    const res = clusterPairs({ n: 6, pairs: [p(4, 5, 4), p(0, 1, 6), p(2, 3, 6), p(1, 2, 4)], thresholds: T });
    expect(res.review.map((r) => [r.left, r.right])).toEqual([
      [0, 1],
      [2, 3],
      [1, 2],
      [4, 5],
    ]);
  });
});

describe('clusterPairs: determinism and inputs', () => {
  function randomInput(seed: number): ClusteringInput {
    const rnd = seededRandom(seed);
    const n = 60;
    const pairs: ScoredPair[] = [];
    for (let i = 0; i < 300; i++) {
      const a = rnd.int(n);
      const b = rnd.int(n);
      // Few distinct weights, so ties must be broken by ids.
      pairs.push(p(a, b, rnd.pick([-12, -6, -2, 0, 4, 8, 11, 11, 15, 15, 20])));
    }
    const idPairs = (k: number) => Array.from({ length: k }, (): [number, number] => [rnd.int(n), rnd.int(n)]);
    return { n, pairs, thresholds: T, mustLink: idPairs(4), cannotLink: idPairs(6), hardNegatives: idPairs(6) };
  }

  it('gives identical output however the pairs and constraints are ordered or oriented', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const input = randomInput(seed);
      const expected = clusterPairs(input);
      const rnd = seededRandom(1000 + seed);
      for (let round = 0; round < 40; round++) {
        const flip = <T extends { left: number; right: number }>(x: T): T =>
          rnd.next() < 0.5 ? x : { ...x, left: x.right, right: x.left };
        const flipPair = (x: readonly [number, number]): [number, number] => (rnd.next() < 0.5 ? [x[0], x[1]] : [x[1], x[0]]);
        const shuffled: ClusteringInput = {
          ...input,
          pairs: rnd.shuffle((input.pairs as ScoredPair[]).map(flip)),
          mustLink: rnd.shuffle(input.mustLink!.map(flipPair)),
          cannotLink: rnd.shuffle(input.cannotLink!.map(flipPair)),
          hardNegatives: rnd.shuffle(input.hardNegatives!.map(flipPair)),
        };
        expect(clusterPairs(shuffled)).toEqual(expected);
      }
    }
  });

  it('accepts columnar pairs with the same result as rows', () => {
    const input = randomInput(9);
    const rows = input.pairs as ScoredPair[];
    const columns = {
      left: Int32Array.from(rows, (r) => r.left),
      right: Int32Array.from(rows, (r) => r.right),
      weight: Float64Array.from(rows, (r) => r.weight),
    };
    expect(clusterPairs({ ...input, pairs: columns })).toEqual(clusterPairs(input));
  });

  it('keeps the highest weight of a pair given twice, and ignores self pairs', () => {
    const res = clusterPairs({ n: 2, pairs: [p(0, 1, -20), p(1, 0, 12), p(1, 1, 50)], thresholds: T });
    expect(res.clusters).toEqual([[0, 1]]);
  });

  it('puts every record in exactly one sorted cluster, singletons included', () => {
    const res = clusterPairs(randomInput(3));
    const all = res.clusters.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 60 }, (_, i) => i));
    for (const c of res.clusters) expect([...c].sort((a, b) => a - b)).toEqual(c);
    res.clusters.forEach((c, i) => c.forEach((id) => expect(res.clusterOf[id]).toBe(i)));
    for (let i = 1; i < res.clusters.length; i++) expect(res.clusters[i][0]).toBeGreaterThan(res.clusters[i - 1][0]);
  });

  it('rejects malformed input', () => {
    expect(() => clusterPairs({ n: 2, pairs: [p(0, 2, 1)], thresholds: T })).toThrow(RangeError);
    expect(() => clusterPairs({ n: 2, pairs: [p(0, 1, Number.NaN)], thresholds: T })).toThrow(RangeError);
    expect(() => clusterPairs({ n: 2, pairs: [], thresholds: { autoMerge: 1, review: 5 } })).toThrow(RangeError);
    expect(() => clusterPairs({ n: 2, pairs: [], thresholds: T, cannotLink: [[0, 7]] })).toThrow(RangeError);
  });

  it('handles zero records', () => {
    expect(clusterPairs({ n: 0, pairs: [], thresholds: T })).toEqual({
      clusters: [],
      clusterOf: new Int32Array(0),
      review: [],
      conflicts: [],
    });
  });
});
