/*
 * Competing candidates across sources (one-to-one evidence).
 *
 * A pair's weight scores the two records in isolation. When record `a` of source X has several
 * plausible candidates in source Y, they compete: if Y holds each real-world thing once, at most
 * one of them is `a`'s match, and the posterior odds of (a, b) become
 *
 *     odds'(a, b) = odds(a, b) / (1 + sum of odds(a, j) over the other candidates j of `a` in Y)
 *
 * (the exclusive-assignment posterior with nothing known of how many records of X are in Y).
 * Knowing that share, the overlap (estimated from the weights: `estimateOverlaps`), the full form is
 *
 *     odds'(a, b) = odds(a, b) / ((1 - overlap) + sum of odds(a, j) over the other candidates j)
 *
 * which is a gain when the other candidates weigh less than the overlap: a record whose only
 * plausible candidate in a largely overlapping source is `b` is likely `b`. Gains apply only to
 * pairs at or above review and only when both records' sides give one (the smaller applies).
 * Candidates that are duplicates of `b` (their own pair with
 * `b` reaches auto-merge) do not compete with `b`: they are the same thing, and sources that hold
 * duplicates keep them. A candidate scored against `b` below auto-merge competes with the odds
 * that it is not `b`'s duplicate, 1 / (1 + 2^w(j, b)). The adjustment is taken in both directions (a among Y's candidates, b
 * among X's) and the larger applies. Nothing is assumed from labels: no pairs, no "1:1" flag;
 * within one source (deduplication) nothing changes, and without an overlap a record with a
 * single plausible candidate per source keeps its weight.
 *
 * The same one-to-one reading links two records of one source: when each has a confident partner
 * (auto-merge or above, its best) in another source and the partners differ, the two are one thing
 * only if their partners are, so their pair is capped at the partners' weight (unscored partners:
 * not candidates, capped at review). Colour variants of one catalog then stay apart when the other
 * catalog keeps them apart; a source that holds duplicates of both sides is not affected.
 *
 * A demotion never takes a weight below `min(weight, review)`, so a
 * pair that lost to a better candidate goes to steward review instead of merging, and never
 * becomes a "clearly different" veto. (A pair that was in the review band and lost is left off
 * the review queue: see `resolveGroup`.) A candidate a steward declared not a match of `a` does
 * not compete for `a`.
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
  /**
   * Share of the records of source x that have their match in source y, `overlap[x][y]` (see
   * {@link estimateOverlaps}); none: 0 everywhere, competition only demotes.
   */
  overlap?: readonly (readonly number[])[];
  /**
   * Pairs a steward declared not a match, as `pairKey(a, b)` of their record indexes: such a
   * candidate is no competitor of the other record (it cannot be its match).
   */
  cannotLink?: ReadonlySet<number>;
}

/** The key of an unordered pair of record indexes among `n` records, as `CompetitionInput.cannotLink` holds it. */
export function pairKey(a: number, b: number, n: number): number {
  return a < b ? a * n + b : b * n + a;
}

/** The overlap taken for any two sources is at most this: at least one record in ten is assumed to have no partner. */
export const MAX_OVERLAP = 0.9;

/**
 * How many records of each source have their match in each other source, estimated from the pair
 * weights alone (no labels): for each record and other source, the posterior probability of its
 * best candidate there, `1 / (1 + 2^-w)`, summed over the source's records and divided by their
 * number (records without a candidate count as 0). Capped at {@link MAX_OVERLAP}; 0 for a source
 * with itself. `overlap[x][y]` by source index.
 *
 * @example
 * ```ts
 * // two records of source 0, one with a sure candidate in source 1 (w 20), one with none
 * estimateOverlaps(Int32Array.of(0, 0, 1), Int32Array.of(0), Int32Array.of(2), Float64Array.of(20), 1);
 * // [[0, 0.5], [0.9, 0]]
 * ```
 */
export function estimateOverlaps(source: Int32Array, left: Int32Array, right: Int32Array, weight: Float64Array, count: number): number[][] {
  let sources = 0;
  for (let i = 0; i < source.length; i++) sources = Math.max(sources, source[i] + 1);
  const size = new Float64Array(sources);
  for (let i = 0; i < source.length; i++) size[source[i]]++;
  // Best posterior per record and other source; sparse, since most records have candidates in few sources.
  const best = new Map<number, number>();
  const keep = (a: number, other: number, p: number) => {
    const key = a * sources + other;
    const known = best.get(key);
    if (known === undefined || p > known) best.set(key, p);
  };
  for (let k = 0; k < count; k++) {
    const a = left[k];
    const b = right[k];
    if (source[a] === source[b]) continue;
    const p = 1 / (1 + 2 ** -weight[k]);
    keep(a, source[b], p);
    keep(b, source[a], p);
  }
  const sum = Array.from({ length: sources }, () => new Float64Array(sources));
  for (const [key, p] of best) sum[source[Math.floor(key / sources)]][key % sources] += p;
  return sum.map((row, x) => Array.from(row, (total, y) => (x === y || size[x] === 0 ? 0 : Math.min(MAX_OVERLAP, total / size[x]))));
}

/** Competitors this many bits below the pair add less than 2^-20 to its odds: ignored. */
const NEGLIGIBLE_BITS = 20;

/**
 * Bits to subtract from each pair's weight for competing candidates in the same other source
 * (0 for pairs below the review threshold or without competitors), and for pairs within one
 * source whose confident partners in another source differ.
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
  const { source, left, right, weight, count, thresholds, overlap, cannotLink } = input;
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

  /**
   * log2((1 - overlap) + sum of 2^w(a, j)) over a's candidates j in b's source other than b and
   * b's duplicates, when that is a gain (negative); else the demotion log2(1 + the sum over
   * candidates at or above review).
   */
  const competition = (a: number, b: number, w: number): number => {
    const target = source[b];
    const floor = w - NEGLIGIBLE_BITS;
    let odds = 0;
    let all = 0;
    for (let p = start[a]; p < start[a + 1]; p++) {
      const j = nbr[p];
      if (j === b || source[j] !== target) continue;
      const wj = value[p];
      if (wj < floor) continue;
      if (cannotLink?.has(pairKey(a, j, n))) continue;
      const between = adjacentValue(adj, j, b);
      if (between !== undefined && between >= thresholds.autoMerge) continue;
      // A competitor that may be a duplicate of b competes only as far as it is not: its odds
      // count with P(j is not b) = 1 / (1 + 2^w(j, b)).
      const o = between === undefined ? 2 ** wj : 2 ** wj / (1 + 2 ** between);
      all += o;
      if (wj >= thresholds.review) odds += o;
    }
    const shared = overlap?.[source[a]]?.[target] ?? 0;
    if (shared > 0) {
      const gain = Math.log2(1 - shared + all);
      if (gain < 0) return gain;
    }
    return odds === 0 ? 0 : Math.log2(1 + odds);
  };

  /** Each other source's best candidate of a at or above auto-merge (source -> record). */
  const partners = (a: number): Map<number, number> => {
    const best = new Map<number, number>();
    const bestWeight = new Map<number, number>();
    for (let p = start[a]; p < start[a + 1]; p++) {
      const j = nbr[p];
      const s = source[j];
      if (s === source[a] || value[p] < thresholds.autoMerge) continue;
      const current = bestWeight.get(s);
      if (current === undefined || value[p] > current) {
        best.set(s, j);
        bestWeight.set(s, value[p]);
      }
    }
    return best;
  };

  for (let k = 0; k < count; k++) {
    const a = left[k];
    const b = right[k];
    const w = weight[k];
    if (w < thresholds.review) continue;
    if (source[a] === source[b]) {
      // Two records of one source with different confident partners in another source: they
      // are one thing only if their partners are, so the pair is worth at most the partners' pair.
      const pa = partners(a);
      if (pa.size === 0) continue;
      const pb = partners(b);
      let cap = Number.POSITIVE_INFINITY;
      for (const [s, ja] of pa) {
        const jb = pb.get(s);
        if (jb === undefined || jb === ja) continue;
        const between = adjacentValue(adj, ja, jb) ?? Number.NEGATIVE_INFINITY;
        if (between < thresholds.autoMerge) cap = Math.min(cap, between);
      }
      if (cap < w) adjust[k] = w - Math.max(cap, Math.min(w, thresholds.review));
      continue;
    }
    const penalty = Math.max(competition(a, b, w), competition(b, a, w));
    if (penalty < 0) {
      // Each is the other's only plausible candidate, and their sources share most records.
      adjust[k] = penalty;
      continue;
    }
    if (penalty === 0) continue;
    const adjusted = Math.max(w - penalty, Math.min(w, thresholds.review));
    adjust[k] = w - adjusted;
  }
  return adjust;
}
