import { adjacentValue, buildAdjacency, type Adjacency } from './adjacency';
import { ClusterSets } from './cluster-sets';
import {
  CANNOT_LINK,
  constraintBetween,
  HARD_NEGATIVE,
  mergeRefusal,
  type LinkageBounds,
  type MergeRefusal,
} from './coherence';
import type {
  ClusteringInput,
  ClusteringResult,
  ConstraintConflict,
  IdPair,
  ReviewPair,
  ReviewReason,
  ScoredPair,
  ScoredPairColumns,
} from './types';

/** Default weight below which a single scored pair vetoes a merge. */
export const DEFAULT_CLEARLY_DIFFERENT = -5;

const REASONS: readonly ReviewReason[] = ['cannot-link', 'clearly-different', 'weak-linkage', 'between-thresholds'];
/** Review reason -> 1-based code stored per refused edge (0 = not refused). */
const REASON_CODE: Record<ReviewReason, number> = {
  'cannot-link': 1,
  'clearly-different': 2,
  'weak-linkage': 3,
  'between-thresholds': 4,
};

/**
 * Clusters records from scored pairs without chaining.
 *
 * 1. Must-links are unioned first (sorted by id pair); one that would put a
 *    steward cannot-link pair into one cluster is skipped and reported in
 *    `conflicts`. Hard negatives do not block must-links (stewards win).
 * 2. Pairs with weight >= autoMerge are taken by weight descending, then
 *    (min id, max id) ascending, so the input order never matters.
 * 3. Two clusters merge only if coherent: no cannot-link / hard negative across,
 *    no two different values of an identity key (`identityKeys`) between them,
 *    no scored cross pair below `clearlyDifferent`, mean cross weight >=
 *    `minLinkage` (unscored cross pairs ignored unless `unscoredWeight` is set).
 *    A refused pair goes to review with the reason of its refusal.
 * 4. Pairs in [review, autoMerge) whose records end in different clusters go to
 *    review as 'between-thresholds'. Pairs a steward already cannot-linked and
 *    pairs that end inside one cluster are never listed.
 *
 * @example
 * ```ts
 * const { clusters, review } = clusterPairs({
 *   n: 3,
 *   pairs: [
 *     { left: 0, right: 1, weight: 15 },
 *     { left: 1, right: 2, weight: 12 },
 *     { left: 0, right: 2, weight: -9 },
 *   ],
 *   thresholds: { autoMerge: 10, review: 3 },
 * });
 * // clusters: [[0, 1], [2]]; review: [{ left: 1, right: 2, weight: 12, reason: 'clearly-different' }]
 * ```
 */
export function clusterPairs(input: ClusteringInput): ClusteringResult {
  const { n, thresholds } = input;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(thresholds.review <= thresholds.autoMerge)) {
    throw new RangeError(`review threshold ${thresholds.review} exceeds autoMerge ${thresholds.autoMerge}`);
  }
  const bounds: LinkageBounds = {
    clearlyDifferent: input.clearlyDifferent ?? DEFAULT_CLEARLY_DIFFERENT,
    minLinkage: input.minLinkage ?? thresholds.review,
    unscoredWeight: input.unscoredWeight ?? null,
  };

  const pairs = pairColumns(n, input.pairs);
  const scored = buildAdjacency(n, pairs.lo, pairs.hi, pairs.weight, Math.max);
  const constraints = constraintAdjacency(n, input.cannotLink ?? [], input.hardNegatives ?? []);
  const sets = new ClusterSets(n);

  const conflicts = applyMustLinks(sets, constraints, input.mustLink ?? []);
  const auto = edgesInRange(scored, thresholds.autoMerge, Number.POSITIVE_INFINITY, true);
  const order = byWeightDesc(auto.weight);
  const keys = clusterKeys(sets, input.identityKeys ?? []);
  const refused = autoMerge(sets, scored, constraints, auto, order, bounds, keys);

  const review: ReviewPair[] = [];
  const label = sets.label;
  for (let i = 0; i < auto.lo.length; i++) {
    const a = auto.lo[i];
    const b = auto.hi[i];
    if (refused[i] === 0 || label[a] === label[b] || stewardSeparated(constraints, a, b)) continue;
    review.push({ left: a, right: b, weight: auto.weight[i], reason: REASONS[refused[i] - 1] });
  }
  const middle = edgesInRange(scored, thresholds.review, thresholds.autoMerge, false);
  for (let i = 0; i < middle.lo.length; i++) {
    const a = middle.lo[i];
    const b = middle.hi[i];
    if (label[a] === label[b] || stewardSeparated(constraints, a, b)) continue;
    review.push({ left: a, right: b, weight: middle.weight[i], reason: 'between-thresholds' });
  }
  review.sort((x, y) => y.weight - x.weight || x.left - y.left || x.right - y.right);

  const { clusters, clusterOf } = collectClusters(sets);
  return { clusters, clusterOf, review, conflicts };
}

interface EdgeList {
  lo: Int32Array;
  hi: Int32Array;
  weight: Float64Array;
}

function pairColumns(n: number, pairs: readonly ScoredPair[] | ScoredPairColumns): EdgeList {
  const asRows = Array.isArray(pairs);
  const rows = pairs as readonly ScoredPair[];
  const cols = pairs as ScoredPairColumns;
  const m = asRows ? rows.length : cols.left.length;
  if (!asRows && (cols.right.length !== m || cols.weight.length !== m)) {
    throw new RangeError('scored pair columns differ in length');
  }
  // Columns that are already typed, ordered (left < right) and valid are used as they are: no
  // copy of millions of pairs.
  if (!asRows && cols.left instanceof Int32Array && cols.right instanceof Int32Array && cols.weight instanceof Float64Array) {
    let ordered = true;
    for (let i = 0; i < m && ordered; i++) {
      const a = cols.left[i];
      const b = cols.right[i];
      checkId(n, a);
      checkId(n, b);
      if (Number.isNaN(cols.weight[i])) throw new RangeError(`pair (${a}, ${b}) has weight NaN`);
      ordered = a < b;
    }
    if (ordered) return { lo: cols.left, hi: cols.right, weight: cols.weight };
  }
  const lo = new Int32Array(m);
  const hi = new Int32Array(m);
  const weight = new Float64Array(m);
  let k = 0;
  for (let i = 0; i < m; i++) {
    const a = asRows ? rows[i].left : cols.left[i];
    const b = asRows ? rows[i].right : cols.right[i];
    const w = asRows ? rows[i].weight : cols.weight[i];
    checkId(n, a);
    checkId(n, b);
    if (Number.isNaN(w)) throw new RangeError(`pair (${a}, ${b}) has weight NaN`);
    if (a === b) continue;
    lo[k] = a < b ? a : b;
    hi[k] = a < b ? b : a;
    weight[k] = w;
    k++;
  }
  return { lo: lo.subarray(0, k), hi: hi.subarray(0, k), weight: weight.subarray(0, k) };
}

function checkId(n: number, id: number): void {
  if (!Number.isInteger(id) || id < 0 || id >= n) throw new RangeError(`record id ${id} is not in 0..${n - 1}`);
}

function constraintAdjacency(n: number, cannotLink: readonly IdPair[], hardNegatives: readonly IdPair[]): Adjacency {
  const m = cannotLink.length + hardNegatives.length;
  const a = new Int32Array(m);
  const b = new Int32Array(m);
  const kind = new Float64Array(m);
  let k = 0;
  const add = (list: readonly IdPair[], flag: number): void => {
    for (const [x, y] of list) {
      checkId(n, x);
      checkId(n, y);
      if (x === y) continue;
      a[k] = x;
      b[k] = y;
      kind[k] = flag;
      k++;
    }
  };
  add(cannotLink, CANNOT_LINK);
  add(hardNegatives, HARD_NEGATIVE);
  return buildAdjacency(n, a.subarray(0, k), b.subarray(0, k), kind.subarray(0, k), (x, y) => x | y);
}

function stewardSeparated(constraints: Adjacency, a: number, b: number): boolean {
  const flags = adjacentValue(constraints, a, b);
  return flags !== undefined && (flags & CANNOT_LINK) !== 0;
}

function applyMustLinks(sets: ClusterSets, constraints: Adjacency, mustLink: readonly IdPair[]): ConstraintConflict[] {
  const n = sets.label.length;
  const links = mustLink.map(([x, y]): [number, number] => {
    checkId(n, x);
    checkId(n, y);
    return x < y ? [x, y] : [y, x];
  });
  links.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const conflicts: ConstraintConflict[] = [];
  for (const [x, y] of links) {
    const rx = sets.label[x];
    const ry = sets.label[y];
    if (rx === ry) continue;
    const hit = constraintBetween(sets, constraints, rx, ry, CANNOT_LINK);
    if (hit === null) sets.merge(rx, ry);
    else {
      const [c, d] = hit;
      conflicts.push({ mustLink: [x, y], cannotLink: c < d ? [c, d] : [d, c], reason: 'must-link-vs-cannot-link' });
    }
  }
  return conflicts;
}

/** Unique edges (lo < hi) with weight in [min, max) — or [min, max] when `inclusiveMax` — in (lo, hi) order. */
function edgesInRange(adj: Adjacency, min: number, max: number, inclusiveMax: boolean): EdgeList {
  const { start, nbr, value } = adj;
  const n = start.length - 1;
  const inRange = (w: number): boolean => w >= min && (inclusiveMax ? w <= max : w < max);
  let m = 0;
  for (let u = 0; u < n; u++) {
    for (let p = start[u]; p < start[u + 1]; p++) if (nbr[p] > u && inRange(value[p])) m++;
  }
  const lo = new Int32Array(m);
  const hi = new Int32Array(m);
  const weight = new Float64Array(m);
  let k = 0;
  for (let u = 0; u < n; u++) {
    for (let p = start[u]; p < start[u + 1]; p++) {
      if (nbr[p] > u && inRange(value[p])) {
        lo[k] = u;
        hi[k] = nbr[p];
        weight[k] = value[p];
        k++;
      }
    }
  }
  return { lo, hi, weight };
}

/** Edge indexes by weight descending; ties by index, which is (lo, hi) order. */
function byWeightDesc(weight: Float64Array): Int32Array {
  const order = new Int32Array(weight.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => {
    const wa = weight[a];
    const wb = weight[b];
    return wa > wb ? -1 : wa < wb ? 1 : a - b;
  });
  return order;
}

/** Runs the automatic merges; returns per edge 0 (not refused) or 1 + index into REASONS. */
function autoMerge(
  sets: ClusterSets,
  scored: Adjacency,
  constraints: Adjacency,
  edges: EdgeList,
  order: Int32Array,
  bounds: LinkageBounds,
  keys: Int32Array[],
): Uint8Array {
  const refused = new Uint8Array(edges.lo.length);
  const { label, size } = sets;
  const n = label.length;
  // Refusals between two current roots, so that many strong pairs between the
  // same two large clusters cost one scan. A cached verdict holds while both
  // sizes are unchanged. Once a cluster grew: cannot-link still holds (it has
  // top priority and clusters only grow); clearly-different still refuses but
  // may have to become cannot-link; weak-linkage must be recomputed.
  const cache = new Map<number, { reason: number; sizeLo: number; sizeHi: number }>();
  for (let t = 0; t < order.length; t++) {
    const e = order[t];
    const x = label[edges.lo[e]];
    const y = label[edges.hi[e]];
    if (x === y) continue;
    if (keysConflict(keys, x, y)) {
      refused[e] = REASON_CODE['cannot-link'];
      continue;
    }
    const rLo = x < y ? x : y;
    const rHi = x < y ? y : x;
    const key = rLo * n + rHi;
    const hit = cache.get(key);
    let verdict: MergeRefusal;
    if (hit !== undefined && hit.sizeLo === size[rLo] && hit.sizeHi === size[rHi]) {
      refused[e] = hit.reason;
      continue;
    } else if (hit !== undefined && hit.reason === REASON_CODE['cannot-link']) {
      verdict = 'cannot-link';
    } else if (hit !== undefined && hit.reason === REASON_CODE['clearly-different']) {
      const cannot = constraintBetween(sets, constraints, x, y, CANNOT_LINK | HARD_NEGATIVE) !== null;
      verdict = cannot ? 'cannot-link' : 'clearly-different';
    } else {
      verdict = mergeRefusal(sets, scored, constraints, x, y, bounds);
    }
    if (verdict === null) {
      const root = sets.merge(x, y);
      for (const k of keys) k[root] = k[x] >= 0 ? k[x] : k[y];
      continue;
    }
    const reason = REASON_CODE[verdict];
    refused[e] = reason;
    cache.set(key, { reason, sizeLo: size[rLo], sizeHi: size[rHi] });
  }
  return refused;
}

/**
 * Per identity key, root -> the key's value in that cluster (-1: none), after the must-links. A
 * cluster that stewards joined across two values keeps the first: it still refuses a third.
 */
function clusterKeys(sets: ClusterSets, identityKeys: readonly Int32Array[]): Int32Array[] {
  const n = sets.label.length;
  return identityKeys.map((values) => {
    if (values.length !== n) throw new RangeError(`identity key values: ${values.length} for ${n} records`);
    const byRoot = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const root = sets.label[i];
      if (byRoot[root] < 0 && values[i] >= 0) byRoot[root] = values[i];
    }
    return byRoot;
  });
}

function keysConflict(keys: Int32Array[], x: number, y: number): boolean {
  for (const k of keys) if (k[x] >= 0 && k[y] >= 0 && k[x] !== k[y]) return true;
  return false;
}

function collectClusters(sets: ClusterSets): { clusters: number[][]; clusterOf: Int32Array } {
  const label = sets.label;
  const n = label.length;
  const indexOfRoot = new Int32Array(n).fill(-1);
  const clusterOf = new Int32Array(n);
  const clusters: number[][] = [];
  for (let id = 0; id < n; id++) {
    const root = label[id];
    let c = indexOfRoot[root];
    if (c === -1) {
      c = clusters.length;
      indexOfRoot[root] = c;
      clusters.push([]);
    }
    clusters[c].push(id);
    clusterOf[id] = c;
  }
  return { clusters, clusterOf };
}
