/*
 * The prior (share of matches among all record pairs) depends on how many records there are and
 * how duplicated they are, so a fixed prior fits one dataset size only. Without labels it can be
 * estimated from the data: with the model's m and u held, EM moves only lambda, the share of
 * matches among the candidate pairs; expected matches over all pairs is the prior.
 */

import type { PreparedRecord } from '../model/prepared-record';
import type { MatchModel } from '../model/schema';
import { levelProbabilities } from '../model/defaults';
import { compileModel } from '../scoring/compare';
import { deterministicAnchors, runEm } from '../scoring/em';
import type { TermFrequencyTable } from '../scoring/term-frequency';
import { computeLevelVectors, type ColumnarPairs, type LevelVectors } from '../scoring/vectors';

/** The estimate stays within this factor of the model's authored prior. */
export const MAX_PRIOR_FACTOR = 30;

export interface PriorEstimate {
  prior: number;
  expectedMatches: number;
  /** Pairs the prior is over (all pairs, or cross-source pairs when linking). */
  totalPairs: number;
}

/**
 * Number of record pairs a run could compare: all pairs, or only pairs across sources.
 *
 * @example
 * ```ts
 * comparablePairs([{ source: 'a' }, { source: 'b' }, { source: 'b' }], true) // 2
 * ```
 */
export function comparablePairs(records: readonly { source: string }[], linkOnly: boolean): number {
  const n = records.length;
  const all = (n * (n - 1)) / 2;
  if (!linkOnly) return all;
  const bySource = new Map<string, number>();
  for (const r of records) bySource.set(r.source, (bySource.get(r.source) ?? 0) + 1);
  let within = 0;
  for (const k of bySource.values()) within += (k * (k - 1)) / 2;
  return all - within;
}

/**
 * Estimate the prior from unlabelled candidate pairs with the model's m and u held fixed.
 * Deterministic rules anchor their pairs (equal identifiers count as matches, conflicts as
 * non-matches). Returns the model's own prior when there is nothing to estimate from, and
 * stays within `MAX_PRIOR_FACTOR` of it. `vectors`, when given, are the pairs' level vectors
 * already computed (they do not depend on the prior).
 *
 * @example
 * ```ts
 * const { prior } = estimatePrior(model, records, { left, right, count }, tfTables, false);
 * ```
 */
export function estimatePrior(
  model: MatchModel,
  records: readonly PreparedRecord[],
  pairs: ColumnarPairs,
  termFrequencies: Readonly<Record<string, TermFrequencyTable>>,
  linkOnly: boolean,
  vectors?: LevelVectors,
): PriorEstimate {
  const totalPairs = comparablePairs(records, linkOnly);
  const count = pairs.count ?? pairs.left.length;
  if (count === 0 || totalPairs === 0) return { prior: model.prior, expectedMatches: 0, totalPairs };
  vectors ??= computeLevelVectors(compileModel(model, { termFrequencies }), records, pairs);
  const probabilities = model.comparisons.map((c) => levelProbabilities(c));
  const result = runEm(
    {
      levels: vectors.levels,
      comparisonCount: vectors.comparisonCount,
      m: probabilities.map((p) => p.m),
      u: probabilities.map((p) => p.u),
      lambda: Math.min(0.5, (model.prior * totalPairs) / count),
      fixedM: model.comparisons.map(() => true),
      anchors: deterministicAnchors(vectors, model.rules),
    },
    { estimateU: false, estimateLambda: true, maxIterations: 200 },
  );
  // Few records say little about the share of matches: stay within a factor of the authored prior.
  const low = model.prior / MAX_PRIOR_FACTOR;
  const high = Math.min(0.5, model.prior * MAX_PRIOR_FACTOR);
  const prior = Math.min(high, Math.max(low, result.expectedMatches / totalPairs));
  return { prior, expectedMatches: result.expectedMatches, totalPairs };
}
