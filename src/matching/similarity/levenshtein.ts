import { distance } from 'fastest-levenshtein';

/**
 * Levenshtein edit distance (insertions, deletions, substitutions).
 *
 * @example
 * ```ts
 * levenshtein('kitten', 'sitting') // 3
 * ```
 */
export function levenshtein(a: string, b: string): number {
  return distance(a, b);
}

/**
 * Whether the Levenshtein distance is at most `max`; skips the distance when the lengths alone
 * rule it out.
 *
 * @example
 * ```ts
 * levenshteinWithin('kitten', 'sitting', 2) // false
 * ```
 */
export function levenshteinWithin(a: string, b: string, max: number): boolean {
  const diff = a.length - b.length;
  if (diff > max || -diff > max) return false;
  if (a === b) return true;
  return distance(a, b) <= max;
}
