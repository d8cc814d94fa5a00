/**
 * Events drill: a sender posts the world to `mdm serve` as CloudEvent batches on
 * `POST /ingest/<source>/events`: every record, a changed later version of some, events sent
 * twice (same event id), the same version again under a new id, and later versions sent before
 * earlier ones. It keeps the ids of every event answered 2xx and resends a batch that got no 2xx,
 * as a source would. The hub is killed with SIGKILL at seeded random points N times (after a
 * random number of acknowledged batches, plus a random fraction of a batch) and started again.
 *
 * At the end (once the inbox is drained): every acknowledged event is in the inbox once and done
 * (stored, unchanged or stale); each record is stored once with its latest version (by
 * `updatedAt`); and, after the nightly batch resolve, the clusters equal those of a batch resolve of
 * the same records in a fresh database.
 */
import { sql } from 'kysely';
import { validateCanonical } from '../../../src/ingest/canonical-record';
import type { Database } from '../../../src/db/database';
import type { SimRecord } from '../../../src/sim/index';
import { type DrillOptions, type DrillResult } from './drill';
import { type DrillDatabase, freshDatabase } from './drill-database';
import { type HubProcess, hubProcess, runMdm, sleep } from './mdm-process';
import { type Random, seededRandom } from './random';
import { clusterSets, compareClusters, goldenState, hashOf, recordKey, sourceRecordState } from './state';
import { worldRecords, writeJsonl } from './world';

interface SentEvent {
  id: string;
  key: string;
  record: SimRecord;
}

const BATCH = 25;

/** The event stream: every record, later versions, duplicates and out-of-order versions, in batches of one source. */
export function eventStream(records: SimRecord[], random: Random): { batches: Array<{ source: string; events: SentEvent[] }>; latest: Map<string, SimRecord> } {
  const stream: SentEvent[] = [];
  const later: Array<{ at: number; event: SentEvent }> = [];
  const latest = new Map<string, SimRecord>();
  for (const record of records) {
    const key = recordKey(record.source, record.entity, record.sourceId);
    const first: SentEvent = { id: `${record.entity}:${record.sourceId}:1`, key, record };
    latest.set(key, record);
    if (typeof record.name === 'string' && !record.deleted && random.chance(0.2)) {
      const stamp = new Date(Date.parse(record.updatedAt ?? '2026-01-01T00:00:00Z') + 86_400_000).toISOString();
      const changed: SimRecord = { ...record, updatedAt: stamp, name: `${record.name} (changed)` };
      const second: SentEvent = { id: `${record.entity}:${record.sourceId}:2`, key, record: changed };
      latest.set(key, changed);
      if (random.chance(0.3)) {
        stream.push(second); // the later version arrives first
        later.push({ at: stream.length + random.int(1, 200), event: first });
        continue;
      }
      later.push({ at: stream.length + random.int(1, 200), event: second });
    }
    stream.push(first);
    if (random.chance(0.05)) later.push({ at: stream.length + random.int(0, 300), event: first }); // the same event again
    if (random.chance(0.03)) later.push({ at: stream.length + random.int(0, 300), event: { ...first, id: `${first.id}:again` } }); // the same version, another id
  }
  for (const { at, event } of later.sort((a, b) => b.at - a.at)) stream.splice(Math.min(at, stream.length), 0, event);
  // Batches of one source each, in the stream's order per source (as each source sends its own).
  const batches: Array<{ source: string; events: SentEvent[] }> = [];
  const open = new Map<string, SentEvent[]>();
  for (const event of stream) {
    const events = open.get(event.record.source) ?? [];
    events.push(event);
    open.set(event.record.source, events);
    if (events.length === BATCH) {
      batches.push({ source: event.record.source, events });
      open.delete(event.record.source);
    }
  }
  for (const [source, events] of open) batches.push({ source, events });
  return { batches, latest };
}

async function post(hub: HubProcess, key: string, batch: { source: string; events: SentEvent[] }): Promise<number> {
  const body = batch.events.map((e) => ({ specversion: '1.0', id: e.id, source: `/sources/${batch.source}`, type: 'com.example.record.changed', datacontenttype: 'application/json', data: e.record }));
  try {
    const res = await fetch(`${hub.url}/ingest/${batch.source}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents-batch+json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const answer = (await res.json()) as { rejected?: unknown[] };
    if (res.status === 202 && (answer.rejected?.length ?? 0) > 0) throw new Error(`events rejected: ${JSON.stringify(answer.rejected).slice(0, 500)}`);
    return res.status;
  } catch (error) {
    if ((error as Error).message.startsWith('events rejected')) throw error;
    return 0; // no answer: the hub is down
  }
}

async function inboxCounts(database: Database): Promise<{ pending: number; dead: number }> {
  const { rows } = await sql<{ pending: number; dead: number }>`
    SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'dead')::int AS dead FROM inbox_event`.execute(database.db);
  return rows[0];
}

/** How long a killed hub's claims on inbox events hold (the inbox worker's lease in `mdm serve`). */
const INBOX_LEASE_MS = 60_000;

/**
 * Waits until the hub has processed its inbox. On the embedded database the hub must be stopped to
 * look (one process at a time), so the drill first waits for the claims of the last killed hub to
 * lapse, then looks.
 */
async function drained(target: DrillDatabase, hub: HubProcess, lastKillAt: number, log: (line: string) => void): Promise<number> {
  const started = performance.now();
  let looked = 0;
  if (target.kind === 'pglite') await sleep(Math.max(3000, lastKillAt + INBOX_LEASE_MS + 2000 - Date.now()));
  for (;;) {
    if (target.kind === 'pglite') await hub.stop();
    const { pending, dead } = await target.use(inboxCounts);
    if (pending === 0 || dead > 0 || performance.now() - started > 300_000) return (performance.now() - started) / 1000;
    if (looked++ % 10 === 0) log(`events: ${pending} inbox events pending`);
    if (target.kind === 'pglite') await hub.start();
    await sleep(target.kind === 'pglite' ? 5000 : 1000);
  }
}

export async function eventsDrill(options: DrillOptions): Promise<DrillResult> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const random = seededRandom(options.seed * 4 + 3);
  const records = worldRecords(options.seed, options.size ?? 3000);
  const { batches, latest } = eventStream(records, random);
  const sent = batches.reduce((n, b) => n + b.events.length, 0);
  const target = await freshDatabase('events');
  const problems: string[] = [];
  const problem = (text: string) => problems.length < 8 && problems.push(text);
  try {
    const { stdout } = await runMdm(['apikey', 'create', '--role', 'admin', '--name', 'drill-sender', '--json'], target.env);
    const apiKey = (JSON.parse(stdout.trim().split('\n').at(-1)!) as { key: string }).key;
    const hub = await hubProcess(target.env);
    await hub.start();

    // Kill points: after a seeded random number of acknowledged batches, uniform over the stream.
    const killAfter = Array.from({ length: options.kills }, () => random.int(1, Math.max(1, batches.length - 1))).sort((a, b) => a - b);
    const acknowledged = new Set<string>();
    let kills = 0;
    let restartSeconds = 0;
    let resent = 0;
    let killing: Promise<void> | undefined;
    let lastKillAt = Date.now();
    for (let i = 0; i < batches.length; i++) {
      if (killing === undefined && kills < options.kills && i >= killAfter[kills]) {
        // Kill a moment later, while this batch is on its way or being processed.
        const delay = random.int(0, 150);
        killing = (async () => {
          await sleep(delay);
          await hub.kill();
          lastKillAt = Date.now();
          kills++;
          log(`events: kill ${kills} at batch ${i} of ${batches.length} (+${delay} ms)`);
          restartSeconds += await hub.start();
          killing = undefined;
        })();
      }
      for (let attempt = 0; ; attempt++) {
        const status = await post(hub, apiKey, batches[i]);
        if (status >= 200 && status < 300) break;
        if (status !== 0 && status !== 429 && status < 500) throw new Error(`the hub answered ${status} to an events batch`);
        if (attempt > 600) throw new Error('the hub did not accept an events batch for a minute');
        resent++;
        await sleep(100);
      }
      for (const e of batches[i].events) acknowledged.add(`${batches[i].source}|${e.id}`);
    }
    await killing;
    while (kills < options.kills) {
      // The stream was shorter than the kill points: kill while the inbox is worked.
      await sleep(random.int(200, 1500));
      await hub.kill();
      lastKillAt = Date.now();
      kills++;
      log(`events: kill ${kills} after the last batch`);
      restartSeconds += await hub.start();
    }
    const drainSeconds = await drained(target, hub, lastKillAt, log);
    await hub.stop();

    // Every acknowledged event is in the inbox once, and done.
    const { inbox, stored, actualClusters } = await target.use(async (db) => {
      const inbox = await db.db.selectFrom('inbox_event').select(['source', 'event_id', 'status', 'outcome']).execute();
      const stored = await sourceRecordState(db);
      return { inbox, stored, actualClusters: undefined };
    });
    void actualClusters;
    const seen = new Map<string, { status: string; outcome: string | null; n: number }>();
    for (const e of inbox) {
      const k = `${e.source}|${e.event_id}`;
      const prev = seen.get(k);
      seen.set(k, { status: e.status, outcome: e.outcome, n: (prev?.n ?? 0) + 1 });
    }
    let lost = 0;
    let duplicated = stored.duplicated.length;
    let mismatches = 0;
    for (const id of acknowledged) {
      const e = seen.get(id);
      if (!e || e.status !== 'done') {
        lost++;
        problem(`event ${id}: ${e ? `status ${e.status}` : 'not in the inbox'}`);
      } else if (e.n > 1) {
        duplicated++;
        problem(`event ${id}: ${e.n} times in the inbox`);
      }
    }
    // Each record stored once, with its latest version.
    for (const [key, record] of latest) {
      const s = stored.attributes.get(key);
      if (!s) {
        lost++;
        problem(`${key}: not stored`);
        continue;
      }
      const valid = validateCanonical(record);
      if (!valid.ok) throw new Error(`${key}: ${valid.reason}`);
      const row = JSON.parse(stored.records.get(key)!) as { updatedAt: string | null };
      if (s.deleted !== (record.deleted === true) || s.attributes !== hashOf(valid.record.attributes) || row.updatedAt !== (valid.record.updatedAt ? new Date(valid.record.updatedAt).toISOString() : null)) {
        mismatches++;
        problem(`${key}: stored version is not the latest`);
      }
    }
    const extra = stored.records.size - (latest.size - [...latest.keys()].filter((k) => !stored.attributes.has(k)).length);
    if (extra > 0) (duplicated += extra), problem(`${extra} stored records that were never sent`);

    // Golden state: after the nightly batch resolve, the clusters of a batch resolve of the same records in a fresh database.
    const realtime = await target.use(goldenState);
    await runMdm(['resolve'], target.env);
    const settled = await target.use(goldenState);
    const fresh = await freshDatabase('eventsref');
    let batch: Awaited<ReturnType<typeof goldenState>>;
    try {
      await runMdm(['ingest', '--file', writeJsonl([...latest.values()] as unknown as Record<string, unknown>[])], fresh.env);
      await runMdm(['resolve'], fresh.env);
      batch = await fresh.use(goldenState);
    } finally {
      await fresh.drop();
    }
    const clusters = compareClusters(clusterSets(batch), clusterSets(settled));
    mismatches += clusters.count;
    problems.push(...clusters.examples.slice(0, Math.max(0, 8 - problems.length)));
    const realtimeDiff = compareClusters(clusterSets(batch), clusterSets(realtime));
    const sameIds = [...batch.cluster].filter(([id, members]) => settled.cluster.get(id) === members).length;
    const outcomes = new Map<string, number>();
    for (const e of inbox) outcomes.set(e.outcome ?? '-', (outcomes.get(e.outcome ?? '-') ?? 0) + 1);
    return {
      drill: 'events',
      database: target.kind,
      kills,
      seconds: (performance.now() - started) / 1000,
      checked: latest.size,
      lost,
      duplicated,
      mismatches,
      notes: [
        `${sent} events in ${batches.length} batches for ${latest.size} records, ${acknowledged.size} distinct acknowledged, ${resent} requests repeated after no 2xx answer (hub down); inbox outcomes: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`,
        `hub restarts took ${restartSeconds.toFixed(1)} s in all; the inbox was drained ${drainSeconds.toFixed(1)} s after the last batch (claims of a killed hub lapse after ${INBOX_LEASE_MS / 1000} s)`,
        `real-time clusters before the nightly resolve: ${realtimeDiff.count} differences from the batch run; after it: ${clusters.count}; ${sameIds} of ${batch.cluster.size} batch golden ids identical`,
      ],
      problems,
    };
  } finally {
    await target.drop();
  }
}
