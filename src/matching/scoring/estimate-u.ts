/*
 * u = P(level | non-match), estimated from random record pairs: almost all random pairs are
 * non-matches, so level frequencies among them estimate u without labels (as Splink does).
 */

import type { PreparedRecord } from '../model/prepared-record';
import type { CompiledModel } from './compare';
import { mulberry32, randomInt } from './random';

export interface EstimateUOptions {
  /** Random pairs to compare; when the records have fewer pairs, all pairs are compared. Default 1,000,000. */
  samplePairs?: number;
  /** PRNG seed; the same seed gives the same sample. Default 1. */
  seed?: number;
  /** Pseudo-count added to every non-null level, so no u is 0. Default 1. */
  smoothing?: number;
}

export interface UEstimate {
  /** u per comparison per level (index 0, the null level, is 1). */
  u: number[][];
  /** Pairs observed per comparison per level (index 0 counts pairs with a missing side). */
  counts: number[][];
  /** Pairs compared. */
  pairs: number;
  /** Whether every pair was compared instead of a sample. */
  exhaustive: boolean;
  seed: number;
}

/**
 * Estimate each level's u from random pairs of records, deterministic for a seed.
 *
 * @example
 * ```ts
 * const { u } = estimateU(compileModel(model), records, { samplePairs: 200_000, seed: 7 });
 * ```
 */
export function estimateU(
  compiled: CompiledModel,
  records: readonly PreparedRecord[],
  options: EstimateUOptions = {},
): UEstimate {
  const samplePairs = options.samplePairs ?? 1_000_000;
  const seed = options.seed ?? 1;
  const smoothing = options.smoothing ?? 1;
  const comparisons = compiled.comparisons;
  const counts = comparisons.map((c) => new Array<number>(c.levels.length).fill(0));
  const n = records.length;
  const allPairs = (n * (n - 1)) / 2;
  const exhaustive = allPairs <= samplePairs;
  const views = records.map((r) => compiled.view(r));
  const observe = (i: number, j: number) => {
    const a = views[i];
    const b = views[j];
    for (let c = 0; c < comparisons.length; c++) counts[c][comparisons[c].level(a, b)]++;
  };
  let pairs = 0;
  if (exhaustive) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) observe(i, j);
    pairs = allPairs;
  } else {
    const next = mulberry32(seed);
    for (let k = 0; k < samplePairs; k++) {
      const i = randomInt(next, n);
      let j = randomInt(next, n - 1);
      if (j >= i) j++;
      observe(i, j);
    }
    pairs = samplePairs;
  }
  const u = counts.map((levelCounts) => smoothedDistribution(levelCounts, smoothing));
  return { u, counts, pairs, exhaustive, seed };
}

/**
 * Laplace-smoothed distribution over the non-null levels (index 0 is set to 1).
 *
 * @example
 * ```ts
 * smoothedDistribution([5, 0, 10], 1) // [1, 1/12, 11/12]
 * ```
 */
export function smoothedDistribution(levelCounts: readonly number[], smoothing: number): number[] {
  let total = 0;
  for (let l = 1; l < levelCounts.length; l++) total += levelCounts[l];
  const denominator = total + smoothing * (levelCounts.length - 1);
  return levelCounts.map((count, l) => (l === 0 ? 1 : denominator > 0 ? (count + smoothing) / denominator : 1 / (levelCounts.length - 1)));
}
