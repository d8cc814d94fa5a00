/*
 * Level vectors of many pairs, packed row-major into typed arrays: the input of EM.
 */

import type { PreparedRecord } from '../model/prepared-record';
import type { CompiledModel } from './compare';
import { createWeightResult, scoreWeight } from './score';

/** Pairs in columnar form, as blocking produces them (`left[k]`, `right[k]`). */
export interface ColumnarPairs {
  left: Int32Array | Uint32Array;
  right: Int32Array | Uint32Array;
  /** Pairs in use; defaults to `left.length`. */
  count?: number;
}

/**
 * Candidate pairs as indices into the records array (with dense ids ordered by id, the ids
 * themselves): a list of `[i, j]`, a flat typed array `[i0, j0, i1, j1, …]`, or columns.
 */
export type CandidatePairs = ReadonlyArray<readonly [number, number]> | Uint32Array | Int32Array | ColumnarPairs;

function isColumnar(pairs: CandidatePairs): pairs is ColumnarPairs {
  return !ArrayBuffer.isView(pairs) && !Array.isArray(pairs);
}

/**
 * Number of pairs in a candidate pair list.
 *
 * @example
 * ```ts
 * candidatePairCount(new Uint32Array([0, 1, 0, 2])) // 2
 * ```
 */
export function candidatePairCount(pairs: CandidatePairs): number {
  if (isColumnar(pairs)) return pairs.count ?? pairs.left.length;
  return ArrayBuffer.isView(pairs) ? pairs.length >> 1 : (pairs as ReadonlyArray<unknown>).length;
}

/**
 * Visit each candidate pair's indices without allocating.
 *
 * @example
 * ```ts
 * forEachCandidatePair(pairs, (i, j, k) => console.log(k, i, j));
 * ```
 */
export function forEachCandidatePair(pairs: CandidatePairs, visit: (i: number, j: number, k: number) => void): void {
  if (isColumnar(pairs)) {
    const { left, right } = pairs;
    const count = candidatePairCount(pairs);
    for (let k = 0; k < count; k++) visit(left[k], right[k], k);
  } else if (ArrayBuffer.isView(pairs)) {
    const flat = pairs as Uint32Array | Int32Array;
    for (let k = 0; k < flat.length >> 1; k++) visit(flat[2 * k], flat[2 * k + 1], k);
  } else {
    const list = pairs as ReadonlyArray<readonly [number, number]>;
    for (let k = 0; k < list.length; k++) visit(list[k][0], list[k][1], k);
  }
}

/** Level index per pair and comparison, and raw rule outcome per pair and rule, row-major. */
export interface LevelVectors {
  pairCount: number;
  /** Comparisons per row of `levels`. */
  comparisonCount: number;
  levels: Uint8Array;
  /** Rules per row of `rules`. */
  ruleCount: number;
  /** 0 not applicable, 1 equal, 2 conflict. */
  rules: Uint8Array;
}

/**
 * Compare every candidate pair and keep only its level vector and rule outcomes.
 *
 * @example
 * ```ts
 * const vectors = computeLevelVectors(compiled, records, [[0, 1], [0, 2]]);
 * vectors.levels[1 * vectors.comparisonCount + 0] // level of pair 1, comparison 0
 * ```
 */
export function computeLevelVectors(
  compiled: CompiledModel,
  records: readonly PreparedRecord[],
  pairs: CandidatePairs,
): LevelVectors {
  const count = candidatePairCount(pairs);
  const comparisonCount = compiled.comparisons.length;
  const ruleCount = compiled.rules.length;
  const levels = new Uint8Array(count * comparisonCount);
  const rules = new Uint8Array(count * ruleCount);
  const out = createWeightResult(compiled);
  forEachCandidatePair(pairs, (i, j, k) => {
    scoreWeight(compiled, records[i], records[j], out);
    levels.set(out.levels, k * comparisonCount);
    if (ruleCount > 0) rules.set(out.rules, k * ruleCount);
  });
  return { pairCount: count, comparisonCount, levels, ruleCount, rules };
}
