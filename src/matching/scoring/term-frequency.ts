/*
 * Term-frequency adjustment, as Splink does it: agreeing on a rare value is stronger evidence than
 * agreeing on a common one. For an exact level on a tf-enabled field, the level's average `u` is
 * replaced by u_tf = max(frequency of the value, minU); the level keeps its `m`. The adjustment is
 * reported separately, in bits: weight × log2(u / u_tf).
 */

import type { PreparedRecord } from '../model/prepared-record';
import type { MatchModel } from '../model/schema';
import { valueKey, valueTokens } from './values';

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

/**
 * The key under which a field's document-frequency table travels among the term-frequency tables
 * (`CompileOptions.termFrequencies`, `ScoreTask.termFrequencies`).
 *
 * @example
 * ```ts
 * documentFrequencyKey('nameTokens') // 'df:nameTokens'
 * ```
 */
export function documentFrequencyKey(field: string): string {
  return `df:${field}`;
}

/**
 * Document frequencies of the tokens of a field: in how many records each token occurs
 * (`total` = records with the field). What IDF-weighted levels (`tokenCosine`) weigh tokens by.
 *
 * @example
 * ```ts
 * const df = buildDocumentFrequencies(records, 'nameTokens');
 * df.counts.get('pump') // 123
 * ```
 */
export function buildDocumentFrequencies(records: readonly PreparedRecord[], field: string): TermFrequencyTable {
  const counts = new Map<string, number>();
  let total = 0;
  for (const record of records) {
    const tokens = valueTokens(record.fields[field]);
    if (tokens === null) continue;
    total++;
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return { field, total, counts };
}

/**
 * Inverse document frequency ln(1 + N / df) of a token (df floored at 1).
 *
 * @example
 * ```ts
 * inverseDocumentFrequency(table, 'pump')
 * ```
 */
export function inverseDocumentFrequency(table: TermFrequencyTable, token: string): number {
  return Math.log(1 + Math.max(1, table.total) / Math.max(1, table.counts.get(token) ?? 0));
}

/**
 * The term- and document-frequency tables a model needs over a set of records: one per `tf`
 * field, one per field an IDF-weighted level reads (under `documentFrequencyKey`).
 *
 * @example
 * ```ts
 * compileModel(model, { termFrequencies: frequencyTables(model, records) });
 * ```
 */
export function frequencyTables(
  model: MatchModel,
  records: readonly PreparedRecord[],
  given: Readonly<Record<string, TermFrequencyTable>> = {},
): Record<string, TermFrequencyTable> {
  const tables: Record<string, TermFrequencyTable> = { ...given };
  for (const comparison of model.comparisons) {
    const field = comparison.tf?.field;
    if (field && !tables[field]) tables[field] = buildTermFrequencies(records, field);
    for (const level of comparison.levels) {
      if (level.kind !== 'tokenCosine') continue;
      const on = level.field ?? comparison.fields[0];
      const key = documentFrequencyKey(on);
      if (!tables[key]) tables[key] = buildDocumentFrequencies(records, on);
    }
  }
  return tables;
}
