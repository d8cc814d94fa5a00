import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { PoolClient } from 'pg';
import type { CanonicalRecord, EntityType } from '../core/entities';
import { logger } from '../core/logger';
import { type Database, isDatabaseUnavailable } from '../db/database';
import { withEntityLock } from '../golden-record/entity-lock';
import { referrersOf, resolveRecordsNow, sameEvidence } from '../golden-record/realtime-resolve';
import { RESOLUTION_ORDER } from '../golden-record/resolve.service';
import { contentHash, validateCanonical } from '../ingest/canonical-record';
import { finishRun, type RunCounts, startRun, updateRunCounts } from '../ingest/ingest-run.repository';
import { type RecordToStore, storeRecords } from '../ingest/source-record.repository';
import { retryDelayMs, type RetryPolicy } from '../events/backoff';
import { claimEvents, completeEvents, failEvent, type InboxEvent } from './inbox.repository';
import { inboxSignal } from './inbox-signal';
import { expandSourceEvents } from './source-events';

export interface InboxWorkerOptions {
  /** Events claimed and processed together (default 100). */
  batchSize?: number;
  /**
   * The most events a running worker claims at once behind a backlog (default `batchSize`: groups
   * do not grow): each full claim doubles the next, up to this, and a short one goes back to
   * `batchSize`. Larger groups cost less per event, and behind a backlog an event's wait is the
   * backlog's, not its group's; `mdm inbox work` lets them grow to 500. The worker inside
   * `mdm serve` keeps the default: it shares its event loop with HTTP, which a larger group holds
   * longer between two requests.
   */
  maxBatchSize?: number;
  /** Called after each batch a running worker claimed something in (instrumentation and tests). */
  onBatch?: (batch: ProcessedBatch) => void;
  /** Poll interval when the inbox is empty and nothing in this process signals (default 200 ms). */
  pollMs?: number;
  /** How long a claim holds before another worker may take the events (default 60 s). */
  leaseMs?: number;
  retry?: RetryPolicy;
  /** Worker name in `claimed_by` (default host:pid:random). */
  workerId?: string;
}

/** Five attempts over about half a minute, then a dead letter (`mdm inbox replay`). */
export const INBOX_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };

export interface ProcessedBatch {
  claimed: number;
  processed: number;
  failed: number;
}

type Outcome = 'stored' | 'unchanged' | 'stale';

const keyOf = (entity: string, source: string, sourceId: string) => `${entity}\u0000${source}\u0000${sourceId}`;

/** One worker's ingest runs (kind `event`), one per source, counts kept up to date. */
export class EventRuns {
  private runs = new Map<string, { id: string; counts: RunCounts; writtenAt: number }>();
  constructor(private readonly database: Database) {}

  async add(source: string, counts: Partial<RunCounts>): Promise<void> {
    let run = this.runs.get(source);
    if (!run) {
      const id = await startRun(this.database.db, { kind: 'event', source, mode: 'webhook' });
      run = { id, counts: { read: 0, quarantined: 0, inserted: 0, updated: 0, unchanged: 0, stale: 0, deleted: 0 }, writtenAt: 0 };
      this.runs.set(source, run);
    }
    for (const [k, v] of Object.entries(counts)) run.counts[k as keyof RunCounts] += v ?? 0;
    // The counts are written at most once a second (and when the worker stops).
    if (Date.now() - run.writtenAt >= 1000) {
      run.writtenAt = Date.now();
      await updateRunCounts(this.database.db, run.id, run.counts);
    }
  }

  runOf(source: string): string | null {
    return this.runs.get(source)?.id ?? null;
  }

  async close(): Promise<void> {
    for (const run of this.runs.values()) await finishRun(this.database.db, run.id, run.counts, 'succeeded').catch(() => undefined);
    this.runs.clear();
  }
}

/**
 * Processes a group of inbox events: stores their records (the same versioned upsert as file and
 * sync ingest: a late older version is kept out, the same version twice changes nothing), then
 * resolves the touched records in real time, entity type by entity type in resolution order, and
 * follows changed golden records to the records that refer to them (the redo step).
 */
async function processGroup(database: Database, group: readonly InboxEvent[], runs: EventRuns): Promise<Map<string, Outcome | null>> {
  // SAP business events and Salesforce change events become canonical records (read back or merged).
  const events = await expandSourceEvents(database, group);
  const outcome = new Map<string, Outcome | null>();
  const touched = new Map<EntityType, Set<string>>();
  const correlation = new Map<string, string>();
  /**
   * Records whose only change in this group left their match evidence as it was (see
   * `sameEvidence`), with the version that leaves them at; unless also touched otherwise (`inFull`).
   */
  const keptAt = new Map<string, number>();
  /** Records touched otherwise: new, changed evidence, a replayed or stale event, a redo. */
  const inFull = new Set<string>();
  const add = (entity: EntityType, id: string, correlationId: string | null, evidenceKeptAt?: number) => {
    let set = touched.get(entity);
    if (!set) touched.set(entity, (set = new Set()));
    set.add(id);
    if (evidenceKeptAt === undefined) inFull.add(id);
    else keptAt.set(id, evidenceKeptAt);
    if (correlationId) correlation.set(id, correlationId);
  };

  const bySource = new Map<string, Array<{ event: InboxEvent; item: RecordToStore }>>();
  for (const event of events) {
    if (event.kind === 'redo') {
      for (const id of (event.payload.recordIds as string[] | undefined) ?? []) add(event.entity as EntityType, String(id), event.correlationId);
      outcome.set(event.id, null);
      continue;
    }
    const v = validateCanonical(event.payload, { defaultSource: event.source });
    if (!v.ok) throw new Error(`event ${event.id} no longer validates: ${v.reason}`);
    const list = bySource.get(event.source) ?? [];
    list.push({ event, item: { record: v.record, hash: contentHash(v.record) } });
    bySource.set(event.source, list);
  }

  // The stored versions (id, content hash, source timestamp, content) of some records.
  const readHashes = async (records: ReadonlyArray<{ entity: string; source: string; sourceId: string }>) => {
    const { rows } = await sql<{ id: string; entity: string; source: string; source_id: string; content_hash: string; updated_at: Date | null; version: number; deleted: boolean; attributes: Record<string, unknown> }>`
      SELECT s.id, s.entity, s.source, s.source_id, s.content_hash, s.updated_at, s.version, s.deleted, s.attributes
      FROM unnest(${records.map((r) => r.entity)}::text[], ${records.map((r) => r.source)}::text[], ${records.map((r) => r.sourceId)}::text[]) AS k(entity, source, source_id)
      JOIN source_record s ON s.entity = k.entity AND s.source = k.source AND s.source_id = k.source_id`.execute(database.db);
    return new Map(rows.map((r) => [keyOf(r.entity, r.source, r.source_id), r]));
  };
  for (const [source, list] of bySource) {
    const records = list.map((x) => x.item.record);
    const before = await readHashes(records);
    if (!runs.runOf(source)) await runs.add(source, {});
    const counts = await storeRecords(database, list.map((x) => x.item), runs.runOf(source));
    await runs.add(source, { ...counts, read: list.length });
    // Stored records keep their ids: only those new to the hub are looked up again.
    const added = records.filter((r) => !before.has(keyOf(r.entity, r.source, r.sourceId)));
    const after = added.length === 0 ? before : new Map([...before, ...(await readHashes(added))]);
    // Each event's outcome, replaying the storage rules in event order from the state before the batch.
    const current = new Map<string, { hash: string; updatedAt: number | null }>();
    for (const [k, r] of before) current.set(k, { hash: r.content_hash, updatedAt: r.updated_at ? new Date(r.updated_at).getTime() : null });
    /** Per stored record changed by this group only through stored versions: the last one and how many. */
    const changedTo = new Map<string, { record: CanonicalRecord; versions: number } | null>();
    for (const { event, item } of list) {
      const k = keyOf(item.record.entity, item.record.source, item.record.sourceId);
      const cur = current.get(k);
      const at = item.record.updatedAt ? new Date(item.record.updatedAt).getTime() : null;
      if (cur?.hash === item.hash) outcome.set(event.id, 'unchanged');
      else if (cur && at !== null && cur.updatedAt !== null && at < cur.updatedAt) outcome.set(event.id, 'stale');
      else {
        outcome.set(event.id, 'stored');
        current.set(k, { hash: item.hash, updatedAt: at });
      }
      // A stored record changed only by stored versions may keep its cluster. Any other event
      // (same content: maybe a replay after a crash; stale) gets the full resolution, as does a
      // record new to the hub.
      const was = changedTo.get(k);
      if (outcome.get(event.id) === 'stored' && before.has(k) && was !== null) changedTo.set(k, { record: item.record, versions: (was?.versions ?? 0) + 1 });
      else changedTo.set(k, null);
    }
    const byEntity = new Map<EntityType, Array<{ k: string; record: CanonicalRecord; versions: number }>>();
    for (const [k, change] of changedTo) {
      if (!change) continue;
      const list = byEntity.get(change.record.entity);
      if (list) list.push({ k, ...change });
      else byEntity.set(change.record.entity, [{ k, ...change }]);
    }
    /** Records whose evidence is as before this group: the version they are at once these are stored. */
    const kept = new Map<string, number>();
    for (const [entity, changes] of byEntity) {
      const same = await sameEvidence(database, entity, changes.map(({ k, record }) => {
        const b = before.get(k)!;
        return [{ source: b.source, sourceId: b.source_id, deleted: b.deleted, attributes: b.attributes }, record] as const;
      }));
      changes.forEach(({ k, versions }, i) => same[i] && kept.set(k, before.get(k)!.version + versions));
    }
    for (const { event, item } of list) {
      // Every touched record is resolved, changed or not: resolving an unchanged record changes
      // nothing, and an event processed again after a crash still gets its resolution.
      const k = keyOf(item.record.entity, item.record.source, item.record.sourceId);
      const row = after.get(k);
      if (row) add(item.record.entity, String(row.id), event.correlationId, kept.get(k));
    }
  }

  for (const entity of RESOLUTION_ORDER) {
    const ids = touched.get(entity);
    if (!ids || ids.size === 0) continue;
    const full = [...ids].filter((id) => inFull.has(id));
    const keep = new Map([...ids].filter((id) => !inFull.has(id)).map((id) => [id, keptAt.get(id)!]));
    // The entity type's lock shared and the neighbourhood's own locks: workers and hubs resolving
    // other neighbourhoods of the type go on at the same time; batch runs and steward actions,
    // which hold the type's lock exclusively, wait for them and they for those. Records whose
    // evidence is as it was keep their clusters: only their golden records are computed again.
    const options = { correlationOf: (id: string) => correlation.get(id) ?? null, lockNeighbourhood: true };
    const result = await withEntityLock(
      database,
      entity,
      async () => {
        const resolved = await resolveRecordsNow(database, entity, full, options);
        if (keep.size === 0) return resolved;
        // Resolved in full after all when another writer stored a version meanwhile: records may move.
        const kept = await resolveRecordsNow(database, entity, [...keep.keys()], { ...options, keepClusters: keep });
        return { ...resolved, movedRecords: [...resolved.movedRecords, ...kept.movedRecords] };
      },
      { shared: true },
    );
    if (result.movedRecords.length > 0) {
      // Records referring to a record whose golden record changed are resolved again (their
      // reference now resolves to another golden id). Referrers are always of a later type.
      const inherited = correlation.get([...ids][0]) ?? null;
      for (const [referrer, list] of await referrersOf(database, entity, result.movedRecords)) {
        for (const id of list) add(referrer, id, correlation.get(id) ?? inherited);
      }
    }
  }
  return outcome;
}

/**
 * Claims one batch of due inbox events and processes it. Events retried after a failure are
 * processed one by one, so one bad event cannot hold back the others; after the retry budget an
 * event becomes a dead letter with its error.
 */
export async function processInboxBatch(database: Database, options: InboxWorkerOptions & { runs?: EventRuns } = {}): Promise<ProcessedBatch> {
  // The embedded database has one connection: its workers take turns.
  if (database.kind !== 'postgres') {
    const previous = embeddedTurn;
    let release!: () => void;
    embeddedTurn = new Promise<void>((r) => (release = r));
    await previous;
    try {
      return await processBatch(database, options);
    } finally {
      release();
    }
  }
  return processBatch(database, options);
}

let embeddedTurn: Promise<void> = Promise.resolve();

async function processBatch(database: Database, options: InboxWorkerOptions & { runs?: EventRuns }): Promise<ProcessedBatch> {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}`;
  const policy = options.retry ?? INBOX_RETRY_POLICY;
  const runs = options.runs ?? new EventRuns(database);
  const events = await claimEvents(database.db, workerId, options.batchSize ?? 100, options.leaseMs ?? 60_000);
  const result: ProcessedBatch = { claimed: events.length, processed: 0, failed: 0 };
  if (events.length === 0) return result;
  const fresh = events.filter((e) => e.attempts <= 1);
  const groups = [...(fresh.length > 0 ? [fresh] : []), ...events.filter((e) => e.attempts > 1).map((e) => [e])];
  for (const group of groups) {
    try {
      const outcomes = await processGroup(database, group, runs);
      await completeEvents(database.db, outcomes);
      result.processed += group.length;
    } catch (error) {
      // The database went away: nothing can be recorded now, and the attempt does not count
      // against the events' retry budget. The worker hands the claims back when it is reachable.
      if (isDatabaseUnavailable(error)) throw error;
      const message = (error as Error).message;
      for (const e of group) {
        // A group that failed together is retried event by event, at once; a single event backs off.
        const delay = group.length > 1 ? 0 : retryDelayMs(e.attempts, policy);
        const state = await failEvent(database.db, e.id, message, new Date(Date.now() + delay), policy.maxAttempts);
        if (state === 'dead') result.failed++;
      }
      logger.warn({ events: group.length, error: message.slice(0, 300) }, 'inbox events failed; they will be retried');
    }
  }
  if (!options.runs) await runs.close();
  return result;
}

/**
 * Hands back the events a worker holds but is not processing (after a step the database failed
 * under): due again at once, the interrupted attempt not counted.
 */
async function releaseClaimsOf(database: Database, workerId: string): Promise<void> {
  await database.db
    .updateTable('inbox_event')
    .set((eb) => ({ claimed_by: null, claimed_until: null, attempts: sql<number>`greatest(${eb.ref('attempts')} - 1, 0)` }))
    .where('claimed_by', '=', workerId)
    .where('status', '=', 'pending')
    .execute();
}

/**
 * Holds a connection that LISTENs on mdm_inbox and wakes the workers of this process on each
 * notification. A lost connection (a server restart) is replaced, with backoff, for as long as
 * `active()` says; meanwhile, and until the first LISTEN, the workers poll.
 */
function listenForInbox(database: Database, active: () => boolean): { stop(): Promise<void> } {
  let current: { client: PoolClient; drop(error?: Error): void } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  const retry = () => {
    if (!active() || timer) return;
    failures++;
    timer = setTimeout(() => void connect(), Math.min(5000, 250 * 2 ** Math.min(failures - 1, 5)));
  };
  const connect = async () => {
    timer = undefined;
    if (!active()) return;
    let client: PoolClient;
    try {
      client = await database.pool.connect();
    } catch (error) {
      if (failures === 0) logger.warn({ error: (error as Error).message.slice(0, 200) }, 'inbox worker cannot listen for new events; it polls and tries again');
      return retry();
    }
    let dropped = false;
    const drop = (error?: Error) => {
      if (dropped) return;
      dropped = true;
      if (current?.client === client) current = undefined;
      // A connection that failed is destroyed, a healthy one goes back to the pool.
      client.release(error);
    };
    const lost = (error: Error) => {
      if (dropped) return;
      drop(error);
      if (!active()) return;
      logger.warn({ error: error.message.slice(0, 200) }, 'inbox worker lost its listening connection; listening again');
      retry();
    };
    client.on('error', lost);
    client.on('end', () => lost(new Error('the listening connection ended')));
    client.on('notification', () => inboxSignal.notify());
    try {
      await client.query('LISTEN mdm_inbox');
    } catch (error) {
      return lost(error as Error);
    }
    if (dropped) return;
    if (!active()) return drop();
    current = { client, drop };
    failures = 0;
    // Events stored while nobody listened are looked at now.
    inboxSignal.notify();
  };
  void connect();
  return {
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      const held = current;
      if (!held) return;
      await held.client.query('UNLISTEN mdm_inbox').catch(() => undefined);
      held.drop();
    },
  };
}

export interface InboxWorker {
  stop(): Promise<void>;
}

/**
 * Runs the inbox: claims and processes batches while there are events, then waits for a webhook
 * of this process to signal new ones (or polls, for events stored by other processes).
 *
 * @example
 * ```ts
 * const worker = startInboxWorker(database);
 * // ... webhooks store events; the worker resolves them
 * await worker.stop();
 * ```
 */
export function startInboxWorker(database: Database, options: InboxWorkerOptions = {}): InboxWorker {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const runs = new EventRuns(database);
  let running = true;
  // On PostgreSQL, events stored by any hub process wake this worker (a trigger notifies mdm_inbox).
  const listener = database.kind === 'postgres' ? listenForInbox(database, () => running) : undefined;
  const loop = (async () => {
    // After a failed step (the database went away mid-batch) this worker's claims are handed back
    // before it claims again, so its events do not wait for their lease to lapse.
    let releaseClaims = false;
    let failures = 0;
    const base = options.batchSize ?? 100;
    const most = Math.max(base, options.maxBatchSize ?? base);
    let size = base;
    while (running) {
      let claimed = 0;
      try {
        if (releaseClaims) {
          await releaseClaimsOf(database, workerId);
          releaseClaims = false;
        }
        const batch = await processInboxBatch(database, { ...options, batchSize: size, workerId, runs });
        claimed = batch.claimed;
        if (claimed > 0) options.onBatch?.(batch);
        size = claimed >= size ? Math.min(most, size * 2) : base;
        failures = 0;
      } catch (error) {
        releaseClaims = true;
        failures++;
        logger.warn({ error: (error as Error).message.slice(0, 300) }, 'inbox worker could not read the inbox; retrying');
        await inboxSignal.wait(Math.min(5000, 250 * 2 ** Math.min(failures - 1, 5)));
        continue;
      }
      if (claimed === 0 && running) await inboxSignal.wait(options.pollMs ?? 200);
    }
  })();
  return {
    async stop() {
      running = false;
      inboxSignal.notify();
      await loop;
      await listener?.stop();
      await runs.close();
    },
  };
}
