/**
 * Seeded pseudo-random numbers for the synthetic world (never `Math.random`).
 *
 * The generator is sfc32 (Chris Doty-Humphrey's "small fast counting" generator, 128-bit state,
 * public domain). A world draws from many independent *streams*: every true entity and every
 * source appearance re-seeds one `Rng` from a hash of `(seed, stream keys...)`, so a record's
 * content does not depend on how many numbers other records consumed.
 */

/**
 * A 32-bit avalanche mix (lowbias32 by Chris Wellons). It is a bijection on uint32.
 *
 * @example
 * ```ts
 * mix32(1) !== mix32(2) // true, and distinct inputs never collide
 * ```
 */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Hashes a string to a uint32 (FNV-1a, then mixed).
 *
 * @example
 * ```ts
 * hashString('customer') === hashString('customer') // true
 * ```
 */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h >>> 0);
}

/**
 * Turns a user seed (number or string) into a uint32.
 *
 * @example
 * ```ts
 * seedToUint32(42) // a stable uint32
 * ```
 */
export function seedToUint32(seed: number | string): number {
  if (typeof seed === 'string') return hashString(seed);
  if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`);
  // Keep integers above 2^32 distinct too.
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return mix32(lo ^ mix32(hi + 0x9e3779b9));
}

/**
 * Combines uint32 keys into one uint32 (order-sensitive).
 *
 * @example
 * ```ts
 * hashKeys(42, 1, 7) !== hashKeys(42, 7, 1) // true
 * ```
 */
export function hashKeys(a: number, b = 0, c = 0, d = 0): number {
  let h = mix32((a ^ 0x9e3779b9) >>> 0);
  h = mix32((h + Math.imul(b >>> 0, 0x85ebca6b)) >>> 0);
  h = mix32((h ^ Math.imul(c >>> 0, 0xc2b2ae35)) >>> 0);
  h = mix32((h + Math.imul(d >>> 0, 0x27d4eb2f)) >>> 0);
  return h;
}

/**
 * A seeded generator (sfc32) with the helpers the world needs.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * rng.int(6);            // 0..5
 * rng.pick(['a', 'b']);  // 'a' or 'b'
 * rng.reseed(42, 7);     // restart as the stream (42, 7)
 * ```
 */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed = 0, ...keys: number[]) {
    this.reseed(seed, keys[0] ?? 0, keys[1] ?? 0, keys[2] ?? 0);
  }

  /** Restarts the generator as the stream identified by the given keys. */
  reseed(k0: number, k1 = 0, k2 = 0, k3 = 0): this {
    this.a = hashKeys(k0, k1, k2, k3);
    this.b = hashKeys(k1 ^ 0x5bd1e995, k0, k3, k2);
    this.c = hashKeys(k2 ^ 0x1b873593, k3, k0, k1);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.uint32();
    return this;
  }

  /** Next uint32. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [min, max] (both inclusive). */
  range(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.float() < p;
  }

  /** A uniformly chosen element. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** An index drawn from cumulative weights (ascending, last = total). */
  weightedIndex(cumulative: ArrayLike<number>): number {
    const total = cumulative[cumulative.length - 1];
    const x = this.float() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** A digit string of the given length (leading zeros allowed). */
  digits(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += String.fromCharCode(48 + this.int(10));
    return s;
  }
}

/**
 * Cumulative sums of weights, for {@link Rng.weightedIndex}.
 *
 * @example
 * ```ts
 * rng.weightedIndex(cumulate([1, 3])) // 1 three times out of four
 * ```
 */
export function cumulate(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) out[i] = sum += weights[i];
  return out;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * A fixed bijection of `[0, space)` (affine map with a multiplier coprime to `space`), used to
 * derive unique but random-looking numbers (tax ids, DUNS) from an entity index.
 * `space` must be at most 1e9 (the arithmetic stays exact below 2^53).
 *
 * @example
 * ```ts
 * const perm = affinePermutation(1e8, 17);
 * perm(0) !== perm(1) // true, and perm never repeats inside [0, 1e8)
 * ```
 */
export function affinePermutation(space: number, salt: number): (index: number) => number {
  let a = (2654435761 + salt * 40503) % space;
  if (a < 2) a = 2;
  while (gcd(a, space) !== 1) a++;
  const b = mix32(salt) % space;
  return (index: number) => {
    const i = index % space;
    // a < space ≤ 1e9 and i < space: split the product to stay exact below 2^53.
    const hi = Math.floor(i / 65536);
    const lo = i % 65536;
    return (((((a * hi) % space) * 65536) % space) + a * lo + b) % space;
  };
}
