import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema';
import type { Watermark } from './source-adapter';

/** A feed's stored position (table `sync_watermark`, `sql/0007_sync.sql`). */
export interface StoredWatermark extends Watermark {
  source: string;
  feed: string;
  entities: string[];
  runId: string | null;
  mode: string;
  fullSyncAt: string | null;
  updatedAt: string;
}

interface Row {
  source: string;
  feed: string;
  entities: string;
  stamp: Date | string;
  last_key: string;
  run_id: string | null;
  mode: string;
  full_sync_at: Date | string | null;
  updated_at: Date | string;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

function toStored(r: Row): StoredWatermark {
  return {
    source: r.source,
    feed: r.feed,
    entities: r.entities.split(',').filter(Boolean),
    stamp: iso(r.stamp)!,
    key: r.last_key,
    runId: r.run_id === null ? null : String(r.run_id),
    mode: r.mode,
    fullSyncAt: iso(r.full_sync_at),
    updatedAt: iso(r.updated_at)!,
  };
}

/** The stored position of one feed, or null when it was never synced. */
export async function getWatermark(db: Kysely<DB>, source: string, feed: string): Promise<StoredWatermark | null> {
  const { rows } = await sql<Row>`SELECT * FROM sync_watermark WHERE source = ${source} AND feed = ${feed}`.execute(db);
  return rows[0] ? toStored(rows[0]) : null;
}

/** Every stored position of a source (all sources when `source` is omitted). */
export async function listWatermarks(db: Kysely<DB>, source?: string): Promise<StoredWatermark[]> {
  const { rows } = source
    ? await sql<Row>`SELECT * FROM sync_watermark WHERE source = ${source} ORDER BY source, feed`.execute(db)
    : await sql<Row>`SELECT * FROM sync_watermark ORDER BY source, feed`.execute(db);
  return rows.map(toStored);
}

/**
 * Moves a feed's position; call only after the records up to `watermark` are stored. A delta never
 * moves the position backwards (a full sync restarts from the beginning and may).
 *
 * @example
 * ```ts
 * await setWatermark(db, { source: 'erp', feed: 'A_Product', entities: ['product'], watermark, runId, mode: 'delta' });
 * ```
 */
export async function setWatermark(
  db: Kysely<DB>,
  w: { source: string; feed: string; entities: readonly string[]; watermark: Watermark; runId: string | null; mode: 'full' | 'delta' },
): Promise<void> {
  await sql`
    INSERT INTO sync_watermark (source, feed, entities, stamp, last_key, run_id, mode)
    VALUES (${w.source}, ${w.feed}, ${w.entities.join(',')}, ${w.watermark.stamp}::timestamptz, ${w.watermark.key}, ${w.runId}, ${w.mode})
    ON CONFLICT (source, feed) DO UPDATE SET
      entities = EXCLUDED.entities, stamp = EXCLUDED.stamp, last_key = EXCLUDED.last_key,
      run_id = EXCLUDED.run_id, mode = EXCLUDED.mode, updated_at = now()
    WHERE ${w.mode} = 'full'
       OR (sync_watermark.stamp, sync_watermark.last_key) <= (EXCLUDED.stamp, EXCLUDED.last_key)`.execute(db);
}

/** Records that a full sync of a feed read everything. */
export async function markFullSync(db: Kysely<DB>, source: string, feed: string): Promise<void> {
  await sql`UPDATE sync_watermark SET full_sync_at = now() WHERE source = ${source} AND feed = ${feed}`.execute(db);
}

/** Forgets the positions of a source (the next delta reads everything). */
export async function resetWatermarks(db: Kysely<DB>, source: string): Promise<number> {
  const result = await sql`DELETE FROM sync_watermark WHERE source = ${source}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
