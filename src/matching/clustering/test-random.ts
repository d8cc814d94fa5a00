/** Reproducible random helpers for tests. */
export interface SeededRandom {
  /** Float in [0, 1). */
  next(): number;
  /** Integer in 0..bound-1. */
  int(bound: number): number;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: T[]): T[];
}

/**
 * A small seeded PRNG (mulberry32) for reproducible randomized tests.
 *
 * @example
 * ```ts
 * const rnd = seededRandom(42);
 * rnd.next();             // float in [0, 1)
 * rnd.int(10);            // integer in 0..9
 * rnd.shuffle([1, 2, 3]); // shuffled in place, same order for the same seed
 * ```
 */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (bound: number): number => Math.floor(next() * bound);
  return {
    next,
    int,
    pick: (items) => items[int(items.length)],
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const t = items[i];
        items[i] = items[j];
        items[j] = t;
      }
      return items;
    },
  };
}
