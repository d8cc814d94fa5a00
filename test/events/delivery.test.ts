import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Dispatcher, startDispatcher } from '../../src/events/dispatcher';
import { listDeadLetters, replayDeliveries } from '../../src/events/delivery.repository';
import { addSubscriber, OPERATOR } from '../../src/events/subscriber.service';
import { createDeliveryMetrics } from '../../src/observability/delivery-metrics';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { countRows, type Receiver, startReceiver, versionsByGolden, waitFor, writeEvents } from './helpers';

const SECRET = 'test-secret-0123456789abcdef';
const silent = pino({ level: 'silent' });

let database: TestDatabase;
const dispatchers: Dispatcher[] = [];
const receivers: Receiver[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});
afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
  await Promise.all(receivers.splice(0).map((r) => r.close().catch(() => undefined)));
  await sql`DELETE FROM subscriber`.execute(database.db);
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver(SECRET);
  receivers.push(r);
  return r;
}

async function subscribe(url: string, extra: { entities?: string[]; eventTypes?: string[]; name?: string } = {}) {
  const r = await addSubscriber(database.db, OPERATOR, { url, secret: SECRET, ...extra });
  if (r.kind !== 'success') throw new Error(r.message);
  return r.subscriber;
}

function dispatch(options: Parameters<typeof startDispatcher>[1] = {}): Dispatcher {
  const d = startDispatcher(database, {
    pollIntervalMs: 50, refreshIntervalMs: 100, timeoutMs: 1000, logger: silent,
    metrics: createDeliveryMetrics(new Registry()), retry: { baseDelayMs: 50, maxDelayMs: 400, maxAttempts: 50 }, ...options,
  });
  dispatchers.push(d);
  return d;
}

/** Every acknowledged event of a golden id came after the acknowledgement of all its earlier versions. */
function expectInOrder(r: Receiver, expected: Map<string, number[]>) {
  const acked = versionsByGolden(r.acked());
  for (const [golden, versions] of expected) {
    // At least once: a version may be acknowledged twice, but never before an earlier one.
    const seen = acked.get(golden) ?? [];
    const firsts = seen.filter((v, i) => seen.indexOf(v) === i);
    expect(firsts, golden).toEqual(versions);
    for (let i = 1; i < seen.length; i++) expect(seen[i], `${golden} order`).toBeGreaterThanOrEqual(seen[i - 1]);
  }
  // No attempt of a version started before every earlier version of its golden was acknowledged.
  const ackedUpTo = new Map<string, number>();
  for (const rec of r.received) {
    const g = rec.event.subject;
    const v = rec.event.data.goldenVersion;
    const versions = expected.get(g) ?? [];
    const idx = versions.indexOf(v);
    expect(ackedUpTo.get(g) ?? -1, `${g} v${v} attempted before v${versions[idx - 1]} was acknowledged`).toBeGreaterThanOrEqual(idx - 1);
    if (rec.status >= 200 && rec.status < 300) ackedUpTo.set(g, Math.max(ackedUpTo.get(g) ?? -1, idx));
  }
}

describe('event delivery', () => {
  it('delivers signed CloudEvents 1.0 with the outbox id, type, subject, data and trace context, honouring filters', async () => {
    const r = await receiver();
    await subscribe(r.url, { entities: ['customer'], eventTypes: ['updated', 'merged'] });
    dispatch();
    const [id] = await writeEvents(database, [
      { goldenId: 'C-1', version: 2, payload: { changedAttributes: ['name', 'vatId'] }, correlationId: '4bf92f3577b34da6a3ce929d0e0e4736' },
      { goldenId: 'C-1', version: 2, type: 'xref.moved', payload: { recordId: '1' } },
      { goldenId: 'P-1', version: 2, entity: 'product' },
    ]);
    await waitFor(() => r.acked().length >= 1, 10_000, 'the delivery');
    await new Promise((res) => setTimeout(res, 300));
    expect(r.acked()).toHaveLength(1);
    const got = r.received[0];
    expect(got.event).toMatchObject({
      specversion: '1.0', id, source: 'mdm-hub', type: 'mdm.golden.updated', subject: 'C-1', datacontenttype: 'application/json',
      correlationid: '4bf92f3577b34da6a3ce929d0e0e4736',
      data: { changedAttributes: ['name', 'vatId'], entity: 'customer', goldenId: 'C-1', goldenVersion: 2 },
    });
    expect(got.event.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(new Date(got.event.time).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(got.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(got.headers['x-mdm-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(got.headers['x-mdm-event-id']).toBe(id);
    expect(got.signatureValid).toBe(true);
    expect(await countRows(database, 'delivery')).toBe(0);
  });

  it('keeps order per golden record and loses nothing through 500s, timeouts and dropped connections', async () => {
    const r = await receiver();
    await subscribe(r.url);
    let n = 0;
    r.behaviour = () => {
      n++;
      if (n % 5 === 0) return 500;
      if (n % 11 === 0) return { hangMs: 1500 }; // over the 1 s timeout
      if (n % 13 === 0) return 'drop';
      return 200;
    };
    dispatch({ concurrency: 8 });
    const expected = new Map<string, number[]>();
    for (let round = 1; round <= 6; round++) {
      const batch = [];
      for (let g = 0; g < 15; g++) {
        batch.push({ goldenId: `G-${g}`, version: round });
        expected.set(`G-${g}`, [...(expected.get(`G-${g}`) ?? []), round]);
      }
      await writeEvents(database, batch);
      await new Promise((res) => setTimeout(res, 40));
    }
    await waitFor(() => new Set(r.acked().map((e) => e.id)).size === 90, 30_000, 'all 90 events acknowledged');
    expectInOrder(r, expected);
    await waitFor(async () => (await countRows(database, 'delivery')) === 0, 5000, 'an empty queue');
    expect(r.received.every((x) => x.signatureValid)).toBe(true);
  });

  it('delivers everything in order after a subscriber was down for a while', async () => {
    const r = await receiver();
    await subscribe(r.url);
    dispatch();
    await writeEvents(database, [{ goldenId: 'D-1', version: 1 }]);
    await waitFor(() => r.acked().length === 1, 10_000, 'the first event');
    await r.close();
    const expected = new Map<string, number[]>([['D-1', [1]]]);
    for (let v = 2; v <= 5; v++) {
      await writeEvents(database, [{ goldenId: 'D-1', version: v }, { goldenId: `D-${v}`, version: 1 }]);
      expected.get('D-1')!.push(v);
      expected.set(`D-${v}`, [1]);
    }
    await new Promise((res) => setTimeout(res, 700)); // several failed attempts while down
    const retrying = await sql<{ n: number }>`SELECT count(*)::int AS n FROM delivery WHERE attempts > 0`.execute(database.db);
    expect(retrying.rows[0].n).toBeGreaterThan(0);
    await r.reopen();
    await waitFor(() => new Set(r.acked().map((e) => e.id)).size === 9, 20_000, 'all events after the subscriber came back');
    expectInOrder(r, expected);
  });

  it('dead-letters an event after its retry budget, holds later events of that golden, and replays them in order', async () => {
    const r = await receiver();
    const sub = await subscribe(r.url);
    const { rows: [{ started }] } = await sql<{ started: Date }>`SELECT now() AS started`.execute(database.db);
    let poison: string | undefined;
    r.behaviour = (e) => (e.id === poison ? 500 : 200);
    dispatch({ retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50 } });
    [poison] = await writeEvents(database, [{ goldenId: 'X-1', version: 1 }]);
    await writeEvents(database, [{ goldenId: 'X-1', version: 2 }, { goldenId: 'Y-1', version: 1 }]);
    await waitFor(async () => (await countRows(database, 'dead_letter')) === 1, 10_000, 'the dead letter');
    await waitFor(() => r.acked().some((e) => e.subject === 'Y-1'), 10_000, 'the other golden record');
    await new Promise((res) => setTimeout(res, 300));
    expect(r.received.filter((x) => x.event.id === poison)).toHaveLength(3);
    expect(r.received.some((x) => x.event.subject === 'X-1' && x.event.data.goldenVersion === 2)).toBe(false); // held
    const dead = await listDeadLetters(database.db, sub.id);
    expect(dead).toMatchObject([{ outboxId: poison, goldenId: 'X-1', goldenVersion: 1, attempts: 3, lastStatus: 500, lastError: 'HTTP 500' }]);

    r.behaviour = () => 200; // the receiver is fixed
    expect(await replayDeliveries(database.db, sub.id)).toEqual({ deadLetters: 1, redelivered: 0 });
    await waitFor(() => r.acked().filter((e) => e.subject === 'X-1').length === 2, 10_000, 'the replayed and the held event');
    expect(versionsByGolden(r.acked()).get('X-1')).toEqual([1, 2]);
    expect(await countRows(database, 'dead_letter')).toBe(0);

    // Replay since a time delivers again every matching event written since then, in order.
    await waitFor(async () => (await countRows(database, 'delivery')) === 0, 5000, 'the acknowledgements to be recorded');
    const before = r.acked().length;
    const replayed = await replayDeliveries(database.db, sub.id, started);
    expect(replayed).toEqual({ deadLetters: 0, redelivered: 3 });
    await waitFor(() => r.acked().length === before + 3, 10_000, 'the replay');
    expect(versionsByGolden(r.acked().slice(before)).get('X-1')).toEqual([1, 2]);
  });

  it('does not let a slow subscriber delay another one', async () => {
    const slow = await receiver();
    slow.behaviour = () => ({ hangMs: 3000 });
    const fast = await receiver();
    await subscribe(slow.url, { name: 'slow' });
    await subscribe(fast.url, { name: 'fast' });
    dispatch({ timeoutMs: 2500, concurrency: 4 });
    await new Promise((res) => setTimeout(res, 300));
    const written = Date.now();
    await writeEvents(database, Array.from({ length: 20 }, (_, i) => ({ goldenId: `S-${i}`, version: 1 })));
    await waitFor(() => fast.acked().length === 20, 10_000, 'the fast subscriber');
    expect(Date.now() - written).toBeLessThan(1500);
    expect(slow.acked()).toHaveLength(0);
  });

  it('shares the work between several hub processes without delivering an event twice at once', async () => {
    const r = await receiver();
    await subscribe(r.url);
    const inFlight = new Map<string, number>();
    let overlaps = 0;
    r.behaviour = (e) => {
      inFlight.set(e.subject, (inFlight.get(e.subject) ?? 0) + 1);
      if (inFlight.get(e.subject)! > 1) overlaps++;
      setTimeout(() => inFlight.set(e.subject, inFlight.get(e.subject)! - 1), 5);
      return { delayMs: 5, status: 200 };
    };
    // A long timeout: a duplicate here could only come from two processes claiming one event.
    dispatch({ processId: 'hub-a', concurrency: 8, timeoutMs: 10_000 });
    dispatch({ processId: 'hub-b', concurrency: 8, timeoutMs: 10_000 });
    const expected = new Map<string, number[]>();
    for (let v = 1; v <= 5; v++) {
      await writeEvents(database, Array.from({ length: 30 }, (_, g) => ({ goldenId: `M-${g}`, version: v })));
      for (let g = 0; g < 30; g++) expected.set(`M-${g}`, [...(expected.get(`M-${g}`) ?? []), v]);
    }
    await waitFor(() => new Set(r.acked().map((e) => e.id)).size === 150, 30_000, 'all 150 events');
    expect(r.acked()).toHaveLength(150); // none twice
    expect(overlaps).toBe(0);
    expectInOrder(r, expected);
  });

  it('never skips an event whose transaction commits after a later one', async () => {
    const r = await receiver();
    await subscribe(r.url);
    dispatch();
    // An event whose id was drawn before a later event's, but committed after it was delivered
    // (a plain id cursor would have moved past it).
    const early = (await sql<{ id: string }>`SELECT nextval(pg_get_serial_sequence('outbox', 'id'))::text AS id`.execute(database.db)).rows[0].id;
    const [later] = await writeEvents(database, [{ goldenId: 'L-2', version: 1 }]);
    await waitFor(() => r.acked().length === 1, 10_000, 'the later event');
    await sql`INSERT INTO outbox (id, event_type, entity, golden_id, golden_version, payload) VALUES (${early}, 'golden.updated', 'customer', 'L-1', 1, '{}')`.execute(database.db);
    await waitFor(() => r.acked().length === 2, 10_000, 'the late-committed event');
    expect(r.acked().map((e) => e.id)).toEqual([later, early]);
    if (database.kind !== 'postgres') return; // one connection: transactions cannot overlap
    // On a server, the later event also waits while an older transaction is still open: that one
    // could still commit events with lower ids.
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      const open = await client.query(`INSERT INTO outbox (event_type, entity, golden_id, golden_version, payload) VALUES ('golden.updated', 'customer', 'L-3', 1, '{}') RETURNING id`);
      const [next] = await writeEvents(database, [{ goldenId: 'L-4', version: 1 }]);
      await new Promise((res) => setTimeout(res, 500));
      expect(r.acked()).toHaveLength(2);
      await client.query('COMMIT');
      await waitFor(() => r.acked().length === 4, 10_000, 'both events');
      expect(r.acked().slice(2).map((e) => e.id).sort()).toEqual([String(open.rows[0].id), next].sort());
    } finally {
      client.release();
    }
  });

  it('does not wait for a transaction open in another database of the same server', async () => {
    const r = await receiver();
    await subscribe(r.url);
    dispatch();
    // Another database on the server (another hub, a dump, a report) with a transaction holding an id:
    // it cannot write this outbox, so this hub's events flow past it. (The embedded database has
    // one connection and no other database: the event simply flows.)
    const other = database.kind === 'postgres' ? new pg.Client({ connectionString: process.env.DATABASE_URL }) : undefined;
    try {
      if (other) {
        await other.connect();
        await other.query('BEGIN');
        await other.query('SELECT pg_current_xact_id()');
      }
      const [id] = await writeEvents(database, [{ goldenId: 'X-1', version: 1 }]);
      await waitFor(() => r.acked().length === 1, 10_000, 'the event, past the other database\'s transaction');
      expect(r.acked().map((e) => e.id)).toEqual([id]);
    } finally {
      await other?.query('ROLLBACK').catch(() => undefined);
      await other?.end();
    }
  });

  it('starts a new subscriber exactly when it is added, whatever transactions are open around it', async () => {
    // On PostgreSQL a transaction of this database is held open across the subscription (with an
    // event written in it) and one of another database too: the cursor's start then lies before
    // events committed earlier, and the start snapshot is what passes over them. (The embedded
    // database has one connection: only the plain sequence runs.)
    const postgres = database.kind === 'postgres';
    const held = postgres ? new pg.Client({ connectionString: database.env.DATABASE_URL }) : undefined;
    const other = postgres ? new pg.Client({ connectionString: process.env.DATABASE_URL }) : undefined;
    try {
      let heldId: string | undefined;
      if (held && other) {
        await other.connect();
        await other.query('BEGIN');
        await other.query('SELECT pg_current_xact_id()');
        await held.connect();
        await held.query('BEGIN');
        const row = await held.query<{ id: string }>(
          `INSERT INTO outbox (event_type, entity, golden_id, golden_version, payload) VALUES ('golden.updated', 'customer', 'H-1', 1, '{}') RETURNING id`,
        );
        heldId = String(row.rows[0].id);
      }
      const [before] = await writeEvents(database, [{ goldenId: 'B-1', version: 1 }]);
      const r = await receiver();
      await subscribe(r.url);
      dispatch();
      const [after] = await writeEvents(database, [{ goldenId: 'A-1', version: 1 }]);
      if (held) await held.query('COMMIT');
      const expected = heldId ? [heldId, after] : [after];
      await waitFor(() => r.acked().length >= expected.length, 10_000, 'the events written while and after the subscriber was added');
      await new Promise((res) => setTimeout(res, 300));
      const ids = r.acked().map((e) => e.id);
      expect(ids).not.toContain(before);
      expect([...ids].sort()).toEqual([...expected].sort());
    } finally {
      await held?.query('ROLLBACK').catch(() => undefined);
      await held?.end();
      await other?.query('ROLLBACK').catch(() => undefined);
      await other?.end();
    }
  });
});
