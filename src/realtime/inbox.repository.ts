import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema';

/** An event as a webhook stores it. */
export interface InboxEventInput {
  source: string;
  eventId: string;
  /** 'record': a canonical record; 'redo': re-resolve recordIds; 'sap-event', 'salesforce-cdc': read back or merged by the worker. */
  kind: 'record' | 'redo' | 'sap-event' | 'salesforce-cdc';
  entity: string;
  sourceId: string | null;
  payload: Record<string, unknown>;
  correlationId: string | null;
}

export interface InboxEvent extends InboxEventInput {
  id: string;
  attempts: number;
  receivedAt: Date;
}

/**
 * Stores events in one statement (one transaction): every event is in the inbox when this
 * returns, or none is. An event whose (source, event id) is already there is a duplicate and is
 * not stored again; the ids of the newly stored ones are returned by position (null: duplicate).
 */
export async function enqueueEvents(db: Kysely<DB>, events: readonly InboxEventInput[]): Promise<Array<string | null>> {
  if (events.length === 0) return [];
  const rows = await db
    .insertInto('inbox_event')
    .values(
      events.map((e) => ({
        source: e.source,
        event_id: e.eventId,
        kind: e.kind,
        entity: e.entity,
        source_id: e.sourceId,
        payload: JSON.stringify(e.payload) as never,
        correlation_id: e.correlationId,
      })),
    )
    .onConflict((oc) => oc.constraint('inbox_event_key').doNothing())
    .returning(['id', 'source', 'event_id'])
    .execute();
  const stored = new Map(rows.map((r) => [`${r.source}\u0000${r.event_id}`, r.id]));
  // Two events of one request with the same id: the first one is stored, the others are duplicates.
  const seen = new Set<string>();
  return events.map((e) => {
    const key = `${e.source}\u0000${e.eventId}`;
    if (seen.has(key)) return null;
    seen.add(key);
    return stored.get(key) ?? null;
  });
}

/**
 * Claims up to `limit` due events for this worker, oldest first, skipping rows another worker
 * holds (`FOR UPDATE SKIP LOCKED`). A claim lasts `leaseMs`: a worker that dies leaves its events
 * to be claimed again once the lease lapses, so an acknowledged event is never lost.
 */
export async function claimEvents(db: Kysely<DB>, worker: string, limit: number, leaseMs: number): Promise<InboxEvent[]> {
  const { rows } = await sql<{
    id: string; source: string; event_id: string; kind: string; entity: string; source_id: string | null;
    payload: Record<string, unknown>; correlation_id: string | null; attempts: number; received_at: Date;
  }>`
    UPDATE inbox_event e SET claimed_by = ${worker}, claimed_until = now() + make_interval(secs => ${leaseMs / 1000}),
      attempts = e.attempts + 1
    WHERE e.id IN (
      SELECT id FROM inbox_event
      WHERE status = 'pending' AND next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
      ORDER BY id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING e.id, e.source, e.event_id, e.kind, e.entity, e.source_id, e.payload, e.correlation_id, e.attempts, e.received_at`.execute(db);
  return rows
    .map((r) => ({
      id: String(r.id),
      source: r.source,
      eventId: r.event_id,
      kind: r.kind as InboxEvent['kind'],
      entity: r.entity,
      sourceId: r.source_id,
      payload: r.payload,
      correlationId: r.correlation_id,
      attempts: r.attempts,
      receivedAt: new Date(r.received_at),
    }))
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

/** Marks claimed events processed. */
export async function completeEvents(db: Kysely<DB>, outcomes: ReadonlyMap<string, string | null>): Promise<void> {
  if (outcomes.size === 0) return;
  // One statement for the whole batch, each event with its outcome (null: a redo request, none).
  await sql`
    UPDATE inbox_event e SET status = 'done', processed_at = clock_timestamp(), claimed_by = NULL, claimed_until = NULL,
      last_error = NULL, outcome = COALESCE(d.outcome, e.outcome)
    FROM unnest(${[...outcomes.keys()]}::bigint[], ${[...outcomes.values()]}::text[]) AS d(id, outcome)
    WHERE e.id = d.id`.execute(db);
}

/**
 * Records a failed attempt: the event is retried at `retryAt`, or parked as a dead letter
 * (status `dead`, with the error) once it has had `maxAttempts` attempts.
 */
export async function failEvent(db: Kysely<DB>, id: string, error: string, retryAt: Date, maxAttempts: number): Promise<'retry' | 'dead'> {
  const row = await db
    .updateTable('inbox_event')
    .set((eb) => ({
      status: sql<string>`CASE WHEN ${eb.ref('attempts')} >= ${maxAttempts} THEN 'dead' ELSE 'pending' END`,
      next_attempt_at: retryAt,
      claimed_by: null,
      claimed_until: null,
      last_error: error.slice(0, 2000),
    }))
    .where('id', '=', id)
    .returning('status')
    .executeTakeFirst();
  return row?.status === 'dead' ? 'dead' : 'retry';
}

/** Events waiting to be processed (the backlog webhooks answer 429 above). */
export async function inboxBacklog(db: Kysely<DB>): Promise<number> {
  const row = await sql<{ n: number }>`SELECT count(*)::int AS n FROM inbox_event WHERE status = 'pending'`.execute(db);
  return row.rows[0]?.n ?? 0;
}

export interface InboxStatus {
  pending: number;
  dead: number;
  done: number;
  oldestPendingSeconds: number;
}

export async function inboxStatus(db: Kysely<DB>): Promise<InboxStatus> {
  const { rows } = await sql<{ pending: number; dead: number; done: number; oldest: number | null }>`
    SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
           count(*) FILTER (WHERE status = 'dead')::int AS dead,
           count(*) FILTER (WHERE status = 'done')::int AS done,
           extract(epoch FROM now() - min(received_at) FILTER (WHERE status = 'pending'))::float8 AS oldest
    FROM inbox_event`.execute(db);
  const r = rows[0];
  return { pending: r?.pending ?? 0, dead: r?.dead ?? 0, done: r?.done ?? 0, oldestPendingSeconds: Math.max(0, r?.oldest ?? 0) };
}

export interface DeadEvent {
  id: string;
  source: string;
  eventId: string;
  entity: string;
  sourceId: string | null;
  attempts: number;
  lastError: string | null;
  receivedAt: Date;
}

/** Dead letters of the inbox, oldest first. */
export async function listDeadEvents(db: Kysely<DB>, options: { source?: string; limit?: number } = {}): Promise<DeadEvent[]> {
  let q = db
    .selectFrom('inbox_event')
    .select(['id', 'source', 'event_id', 'entity', 'source_id', 'attempts', 'last_error', 'received_at'])
    .where('status', '=', 'dead')
    .orderBy('id')
    .limit(options.limit ?? 100);
  if (options.source) q = q.where('source', '=', options.source);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id, source: r.source, eventId: r.event_id, entity: r.entity, sourceId: r.source_id,
    attempts: r.attempts, lastError: r.last_error, receivedAt: new Date(r.received_at),
  }));
}

/** Puts dead letters back in the queue (attempts start again). Returns how many. */
export async function replayDeadEvents(db: Kysely<DB>, options: { source?: string; since?: Date; ids?: string[] } = {}): Promise<number> {
  let q = db
    .updateTable('inbox_event')
    .set({ status: 'pending', attempts: 0, next_attempt_at: new Date(), claimed_by: null, claimed_until: null })
    .where('status', '=', 'dead');
  if (options.source) q = q.where('source', '=', options.source);
  if (options.since) q = q.where('received_at', '>=', options.since);
  if (options.ids && options.ids.length > 0) q = q.where('id', 'in', options.ids);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0);
}

/** Deletes processed events older than `before` (the inbox keeps them for a while for duplicates). */
export async function pruneDoneEvents(db: Kysely<DB>, before: Date): Promise<number> {
  const result = await db.deleteFrom('inbox_event').where('status', '=', 'done').where('processed_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
