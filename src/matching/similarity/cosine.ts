/*
 * Weighted token similarities on sorted unique token arrays (merge walks, no allocation per pair).
 */

/** Tokens with a weight each (e.g. IDF) and the Euclidean norm of the weights. */
export interface WeightedTokens {
  /** Sorted, unique. */
  tokens: readonly string[];
  weights: Float64Array;
  norm: number;
}

/**
 * A weighted token vector from sorted unique tokens and a weight function.
 *
 * @example
 * ```ts
 * const v = weightedTokens(['acme', 'pump'], (t) => (t === 'pump' ? 0.5 : 3));
 * ```
 */
export function weightedTokens(tokens: readonly string[], weightOf: (token: string) => number): WeightedTokens {
  const weights = new Float64Array(tokens.length);
  let sum = 0;
  for (let i = 0; i < tokens.length; i++) {
    const w = weightOf(tokens[i]);
    weights[i] = w;
    sum += w * w;
  }
  return { tokens, weights, norm: Math.sqrt(sum) };
}

/**
 * Cosine of two weighted token vectors (binary term weights times the token weight); 0 when
 * either has no weight.
 *
 * @example
 * ```ts
 * weightedCosine(weightedTokens(['a', 'b'], () => 1), weightedTokens(['b', 'c'], () => 1)) // 0.5
 * ```
 */
export function weightedCosine(a: WeightedTokens, b: WeightedTokens): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const x = a.tokens;
  const y = b.tokens;
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      dot += a.weights[i] * b.weights[j];
      i++;
      j++;
    } else if (x[i] < y[j]) i++;
    else j++;
  }
  return dot / (a.norm * b.norm);
}

/**
 * Weighted overlap coefficient: the squared weight of the shared tokens over the smaller side's
 * squared norm; 1 when one vector's tokens are all in the other. 0 when either has no weight.
 *
 * @example
 * ```ts
 * weightedOverlap(weightedTokens(['a', 'b'], () => 1), weightedTokens(['a', 'b', 'c'], () => 1)) // 1
 * ```
 */
export function weightedOverlap(a: WeightedTokens, b: WeightedTokens): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const x = a.tokens;
  const y = b.tokens;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      shared += a.weights[i] * b.weights[j];
      i++;
      j++;
    } else if (x[i] < y[j]) i++;
    else j++;
  }
  const smaller = Math.min(a.norm, b.norm);
  return shared / (smaller * smaller);
}

/**
 * Whether some element of one list is a prefix of some element of the other, the shorter having
 * at least `minLength` characters (model codes with a regional or colour suffix: `fs726tp` /
 * `fs726tpna`). Equal elements count.
 *
 * @example
 * ```ts
 * sharesCodePrefix(['fs726tp'], ['fs726tpna', 'jgs524f'], 5) // true
 * ```
 */
export function sharesCodePrefix(a: readonly string[], b: readonly string[], minLength: number): boolean {
  for (const x of a) {
    if (x.length < minLength) continue;
    for (const y of b) {
      if (y.length < minLength) continue;
      if (x.length <= y.length ? y.startsWith(x) : x.startsWith(y)) return true;
    }
  }
  return false;
}
