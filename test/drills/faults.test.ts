/**
 * The hub through a PostgreSQL restart, in-process, on a server of its own (never the shared one):
 * the process survives connections lost mid-use, the HTTP surface answers 503 (never a bare 500)
 * while the server is down, the inbox worker listens again and hands back the events it held.
 * The whole drill, with `mdm serve` under load and two hubs, is `npm run drill:faults`.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../bench/drills/faults-lib/postgres-server';
import { createApiKey } from '../../src/auth/api-key.service';
import { type Database, isDatabaseUnavailable, openDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';
import { pinAttribute } from '../../src/golden-record/steward.service';
import { resolve } from '../../src/golden-record/resolve.service';
import { createApp } from '../../src/http/app';
import { enqueueEvents } from '../../src/realtime/inbox.repository';
import { inboxSignal } from '../../src/realtime/inbox-signal';
import { type InboxWorker, processInboxBatch, startInboxWorker } from '../../src/realtime/inbox-worker';
import { ingestRecords } from '../helpers/ingest';

let server: ThrowawayPostgres;
let hub: Database;
let other: Database;

beforeAll(async () => {
  server = await startThrowawayPostgres({ maxConnections: 30 });
  hub = await openDatabase({ databaseUrl: server.url, poolSize: 4 });
  const { error } = await migrateToLatest(hub.db);
  if (error) throw error;
  // Another hub process's pool: events it stores do not signal this process's workers.
  other = await openDatabase({ databaseUrl: server.url, poolSize: 2 });
}, 120_000);

afterAll(async () => {
  await hub?.close().catch(() => undefined);
  await other?.close().catch(() => undefined);
  await server?.destroy();
});

const record = (id: string) => ({ entity: 'customer', source: 'erp', sourceId: id, name: `Kessler Hydraulik ${id} GmbH`, country: 'DE', updatedAt: '2026-01-01T00:00:00Z' });

async function statusOf(eventId: string): Promise<string | undefined> {
  const row = await other.db.selectFrom('inbox_event').select('status').where('event_id', '=', eventId).executeTakeFirst();
  return row?.status;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function until200(request: () => Response | Promise<Response>, timeoutMs: number): Promise<void> {
  await waitFor('ready again', async () => (await request()).status === 200, timeoutMs);
}

describe('a PostgreSQL restart under a running hub', () => {
  it('answers 503 while the database is down, keeps the process alive, listens again and hands back held events', async () => {
    const app = createApp({ database: hub });
    const { key } = await createApiKey(hub.db, { role: 'admin' });
    const post = (id: string) =>
      app.request('/ingest/erp/records', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(record(id)) });
    // The poll is an hour: only a notification (LISTEN) or a signal of this process wakes the worker.
    const worker: InboxWorker = startInboxWorker(hub, { pollMs: 3_600_000, workerId: 'restart-test' });
    try {
      expect((await post('C-1')).status).toBe(202);
      // Stored by another process: reaches the worker through LISTEN.
      await enqueueEvents(other.db, [{ source: 'erp', eventId: 'other-1', kind: 'record', entity: 'customer', sourceId: 'C-2', payload: record('C-2'), correlationId: null }]);
      await waitFor('event of another process processed', async () => (await statusOf('other-1')) === 'done', 10_000);

      // Events this worker holds when the server goes away (claimed for an hour).
      await enqueueEvents(other.db, ['held-1', 'held-2'].map((eventId, i) => ({ source: 'erp', eventId, kind: 'record' as const, entity: 'customer', sourceId: `C-H${i}`, payload: record(`C-H${i}`), correlationId: null })));
      await other.db.updateTable('inbox_event').set({ claimed_by: 'restart-test', claimed_until: new Date(Date.now() + 3_600_000), attempts: 1 }).where('event_id', 'in', ['held-1', 'held-2']).execute();

      await server.stop('fast');
      // Connections of both pools were lost, idle and checked out (the LISTEN one): the process is still here.
      const ready = await app.request('/readyz');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not-ready', reason: 'database unreachable' });
      const refused = await post('C-3');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.json()).toMatchObject({ error: { code: 'DATABASE_UNAVAILABLE' } });
      // A key verified a moment ago is remembered: the read gets as far as the database, and says it is down.
      const cachedRead = await app.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query: '{ goldenRecords(ids: ["G-0000000000000"]) { record { id } } }' }) });
      expect(cachedRead.status).toBe(200);
      expect((await cachedRead.json()).errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
      const read = await app.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer mdm_0123456789ab_notakeynotakeynotakeynotakeynotakeynotakeyX' }, body: JSON.stringify({ query: '{ __typename }' }) });
      expect(read.status).toBe(503);
      // The worker tries while the server is down (its step fails) ...
      inboxSignal.notify();
      await new Promise((r) => setTimeout(r, 300));

      await server.start();
      await until200(() => app.request('/readyz'), 15_000);
      // ... and afterwards hands back what it held: processed now, not when the hour-long claim lapses.
      await waitFor('held events processed', async () => (await statusOf('held-1')) === 'done' && (await statusOf('held-2')) === 'done', 15_000);
      // The attempt the outage interrupted does not count against their retry budget.
      const held = await other.db.selectFrom('inbox_event').select('attempts').where('event_id', 'in', ['held-1', 'held-2']).execute();
      expect(held.map((h) => h.attempts)).toEqual([1, 1]);
      // LISTEN is re-established: an event of another process arrives without a poll.
      await enqueueEvents(other.db, [{ source: 'erp', eventId: 'other-2', kind: 'record', entity: 'customer', sourceId: 'C-4', payload: record('C-4'), correlationId: null }]);
      await waitFor('event of another process processed after the restart', async () => (await statusOf('other-2')) === 'done', 10_000);
      // The webhook stores again; C-3 was answered 503 and is not in the inbox.
      expect((await post('C-3')).status).toBe(202);
      await waitFor('C-3 processed', async () => (await statusOf((await other.db.selectFrom('inbox_event').select('event_id').where('source_id', '=', 'C-3').executeTakeFirstOrThrow()).event_id)) === 'done', 10_000);
      const counts = await other.db.selectFrom('inbox_event').select(['status', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('status').execute();
      expect(counts).toEqual([{ status: 'done', n: '6' }]);
    } finally {
      await worker.stop();
    }
  }, 90_000);

  it('tells a lost or refused connection from a bad request', async () => {
    const refused = await openDatabase({ databaseUrl: `postgresql://postgres@127.0.0.1:${server.port}/postgres`, poolSize: 1 });
    await server.restart('immediate');
    const lost = await refused.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute().then(() => null, (e: unknown) => e);
    // The idle connection died with the server: the next query gets a fresh one, or a clear unavailable error.
    if (lost !== null) expect(isDatabaseUnavailable(lost)).toBe(true);
    const bad = await refused.db.selectFrom('no_such_table' as never).selectAll().execute().then(() => null, (e: unknown) => e);
    expect(bad).not.toBeNull();
    expect(isDatabaseUnavailable(bad)).toBe(false);
    await refused.close();
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    await until200(() => createApp({ database: hub }).request('/readyz'), 15_000);
  }, 60_000);
});

describe('two hub processes on one PostgreSQL', () => {
  it('lets steward actions in one process and real-time resolution in another change one golden record without a conflict', async () => {
    // A database of its own on the drill's server, two pools: two hub processes.
    await sql.raw('CREATE DATABASE two_hubs').execute(other.db);
    const url = server.url.replace(/\/postgres$/, '/two_hubs');
    const a = await openDatabase({ databaseUrl: url, poolSize: 4 });
    const b = await openDatabase({ databaseUrl: url, poolSize: 4 });
    try {
      const { error } = await migrateToLatest(a.db);
      if (error) throw error;
      const base = { entity: 'customer', kind: 'organization', name: 'Brenner Antriebstechnik GmbH', taxId: 'DE811234567', city: 'Ulm', country: 'DE' };
      await ingestRecords(a, [{ ...base, source: 'erp', sourceId: 'E-1', updatedAt: '2026-01-01T00:00:00Z' }, { ...base, source: 'crm', sourceId: 'C-1', updatedAt: '2026-01-01T00:00:00Z' }]);
      await resolve(a);
      const golden = (await a.db.selectFrom('golden_record').select('id').where('status', '=', 'active').executeTakeFirstOrThrow()).id;
      // Process A resolves changed versions of the golden record's members; process B pins its attributes meanwhile.
      const rounds = 40;
      const resolving = (async () => {
        for (let i = 0; i < rounds; i++) {
          const updatedAt = new Date(Date.parse('2026-02-01T00:00:00Z') + i * 60_000).toISOString();
          await enqueueEvents(a.db, [{ source: 'erp', eventId: `change-${i}`, kind: 'record', entity: 'customer', sourceId: 'E-1', payload: { ...base, source: 'erp', sourceId: 'E-1', updatedAt, phone: `+49 731 ${100000 + i}` }, correlationId: null }]);
          await processInboxBatch(a, { workerId: 'hub-a' });
        }
      })();
      const pinning = (async () => {
        const outcomes: string[] = [];
        for (let i = 0; i < rounds; i++) outcomes.push((await pinAttribute(b, golden, 'city', { value: `Ulm ${i}` }, { actor: 'steward', reason: 'test' })).kind);
        return outcomes;
      })();
      const [, outcomes] = await Promise.all([resolving, pinning]);
      expect(outcomes.every((o) => o === 'success')).toBe(true);
      // Every event was processed at its first attempt: no resolution collided with a pin.
      const attempts = await a.db.selectFrom('inbox_event').select(['event_id', 'attempts', 'status']).where('attempts', '>', 1).execute();
      expect(attempts).toEqual([]);
      const history = await a.db.selectFrom('golden_history').select((eb) => eb.fn.countAll<string>().as('n')).where('golden_id', '=', golden).executeTakeFirstOrThrow();
      expect(Number(history.n)).toBeGreaterThan(rounds);
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);
});
