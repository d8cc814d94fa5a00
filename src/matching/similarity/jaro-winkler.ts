/*
 * Jaro and Jaro-Winkler similarity on UTF-16 code units. Flag buffers are module-level, grow on
 * demand and are left all-zero after each call, so a call allocates and clears nothing.
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

/** Bit mask of the positions of each Latin-1 character in the right string; all-zero between calls. */
const positions = new Int32Array(256);

/**
 * Jaro for strings of at most 32 code units, one machine word per string: each character of the
 * left string takes the lowest unmatched position of the same character inside its window.
 * Returns -1 when the right string has a character outside Latin-1.
 */
function jaroBitParallel(a: string, b: string, la: number, lb: number): number {
  for (let j = 0; j < lb; j++) {
    const code = b.charCodeAt(j);
    if (code > 255) {
      for (let k = 0; k < j; k++) positions[b.charCodeAt(k)] = 0;
      return -1;
    }
    positions[code] |= 1 << j;
  }
  const window = Math.max(0, ((la > lb ? la : lb) >> 1) - 1);
  let matchedA = 0;
  let matchedB = 0;
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const code = a.charCodeAt(i);
    if (code > 255) continue;
    const lo = i > window ? i - window : 0;
    const hi = i + window < lb - 1 ? i + window : lb - 1;
    if (hi < lo) continue;
    const width = hi - lo + 1;
    const inWindow = (width === 32 ? -1 : (1 << width) - 1) << lo;
    const candidates = positions[code] & inWindow & ~matchedB;
    if (candidates !== 0) {
      matchedB |= candidates & -candidates;
      matchedA |= 1 << i;
      matches++;
    }
  }
  for (let j = 0; j < lb; j++) positions[b.charCodeAt(j)] = 0;
  if (matches === 0) return 0;
  let halfTranspositions = 0;
  while (matchedA !== 0) {
    const i = 31 - Math.clz32(matchedA & -matchedA);
    const j = 31 - Math.clz32(matchedB & -matchedB);
    if (a.charCodeAt(i) !== b.charCodeAt(j)) halfTranspositions++;
    matchedA &= matchedA - 1;
    matchedB &= matchedB - 1;
  }
  const transpositions = halfTranspositions >> 1;
  return (matches / la + matches / lb + (matches - transpositions) / matches) / 3;
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
  if (la <= 32 && lb <= 32) {
    const bits = jaroBitParallel(a, b, la, lb);
    if (bits >= 0) return bits;
  }
  ensureCapacity(la > lb ? la : lb);
  const left = leftFlags;
  const right = rightFlags;
  const window = Math.max(0, ((la > lb ? la : lb) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = i > window ? i - window : 0;
    const hi = i + window < lb - 1 ? i + window : lb - 1;
    const code = a.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (right[j] === 0 && b.charCodeAt(j) === code) {
        left[i] = 1;
        right[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  // Count transpositions and reset the flags touched, so the buffers are clean for the next call.
  let halfTranspositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (left[i] === 0) continue;
    left[i] = 0;
    while (right[k] === 0) k++;
    right[k] = 0;
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
