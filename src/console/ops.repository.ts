import { sql } from 'kysely';
import type { Database } from '../db/database';

/** What the operations dashboard shows; read straight from the tables (parameterized Kysely). */
export interface OpsSnapshot {
  generatedAt: string;
  runs: Array<{
    id: string; kind: string; source: string | null; entity: string | null; file: string | null; mode: string | null; status: string;
    startedAt: string; finishedAt: string | null; read: number; inserted: number; updated: number; unchanged: number; stale: number;
    deleted: number; quarantined: number; error: string | null;
  }>;
  /** Per source: current records and the runs that last delivered them. */
  sources: Array<{ source: string; records: number; deleted: number; lastSeenAt: string | null; lastRuns: Array<{ runId: string; records: number }> }>;
  quarantine: { total: number; bySource: Array<{ source: string; count: number }>; byReason: Array<{ source: string; reason: string; count: number }> };
  queue: Array<{ entity: string; status: string; count: number }>;
  /** Records read and written per hour over the last 24 hours (UTC hours, oldest first). */
  throughput: Array<{ hour: string; read: number; written: number; runs: number }>;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
const num = (v: unknown): number => Number(v ?? 0);

/**
 * Reads the operations snapshot: the last 20 ingest runs, records per source, quarantine counts
 * with reasons, match-queue depth per entity and status, and hourly throughput.
 *
 * @example
 * ```ts
 * const ops = await readOpsSnapshot(database, new Date());
 * ops.queue; // [{ entity: 'customer', status: 'pending', count: 57 }, ...]
 * ```
 */
export async function readOpsSnapshot(database: Database, now: Date = new Date()): Promise<OpsSnapshot> {
  const db = database.db;
  const since = new Date(now.getTime() - 23 * 3_600_000);
  since.setUTCMinutes(0, 0, 0);

  const runs = await db.selectFrom('ingest_run').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(20).execute();

  const perSource = await db
    .selectFrom('source_record')
    .select(['source'])
    .select((eb) => [
      eb.fn.countAll<string>().as('records'),
      eb.fn.count<string>(eb.case().when('deleted', '=', true).then(1).end()).as('deleted'),
      eb.fn.max('last_seen_at').as('last_seen_at'),
    ])
    .groupBy('source')
    .orderBy('source')
    .execute();

  const perRun = await db
    .selectFrom('source_record')
    .select(['source', 'last_run_id'])
    .select((eb) => eb.fn.countAll<string>().as('records'))
    .where('last_run_id', 'is not', null)
    .groupBy(['source', 'last_run_id'])
    .orderBy('last_run_id', 'desc')
    .execute();

  const quarantineBySource = await db
    .selectFrom('quarantine')
    .select((eb) => [eb.fn.coalesce('source', sql<string>`${'(unknown)'}`).as('source'), eb.fn.countAll<string>().as('count')])
    .groupBy('source')
    .orderBy('count', 'desc')
    .execute();

  const quarantineByReason = await db
    .selectFrom('quarantine')
    .select((eb) => [eb.fn.coalesce('source', sql<string>`${'(unknown)'}`).as('source'), 'reason', eb.fn.countAll<string>().as('count')])
    .groupBy(['source', 'reason'])
    .orderBy('count', 'desc')
    .orderBy('reason')
    .limit(50)
    .execute();

  const queue = await db
    .selectFrom('match_pair')
    .select(['entity', 'status'])
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .groupBy(['entity', 'status'])
    .orderBy('entity')
    .orderBy('status')
    .execute();

  const hourly = await db
    .selectFrom('ingest_run')
    .select([
      sql<Date>`date_trunc('hour', started_at)`.as('hour'),
      sql<string>`sum(read_count)`.as('read'),
      sql<string>`sum(inserted_count + updated_count + deleted_count)`.as('written'),
      sql<string>`count(*)`.as('runs'),
    ])
    .where('started_at', '>=', since)
    .groupBy(sql`date_trunc('hour', started_at)`)
    .execute();

  const byHour = new Map(hourly.map((h) => [new Date(h.hour).toISOString(), h]));
  const throughput: OpsSnapshot['throughput'] = [];
  for (let i = 0; i < 24; i++) {
    const hour = new Date(since.getTime() + i * 3_600_000).toISOString();
    const h = byHour.get(hour);
    throughput.push({ hour, read: num(h?.read), written: num(h?.written), runs: num(h?.runs) });
  }

  return {
    generatedAt: now.toISOString(),
    runs: runs.map((r) => ({
      id: String(r.id), kind: r.kind, source: r.source, entity: r.entity, file: r.file, mode: r.mode, status: r.status,
      startedAt: iso(r.started_at)!, finishedAt: iso(r.finished_at), read: r.read_count, inserted: r.inserted_count, updated: r.updated_count,
      unchanged: r.unchanged_count, stale: r.stale_count, deleted: r.deleted_count, quarantined: r.quarantined_count, error: r.error,
    })),
    sources: perSource.map((s) => ({
      source: s.source,
      records: num(s.records),
      deleted: num(s.deleted),
      lastSeenAt: s.last_seen_at ? iso(s.last_seen_at as Date) : null,
      lastRuns: perRun.filter((r) => r.source === s.source).slice(0, 5).map((r) => ({ runId: String(r.last_run_id), records: num(r.records) })),
    })),
    quarantine: {
      total: quarantineBySource.reduce((n, q) => n + num(q.count), 0),
      bySource: quarantineBySource.map((q) => ({ source: q.source, count: num(q.count) })),
      byReason: quarantineByReason.map((q) => ({ source: q.source, reason: q.reason, count: num(q.count) })),
    },
    queue: queue.map((q) => ({ entity: q.entity, status: q.status, count: num(q.count) })),
    throughput,
  };
}
