/**
 * Input and output shapes of constrained clustering.
 */

/**
 * A scored record pair. `weight` is the Fellegi-Sunter match weight (log2 Bayes
 * factor); the match probability is 2^w / (1 + 2^w).
 *
 * @example
 * ```ts
 * const p: ScoredPair = { left: 0, right: 7, weight: 12.5 };
 * ```
 */
export interface ScoredPair {
  left: number;
  right: number;
  weight: number;
}

/**
 * The same pairs in columnar form (e.g. straight from candidate-pair generation
 * plus a weight column); all three columns have the pair count as length.
 *
 * @example
 * ```ts
 * const cols: ScoredPairColumns = { left: Int32Array.of(0), right: Int32Array.of(7), weight: Float64Array.of(12.5) };
 * ```
 */
export interface ScoredPairColumns {
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  weight: ArrayLike<number>;
}

/**
 * Decision thresholds as match weights: pairs at or above `autoMerge` merge
 * automatically (if coherent), pairs in [review, autoMerge) go to a steward when
 * they end up in different clusters.
 *
 * @example
 * ```ts
 * const t: ClusteringThresholds = { autoMerge: 10, review: 3 };
 * ```
 */
export interface ClusteringThresholds {
  autoMerge: number;
  review: number;
}

/** A record id pair, order irrelevant. */
export type IdPair = readonly [number, number];

/**
 * Everything clustering needs.
 *
 * @example
 * ```ts
 * const input: ClusteringInput = {
 *   n: 3,
 *   pairs: [{ left: 0, right: 1, weight: 14 }],
 *   thresholds: { autoMerge: 10, review: 3 },
 *   cannotLink: [[0, 2]],
 * };
 * ```
 */
export interface ClusteringInput {
  /** Number of records; ids are 0..n-1. */
  n: number;
  /** Scored pairs (self pairs are ignored; a pair given twice keeps its highest weight). */
  pairs: readonly ScoredPair[] | ScoredPairColumns;
  thresholds: ClusteringThresholds;
  /** Steward decisions: these records are the same entity. Applied first. */
  mustLink?: readonly IdPair[];
  /** Steward decisions: these records are different entities. Also blocks must-links. */
  cannotLink?: readonly IdPair[];
  /** Conflicting strong identifiers (deterministic rules): blocks automatic merging only. */
  hardNegatives?: readonly IdPair[];
  /**
   * Values of strong identifiers whose conflict is a hard negative, one array per identifier with
   * an interned value per record (-1: none). Two clusters holding different values of one of them
   * never merge automatically, even where blocking never compared their records: a record without
   * the identifier cannot chain two records whose identifiers differ. Must-links still apply.
   */
  identityKeys?: readonly Int32Array[];
  /** A scored pair below this weight vetoes merging its two clusters (default -5). */
  clearlyDifferent?: number;
  /**
   * Lower bound on the mean weight between two clusters for an automatic merge
   * (default: `thresholds.review`). Merges with a lower mean are refused.
   */
  minLinkage?: number;
  /**
   * Weight counted for cross-cluster record pairs that were never scored, in the
   * mean-weight check. `null` (default) ignores them: the mean is over scored
   * pairs only, because an unscored pair means blocking never compared the two
   * records, which is no evidence either way.
   */
  unscoredWeight?: number | null;
}

/** Why a pair is on the steward's review list. */
export type ReviewReason = 'cannot-link' | 'clearly-different' | 'weak-linkage' | 'between-thresholds';

/**
 * A pair left for a steward: its records ended up in different clusters.
 *
 * @example
 * ```ts
 * const r: ReviewPair = { left: 1, right: 2, weight: 11, reason: 'clearly-different' };
 * ```
 */
export interface ReviewPair {
  left: number;
  right: number;
  weight: number;
  reason: ReviewReason;
}

/**
 * A must-link that was not applied because it would have put a cannot-link pair
 * into one cluster.
 *
 * @example
 * ```ts
 * const c: ConstraintConflict = { mustLink: [0, 1], cannotLink: [0, 2], reason: 'must-link-vs-cannot-link' };
 * ```
 */
export interface ConstraintConflict {
  mustLink: [number, number];
  cannotLink: [number, number];
  reason: 'must-link-vs-cannot-link';
}

/**
 * The clustering: every record in exactly one cluster (clusters sorted
 * ascending, ordered by smallest member), the review list and constraint
 * conflicts.
 *
 * @example
 * ```ts
 * result.clusters;        // [[0, 1], [2]]
 * result.clusterOf[1];    // 0 (index into clusters)
 * ```
 */
export interface ClusteringResult {
  clusters: number[][];
  /** Record id -> index of its cluster in `clusters`. */
  clusterOf: Int32Array;
  /** Sorted by weight descending, then (left, right). */
  review: ReviewPair[];
  conflicts: ConstraintConflict[];
}
