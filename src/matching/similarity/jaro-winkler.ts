/*
 * Jaro and Jaro-Winkler similarity on UTF-16 code units. Flag buffers are module-level and grow
 * on demand, so a call allocates nothing.
 */

let leftFlags = new Uint8Array(64);
let rightFlags = new Uint8Array(64);

function ensureCapacity(length: number): void {
  if (leftFlags.length >= length) return;
  let size = leftFlags.length;
  while (size < length) size *= 2;
  leftFlags = new Uint8Array(size);
  rightFlags = new Uint8Array(size);
}

/**
 * Jaro similarity in [0, 1]: 1 for equal strings, 0 when no characters match within the window.
 *
 * @example
 * ```ts
 * jaro('MARTHA', 'MARHTA') // 0.9444…
 * ```
 */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  ensureCapacity(la > lb ? la : lb);
  leftFlags.fill(0, 0, la);
  rightFlags.fill(0, 0, lb);
  const window = Math.max(0, ((la > lb ? la : lb) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = i > window ? i - window : 0;
    const hi = i + window < lb - 1 ? i + window : lb - 1;
    const code = a.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (rightFlags[j] === 0 && b.charCodeAt(j) === code) {
        leftFlags[i] = 1;
        rightFlags[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let halfTranspositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (leftFlags[i] === 0) continue;
    while (rightFlags[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) halfTranspositions++;
    k++;
  }
  const transpositions = halfTranspositions >> 1;
  return (matches / la + matches / lb + (matches - transpositions) / matches) / 3;
}

/**
 * Jaro-Winkler similarity: Jaro boosted by the common prefix (at most 4 characters) when the Jaro
 * value exceeds `boostThreshold` (Winkler's 0.7).
 *
 * @example
 * ```ts
 * jaroWinkler('MARTHA', 'MARHTA') // 0.9611…
 * jaroWinkler('DWAYNE', 'DUANE')  // 0.84
 * ```
 */
export function jaroWinkler(a: string, b: string, prefixScale = 0.1, boostThreshold = 0.7): number {
  const j = jaro(a, b);
  if (j <= boostThreshold) return j;
  const max = Math.min(4, a.length, b.length);
  let prefix = 0;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * prefixScale * (1 - j);
}
