/*
 * Corpus-level derived fields. Agreeing on a word few records use ("kdl52xbr6", "wallaby") says
 * much more than agreeing on a common one ("pump", "street"): an IDF-like weighting. Comparisons
 * score one pair at a time, so the rarity is computed once over the records being resolved and
 * written into a derived list field that ordinary comparisons (arrayIntersect) and blocking use.
 */

import type { PreparedRecord } from '../model/prepared-record';

/** One derived field: the rare elements of a list field. */
export interface RareTokenField {
  /** Prepared list field to read (e.g. `nameTokens`). */
  from: string;
  /** Field to write (e.g. `nameRare`). */
  to: string;
  /**
   * A token is rare when at most this share of the records that have `from` contain it
   * (never fewer than `minCount` records). Default 0.01.
   */
  maxShare?: number;
  /** Floor of the rarity bound in records. Default 2. */
  minCount?: number;
}

/**
 * Document frequency of each element of a list field over the records.
 *
 * @example
 * ```ts
 * documentFrequencies(records, 'nameTokens').get('pump') // 123
 * ```
 */
export function documentFrequencies(records: readonly PreparedRecord[], field: string): { counts: Map<string, number>; documents: number } {
  const counts = new Map<string, number>();
  let documents = 0;
  for (const record of records) {
    const value = record.fields[field];
    if (!Array.isArray(value) || value.length === 0) continue;
    documents++;
    for (const token of new Set(value)) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return { counts, documents };
}

/**
 * Write each `to` field: the record's `from` elements that are rare in this set of records,
 * sorted (null when none). Mutates the records' `fields` and returns them. Depends only on the
 * multiset of records, not on their order.
 *
 * @example
 * ```ts
 * withRareTokens(records, [{ from: 'nameTokens', to: 'nameRare', maxShare: 0.01 }]);
 * records[0].fields.nameRare // ['kdl52xbr6', 'bravia']
 * ```
 */
export function withRareTokens(records: PreparedRecord[], specs: readonly RareTokenField[]): PreparedRecord[] {
  for (const spec of specs) {
    const { counts, documents } = documentFrequencies(records, spec.from);
    const bound = Math.max(spec.minCount ?? 2, (spec.maxShare ?? 0.01) * documents);
    for (const record of records) {
      const value = record.fields[spec.from];
      if (!Array.isArray(value)) {
        record.fields[spec.to] = null;
        continue;
      }
      const rare = [...new Set(value)].filter((t) => (counts.get(t) ?? 0) <= bound).sort();
      record.fields[spec.to] = rare.length > 0 ? rare : null;
    }
  }
  return records;
}
