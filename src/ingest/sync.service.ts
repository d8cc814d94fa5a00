/**
 * Pulls a configured source system into source records: feed by feed, page by page. Each page is
 * validated (bad payloads go to quarantine with the source, entity, key and reason; the rest of
 * the page lands); pages are stored in batches (`storeInLanes`), and only once a batch is stored
 * is the feed's watermark moved past it. A crash therefore re-reads at most the batches in flight,
 * and storage is idempotent, so no record is lost or duplicated. The next pages are read while a
 * batch is stored. Each run is recorded in `ingest_run` (kind `sync`, mode full or delta).
 *
 * @example
 * ```ts
 * const config = await loadSourcesConfig('sources.json');
 * const result = await syncSource(database, findSource(config, 'erp'), { mode: 'delta' });
 * // { runId: '12', source: 'erp', mode: 'delta', read: 42, inserted: 3, updated: 5, ... }
 * ```
 */
import { createHash } from 'node:crypto';
import type { CanonicalRecord, EntityType } from '../core/entities';
import { logger as defaultLogger, type Logger } from '../core/logger';
import type { Database } from '../db/database';
import { createSourceAdapter } from './adapters';
import { validateCanonical } from './canonical-record';
import type { HttpClientOptions } from './http-client';
import { finishRun, type RunCounts, startRun, updateRunCounts } from './ingest-run.repository';
import { addToQuarantine, type QuarantineEntry } from './quarantine.repository';
import { excerptOf, type SourceAdapter, type SourcePage, type Watermark } from './source-adapter';
import { emptyStoreCounts, type RecordToStore, type StoreCounts, storeRecords } from './source-record.repository';
import type { SourceConfig } from './sources-config';
import { getWatermark, markFullSync, setWatermark } from './watermark.repository';

export type SyncMode = 'full' | 'delta';

export interface SyncOptions {
  mode?: SyncMode;
  /** Only the feeds that yield this entity type. */
  entity?: EntityType;
  signal?: AbortSignal;
  /** Stop after this many stored batches, as a crash would (tests). */
  stopAfterPages?: number;
  /** Records stored per transaction (default: the source's `batchSize`, else 5000). */
  batchSize?: number;
  /** Overrides for the HTTP client (tests: sleep, fetch, onRetry). */
  http?: Partial<HttpClientOptions>;
  /** Use this adapter instead of building one from the configuration. */
  adapter?: SourceAdapter;
  logger?: Logger;
  onProgress?: (progress: { feed: string; pages: number; counts: RunCounts }) => void;
}

export interface FeedResult {
  feed: string;
  pages: number;
  read: number;
  watermark: string | null;
}

export interface SyncResult extends RunCounts {
  runId: string;
  source: string;
  mode: SyncMode;
  feeds: FeedResult[];
  requests: number;
  retries: number;
  seconds: number;
  /** True when the run stopped early (`stopAfterPages`). */
  stopped: boolean;
}

/** Another sync of the same source is running (in this process or, on PostgreSQL, in another). */
export class SyncBusyError extends Error {
  override readonly name = 'SyncBusyError';
}

/** Thrown to end a run early in tests (`stopAfterPages`). */
class StopRun extends Error {}

const runningHere = new Set<string>();

async function withSourceLock<T>(database: Database, source: string, fn: () => Promise<T>): Promise<T> {
  if (runningHere.has(source)) throw new SyncBusyError(`a sync of source ${source} is already running`);
  runningHere.add(source);
  try {
    if (database.kind !== 'postgres') return await fn();
    // Across processes: a session advisory lock on a connection of its own, held for the run.
    const client = await database.pool.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`mdm-sync:${source}`]);
      if (!rows[0]?.ok) throw new SyncBusyError(`a sync of source ${source} is already running in another process`);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`mdm-sync:${source}`]).catch(() => undefined);
      }
    } finally {
      client.release();
    }
  } finally {
    runningHere.delete(source);
  }
}

/**
 * Runs one full or delta sync of a source. Full reads every record from the beginning; delta
 * reads from each feed's watermark (minus the configured overlap).
 */
export async function syncSource(database: Database, config: SourceConfig, options: SyncOptions = {}): Promise<SyncResult> {
  const mode: SyncMode = options.mode ?? 'delta';
  const log = options.logger ?? defaultLogger;
  return withSourceLock(database, config.name, async () => {
    const started = Date.now();
    const built = options.adapter ? { adapter: options.adapter, http: null } : createSourceAdapter(config, options.http);
    const adapter = built.adapter;
    const { db } = database;
    const runId = await startRun(db, { kind: 'sync', source: config.name, entity: options.entity ?? null, mode });
    const counts: RunCounts = { read: 0, inserted: 0, updated: 0, unchanged: 0, stale: 0, deleted: 0, quarantined: 0 };
    const feeds: FeedResult[] = [];
    let pagesStored = 0;
    let stopped = false;
    log.info({ source: config.name, mode, runId }, 'sync started');
    try {
      for (const feed of adapter.feeds) {
        if (options.entity && !feed.entities.includes(options.entity)) continue;
        const since = mode === 'delta' ? await getWatermark(db, config.name, feed.name) : null;
        const result: FeedResult = { feed: feed.name, pages: 0, read: 0, watermark: since?.stamp ?? null };
        feeds.push(result);
        const iterator = feed.pages({ since, signal: options.signal })[Symbol.asyncIterator]();
        const batchSize = options.batchSize ?? config.batchSize ?? 5000;
        // Pages are gathered into batches of about `batchSize` records, one transaction each;
        // the watermark moves to the batch's last page only once the batch is stored.
        let batch: PreparedPage = emptyPrepared();
        const flush = async () => {
          if (batch.rows === 0 && batch.items === 0) return;
          const stored = batch;
          batch = emptyPrepared();
          await storePage(database, config.name, feed.name, feed.entities, mode, runId, stored, counts);
          result.read += stored.rows;
          if (stored.watermark) result.watermark = stored.watermark.stamp;
          pagesStored++;
          options.onProgress?.({ feed: feed.name, pages: result.pages, counts });
          if (options.stopAfterPages !== undefined && pagesStored >= options.stopAfterPages) throw new StopRun();
        };
        // While a batch is stored, the next pages are fetched, mapped, validated and serialized
        // (up to one batch ahead), so the database and this process work at the same time.
        const prepareOptions = { source: config.name, feed: feed.name, runId, keepSourcePayload: config.keepSourcePayload !== false };
        const queue: PreparedPage[] = [];
        let queued = 0;
        let finished = false;
        let failure: unknown;
        let stopping = false;
        const wake: { consumer: (() => void) | null; producer: (() => void) | null } = { consumer: null, producer: null };
        const producer = (async () => {
          try {
            for (;;) {
              while (queued >= batchSize && !stopping) await new Promise<void>((r) => (wake.producer = r));
              if (stopping) break;
              const step = await iterator.next();
              if (step.done) break;
              const page = preparePage(step.value, prepareOptions);
              queue.push(page);
              queued += page.items;
              wake.consumer?.();
            }
          } catch (error) {
            failure = error;
          } finally {
            finished = true;
            wake.consumer?.();
          }
        })();
        try {
          for (;;) {
            while (queue.length === 0 && !finished) await new Promise<void>((r) => (wake.consumer = r));
            wake.consumer = null;
            if (failure) throw failure;
            const page = queue.shift();
            if (!page) break;
            queued -= page.items;
            wake.producer?.();
            wake.producer = null;
            for (const r of page.records) batch.records.push(r);
            for (const q of page.quarantine) batch.quarantine.push(q);
            batch.items += page.items;
            batch.rows += page.rows;
            if (page.watermark) batch.watermark = page.watermark;
            result.pages++;
            if (batch.items >= batchSize) await flush();
          }
          if (failure) throw failure;
          await flush();
        } catch (error) {
          stopping = true;
          wake.producer?.();
          await producer;
          await iterator.return?.(undefined).catch(() => undefined);
          throw error;
        }
        if (mode === 'full') await markFullSync(db, config.name, feed.name);
        log.info({ source: config.name, feed: feed.name, pages: result.pages, read: result.read }, 'feed synced');
      }
      await finishRun(db, runId, counts, 'succeeded');
    } catch (error) {
      if (error instanceof StopRun) {
        stopped = true;
        await finishRun(db, runId, counts, 'failed', `stopped after ${pagesStored} pages`);
      } else {
        const message = (error as Error).message;
        await finishRun(db, runId, counts, 'failed', message).catch(() => undefined);
        log.error({ source: config.name, mode, runId, error: message }, 'sync failed');
        throw error;
      }
    }
    const seconds = (Date.now() - started) / 1000;
    log.info({ source: config.name, mode, runId, read: counts.read, seconds }, 'sync finished');
    return {
      runId,
      source: config.name,
      mode,
      ...counts,
      feeds,
      requests: built.http?.attempts ?? 0,
      retries: built.http?.retries ?? 0,
      seconds,
      stopped,
    };
  });
}

/**
 * A validated record with its raw JSON text and content hash, serializing the raw record once: the
 * hash equals `contentHash(record)` (md5 of `[updatedAt, deleted, raw]`), which the text already
 * holds the largest part of.
 *
 * @example
 * ```ts
 * const item = toStore(record); // { record, rawText: '{"entity":...}', hash: contentHash(record) }
 * ```
 */
export function toStore(record: CanonicalRecord): RecordToStore & { rawText: string } {
  const rawText = JSON.stringify(record.raw);
  const hash = createHash('md5').update(`[${JSON.stringify(record.updatedAt)},${record.deleted},${rawText}]`).digest('base64url');
  return { record, hash, rawText };
}

/** A page made ready to store: valid records with their hash and JSON text, and what to quarantine. */
interface PreparedPage {
  records: RecordToStore[];
  quarantine: QuarantineEntry[];
  /** Mapped items (records + quarantined); batches are cut by this count. */
  items: number;
  rows: number;
  watermark: Watermark | null;
}

const emptyPrepared = (): PreparedPage => ({ records: [], quarantine: [], items: 0, rows: 0, watermark: null });

/** Validates, hashes and serializes a fetched page (the CPU work of a sync that needs no database). */
function preparePage(page: SourcePage, o: { source: string; feed: string; runId: string; keepSourcePayload: boolean }): PreparedPage {
  const out: PreparedPage = { records: [], quarantine: [], items: page.items.length, rows: page.rows, watermark: page.watermark };
  const { source, feed, runId } = o;
  for (const item of page.items) {
    if (!item.ok) {
      out.quarantine.push({ runId, source, entity: item.entity, sourceId: item.sourceId, excerpt: item.excerpt, reason: `${feed}: ${item.reason}` });
      continue;
    }
    if (!o.keepSourcePayload) delete item.input.sourcePayload;
    const result = validateCanonical(item.input, { defaultSource: source });
    if (result.ok) out.records.push(toStore(result.record));
    else {
      out.quarantine.push({
        runId,
        source,
        entity: result.entity ?? null,
        sourceId: result.sourceId ?? null,
        excerpt: excerptOf(item.input.sourcePayload ?? item.input),
        reason: `${feed}: ${result.reason}`,
      });
    }
  }
  return out;
}

/** Below this many records per lane a batch is stored on one connection. */
const MIN_LANE = 500;

/** Splits records into up to `lanes` groups by key, keeping the input order within each. */
function splitLanes(records: RecordToStore[], lanes: number): RecordToStore[][] {
  const n = Math.max(1, Math.min(lanes, Math.floor(records.length / MIN_LANE)));
  if (n === 1) return records.length > 0 ? [records] : [];
  const out: RecordToStore[][] = Array.from({ length: n }, () => []);
  for (const item of records) {
    const { entity, sourceId } = item.record;
    let h = 2166136261;
    for (let i = 0; i < sourceId.length; i++) h = Math.imul(h ^ sourceId.charCodeAt(i), 16777619);
    h = Math.imul(h ^ entity.charCodeAt(0) ^ (entity.length << 8), 16777619);
    out[(h >>> 0) % n].push(item);
  }
  return out.filter((lane) => lane.length > 0);
}

/**
 * Stores a batch of records on several connections at once where the database allows it
 * (`writeConcurrency`): a key always goes to the same lane, so the versions of one record are
 * applied in order. Each lane is a transaction of its own; when one fails the error is thrown
 * once all have finished (a re-read of the batch is idempotent).
 *
 * @example
 * ```ts
 * const counts = await storeInLanes(database, [toStore(record)], runId); // { inserted: 1, ... }
 * ```
 */
export async function storeInLanes(database: Database, records: RecordToStore[], runId: string | null): Promise<StoreCounts> {
  const counts = emptyStoreCounts();
  const results = await Promise.allSettled(splitLanes(records, database.writeConcurrency).map((lane) => storeRecords(database, lane, runId)));
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  for (const r of results) {
    const stored = (r as PromiseFulfilledResult<StoreCounts>).value;
    for (const k of Object.keys(stored) as Array<keyof StoreCounts>) counts[k] += stored[k];
  }
  return counts;
}

async function storePage(
  database: Database,
  source: string,
  feed: string,
  entities: readonly string[],
  mode: SyncMode,
  runId: string,
  page: PreparedPage,
  counts: RunCounts,
): Promise<void> {
  counts.read += page.rows;
  const stored = await storeInLanes(database, page.records, runId);
  for (const k of Object.keys(stored) as Array<keyof typeof stored>) counts[k] += stored[k];
  if (page.quarantine.length > 0) {
    counts.quarantined += page.quarantine.length;
    await addToQuarantine(database.db, page.quarantine);
  }
  // Only now, with the page stored, may the feed's position move past it.
  if (page.watermark) await setWatermark(database.db, { source, feed, entities, watermark: page.watermark, runId, mode });
  await updateRunCounts(database.db, runId, counts);
}
