/*
 * Term-frequency adjustment, as Splink does it: agreeing on a rare value is stronger evidence than
 * agreeing on a common one. For an exact level on a tf-enabled field, the level's average `u` is
 * replaced by u_tf = max(frequency of the value, minU); the level keeps its `m`. The adjustment is
 * reported separately, in bits: weight × log2(u / u_tf).
 */

import type { PreparedRecord } from '../model/prepared-record';
import { valueKey } from './values';

/** How often each value of one prepared field occurs among the records that have it. */
export interface TermFrequencyTable {
  field: string;
  /** Records with a value in the field. */
  total: number;
  /** Occurrences per value key (see `valueKey`). */
  counts: Map<string, number>;
}

/**
 * Count the values of `field` over the records (missing values are not counted).
 *
 * @example
 * ```ts
 * const table = buildTermFrequencies(records, 'familyName');
 * termFrequency(table, 'smith') // e.g. 0.012
 * ```
 */
export function buildTermFrequencies(records: readonly PreparedRecord[], field: string): TermFrequencyTable {
  const counts = new Map<string, number>();
  let total = 0;
  for (const record of records) {
    const key = valueKey(record.fields[field]);
    if (key === null) continue;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    total++;
  }
  return { field, total, counts };
}

/**
 * Relative frequency of a value key in the table; 0 when unseen.
 *
 * @example
 * ```ts
 * termFrequency(table, 'smith')
 * ```
 */
export function termFrequency(table: TermFrequencyTable, key: string): number {
  if (table.total === 0) return 0;
  return (table.counts.get(key) ?? 0) / table.total;
}

/**
 * The `u` an exact agreement on a value has: its frequency, floored at `minU`; null when the value
 * is unseen and the floor is 0 (then the level's own `u` applies).
 *
 * @example
 * ```ts
 * termFrequencyU(table, 'smith', 0.0001)
 * ```
 */
export function termFrequencyU(table: TermFrequencyTable, key: string, minU: number): number | null {
  const frequency = Math.max(termFrequency(table, key), minU);
  return frequency > 0 ? frequency : null;
}

/**
 * Bits added to an exact level's weight: `weight` × log2(levelU / tfU). Positive for values rarer
 * than average, negative for common ones.
 *
 * @example
 * ```ts
 * termFrequencyAdjustment(0.01, 0.001) // 3.32…
 * ```
 */
export function termFrequencyAdjustment(levelU: number, tfU: number, weight = 1): number {
  return weight * Math.log2(levelU / tfU);
}
