/*
 * Conversions between probabilities, Bayes factors and match weights (log2 Bayes factors, bits).
 */

import type { Threshold } from '../model/schema';

/**
 * Odds of a probability: p / (1 - p).
 *
 * @example
 * ```ts
 * probabilityToBayesFactor(0.2) // 0.25
 * ```
 */
export function probabilityToBayesFactor(probability: number): number {
  return probability / (1 - probability);
}

/**
 * Probability of odds: bf / (1 + bf).
 *
 * @example
 * ```ts
 * bayesFactorToProbability(0.25) // 0.2
 * ```
 */
export function bayesFactorToProbability(bayesFactor: number): number {
  return bayesFactor === Infinity ? 1 : bayesFactor / (1 + bayesFactor);
}

/**
 * Match weight of a level: log2(m / u).
 *
 * @example
 * ```ts
 * matchWeight(0.9, 0.01) // 6.49…
 * ```
 */
export function matchWeight(m: number, u: number): number {
  return Math.log2(m / u);
}

/**
 * Match weight of a probability: log2(p / (1 - p)).
 *
 * @example
 * ```ts
 * probabilityToMatchWeight(0.5) // 0
 * ```
 */
export function probabilityToMatchWeight(probability: number): number {
  return Math.log2(probability / (1 - probability));
}

/**
 * Probability of a match weight: 1 / (1 + 2^-w), stable for large |w|.
 *
 * @example
 * ```ts
 * matchWeightToProbability(0) // 0.5
 * ```
 */
export function matchWeightToProbability(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}

/**
 * Bayes factor of a match weight: 2^w.
 *
 * @example
 * ```ts
 * matchWeightToBayesFactor(3) // 8
 * ```
 */
export function matchWeightToBayesFactor(weight: number): number {
  return 2 ** weight;
}

/**
 * A threshold as a total match weight, whichever way the model wrote it.
 *
 * @example
 * ```ts
 * thresholdToMatchWeight({ probability: 0.5 }) // 0
 * ```
 */
export function thresholdToMatchWeight(threshold: Threshold): number {
  return 'matchWeight' in threshold ? threshold.matchWeight : probabilityToMatchWeight(threshold.probability);
}
