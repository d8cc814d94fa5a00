import { type Kysely, sql } from 'kysely';
import { Repeater } from 'graphql-yoga';
import type { DB } from '../db/schema';
import { type MatchPairRow, pairsChangedSince, type QueueWatermark, queueWatermark } from './match-queue.service';

/**
 * Change feeds for subscriptions, fed by polling: golden-record changes from the `outbox` (id
 * watermark) and match-queue changes from `match_pair.updated_at` (watermark: updated_at, id).
 * Polling works on PGlite and PostgreSQL alike and needs no extra connection; each subscription
 * runs one indexed query per interval. A feed starts at the moment of subscribing (no replay:
 * `mdm events replay` and webhooks are the at-least-once path).
 *
 * @example
 * ```ts
 * for await (const event of goldenChangeFeed(db, { entity: 'customer' }, 500)) console.log(event.eventType, event.goldenId);
 * ```
 */
export interface OutboxEvent {
  id: string;
  eventType: string;
  entity: string;
  goldenId: string;
  goldenVersion: number;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** Polls until the subscriber leaves: `poll(watermark)` returns new items and the next watermark. */
function pollingFeed<W, T>(
  start: () => Promise<W>,
  poll: (watermark: W) => Promise<{ items: T[]; next: W }>,
  intervalMs: number,
  /** Items to send first, read once the watermark is taken (a catch-up up to the watermark). */
  catchUp?: (watermark: W) => Promise<T[]>,
): Repeater<T> {
  type Mark = W;
  return new Repeater<T>(async (push, stop) => {
    let stopped = false;
    void stop.then(() => (stopped = true));
    let watermark: Mark = (await start()) as Mark;
    for (const item of catchUp ? await catchUp(watermark) : []) {
      if (stopped) break;
      await push(item);
    }
    while (!stopped) {
      const { items, next } = await poll(watermark);
      watermark = next as Mark;
      for (const item of items) {
        if (stopped) break;
        await push(item);
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([new Promise((r) => (timer = setTimeout(r, intervalMs))), stop]);
      clearTimeout(timer);
    }
  });
}

/**
 * Golden-record change events (outbox rows) after now, filtered by entity type and/or golden id.
 * With a golden id and `sinceVersion` (the version the subscriber shows), the changes of that
 * golden record past that version that happened before the feed started come first, so a change
 * made between reading a record and subscribing to it is not missed.
 */
export function goldenChangeFeed(db: Kysely<DB>, filter: { entity?: string | null; goldenId?: string | null; sinceVersion?: number | null }, intervalMs: number): AsyncIterable<OutboxEvent> {
  const wanted = (e: OutboxEvent) =>
    (!filter.entity || e.entity === filter.entity) &&
    // A merge is announced on the survivor; a subscriber to a merged-away id hears it too.
    (!filter.goldenId || e.goldenId === filter.goldenId || (Array.isArray(e.payload.losers) && e.payload.losers.includes(filter.goldenId)));
  return pollingFeed(
    async () => {
      const row = await sql<{ id: string | null }>`SELECT max(id)::text AS id FROM outbox`.execute(db);
      return row.rows[0]?.id ?? '0';
    },
    async (after: string) => {
      const rows = await db
        .selectFrom('outbox')
        .select(['id', 'event_type', 'entity', 'golden_id', 'golden_version', 'payload', 'created_at'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(500)
        .execute();
      const events = rows.map(toEvent);
      return { items: events.filter(wanted), next: events.at(-1)?.id ?? after };
    },
    intervalMs,
    filter.goldenId && filter.sinceVersion !== null && filter.sinceVersion !== undefined
      ? async (upTo: string) => {
          const rows = await db
            .selectFrom('outbox')
            .select(['id', 'event_type', 'entity', 'golden_id', 'golden_version', 'payload', 'created_at'])
            .where('golden_id', '=', filter.goldenId!)
            .where('golden_version', '>', filter.sinceVersion!)
            .where('id', '<=', upTo)
            .orderBy('id')
            .limit(100)
            .execute();
          return rows.map(toEvent).filter(wanted);
        }
      : undefined,
  );
}

function toEvent(r: { id: string | number; event_type: string; entity: string; golden_id: string; golden_version: number; payload: unknown; created_at: Date | string }): OutboxEvent {
  return {
    id: String(r.id),
    eventType: r.event_type,
    entity: r.entity,
    goldenId: r.golden_id,
    goldenVersion: r.golden_version,
    payload: r.payload as Record<string, unknown>,
    createdAt: new Date(r.created_at),
  };
}

/** Match pairs that changed (queued, re-scored, deferred, decided, obsoleted) after now. */
export function matchQueueFeed(db: Kysely<DB>, filter: { entity?: string | null }, intervalMs: number): AsyncIterable<MatchPairRow> {
  return pollingFeed(
    () => queueWatermark(db),
    async (since: QueueWatermark) => {
      const { rows, next } = await pairsChangedSince(db, since, filter.entity);
      return { items: rows, next };
    },
    intervalMs,
  );
}
