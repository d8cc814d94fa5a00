import type { GoldenRecordRow } from './golden-record.reader';
import type { Loaders } from './loaders';

/** A golden id resolved to its current record: itself, or the survivor of the merge that retired it. */
export interface GoldenLookup {
  requestedId: string;
  redirected: boolean;
  record: GoldenRecordRow;
}

// Redirects are kept one hop deep by resolution; a few hops more tolerate an interrupted rewrite.
const MAX_HOPS = 8;

/**
 * Follows `golden_redirect` from an id to the record that now stands for it. A retired id with no
 * survivor resolves to itself (status RETIRED). Unknown ids give null.
 *
 * @example
 * ```ts
 * await lookupGoldenRecord(loaders, 'G-OLD') // { requestedId: 'G-OLD', redirected: true, record: { id: 'G-NEW', ... } }
 * ```
 */
export async function lookupGoldenRecord(loaders: Loaders, id: string): Promise<GoldenLookup | null> {
  let record = await loaders.goldenRecord.load(id);
  if (!record) return null;
  const seen = new Set([record.id]);
  for (let hop = 0; hop < MAX_HOPS && record.redirectTo && !seen.has(record.redirectTo); hop++) {
    const next: GoldenRecordRow | null = await loaders.goldenRecord.load(record.redirectTo);
    if (!next) break;
    seen.add(next.id);
    record = next;
  }
  return { requestedId: id, redirected: record.id !== id, record };
}
