import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import {
  type CrossReferenceRow,
  type GoldenRecordRow,
  goldenRecordsByIds,
  memberAttributesByGoldenIds,
  redirectsTo,
  xrefsByGoldenIds,
  xrefsByKeys,
  type XrefKey,
} from './golden-record.reader';

/**
 * The request's dataloaders: each batches every load of one GraphQL execution tick into one
 * query and caches for the request only (a new set is made per request, so nothing is shared
 * between callers with different keys).
 *
 * @example
 * ```ts
 * const loaders = createLoaders(db);
 * const [a, b] = await Promise.all([loaders.goldenRecord.load('G-1'), loaders.goldenRecord.load('G-2')]); // one query
 * ```
 */
export interface Loaders {
  goldenRecord: DataLoader<string, GoldenRecordRow | null>;
  crossReferences: DataLoader<string, CrossReferenceRow[]>;
  crossReference: DataLoader<XrefKey, CrossReferenceRow | null, string>;
  redirectedFrom: DataLoader<string, string[]>;
  /** Attributes built from member source records when survivorship has not written any yet. */
  provisionalAttributes: DataLoader<string, Record<string, unknown>>;
}

const xrefKey = (k: XrefKey) => `${k.entity}\u0000${k.source}\u0000${k.sourceId}`;

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/**
 * Per attribute, the non-null value of the most recently updated member (ties: source, source id).
 * A stand-in until survivorship writes golden attributes with lineage.
 */
function provisional(members: Array<{ source: string; sourceId: string; updatedAt: Date | null; attributes: Record<string, unknown> }>): Record<string, unknown> {
  const ordered = [...members].sort(
    (a, b) =>
      (b.updatedAt?.getTime() ?? -Infinity) - (a.updatedAt?.getTime() ?? -Infinity) ||
      a.source.localeCompare(b.source) ||
      a.sourceId.localeCompare(b.sourceId),
  );
  const out: Record<string, unknown> = {};
  for (const m of ordered) {
    for (const [k, v] of Object.entries(m.attributes)) if (out[k] === undefined && v !== null && v !== undefined) out[k] = v;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

export function createLoaders(db: Kysely<DB>, options: { maxBatchSize?: number } = {}): Loaders {
  const maxBatchSize = options.maxBatchSize ?? 1000;
  return {
    goldenRecord: new DataLoader(
      async (ids) => {
        const byId = new Map((await goldenRecordsByIds(db, ids)).map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      { maxBatchSize },
    ),
    crossReferences: new DataLoader(
      async (ids) => {
        const grouped = groupBy(await xrefsByGoldenIds(db, ids), (r) => r.goldenId);
        return ids.map((id) => grouped.get(id) ?? []);
      },
      { maxBatchSize },
    ),
    crossReference: new DataLoader(
      async (keys) => {
        const byKey = new Map((await xrefsByKeys(db, keys)).map((r) => [xrefKey(r), r]));
        return keys.map((k) => byKey.get(xrefKey(k)) ?? null);
      },
      { maxBatchSize, cacheKeyFn: xrefKey },
    ),
    redirectedFrom: new DataLoader(
      async (ids) => {
        const grouped = groupBy(await redirectsTo(db, ids), (r) => r.toId);
        return ids.map((id) => (grouped.get(id) ?? []).map((r) => r.fromId));
      },
      { maxBatchSize },
    ),
    provisionalAttributes: new DataLoader(
      async (ids) => {
        const grouped = groupBy(await memberAttributesByGoldenIds(db, ids), (r) => r.goldenId);
        return ids.map((id) => provisional(grouped.get(id) ?? []));
      },
      { maxBatchSize },
    ),
  };
}
