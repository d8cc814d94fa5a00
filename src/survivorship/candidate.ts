import type { SurvivorshipRecord } from './source-record';
import { isEmptyValue, type NormalizeMode, normalizeValue } from './values';

/**
 * One non-empty value offered by one source record for one attribute (or, for a group, the
 * record's whole group of attributes). `key` is the normalized comparison form.
 *
 * @example
 * ```ts
 * const c: Candidate<string> = { record, value: 'Krüger GmbH', key: 'krüger gmbh' };
 * ```
 */
export interface Candidate<V = unknown> {
  record: SurvivorshipRecord;
  value: V;
  key: string;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The deterministic order of candidates: by source, then sourceId, then recordId, then key.
 * Every strategy keeps this order, and a tie left after all strategies goes to the first, so a
 * result never depends on the order the records arrived in.
 *
 * @example
 * ```ts
 * [crmCandidate, erpCandidate].sort(compareCandidates)[0].record.source; // 'crm'
 * ```
 */
export function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    compareText(a.record.source, b.record.source) ||
    compareText(a.record.sourceId, b.record.sourceId) ||
    compareText(a.record.recordId, b.record.recordId) ||
    compareText(a.key, b.key)
  );
}

/**
 * The candidates for one attribute: one per record with a non-empty value, in deterministic
 * order. With `flatten`, an array value yields one candidate per non-empty element (aggregates).
 *
 * @example
 * ```ts
 * attributeCandidates(records, 'phone', 'compact').map((c) => c.record.source); // ['crm', 'erp']
 * ```
 */
export function attributeCandidates(
  records: readonly SurvivorshipRecord[],
  attribute: string,
  mode: NormalizeMode,
  flatten = false,
): Candidate[] {
  const out: Candidate[] = [];
  for (const record of records) {
    const raw = record.attributes[attribute];
    const values = flatten && Array.isArray(raw) ? raw : [raw];
    for (const value of values) {
      if (isEmptyValue(value)) continue;
      const key = normalizeValue(value, mode);
      if (key !== '') out.push({ record, value, key });
    }
  }
  return out.sort(compareCandidates);
}
