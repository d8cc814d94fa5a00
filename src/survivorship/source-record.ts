/**
 * One stored source record of a golden record, as survivorship reads it: the current version of
 * a `(source, sourceId)` record with its attributes.
 *
 * @example
 * ```ts
 * const record: SurvivorshipRecord = {
 *   recordId: 'r1', source: 'erp', sourceId: 'C-100045', version: 3,
 *   updatedAt: '2026-03-01T10:00:00.000Z', receivedAt: '2026-03-01T10:05:00.000Z',
 *   attributes: { name: 'Krüger Maschinenbau GmbH', phone: '+49 711 123456' },
 * };
 * ```
 */
export interface SurvivorshipRecord {
  recordId: string;
  source: string;
  sourceId: string;
  version: number;
  /** ISO-8601: when the source last changed the record; null when the source gave none. */
  updatedAt: string | null;
  /** ISO-8601: when the hub stored this version. */
  receivedAt: string;
  attributes: Record<string, unknown>;
}

/**
 * The instant a record's values date from, in epoch milliseconds: `updatedAt`, else `receivedAt`
 * (also when `updatedAt` does not parse). A record with neither is infinitely old.
 *
 * @example
 * ```ts
 * recordTimestamp({ ...record, updatedAt: null, receivedAt: '2026-01-01T00:00:00Z' }); // 1767225600000
 * ```
 */
export function recordTimestamp(record: Pick<SurvivorshipRecord, 'updatedAt' | 'receivedAt'>): number {
  const updated = record.updatedAt === null ? Number.NaN : Date.parse(record.updatedAt);
  if (!Number.isNaN(updated)) return updated;
  const received = Date.parse(record.receivedAt);
  return Number.isNaN(received) ? Number.NEGATIVE_INFINITY : received;
}

/**
 * Keeps one entry per `recordId`: the highest version (then the latest `receivedAt`). Callers
 * normally pass current versions only; this makes an accidental history row harmless.
 *
 * @example
 * ```ts
 * latestVersions([{ ...r, version: 1 }, { ...r, version: 2 }]).map((x) => x.version); // [2]
 * ```
 */
export function latestVersions(records: readonly SurvivorshipRecord[]): SurvivorshipRecord[] {
  const byId = new Map<string, SurvivorshipRecord>();
  for (const record of records) {
    const seen = byId.get(record.recordId);
    if (
      seen === undefined ||
      record.version > seen.version ||
      (record.version === seen.version && record.receivedAt > seen.receivedAt)
    ) {
      byId.set(record.recordId, record);
    }
  }
  return [...byId.values()];
}
