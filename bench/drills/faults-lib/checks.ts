/**
 * What the fault drill checks in a hub's database once the load is over: the inbox processed and
 * empty, acknowledged events stored and processed, change events not duplicated and delivered,
 * every source record in exactly one active golden record, no advisory lock left held, the
 * inbox LISTEN connections back; and the clusters compared with a batch resolve of the same
 * records in a fresh database.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../lib/datasets';

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Runs `mdm <args>` to completion (setup and after the load only: it blocks this process). */
export function mdm(args: string[], databaseUrl: string): string {
  const res = spawnSync(process.execPath, ['bin/mdm.js', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, MDM_LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (res.status !== 0) throw new Error(`mdm ${args.join(' ')} failed (${res.status}): ${(res.stderr || res.stdout).slice(-2000)}`);
  return res.stdout;
}

export function databaseUrlOn(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => c.query(`CREATE DATABASE ${name}`)));
  return databaseUrlOn(serverUrl, name);
}

/** Waits until the inbox has no pending event and no delivery is outstanding (or the time is up). */
export async function waitSettled(url: string, timeoutMs: number, receivedAll: (ids: string[]) => boolean): Promise<{ seconds: number; settled: boolean }> {
  const started = Date.now();
  for (;;) {
    const state = await withClient(url, async (c) => {
      const inbox = await c.query(`SELECT count(*)::int AS n FROM inbox_event WHERE status = 'pending'`);
      const delivery = await c.query(`SELECT count(*)::int AS n FROM delivery`);
      const outbox = await c.query(`SELECT id::text FROM outbox`);
      return { pending: inbox.rows[0].n as number, deliveries: delivery.rows[0].n as number, outbox: outbox.rows.map((r) => r.id as string) };
    }).catch(() => null);
    if (state && state.pending === 0 && state.deliveries === 0 && receivedAll(state.outbox)) return { seconds: (Date.now() - started) / 1000, settled: true };
    if (Date.now() - started > timeoutMs) return { seconds: (Date.now() - started) / 1000, settled: false };
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface HubState {
  inboxDone: number;
  inboxPending: number;
  inboxLeased: number;
  inboxDead: number;
  /** Inbox events by number of attempts (1: processed at the first try). */
  attempts: Record<string, number>;
  /** Acknowledged events not in the inbox, or not processed. */
  ackedMissing: number;
  ackedNotDone: number;
  /** Events answered 503/429 (never 2xx) that are in the inbox anyway (the commit landed, the answer did not). */
  refusedButStored: number;
  outboxEvents: number;
  /** Outbox events that repeat another one (same golden record, version, type and payload). */
  outboxDuplicates: number;
  /** Outbox events the subscriber never got, and deliveries beyond the first. */
  undelivered: number;
  redelivered: number;
  deliveryRows: number;
  deadLetters: number;
  sourceRecords: number;
  /** Source records without a cross-reference, or with one to a golden record that is not active. */
  recordsWithoutGolden: number;
  recordsInInactiveGolden: number;
  activeGoldens: number;
  /** Active golden records without any source record. */
  emptyGoldens: number;
  advisoryLocksHeld: number;
  /** Hub connections LISTENing on mdm_inbox (their last statement). */
  listeners: number;
}

export async function hubState(url: string, sent: { eventId: string; acked: boolean }[], received: Map<string, number>): Promise<HubState> {
  return withClient(url, async (c) => {
    const one = async (q: string, params: unknown[] = []) => (await c.query(q, params)).rows[0];
    const inbox = await one(`SELECT count(*) FILTER (WHERE status = 'done')::int AS done, count(*) FILTER (WHERE status = 'pending')::int AS pending,
      count(*) FILTER (WHERE status = 'pending' AND claimed_until > now())::int AS leased, count(*) FILTER (WHERE status = 'dead')::int AS dead FROM inbox_event`);
    const attempts: Record<string, number> = {};
    for (const r of (await c.query(`SELECT attempts, count(*)::int AS n FROM inbox_event GROUP BY 1 ORDER BY 1`)).rows) attempts[String(r.attempts)] = r.n;
    const status = new Map<string, string>();
    for (const r of (await c.query(`SELECT event_id, status FROM inbox_event`)).rows) status.set(r.event_id, r.status);
    const acked = sent.filter((s) => s.acked);
    const outbox = (await c.query(`SELECT id::text FROM outbox`)).rows.map((r) => r.id as string);
    const dup = await one(`SELECT coalesce(sum(n - 1), 0)::int AS n FROM (SELECT count(*) AS n FROM outbox GROUP BY golden_id, golden_version, event_type, payload::text HAVING count(*) > 1) d`);
    const xref = await one(`SELECT count(*)::int AS records,
        count(*) FILTER (WHERE x.record_id IS NULL)::int AS without,
        count(*) FILTER (WHERE x.record_id IS NOT NULL AND g.status <> 'active')::int AS inactive
      FROM source_record s LEFT JOIN xref x ON x.record_id = s.id LEFT JOIN golden_record g ON g.id = x.golden_id WHERE NOT s.deleted`);
    const goldens = await one(`SELECT count(*)::int AS active, count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM xref x WHERE x.golden_id = g.id))::int AS empty FROM golden_record g WHERE g.status = 'active'`);
    const locks = await one(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()`);
    const listeners = await one(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'mdm-hub' AND query ILIKE 'LISTEN mdm_inbox%'`);
    const deliveries = await one(`SELECT (SELECT count(*) FROM delivery)::int AS rows, (SELECT count(*) FROM dead_letter)::int AS dead`);
    return {
      inboxDone: inbox.done,
      inboxPending: inbox.pending,
      inboxLeased: inbox.leased,
      inboxDead: inbox.dead,
      attempts,
      ackedMissing: acked.filter((s) => !status.has(s.eventId)).length,
      ackedNotDone: acked.filter((s) => status.has(s.eventId) && status.get(s.eventId) !== 'done').length,
      refusedButStored: sent.filter((s) => !s.acked && status.has(s.eventId)).length,
      outboxEvents: outbox.length,
      outboxDuplicates: dup.n,
      undelivered: outbox.filter((id) => !received.has(id)).length,
      redelivered: [...received.values()].reduce((s, n) => s + n - 1, 0),
      deliveryRows: deliveries.rows,
      deadLetters: deliveries.dead,
      sourceRecords: xref.records,
      recordsWithoutGolden: xref.without,
      recordsInInactiveGolden: xref.inactive,
      activeGoldens: goldens.active,
      emptyGoldens: goldens.empty,
      advisoryLocksHeld: locks.n,
      listeners: listeners.n,
    };
  });
}

/** Problems in a hub's state: each a sentence; none when every promise held. */
export function problemsOf(s: HubState, expectedListeners: number): string[] {
  const p: string[] = [];
  if (s.ackedMissing > 0) p.push(`${s.ackedMissing} events answered 2xx are not in the inbox`);
  if (s.ackedNotDone > 0) p.push(`${s.ackedNotDone} events answered 2xx are not processed`);
  if (s.inboxPending > 0 || s.inboxLeased > 0) p.push(`the inbox still holds ${s.inboxPending} pending events (${s.inboxLeased} leased)`);
  if (s.inboxDead > 0) p.push(`${s.inboxDead} inbox events are dead letters`);
  if (s.outboxDuplicates > 0) p.push(`${s.outboxDuplicates} change events are duplicates`);
  if (s.undelivered > 0 || s.deliveryRows > 0 || s.deadLetters > 0) p.push(`${s.undelivered} change events not delivered (${s.deliveryRows} deliveries queued, ${s.deadLetters} dead letters)`);
  if (s.recordsWithoutGolden > 0) p.push(`${s.recordsWithoutGolden} source records have no golden record (lost cross-references)`);
  if (s.recordsInInactiveGolden > 0) p.push(`${s.recordsInInactiveGolden} source records point at a merged or retired golden record`);
  if (s.emptyGoldens > 0) p.push(`${s.emptyGoldens} active golden records have no source record`);
  if (s.advisoryLocksHeld > 0) p.push(`${s.advisoryLocksHeld} advisory locks held after the load`);
  if (s.listeners !== expectedListeners) p.push(`${s.listeners} inbox LISTEN connections (expected ${expectedListeners})`);
  return p;
}

export interface ClusterComparison {
  /** Records compared (those in golden records a steward merged are left out). */
  records: number;
  hubGoldens: number;
  batchClusters: number;
  /** Hub golden records a batch resolve would merge into another one (duplicates). */
  hubSplit: number;
  /** Hub golden records a batch resolve would split. */
  hubOverMerged: number;
}

/** The key of a source record in comparisons: entity, source and source id. */
export const recordKey = (entity: string, source: string, sourceId: string) => `${entity}\u0000${source}\u0000${sourceId}`;

/** (entity, source, sourceId) -> golden id of every live source record of a hub database. */
async function membership(url: string): Promise<Map<string, string>> {
  return withClient(url, async (c) => {
    const { rows } = await c.query(`SELECT s.entity, s.source, s.source_id, x.golden_id FROM source_record s JOIN xref x ON x.record_id = s.id WHERE NOT s.deleted`);
    return new Map(rows.map((r) => [recordKey(r.entity, r.source, r.source_id), r.golden_id as string]));
  });
}

/**
 * Resolves the final records of a hub database in a fresh database with one batch run and
 * compares the clusters. The golden records holding any of `excludeKeys` (records a steward
 * merged, which a batch run of the records alone cannot know) are left out on both sides.
 */
export async function compareWithBatch(serverUrl: string, hubUrl: string, batchName: string, excludeKeys: ReadonlySet<string>): Promise<ClusterComparison> {
  const dir = mkdtempSync(join(tmpdir(), 'mdm-drill-batch-'));
  try {
    const file = join(dir, 'records.jsonl');
    const lines = await withClient(hubUrl, async (c) => (await c.query(`SELECT raw::text AS raw FROM source_record WHERE NOT deleted ORDER BY id`)).rows.map((r) => r.raw as string));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const batchUrl = await createDatabase(serverUrl, batchName);
    mdm(['migrate'], batchUrl);
    mdm(['ingest', '--file', file], batchUrl);
    mdm(['resolve'], batchUrl);
    const hub = await membership(hubUrl);
    const batch = await membership(batchUrl);
    await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${batchName} WITH (FORCE)`));
    const excludeGoldens = new Set([...excludeKeys].map((k) => hub.get(k)).filter((g) => g !== undefined));
    const keys = [...hub.keys()].filter((k) => batch.has(k) && !excludeGoldens.has(hub.get(k)!));
    const hubOfBatch = new Map<string, Set<string>>();
    const batchOfHub = new Map<string, Set<string>>();
    for (const k of keys) {
      const h = hub.get(k)!;
      const b = batch.get(k)!;
      if (!hubOfBatch.has(b)) hubOfBatch.set(b, new Set());
      hubOfBatch.get(b)!.add(h);
      if (!batchOfHub.has(h)) batchOfHub.set(h, new Set());
      batchOfHub.get(h)!.add(b);
    }
    const extra = (m: Map<string, Set<string>>) => [...m.values()].reduce((s, set) => s + set.size - 1, 0);
    return { records: keys.length, hubGoldens: batchOfHub.size, batchClusters: hubOfBatch.size, hubSplit: extra(hubOfBatch), hubOverMerged: extra(batchOfHub) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
