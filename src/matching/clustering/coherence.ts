import type { Adjacency } from './adjacency';
import type { ClusterSets } from './cluster-sets';

/** Constraint kinds, as bit flags on constraint edges. */
export const CANNOT_LINK = 1;
export const HARD_NEGATIVE = 2;

/** Why two clusters may not merge; `null` when they may. */
export type MergeRefusal = 'cannot-link' | 'clearly-different' | 'weak-linkage' | null;

/** Parameters of the scored part of the coherence check. */
export interface LinkageBounds {
  /** A cross pair below this weight vetoes the merge. */
  clearlyDifferent: number;
  /** The mean cross weight must be at least this. */
  minLinkage: number;
  /** Weight of unscored cross pairs in the mean, or null to leave them out. */
  unscoredWeight: number | null;
}

/**
 * A constraint edge (with a flag in `mask`) between the clusters rooted at x and
 * y, as [member of x-or-y, member of the other], or null. Scans the smaller
 * cluster's constraint lists only.
 *
 * @example
 * ```ts
 * constraintBetween(sets, constraints, sets.label[0], sets.label[2], CANNOT_LINK); // [0, 2] or null
 * ```
 */
export function constraintBetween(
  sets: ClusterSets,
  constraints: Adjacency,
  x: number,
  y: number,
  mask: number,
): [number, number] | null {
  const [small, other] = sets.size[x] <= sets.size[y] ? [x, y] : [y, x];
  const { start, nbr, value } = constraints;
  const { label, next } = sets;
  for (let m = small; m !== -1; m = next[m]) {
    for (let p = start[m]; p < start[m + 1]; p++) {
      if ((value[p] & mask) !== 0 && label[nbr[p]] === other) return [m, nbr[p]];
    }
  }
  return null;
}

/**
 * Whether the clusters rooted at x and y may merge automatically: no cannot-link
 * or hard negative between them, no scored cross pair below `clearlyDifferent`,
 * and a mean cross weight of at least `minLinkage` (average linkage). Costs the
 * degree sum of the smaller cluster.
 *
 * @example
 * ```ts
 * mergeRefusal(sets, scored, constraints, rx, ry, { clearlyDifferent: -5, minLinkage: 3, unscoredWeight: null });
 * // null | 'cannot-link' | 'clearly-different' | 'weak-linkage'
 * ```
 */
export function mergeRefusal(
  sets: ClusterSets,
  scored: Adjacency,
  constraints: Adjacency,
  x: number,
  y: number,
  bounds: LinkageBounds,
): MergeRefusal {
  if (constraintBetween(sets, constraints, x, y, CANNOT_LINK | HARD_NEGATIVE) !== null) return 'cannot-link';
  const [small, other] = sets.size[x] <= sets.size[y] ? [x, y] : [y, x];
  const { start, nbr, value } = scored;
  const { label, next } = sets;
  const veto = bounds.clearlyDifferent;
  let count = 0;
  let sum = 0;
  for (let m = small; m !== -1; m = next[m]) {
    for (let p = start[m]; p < start[m + 1]; p++) {
      if (label[nbr[p]] !== other) continue;
      const w = value[p];
      if (w < veto) return 'clearly-different';
      count++;
      sum += w;
    }
  }
  let mean: number;
  if (bounds.unscoredWeight === null) {
    mean = count === 0 ? Number.POSITIVE_INFINITY : sum / count;
  } else {
    const all = sets.size[x] * sets.size[y];
    mean = (sum + bounds.unscoredWeight * (all - count)) / all;
  }
  return mean >= bounds.minLinkage ? null : 'weak-linkage';
}
