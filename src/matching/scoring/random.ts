/**
 * A seeded pseudo-random generator (mulberry32): 32-bit state, uniform floats in [0, 1).
 * Deterministic for a seed, so samples and training runs are reproducible.
 *
 * @example
 * ```ts
 * const next = mulberry32(42);
 * next(); // same value on every run
 * ```
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A uniform integer in [0, n) from a generator.
 *
 * @example
 * ```ts
 * randomInt(mulberry32(1), 6) // 0..5
 * ```
 */
export function randomInt(next: () => number, n: number): number {
  return Math.floor(next() * n);
}

/**
 * Index of a draw from a discrete distribution (probabilities summing to 1).
 *
 * @example
 * ```ts
 * randomChoice(mulberry32(1), [0.9, 0.1]) // 0 nine times in ten
 * ```
 */
export function randomChoice(next: () => number, probabilities: readonly number[]): number {
  let r = next();
  for (let i = 0; i < probabilities.length - 1; i++) {
    r -= probabilities[i];
    if (r < 0) return i;
  }
  return probabilities.length - 1;
}
