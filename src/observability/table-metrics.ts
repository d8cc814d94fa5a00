import { type Kysely, sql } from 'kysely';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DB } from '../db/schema';
import { deliveryStates } from '../events/delivery.repository';

/**
 * Metrics read from the hub's tables when Prometheus scrapes, so they count the work of every hub
 * process and CLI run (ingest, resolve, steward actions), not just this one. Counts that only grow
 * (runs, records, events) are exposed as counters; states (queues, lag) as gauges. One refresh
 * serves all scrapes within `cacheMs`.
 */
export interface TableMetrics {
  /** Re-reads the tables when the last read is older than the cache period. */
  refresh(): Promise<void>;
}

type Row = Record<string, unknown>;

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]) {
  return new Counter<L>({ name, help, labelNames, registers: [registry] });
}
function gauge<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]) {
  return new Gauge<L>({ name, help, labelNames, registers: [registry] });
}

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/**
 * Registers the table metrics on a registry.
 *
 * @example
 * ```ts
 * const tables = createTableMetrics(db, registry, { cacheMs: 10_000 });
 * await tables.refresh();
 * const text = await registry.metrics();
 * ```
 */
export function createTableMetrics(db: Kysely<DB>, registry: Registry, options: { cacheMs?: number } = {}): TableMetrics {
  const cacheMs = options.cacheMs ?? 10_000;
  const m = {
    up: gauge(registry, 'mdm_database_up', 'Whether the last read of the hub tables for metrics succeeded', []),
    collect: gauge(registry, 'mdm_metrics_collect_seconds', 'Duration of the last read of the hub tables for metrics', []),
    ingestRuns: counter(registry, 'mdm_ingest_runs_total', 'Ingest runs by kind, source, entity and status', ['kind', 'source', 'entity', 'status']),
    ingestRecords: counter(registry, 'mdm_ingest_records_total', 'Records read by ingest, by source, entity and outcome (inserted, updated, unchanged, stale, deleted, quarantined)', ['source', 'entity', 'outcome']),
    quarantine: gauge(registry, 'mdm_quarantine_records', 'Records in quarantine by source', ['source']),
    sourceRecords: gauge(registry, 'mdm_source_records', 'Source records (not deleted) by entity and source', ['entity', 'source']),
    syncLag: gauge(registry, 'mdm_source_sync_lag_seconds', 'Now minus the newest updatedAt of a source\'s records', ['source']),
    golden: gauge(registry, 'mdm_golden_records', 'Golden records by entity and status', ['entity', 'status']),
    queue: gauge(registry, 'mdm_match_queue_pending', 'Candidate pairs waiting for a steward, by entity', ['entity']),
    resolveBacklog: gauge(registry, 'mdm_resolve_backlog_records', 'Source records changed since the last successful resolve run, by entity', ['entity']),
    resolveRuns: counter(registry, 'mdm_resolve_runs_total', 'Resolve runs by entity and status', ['entity', 'status']),
    resolveSeconds: counter(registry, 'mdm_resolve_seconds_total', 'Time spent in successful resolve runs, by entity', ['entity']),
    resolveLast: gauge(registry, 'mdm_resolve_last_duration_seconds', 'Duration of the last successful resolve run, by entity', ['entity']),
    resolvePairs: counter(registry, 'mdm_resolve_pairs_scored_total', 'Candidate pairs scored by resolve runs, by entity', ['entity']),
    changes: counter(registry, 'mdm_golden_changes_total', 'Golden record changes written to the outbox, by entity and type (golden.merged, golden.split, ...)', ['entity', 'type']),
    pending: gauge(registry, 'mdm_delivery_pending', 'Events queued, in flight or retrying for a subscriber', ['subscriber']),
    retrying: gauge(registry, 'mdm_delivery_retrying', 'Pending events of a subscriber that failed at least once', ['subscriber']),
    dead: gauge(registry, 'mdm_delivery_dead_letters', 'Dead letters of a subscriber (they hold back later events of their golden record)', ['subscriber']),
    unread: gauge(registry, 'mdm_delivery_unread', 'Outbox events a subscriber\'s fan-out has not read yet', ['subscriber']),
    oldest: gauge(registry, 'mdm_delivery_oldest_pending_seconds', 'Age of the oldest pending event of a subscriber', ['subscriber']),
    inbox: gauge(registry, 'mdm_inbox_events', 'Events in the webhook inbox by status (pending is the backlog; dead are dead letters)', ['status']),
    inboxOldest: gauge(registry, 'mdm_inbox_oldest_pending_seconds', 'Age of the oldest unprocessed event in the webhook inbox', []),
    backlog: gauge(registry, 'mdm_outbox_backlog', 'Events not yet delivered to the subscriber furthest behind (unread + pending)', []),
  };

  async function read(): Promise<void> {
    const started = performance.now();
    const q = async (query: ReturnType<typeof sql<Row>>) => (await query.execute(db)).rows;
    const [ingest, quarantine, sources, golden, queue, backlog, resolveRuns, resolveLast, changes, states, inbox] = await Promise.all([
      q(sql`SELECT kind, source, entity, status, count(*)::int AS runs,
              sum(read_count)::float8 AS read, sum(inserted_count)::float8 AS inserted, sum(updated_count)::float8 AS updated,
              sum(unchanged_count)::float8 AS unchanged, sum(stale_count)::float8 AS stale, sum(deleted_count)::float8 AS deleted,
              sum(quarantined_count)::float8 AS quarantined
            FROM ingest_run GROUP BY kind, source, entity, status`),
      q(sql`SELECT source, count(*)::int AS n FROM quarantine GROUP BY source`),
      q(sql`SELECT entity, source, count(*) FILTER (WHERE NOT deleted)::int AS n,
              extract(epoch FROM now() - max(updated_at))::float8 AS lag
            FROM source_record GROUP BY entity, source`),
      q(sql`SELECT entity, status, count(*)::int AS n FROM golden_record GROUP BY entity, status`),
      q(sql`SELECT entity, count(*)::int AS n FROM match_pair WHERE status = 'pending' GROUP BY entity`),
      q(sql`SELECT e.entity, (SELECT count(*) FROM source_record r WHERE r.entity = e.entity AND r.change_seq > COALESCE(l.change_seq, 0))::int AS n
            FROM (SELECT DISTINCT entity FROM source_record) e
            LEFT JOIN LATERAL (SELECT change_seq FROM resolve_run WHERE entity = e.entity AND status = 'succeeded' AND change_seq IS NOT NULL
                               ORDER BY id DESC LIMIT 1) l ON true`),
      q(sql`SELECT entity, status, count(*)::int AS n,
              COALESCE(sum((summary->>'seconds')::float8) FILTER (WHERE status = 'succeeded'), 0)::float8 AS seconds,
              COALESCE(sum((summary->>'candidatePairs')::float8) FILTER (WHERE status = 'succeeded'), 0)::float8 AS pairs
            FROM resolve_run GROUP BY entity, status`),
      q(sql`SELECT DISTINCT ON (entity) entity, (summary->>'seconds')::float8 AS seconds
            FROM resolve_run WHERE status = 'succeeded' AND summary ? 'seconds' ORDER BY entity, id DESC`),
      q(sql`SELECT entity, event_type, count(*)::int AS n FROM outbox GROUP BY entity, event_type`),
      deliveryStates(db, 1_000_000),
      q(sql`SELECT status, count(*)::int AS n,
              COALESCE(extract(epoch FROM now() - min(received_at))::float8, 0) AS oldest
            FROM inbox_event GROUP BY status`),
    ]);

    for (const metric of Object.values(m)) metric.reset();
    for (const r of ingest) {
      const labels = { source: str(r.source), entity: str(r.entity) };
      m.ingestRuns.inc({ kind: str(r.kind), ...labels, status: str(r.status) }, num(r.runs));
      for (const outcome of ['read', 'inserted', 'updated', 'unchanged', 'stale', 'deleted', 'quarantined']) {
        m.ingestRecords.inc({ ...labels, outcome }, num(r[outcome]));
      }
    }
    for (const r of quarantine) m.quarantine.set({ source: str(r.source) }, num(r.n));
    const lag = new Map<string, number>();
    for (const r of sources) {
      m.sourceRecords.set({ entity: str(r.entity), source: str(r.source) }, num(r.n));
      if (r.lag !== null) lag.set(str(r.source), Math.min(lag.get(str(r.source)) ?? Infinity, num(r.lag)));
    }
    for (const [source, seconds] of lag) m.syncLag.set({ source }, Math.max(0, seconds));
    for (const r of golden) m.golden.set({ entity: str(r.entity), status: str(r.status) }, num(r.n));
    for (const r of queue) m.queue.set({ entity: str(r.entity) }, num(r.n));
    for (const r of backlog) m.resolveBacklog.set({ entity: str(r.entity) }, num(r.n));
    for (const r of resolveRuns) {
      m.resolveRuns.inc({ entity: str(r.entity), status: str(r.status) }, num(r.n));
      if (r.status === 'succeeded') {
        m.resolveSeconds.inc({ entity: str(r.entity) }, num(r.seconds));
        m.resolvePairs.inc({ entity: str(r.entity) }, num(r.pairs));
      }
    }
    for (const r of resolveLast) m.resolveLast.set({ entity: str(r.entity) }, num(r.seconds));
    for (const r of changes) m.changes.inc({ entity: str(r.entity), type: str(r.event_type) }, num(r.n));
    let furthest = 0;
    for (const s of states) {
      const labels = { subscriber: s.name };
      m.pending.set(labels, s.pending);
      m.retrying.set(labels, s.retrying);
      m.dead.set(labels, s.deadLetters);
      m.unread.set(labels, s.unread);
      m.oldest.set(labels, s.oldestPendingSeconds);
      if (s.active) furthest = Math.max(furthest, s.pending + s.unread);
    }
    m.backlog.set(furthest);
    for (const status of ['pending', 'done', 'dead']) m.inbox.set({ status }, 0);
    for (const r of inbox) {
      m.inbox.set({ status: str(r.status) }, num(r.n));
      if (r.status === 'pending') m.inboxOldest.set(num(r.oldest));
    }
    m.up.set(1);
    m.collect.set((performance.now() - started) / 1000);
  }

  let last = 0;
  let inflight: Promise<void> | undefined;
  return {
    refresh() {
      if (inflight) return inflight;
      if (cacheMs > 0 && Date.now() - last < cacheMs) return Promise.resolve();
      inflight = read()
        .catch(() => {
          m.up.set(0);
        })
        .finally(() => {
          last = Date.now();
          inflight = undefined;
        });
      return inflight;
    },
  };
}
