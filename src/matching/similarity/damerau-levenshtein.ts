/*
 * Optimal string alignment distance (restricted Damerau-Levenshtein): edits plus transpositions
 * of adjacent characters, no substring edited twice. Three rolling rows, reused between calls.
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
  const cap = max + 1;
  if (Math.abs(la - lb) > max) return cap;
  if (la === 0) return lb;
  if (lb === 0) return la;
  ensureCapacity(lb + 1);
  let before = rowBefore;
  let previous = rowPrevious;
  let current = rowCurrent;
  for (let j = 0; j <= lb; j++) previous[j] = j;
  for (let i = 1; i <= la; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    const caPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let d = previous[j - 1] + cost;
      const del = previous[j] + 1;
      if (del < d) d = del;
      const ins = current[j - 1] + 1;
      if (ins < d) d = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && caPrev === cb) {
        const tr = before[j - 2] + 1;
        if (tr < d) d = tr;
      }
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return cap;
    const spare = before;
    before = previous;
    previous = current;
    current = spare;
  }
  const result = previous[lb];
  return result > max ? (cap) : result;
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
