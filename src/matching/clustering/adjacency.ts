/**
 * A symmetric adjacency structure in CSR form: the neighbours of record `u` are
 * `nbr[start[u]] .. nbr[start[u + 1] - 1]`, ascending and distinct, with one
 * value per edge end in `value`.
 */
export interface Adjacency {
  start: Int32Array;
  nbr: Int32Array;
  value: Float64Array;
}

/**
 * Builds the symmetric adjacency of `n` records from edges (a[i], b[i],
 * values[i]). Both directions are stored; an edge given more than once keeps
 * `combine` of its values (must be commutative and associative), so the result
 * does not depend on the order the edges come in.
 *
 * @example
 * ```ts
 * const adj = buildAdjacency(3, Int32Array.of(0, 1), Int32Array.of(1, 2), Float64Array.of(5, -2), Math.max);
 * adjacentValue(adj, 2, 1); // -2
 * ```
 */
export function buildAdjacency(
  n: number,
  a: Int32Array,
  b: Int32Array,
  values: Float64Array,
  combine: (x: number, y: number) => number,
): Adjacency {
  const m = a.length;
  const degree = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) {
    degree[a[i] + 1]++;
    degree[b[i] + 1]++;
  }
  for (let u = 0; u < n; u++) degree[u + 1] += degree[u];
  const rawStart = degree;
  const fill = rawStart.slice(0, n);
  const nbr = new Int32Array(2 * m);
  const value = new Float64Array(2 * m);
  for (let i = 0; i < m; i++) {
    const x = a[i];
    const y = b[i];
    const v = values[i];
    let p = fill[x]++;
    nbr[p] = y;
    value[p] = v;
    p = fill[y]++;
    nbr[p] = x;
    value[p] = v;
  }

  // Sort each neighbour list and collapse duplicates, compacting in place.
  const start = new Int32Array(n + 1);
  let write = 0;
  for (let u = 0; u < n; u++) {
    const from = rawStart[u];
    const to = rawStart[u + 1];
    sortSegment(nbr, value, from, to);
    start[u] = write;
    for (let p = from; p < to; p++) {
      if (write > start[u] && nbr[write - 1] === nbr[p]) {
        value[write - 1] = combine(value[write - 1], value[p]);
      } else {
        nbr[write] = nbr[p];
        value[write] = value[p];
        write++;
      }
    }
  }
  start[n] = write;
  return { start, nbr: nbr.subarray(0, write), value: value.subarray(0, write) };
}

/**
 * The value stored for edge (u, v), or undefined when there is none
 * (binary search in u's sorted neighbour list).
 *
 * @example
 * ```ts
 * adjacentValue(adj, 0, 1); // 5
 * adjacentValue(adj, 0, 2); // undefined
 * ```
 */
export function adjacentValue(adj: Adjacency, u: number, v: number): number | undefined {
  let lo = adj.start[u];
  let hi = adj.start[u + 1] - 1;
  const nbr = adj.nbr;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = nbr[mid];
    if (x === v) return adj.value[mid];
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** Sorts nbr[from..to) ascending, moving value along; ties keep no particular order. */
function sortSegment(nbr: Int32Array, value: Float64Array, from: number, to: number): void {
  const len = to - from;
  if (len < 2) return;
  if (len <= 24) {
    for (let i = from + 1; i < to; i++) {
      const x = nbr[i];
      const v = value[i];
      let j = i - 1;
      while (j >= from && nbr[j] > x) {
        nbr[j + 1] = nbr[j];
        value[j + 1] = value[j];
        j--;
      }
      nbr[j + 1] = x;
      value[j + 1] = v;
    }
    return;
  }
  const order = new Int32Array(len);
  for (let i = 0; i < len; i++) order[i] = from + i;
  order.sort((p, q) => nbr[p] - nbr[q]);
  const n2 = new Int32Array(len);
  const v2 = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    n2[i] = nbr[order[i]];
    v2[i] = value[order[i]];
  }
  nbr.set(n2, from);
  value.set(v2, from);
}
