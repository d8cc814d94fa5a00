import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema';
import type { OutboxEvent } from './cloud-event';

/**
 * The `horizon` CTE: the oldest transaction id that may still commit an outbox row of this database.
 * It is the statement snapshot's oldest running transaction, except that transactions seen running
 * in another database of the same server (`pg_stat_activity`, prepared transactions) are left out:
 * they cannot write this outbox, and a long one (a dump, a resolve of another hub, a test) would
 * otherwise hold every event here. A transaction of the snapshot that has ended by the time
 * `pg_stat_activity` is read cannot be placed and still counts, so the horizon errs only on the
 * late side. Transaction ids are 64-bit (`xid8`); the views show the low 32 bits.
 */
export const outboxHorizon = sql`horizon AS (
      SELECT coalesce((
        SELECT min(r) FROM pg_snapshot_xip(s.snap) r
        WHERE (r::text::bigint % 4294967296) NOT IN (
          SELECT a.backend_xid::text::bigint FROM pg_stat_activity a
          WHERE a.backend_xid IS NOT NULL AND a.datid IS NOT NULL
            AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database())
          UNION ALL
          SELECT p.transaction::text::bigint FROM pg_prepared_xacts p WHERE p.database <> current_database())
      ), pg_snapshot_xmax(s.snap)) AS xmin
      FROM (SELECT pg_current_snapshot() AS snap) s
    )`;

/** What a subscriber receives: null lists mean "all". */
export interface SubscriberFilter {
  entities: string[] | null;
  eventTypes: string[] | null;
}

/**
 * Moves the next outbox events past a subscriber's cursor into its delivery queue (those that match
 * its filter and were not committed before the subscriber was added: its start snapshot, sql/0012)
 * and advances the cursor, in one statement. Only events whose writing transaction is
 * older than every transaction still running in this database are read (see `outboxHorizon`), in
 * (tx_id, id) order, so an event that commits late with a lower id is never skipped. The cursor
 * row is claimed with `SKIP LOCKED`: when another hub process is fanning out this subscriber, this
 * call does nothing.
 *
 * @example
 * ```ts
 * const { scanned, queued } = await fanOut(db, '3', { entities: ['customer'], eventTypes: null }, 2000);
 * ```
 */
export async function fanOut(db: Kysely<DB>, subscriberId: string, filter: SubscriberFilter, limit: number): Promise<{ scanned: number; queued: number }> {
  const { rows } = await sql<{ scanned: number; queued: number }>`
    WITH ${outboxHorizon}, cur AS (
      SELECT tx_id, outbox_id, start_snapshot FROM subscriber_cursor WHERE subscriber_id = ${subscriberId} FOR UPDATE SKIP LOCKED
    ), batch AS (
      SELECT o.id, o.tx_id, o.entity, o.event_type, o.golden_id, o.golden_version, o.created_at
      FROM outbox o, cur, horizon
      WHERE (o.tx_id, o.id) > (cur.tx_id, cur.outbox_id) AND o.tx_id < horizon.xmin
      ORDER BY o.tx_id, o.id
      LIMIT ${limit}
    ), last AS (
      SELECT tx_id, id FROM batch ORDER BY tx_id DESC, id DESC LIMIT 1
    ), queued AS (
      INSERT INTO delivery (subscriber_id, outbox_id, golden_id, golden_version, event_created_at)
      SELECT ${subscriberId}, b.id, b.golden_id, b.golden_version, b.created_at FROM batch b, cur
      WHERE (${filter.entities}::text[] IS NULL OR b.entity = ANY(${filter.entities}::text[]))
        AND (${filter.eventTypes}::text[] IS NULL OR b.event_type = ANY(${filter.eventTypes}::text[]))
        AND (cur.start_snapshot IS NULL OR NOT pg_visible_in_snapshot(b.tx_id, cur.start_snapshot))
      ON CONFLICT DO NOTHING
      RETURNING 1
    ), moved AS (
      UPDATE subscriber_cursor c SET tx_id = last.tx_id, outbox_id = last.id, updated_at = now(),
        start_snapshot = CASE WHEN last.tx_id >= pg_snapshot_xmax(c.start_snapshot) THEN NULL ELSE c.start_snapshot END
      FROM last WHERE c.subscriber_id = ${subscriberId}
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM batch)::int AS scanned, (SELECT count(*) FROM queued)::int AS queued,
           (SELECT count(*) FROM moved)::int AS moved`.execute(db);
  return rows[0] ?? { scanned: 0, queued: 0 };
}

/** A delivery claimed by this process, with its event. */
export interface ClaimedDelivery {
  event: OutboxEvent;
  /** 1 for the first attempt. */
  attempt: number;
}

const PAGE = 2000;

/**
 * Claims up to `limit` due deliveries of a subscriber for this process (`claimedBy`) for
 * `leaseSeconds`. A delivery is due only when it is the oldest undelivered event of its golden
 * record for this subscriber: no earlier event of that golden is queued, in flight, retrying,
 * dead-lettered, or still in the outbox past the cursor (per golden record, outbox id order is
 * golden_version order: changes of one golden record are written one after the other).
 *
 * The queue is read in outbox id order, page by page, up to `scanLimit` rows, so a claim costs the
 * same however long the queue is; the first row of each golden record is its head. Rows claimed by
 * another process are skipped (`SKIP LOCKED`, lease), so several hub processes never deliver the
 * same event at once.
 */
export async function claimDeliveries(
  db: Kysely<DB>,
  subscriberId: string,
  claimedBy: string,
  limit: number,
  leaseSeconds: number,
  scanLimit = 20 * PAGE,
): Promise<ClaimedDelivery[]> {
  const seen = new Set<string>();
  const heads: string[] = [];
  let after = '0';
  for (let scanned = 0; scanned < scanLimit && heads.length < limit; ) {
    const { rows } = await sql<{ outbox_id: string; golden_id: string; ready: boolean }>`
      SELECT d.outbox_id, d.golden_id,
        (d.next_attempt_at <= now() AND (d.claimed_until IS NULL OR d.claimed_until < now())
          AND NOT EXISTS (
            SELECT 1 FROM dead_letter x
            WHERE x.subscriber_id = d.subscriber_id AND x.golden_id = d.golden_id AND x.outbox_id < d.outbox_id)) AS ready
      FROM delivery d
      WHERE d.subscriber_id = ${subscriberId} AND d.outbox_id > ${after}
      ORDER BY d.outbox_id
      LIMIT ${PAGE}`.execute(db);
    for (const r of rows) {
      if (seen.has(r.golden_id)) continue;
      seen.add(r.golden_id);
      if (r.ready) heads.push(String(r.outbox_id));
      if (heads.length >= limit) break;
    }
    scanned += rows.length;
    if (rows.length < PAGE) break;
    after = String(rows[rows.length - 1].outbox_id);
  }
  if (heads.length === 0) return [];
  const { rows } = await sql<{
    id: string; event_type: string; entity: string; golden_id: string; golden_version: number;
    payload: Record<string, unknown>; correlation_id: string | null; created_at: Date; attempts: number;
  }>`
    WITH cur AS (
      SELECT tx_id, outbox_id FROM subscriber_cursor WHERE subscriber_id = ${subscriberId}
    ), due AS (
      SELECT d.subscriber_id, d.outbox_id FROM delivery d
      WHERE d.subscriber_id = ${subscriberId} AND d.outbox_id = ANY(${heads}::bigint[])
        AND d.next_attempt_at <= now()
        AND (d.claimed_until IS NULL OR d.claimed_until < now())
        AND NOT EXISTS (
          SELECT 1 FROM outbox o, cur
          WHERE o.golden_id = d.golden_id
            AND (o.golden_version, o.id) < (d.golden_version, d.outbox_id)
            AND (o.tx_id, o.id) > (cur.tx_id, cur.outbox_id))
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE delivery d
    SET claimed_by = ${claimedBy}, claimed_until = now() + make_interval(secs => ${leaseSeconds}), attempts = d.attempts + 1
    FROM due, outbox o
    WHERE d.subscriber_id = due.subscriber_id AND d.outbox_id = due.outbox_id AND o.id = d.outbox_id
    RETURNING o.id, o.event_type, o.entity, o.golden_id, o.golden_version, o.payload, o.correlation_id, o.created_at, d.attempts`.execute(db);
  return rows
    .map((r) => ({
      attempt: r.attempts,
      event: {
        id: String(r.id), eventType: r.event_type, entity: r.entity, goldenId: r.golden_id, goldenVersion: r.golden_version,
        payload: r.payload, correlationId: r.correlation_id, createdAt: new Date(r.created_at),
      },
    }))
    .sort((a, b) => (BigInt(a.event.id) < BigInt(b.event.id) ? -1 : 1));
}

/** Acknowledged deliveries leave the queue. */
export async function completeDeliveries(db: Kysely<DB>, subscriberId: string, outboxIds: string[]): Promise<void> {
  if (outboxIds.length === 0) return;
  await sql`DELETE FROM delivery WHERE subscriber_id = ${subscriberId} AND outbox_id = ANY(${outboxIds}::bigint[])`.execute(db);
}

export interface FailedDelivery {
  outboxId: string;
  status: number | null;
  error: string;
  /** Seconds until the next attempt. */
  retryInSeconds: number;
}

/** Failed attempts wait for their next attempt; only this process's claims are touched. */
export async function retryDeliveries(db: Kysely<DB>, subscriberId: string, claimedBy: string, failed: FailedDelivery[]): Promise<void> {
  if (failed.length === 0) return;
  await sql`
    UPDATE delivery d
    SET next_attempt_at = now() + make_interval(secs => f.delay), claimed_by = NULL, claimed_until = NULL,
        last_status = f.status, last_error = f.error
    FROM unnest(${failed.map((f) => f.outboxId)}::bigint[], ${failed.map((f) => f.retryInSeconds)}::float8[],
                ${failed.map((f) => f.status)}::int[], ${failed.map((f) => f.error)}::text[]) AS f(id, delay, status, error)
    WHERE d.subscriber_id = ${subscriberId} AND d.outbox_id = f.id AND d.claimed_by = ${claimedBy}`.execute(db);
}

/** Failed deliveries past the retry budget become dead letters (and hold later events of their golden record). */
export async function deadLetterDeliveries(db: Kysely<DB>, subscriberId: string, claimedBy: string, failed: Omit<FailedDelivery, 'retryInSeconds'>[]): Promise<void> {
  if (failed.length === 0) return;
  await sql`
    WITH f AS (
      SELECT * FROM unnest(${failed.map((f) => f.outboxId)}::bigint[], ${failed.map((f) => f.status)}::int[], ${failed.map((f) => f.error)}::text[]) AS f(id, status, error)
    ), gone AS (
      DELETE FROM delivery d USING f
      WHERE d.subscriber_id = ${subscriberId} AND d.outbox_id = f.id AND d.claimed_by = ${claimedBy}
      RETURNING d.*, f.status AS f_status, f.error AS f_error
    )
    INSERT INTO dead_letter (subscriber_id, outbox_id, golden_id, golden_version, event_created_at, attempts, last_status, last_error)
    SELECT subscriber_id, outbox_id, golden_id, golden_version, event_created_at, attempts, f_status, f_error FROM gone
    ON CONFLICT (subscriber_id, outbox_id) DO UPDATE SET
      attempts = EXCLUDED.attempts, last_status = EXCLUDED.last_status, last_error = EXCLUDED.last_error, failed_at = now()`.execute(db);
}

export interface ReplayResult {
  /** Dead letters put back in the queue. */
  deadLetters: number;
  /** Already delivered events queued again (`since` only). */
  redelivered: number;
}

/**
 * Queues events of a subscriber again: its dead letters (all, or those of events created at or
 * after `since`), and with `since` also every matching event created at or after it that was
 * already delivered. Replayed events are delivered in order per golden record like any other.
 *
 * @example
 * ```ts
 * await replayDeliveries(db, '3');                                     // dead letters only
 * await replayDeliveries(db, '3', new Date('2026-05-01T00:00:00Z'));   // everything since May 1st
 * ```
 */
export async function replayDeliveries(db: Kysely<DB>, subscriberId: string, since?: Date): Promise<ReplayResult> {
  return db.transaction().execute(async (trx) => {
    const dead = await sql<{ n: number }>`
      WITH back AS (
        DELETE FROM dead_letter WHERE subscriber_id = ${subscriberId}
          AND (${since ?? null}::timestamptz IS NULL OR event_created_at >= ${since ?? null}::timestamptz)
        RETURNING *
      ), ins AS (
        INSERT INTO delivery (subscriber_id, outbox_id, golden_id, golden_version, event_created_at, replayed)
        SELECT subscriber_id, outbox_id, golden_id, golden_version, event_created_at, true FROM back
        ON CONFLICT DO NOTHING
        RETURNING 1
      )
      SELECT count(*)::int AS n FROM back`.execute(trx);
    let redelivered = 0;
    if (since) {
      const again = await sql<{ n: number }>`
        WITH ins AS (
          INSERT INTO delivery (subscriber_id, outbox_id, golden_id, golden_version, event_created_at, replayed)
          SELECT s.id, o.id, o.golden_id, o.golden_version, o.created_at, true
          FROM outbox o
          JOIN subscriber s ON s.id = ${subscriberId}
          JOIN subscriber_cursor c ON c.subscriber_id = s.id
          WHERE o.created_at >= ${since}
            AND (o.tx_id, o.id) <= (c.tx_id, c.outbox_id)
            AND (s.entities IS NULL OR o.entity = ANY(s.entities))
            AND (s.event_types IS NULL OR o.event_type = ANY(s.event_types))
          ON CONFLICT DO NOTHING
          RETURNING 1
        )
        SELECT count(*)::int AS n FROM ins`.execute(trx);
      redelivered = again.rows[0]?.n ?? 0;
    }
    return { deadLetters: dead.rows[0]?.n ?? 0, redelivered };
  });
}

/** Drops dead letters (all of a subscriber's, or one event's): the events they held back go on. */
export async function discardDeadLetters(db: Kysely<DB>, subscriberId: string, outboxId?: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    WITH gone AS (
      DELETE FROM dead_letter WHERE subscriber_id = ${subscriberId}
        AND (${outboxId ?? null}::bigint IS NULL OR outbox_id = ${outboxId ?? null}::bigint)
      RETURNING 1
    ) SELECT count(*)::int AS n FROM gone`.execute(db);
  return rows[0]?.n ?? 0;
}

export interface DeadLetterRow {
  outboxId: string;
  eventType: string;
  goldenId: string;
  goldenVersion: number;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  eventCreatedAt: Date;
  failedAt: Date;
}

/** A subscriber's dead letters in event (outbox id) order: up to `limit`, after the event id `after`. */
export async function listDeadLetters(db: Kysely<DB>, subscriberId: string, limit = 100, after?: string): Promise<DeadLetterRow[]> {
  const { rows } = await sql<{
    outbox_id: string; event_type: string; golden_id: string; golden_version: number; attempts: number;
    last_status: number | null; last_error: string | null; event_created_at: Date; failed_at: Date;
  }>`
    SELECT x.outbox_id, o.event_type, x.golden_id, x.golden_version, x.attempts, x.last_status, x.last_error, x.event_created_at, x.failed_at
    FROM dead_letter x JOIN outbox o ON o.id = x.outbox_id
    WHERE x.subscriber_id = ${subscriberId} AND x.outbox_id > ${after ?? '0'}::bigint
    ORDER BY x.outbox_id
    LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({
    outboxId: String(r.outbox_id), eventType: r.event_type, goldenId: r.golden_id, goldenVersion: r.golden_version,
    attempts: r.attempts, lastStatus: r.last_status, lastError: r.last_error, eventCreatedAt: r.event_created_at, failedAt: r.failed_at,
  }));
}

export interface SubscriberDeliveryState {
  subscriberId: string;
  name: string;
  active: boolean;
  /** Queued, in flight or retrying. */
  pending: number;
  /** Pending deliveries that failed at least once. */
  retrying: number;
  deadLetters: number;
  /** Outbox events past the cursor, not yet fanned out (counted up to `backlogCap`). */
  unread: number;
  /** Seconds since the oldest pending event was written; 0 when none. */
  oldestPendingSeconds: number;
}

/** Delivery state of every subscriber (status command, metrics, readiness). */
export async function deliveryStates(db: Kysely<DB>, backlogCap = 1_000_000): Promise<SubscriberDeliveryState[]> {
  const { rows } = await sql<{
    id: string; name: string; active: boolean; pending: number; retrying: number; dead: number; unread: number; oldest: number | null;
  }>`
    SELECT s.id, s.name, s.active,
      (SELECT count(*) FROM delivery d WHERE d.subscriber_id = s.id)::int AS pending,
      (SELECT count(*) FROM delivery d WHERE d.subscriber_id = s.id AND d.attempts > 0 AND d.claimed_by IS NULL)::int AS retrying,
      (SELECT count(*) FROM dead_letter x WHERE x.subscriber_id = s.id)::int AS dead,
      (SELECT count(*) FROM (
         SELECT 1 FROM outbox o WHERE (o.tx_id, o.id) > (c.tx_id, c.outbox_id) LIMIT ${backlogCap}) u)::int AS unread,
      (SELECT extract(epoch FROM now() - min(d.event_created_at)) FROM delivery d WHERE d.subscriber_id = s.id)::float8 AS oldest
    FROM subscriber s JOIN subscriber_cursor c ON c.subscriber_id = s.id
    ORDER BY s.id`.execute(db);
  return rows.map((r) => ({
    subscriberId: String(r.id), name: r.name, active: r.active, pending: r.pending, retrying: r.retrying,
    deadLetters: r.dead, unread: r.unread, oldestPendingSeconds: Math.max(0, r.oldest ?? 0),
  }));
}
