/*
 * Token-set similarity on sorted arrays of unique tokens: a merge walk, no Set allocation per pair.
 * Build the sorted form once per record with `tokenSet`.
 */

/**
 * Sorted unique non-empty tokens of a list, or of a string split on whitespace.
 *
 * @example
 * ```ts
 * tokenSet('acme  gmbh acme') // ['acme', 'gmbh']
 * ```
 */
export function tokenSet(value: string | readonly string[]): string[] {
  const tokens = typeof value === 'string' ? value.split(/\s+/) : value;
  const sorted = tokens.filter((t) => t.length > 0).sort();
  let w = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[w - 1]) sorted[w++] = sorted[i];
  }
  sorted.length = w;
  return sorted;
}

/**
 * Number of tokens two sorted unique token arrays share.
 *
 * @example
 * ```ts
 * intersectionSize(['a', 'b', 'c'], ['b', 'c', 'd']) // 2
 * ```
 */
export function intersectionSize(a: readonly string[], b: readonly string[]): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared;
}

/**
 * Jaccard similarity |A ∩ B| / |A ∪ B| of two sorted unique token arrays; 1 when both are empty.
 *
 * @example
 * ```ts
 * jaccard(['a', 'b', 'c'], ['b', 'c', 'd']) // 0.5
 * ```
 */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  const shared = intersectionSize(a, b);
  return shared / (a.length + b.length - shared);
}

/**
 * Whether one non-empty sorted token set is contained in the other.
 *
 * @example
 * ```ts
 * tokenSetContains(['acme'], ['acme', 'gmbh']) // true
 * ```
 */
export function tokenSetContains(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  return intersectionSize(a, b) === Math.min(a.length, b.length);
}
