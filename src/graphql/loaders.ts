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
  type XrefWithGolden,
  xrefsWithGoldenByKeys,
  type XrefKey,
} from './golden-record.reader';
import { type GoldenVersionRow, historyByGoldenIds, movesByGoldenIds, statesAsOf, type XrefMoveRow, xrefsAsOf } from './history.reader';
import { goldenIdsBySerialNumbers, incomingLinks, outgoingLinks, type SourceRecordRow, sourceRecordsByIds } from './relationship.reader';

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
  /** Golden ids a record references, by `linkKey(id, relation)` (golden_link, outgoing). */
  outgoing: DataLoader<string, string[]>;
  /** Golden ids of `fromEntity` that reference a record, by `linkKey(id, relation, fromEntity)`. */
  incoming: DataLoader<string, string[]>;
  /** Every version of a golden record, newest first. */
  history: DataLoader<string, GoldenVersionRow[]>;
  /** Source-record moves into or out of a golden record, oldest first. */
  moves: DataLoader<string, XrefMoveRow[]>;
  /** The version valid at a time, by `timedKey(at, id)`. */
  stateAsOf: DataLoader<string, GoldenVersionRow | null>;
  /** Cross-references at a time, by `timedKey(at, id)`. */
  crossReferencesAsOf: DataLoader<string, CrossReferenceRow[]>;
  sourceRecord: DataLoader<string, SourceRecordRow | null>;
  /** Golden ids of serial units whose serial number has the same serial key (sql/0006). */
  serialUnitsBySerial: DataLoader<string, string[]>;
  /** Golden ids of installed assets whose serial number has the same serial key. */
  assetsBySerial: DataLoader<string, string[]>;
}

/** Key of the `outgoing` / `incoming` loaders. */
export const linkKey = (...parts: string[]) => parts.join('\u0000');
/** Key of the as-of loaders. */
export const timedKey = (at: Date, id: string) => `${at.toISOString()}\u0000${id}`;

/** Drops every cached value (after a mutation changed what the loaders read). */
export function clearLoaders(loaders: Loaders): void {
  for (const loader of Object.values(loaders)) (loader as DataLoader<unknown, unknown>).clearAll();
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

/** Timed keys grouped by time: one query per distinct time (a request rarely has more than one). */
function byTime(keys: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of keys) {
    const [at, id] = k.split('\u0000');
    out.set(at, [...(out.get(at) ?? []), id]);
  }
  return out;
}

async function bySerial(db: Kysely<DB>, entity: 'serial' | 'asset', serials: readonly string[]): Promise<string[][]> {
  const grouped = groupBy(await goldenIdsBySerialNumbers(db, entity, serials), (r) => r.value);
  return serials.map((s) => [...new Set((grouped.get(s) ?? []).map((r) => r.goldenId))]);
}

/**
 * Cross-reference lookups of concurrent requests, sent to the database as one statement. Every
 * request has its own loaders (their caches are never shared), but translations arrive many at a
 * time from integrations: the lookups that requests ask for within one turn of the event loop go
 * out together (a statement per turn rather than per request: on the benchmark machine a statement's
 * round trip, the socket write alone, cost about a tenth of a translation's CPU). Rows are read-only
 * values; the callers build what they answer from them.
 */
const sharedXrefLookups = new WeakMap<Kysely<DB>, DataLoader<XrefKey, XrefWithGolden | null, string>>();

function sharedXrefLookup(db: Kysely<DB>): DataLoader<XrefKey, XrefWithGolden | null, string> {
  let loader = sharedXrefLookups.get(db);
  if (!loader) {
    loader = new DataLoader(
      async (keys) => {
        const found = new Map((await xrefsWithGoldenByKeys(db, keys)).map((f) => [xrefKey(f.xref), f]));
        return keys.map((k) => found.get(xrefKey(k)) ?? null);
      },
      // No cache: a lookup is answered by the statement it went out with, never by an earlier one.
      { cache: false, cacheKeyFn: xrefKey, maxBatchSize: 1000, batchScheduleFn: (send) => setImmediate(send) },
    );
    sharedXrefLookups.set(db, loader);
  }
  return loader;
}

export function createLoaders(db: Kysely<DB>, options: { maxBatchSize?: number } = {}): Loaders {
  const maxBatchSize = options.maxBatchSize ?? 1000;
  const loaders: Loaders = {
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
    // Also loads each golden record and its cross-references (one query; what a translation reads next).
    crossReference: new DataLoader(
      async (keys) => {
        const found = await sharedXrefLookup(db).loadMany(keys);
        return found.map((f) => {
          if (f instanceof Error) throw f;
          if (!f) return null;
          loaders.goldenRecord.prime(f.record.id, f.record);
          loaders.crossReferences.prime(f.record.id, f.siblings);
          return f.xref;
        });
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
    outgoing: new DataLoader(
      async (keys) => {
        const split = keys.map((k) => k.split('\u0000'));
        const rows = await outgoingLinks(db, [...new Set(split.map((p) => p[0]))], [...new Set(split.map((p) => p[1]))]);
        const grouped = groupBy(rows, (r) => linkKey(r.fromId, r.relation));
        return keys.map((k) => [...new Set((grouped.get(k) ?? []).map((r) => r.toId))]);
      },
      { maxBatchSize },
    ),
    incoming: new DataLoader(
      async (keys) => {
        const split = keys.map((k) => k.split('\u0000'));
        const rows = await incomingLinks(db, [...new Set(split.map((p) => p[0]))], [...new Set(split.map((p) => p[1]))]);
        const grouped = groupBy(rows, (r) => linkKey(r.toId, r.relation, r.fromEntity));
        return keys.map((k) => [...new Set((grouped.get(k) ?? []).map((r) => r.fromId))]);
      },
      { maxBatchSize },
    ),
    history: new DataLoader(
      async (ids) => {
        const grouped = groupBy(await historyByGoldenIds(db, ids), (r) => r.goldenId);
        return ids.map((id) => grouped.get(id) ?? []);
      },
      { maxBatchSize },
    ),
    moves: new DataLoader(
      async (ids) => {
        const rows = await movesByGoldenIds(db, ids);
        return ids.map((id) => rows.filter((r) => r.toGolden === id || r.fromGolden === id));
      },
      { maxBatchSize },
    ),
    stateAsOf: new DataLoader(
      async (keys) => {
        const out = new Map<string, GoldenVersionRow>();
        for (const [at, ids] of byTime(keys)) {
          for (const row of await statesAsOf(db, ids, new Date(at))) out.set(`${at}\u0000${row.goldenId}`, row);
        }
        return keys.map((k) => out.get(k) ?? null);
      },
      { maxBatchSize },
    ),
    crossReferencesAsOf: new DataLoader(
      async (keys) => {
        const out = new Map<string, CrossReferenceRow[]>();
        for (const [at, ids] of byTime(keys)) {
          for (const [id, rows] of groupBy(await xrefsAsOf(db, ids, new Date(at)), (r) => r.goldenId)) out.set(`${at}\u0000${id}`, rows);
        }
        return keys.map((k) => out.get(k) ?? []);
      },
      { maxBatchSize },
    ),
    sourceRecord: new DataLoader(
      async (ids) => {
        const byId = new Map((await sourceRecordsByIds(db, ids)).map((r) => [r.recordId, r]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      { maxBatchSize },
    ),
    serialUnitsBySerial: new DataLoader((serials) => bySerial(db, 'serial', serials), { maxBatchSize }),
    assetsBySerial: new DataLoader((serials) => bySerial(db, 'asset', serials), { maxBatchSize }),
  };
  return loaders;
}
