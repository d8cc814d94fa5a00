/**
 * One measured run of `bench:inbox`, in a process of its own: stores `--events` inbox events
 * (half new records, half changed versions of stored ones, the same sample for every run) in the
 * database of DATABASE_URL, then processes them in-process with the inbox worker of the checkout
 * `--code` (default this one), batch after batch, and prints one JSON line of figures.
 */
import { join } from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from './datasets';
import { opt } from './args';
import { processCpuSeconds } from './hub-server';

const url = process.env.DATABASE_URL!;
const code = opt('code') ?? PROJECT_ROOT;
const total = Number(opt('events') ?? 3000);
const batch = Number(opt('batch') ?? 100);
/** Entity types of the records: customer, asset or both. */
const entities = (opt('entities') ?? 'customer,asset').split(',');

const { openDatabase } = (await import(join(code, 'src/db/database.ts'))) as typeof import('../../src/db/database');
const { enqueueEvents } = (await import(join(code, 'src/realtime/inbox.repository.ts'))) as typeof import('../../src/realtime/inbox.repository');
const { processInboxBatch, EventRuns } = (await import(join(code, 'src/realtime/inbox-worker.ts'))) as typeof import('../../src/realtime/inbox-worker');

const c = new pg.Client({ connectionString: url });
await c.connect();
// The same records in every run: ordered by a hash of the id, not at random.
const { rows } = await c.query<{ entity: string; source: string; source_id: string; attributes: Record<string, unknown> }>(
  `SELECT entity, source, source_id, attributes FROM source_record WHERE entity = ANY($2::text[]) AND NOT deleted ORDER BY md5(id::text) LIMIT $1`,
  [total, entities],
);
await c.end();
/** Changed versions carry a later source timestamp than any stored one. */
const later = '2030-01-01T00:00:00.000Z';
const events = rows.map((r, i) => {
  const record: Record<string, unknown> = { entity: r.entity, source: r.source, sourceId: r.source_id, ...r.attributes };
  // A new record (the same customer or asset entered again under another id), or a changed one.
  if (i % 2 === 0) record.sourceId = `RT-${i}-${r.source_id}`.slice(0, 60);
  else Object.assign(record, r.entity === 'customer' ? { phone: `+49 30 ${String(1000000 + i).slice(-7)}` } : { status: i % 3 === 0 ? 'In maintenance' : 'In use' }, { updatedAt: later });
  return { source: r.source, eventId: `bench-${i}`, kind: 'record' as const, entity: r.entity, sourceId: String(record.sourceId), payload: record, correlationId: null };
});

const database = await openDatabase({ databaseUrl: url });
await enqueueEvents(database.db, events);
/** CPU seconds so far of the PostgreSQL backends of this database (other than the asking one). */
const backendCpu = async () => {
  const { rows: backends } = await database.pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  return new Map(backends.map((b) => [b.pid, processCpuSeconds(b.pid)]));
};
const pg0 = await backendCpu();
// One set of ingest runs for all batches, as a running worker keeps them (a checkout from before
// `EventRuns` was exported starts and finishes one per batch).
const runs = typeof EventRuns === 'function' ? new EventRuns(database) : undefined;
const batches: number[] = [];
let processed = 0;
const cpu0 = process.cpuUsage();
const started = performance.now();
for (;;) {
  const t = performance.now();
  const r = await processInboxBatch(database, { batchSize: batch, runs });
  if (r.claimed === 0) break;
  batches.push(performance.now() - t);
  processed += r.processed;
}
await runs?.close();
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
let pgSeconds = 0;
for (const [pid, s] of await backendCpu()) pgSeconds += s - (pg0.get(pid) ?? 0);
await database.close();
batches.sort((a, b) => a - b);
console.log(JSON.stringify({
  processed,
  seconds,
  perSecond: processed / seconds,
  batchP50: batches[Math.floor(batches.length / 2)] ?? NaN,
  batchMax: batches.at(-1) ?? NaN,
  cpuMsPerEvent: (cpu.user + cpu.system) / 1000 / Math.max(1, processed),
  pgCpuMsPerEvent: (pgSeconds * 1000) / Math.max(1, processed),
}));
