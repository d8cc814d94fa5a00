/*
 * Competing candidates across sources (one-to-one evidence).
 *
 * A pair's weight scores the two records in isolation. When record `a` of source X has several
 * plausible candidates in source Y, they compete: if Y holds each real-world thing once, at most
 * one of them is `a`'s match, and the posterior odds of (a, b) become
 *
 *     odds'(a, b) = odds(a, b) / (1 + sum of odds(a, j) over the other candidates j of `a` in Y)
 *
 * (the exclusive-assignment posterior). Candidates that are duplicates of `b` (their own pair with
 * `b` reaches auto-merge) do not compete with `b`: they are the same thing, and sources that hold
 * duplicates keep them. The adjustment is taken in both directions (a among Y's candidates, b
 * among X's) and the larger applies. Nothing is assumed from labels: no pairs, no "1:1" flag;
 * within one source (deduplication) nothing changes, and a record with a single plausible
 * candidate per source keeps its weight.
 *
 * The adjustment only demotes: an adjusted weight never drops below `min(weight, review)`, so a
 * pair that lost to a better candidate goes to steward review instead of merging, and never
 * becomes a "clearly different" veto.
 */

import { adjacentValue, buildAdjacency } from '../clustering/adjacency';

export interface CompetitionInput {
  /** Source index per record. */
  source: Int32Array;
  left: Int32Array;
  right: Int32Array;
  /** Pair weights (bits, posterior log-odds), index-aligned with left / right. */
  weight: Float64Array;
  count: number;
  thresholds: { autoMerge: number; review: number };
}

/** Competitors this many bits below the pair add less than 2^-20 to its odds: ignored. */
const NEGLIGIBLE_BITS = 20;

/**
 * Bits to subtract from each pair's weight for competing candidates in the same other source
 * (0 for pairs below the review threshold, within one source, or without competitors).
 *
 * @example
 * ```ts
 * // a (source 0) has b1 (w 20) and b2 (w 12) in source 1; b1 and b2 are not duplicates
 * const adjust = competitionAdjustments({ source: Int32Array.of(0, 1, 1), left: Int32Array.of(0, 0),
 *   right: Int32Array.of(1, 2), weight: Float64Array.of(20, 12), count: 2, thresholds: { autoMerge: 6, review: 0 } });
 * // adjust[0] ≈ 12 (20 - 12 = 8 still merges), adjust[1] = 12 (clamped: 12 - 12 = review)
 * ```
 */
export function competitionAdjustments(input: CompetitionInput): Float64Array {
  const { source, left, right, weight, count, thresholds } = input;
  const adjust = new Float64Array(count);
  const n = source.length;
  let first = -1;
  let multiSource = false;
  for (let i = 0; i < n && !multiSource; i++) {
    if (first === -1) first = source[i];
    else if (source[i] !== first) multiSource = true;
  }
  if (!multiSource || count === 0) return adjust;
  const adj = buildAdjacency(n, left.subarray(0, count), right.subarray(0, count), weight.subarray(0, count), Math.max);
  const { start, nbr, value } = adj;

  /** log2(1 + sum of 2^w(a, j)) over a's candidates j in b's source other than b and b's duplicates. */
  const competition = (a: number, b: number, w: number): number => {
    const target = source[b];
    const floor = w - NEGLIGIBLE_BITS;
    let odds = 0;
    for (let p = start[a]; p < start[a + 1]; p++) {
      const j = nbr[p];
      if (j === b || source[j] !== target) continue;
      const wj = value[p];
      if (wj < floor || wj < thresholds.review) continue;
      const between = adjacentValue(adj, j, b);
      if (between !== undefined && between >= thresholds.autoMerge) continue;
      odds += 2 ** wj;
    }
    return odds === 0 ? 0 : Math.log2(1 + odds);
  };

  for (let k = 0; k < count; k++) {
    const a = left[k];
    const b = right[k];
    const w = weight[k];
    if (w < thresholds.review || source[a] === source[b]) continue;
    const penalty = Math.max(competition(a, b, w), competition(b, a, w));
    if (penalty <= 0) continue;
    const adjusted = Math.max(w - penalty, Math.min(w, thresholds.review));
    adjust[k] = w - adjusted;
  }
  return adjust;
}
