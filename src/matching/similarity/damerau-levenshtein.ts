/*
 * Optimal string alignment distance (restricted Damerau-Levenshtein): edits plus transpositions
 * of adjacent characters, no substring edited twice. Three rolling rows, reused between calls;
 * with a bound only the diagonal band of that width is computed.
 */

let rowBefore = new Int32Array(64);
let rowPrevious = new Int32Array(64);
let rowCurrent = new Int32Array(64);

function ensureCapacity(length: number): void {
  if (rowCurrent.length > length) return;
  let size = rowCurrent.length;
  while (size <= length) size *= 2;
  rowBefore = new Int32Array(size);
  rowPrevious = new Int32Array(size);
  rowCurrent = new Int32Array(size);
}

/**
 * Optimal string alignment distance. With `max`, returns `max + 1` as soon as the distance is
 * known to exceed it.
 *
 * @example
 * ```ts
 * damerauLevenshtein('abcd', 'acbd') // 1
 * damerauLevenshtein('CA', 'ABC')    // 3 (true Damerau-Levenshtein would say 2)
 * damerauLevenshtein('kitten', 'sitting', 1) // 2, meaning "more than 1"
 * ```
 */
export function damerauLevenshtein(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0 || lb === 0) return la + lb;
  // Only cells within `bound` of the diagonal can lead to a distance <= bound (Ukkonen's band).
  const bound = Math.min(max, la > lb ? la : lb);
  const outside = bound + 1;
  ensureCapacity(lb + 1);
  let before = rowBefore;
  let previous = rowPrevious;
  let current = rowCurrent;
  for (let j = 0; j <= lb; j++) previous[j] = j <= bound ? j : outside;
  for (let i = 1; i <= la; i++) {
    const lo = i - bound > 1 ? i - bound : 1;
    const hi = i + bound < lb ? i + bound : lb;
    current[0] = i <= bound ? i : outside;
    current[lo - 1] = lo === 1 ? current[0] : outside;
    let rowMin = lo === 1 ? current[0] : outside;
    const ca = a.charCodeAt(i - 1);
    const caPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = lo; j <= hi; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = previous[j - 1] + (ca === cb ? 0 : 1);
      const del = previous[j] + 1;
      if (del < d) d = del;
      const ins = current[j - 1] + 1;
      if (ins < d) d = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && caPrev === cb) {
        const tr = before[j - 2] + 1;
        if (tr < d) d = tr;
      }
      if (d > outside) d = outside;
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (hi < lb) current[hi + 1] = outside;
    if (rowMin > max) return max + 1;
    const spare = before;
    before = previous;
    previous = current;
    current = spare;
  }
  const result = previous[lb];
  return result > max ? max + 1 : result;
}

/**
 * Whether the optimal string alignment distance is at most `max`.
 *
 * @example
 * ```ts
 * damerauLevenshteinWithin('MARTHA', 'MARHTA', 1) // true
 * ```
 */
export function damerauLevenshteinWithin(a: string, b: string, max: number): boolean {
  return damerauLevenshtein(a, b, max) <= max;
}
