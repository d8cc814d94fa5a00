import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from '../../src/golden-record/resolve.service';
import { createApp } from '../../src/http/app';
import { startServer } from '../../src/http/server';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { CANONICAL_RECORDS, goldenIds, ingestRecords, keyFor, seedCanonicalWorld } from './helpers';

let database: TestDatabase;
let server: ServerType;
let url: string;

beforeAll(async () => {
  database = await openTestDatabase();
  await seedCanonicalWorld(database);
  const started = await startServer(createApp({ database }), 0);
  server = started.server;
  url = `http://127.0.0.1:${started.port}/graphql`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await database?.close();
});

/** Opens an SSE subscription over real HTTP; `next()` waits for the next `next` event's payload. */
async function subscribe(key: string | null, query: string, variables: Record<string, unknown> = {}) {
  const abort = new AbortController();
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal: abort.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: any[] = [];
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('');
          if (block.includes('event: next') && data) events.push(JSON.parse(data));
          if (block.includes('event: complete')) return;
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    async waitFor(predicate: (event: any) => boolean, timeoutMs = 10_000): Promise<any> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = events.find(predicate);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
    },
    events,
    async close() {
      abort.abort();
      await pump;
    },
  };
}

describe('subscriptions over SSE', () => {
  it('streams golden-record changes of one golden id as they are written to the outbox', async () => {
    const krueger = (await goldenIds(database, 'customer')).get('erp|1000045')!;
    const stream = await subscribe(await keyFor(database, 'reader'), `subscription($id: ID) { goldenRecordChanged(entity: CUSTOMER, goldenId: $id) {
      eventId type entity goldenId goldenVersion payload occurredAt record { id version attributes } } }`, { id: krueger });
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/text\/event-stream/);
    await new Promise((r) => setTimeout(r, 700)); // the feed starts at subscription time
    const erp = CANONICAL_RECORDS[0];
    await ingestRecords(database, [{ ...erp, city: 'Stuttgart-Möhringen', updatedAt: '2030-01-01T00:00:00Z' }]);
    await resolve(database, { entity: 'customer' });
    const event = await stream.waitFor((e) => e.data?.goldenRecordChanged?.type === 'golden.updated');
    expect(event.errors).toBeUndefined();
    expect(event.data.goldenRecordChanged).toMatchObject({ entity: 'CUSTOMER', goldenId: krueger, record: { id: krueger } });
    expect(event.data.goldenRecordChanged.payload.changedAttributes).toContain('city');
    expect(event.data.goldenRecordChanged.record.attributes).not.toHaveProperty('phone'); // reader: no personal data
    expect(stream.events.every((e) => e.data.goldenRecordChanged.goldenId === krueger)).toBe(true);
    await stream.close();
  }, 20_000);

  it('sends first the changes past the version the subscriber shows (sinceVersion), then live ones', async () => {
    const krueger = (await goldenIds(database, 'customer')).get('erp|1000045')!;
    const shown = (await database.db.selectFrom('golden_record').select('version').where('id', '=', krueger).executeTakeFirstOrThrow()).version;
    // The record changes after it was read and before anyone subscribes.
    const erp = CANONICAL_RECORDS[0];
    await ingestRecords(database, [{ ...erp, city: 'Stuttgart-Vaihingen', updatedAt: '2031-01-01T00:00:00Z' }]);
    await resolve(database, { entity: 'customer' });
    const now = (await database.db.selectFrom('golden_record').select('version').where('id', '=', krueger).executeTakeFirstOrThrow()).version;
    expect(now).toBeGreaterThan(shown);
    const query = `subscription($id: ID, $since: Int) { goldenRecordChanged(goldenId: $id, sinceVersion: $since) { type goldenId goldenVersion } }`;
    const key = await keyFor(database, 'reader');
    const caughtUp = await subscribe(key, query, { id: krueger, since: shown });
    const missed = await caughtUp.waitFor((e) => e.data?.goldenRecordChanged?.goldenVersion === now);
    expect(missed.data.goldenRecordChanged).toMatchObject({ type: 'golden.updated', goldenId: krueger });
    expect(caughtUp.events.every((e) => e.data.goldenRecordChanged.goldenVersion > shown)).toBe(true);
    // Without sinceVersion the feed starts now: the earlier change is not sent.
    const fromNow = await subscribe(key, query, { id: krueger });
    await new Promise((r) => setTimeout(r, 1200));
    expect(fromNow.events).toEqual([]);
    await caughtUp.close();
    await fromNow.close();
  }, 20_000);

  it('streams match-queue changes to stewards and refuses readers', async () => {
    const stream = await subscribe(await keyFor(database, 'steward'), 'subscription { matchQueueChanged(entity: CUSTOMER) { id status entity } }');
    expect(stream.status).toBe(200);
    await new Promise((r) => setTimeout(r, 700));
    const records = await database.db.selectFrom('source_record').select('id').where('entity', '=', 'customer').orderBy('id').limit(2).execute();
    const pair = await database.db
      .insertInto('match_pair')
      .values({ entity: 'customer', left_record_id: records[0].id, right_record_id: records[1].id, weight: 1, probability: 0.66, reason: 'between-thresholds', explanation: '[]' as never })
      .returning('id')
      .executeTakeFirstOrThrow();
    const event = await stream.waitFor((e) => e.data?.matchQueueChanged?.id === String(pair.id));
    expect(event.data.matchQueueChanged).toEqual({ id: String(pair.id), status: 'PENDING', entity: 'CUSTOMER' });
    await stream.close();

    const denied = await subscribe(await keyFor(database, 'reader'), 'subscription { matchQueueChanged { id } }');
    const refusal = await denied.waitFor((e) => Array.isArray(e.errors));
    expect(refusal.errors[0].extensions.code).toBe('FORBIDDEN');
    await denied.close();

    const anonymous = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query: 'subscription { goldenRecordChanged { eventId } }' }) });
    expect(anonymous.status).toBe(401);
  }, 20_000);
});
