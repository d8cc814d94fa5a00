import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-key.service';
import { traceIdOf } from '../../src/events/cloud-event';
import { startDispatcher } from '../../src/events/dispatcher';
import { addSubscriber, OPERATOR } from '../../src/events/subscriber.service';
import { createApp } from '../../src/http/app';
import { createDeliveryMetrics } from '../../src/observability/delivery-metrics';
import { startInboxWorker } from '../../src/realtime/inbox-worker';
import { resolve } from '../../src/golden-record/resolve.service';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { ingestRecords } from '../helpers/ingest';
import { startReceiver, waitFor } from '../events/helpers';

let database: TestDatabase;

beforeEach(async () => {
  database = await openTestDatabase();
});
afterEach(async () => {
  await database?.close();
});

describe('event-driven ingest end to end', () => {
  it('follows one correlation id from a webhook through real-time resolution to the delivered change event', async () => {
    const secret = 'correlation-secret-0123456789';
    const receiver = await startReceiver(secret);
    expect((await addSubscriber(database.db, OPERATOR, { url: receiver.url, secret, entities: ['customer'] })).kind).toBe('success');
    const dispatcher = startDispatcher(database, {
      pollIntervalMs: 20, refreshIntervalMs: 50, logger: pino({ level: 'silent' }), metrics: createDeliveryMetrics(new Registry()),
    });
    const worker = startInboxWorker(database, { pollMs: 20 });
    try {
      const app = createApp({ database });
      const { key } = await createApiKey(database.db, { role: 'ingest:crm' });
      const res = await app.request('/ingest/crm/events', {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${key}`, 'x-request-id': 'order-4711-sync' },
        body: JSON.stringify({
          specversion: '1.0', id: 'cdc-1', source: '/crm/Account', type: 'com.example.account.changed',
          data: { entity: 'customer', sourceId: '0015g00000XyZ01AAA', kind: 'organization', name: 'Brenner Fördertechnik GmbH', city: 'Ulm', country: 'DE' },
        }),
      });
      expect(res.status).toBe(202);
      expect(res.headers.get('x-request-id')).toBe('order-4711-sync');
      await waitFor(() => receiver.acked().length >= 1, 15_000, 'the golden.created event at the subscriber');
      const event = receiver.acked()[0];
      expect(event.type).toBe('mdm.golden.created');
      expect(event.correlationid).toBe('order-4711-sync');
      expect(event.traceparent.split('-')[1]).toBe(traceIdOf('order-4711-sync'));
      const inbox = await database.db.selectFrom('inbox_event').select(['status', 'correlation_id']).executeTakeFirstOrThrow();
      expect(inbox).toEqual({ status: 'done', correlation_id: 'order-4711-sync' });
    } finally {
      await worker.stop();
      await dispatcher.stop();
      await receiver.close();
    }
  });

  it('carries the correlation id of a steward mutation to its change events', async () => {
    await ingestRecords(database, [
      { entity: 'customer', source: 'erp', sourceId: 'E-1', kind: 'organization', name: 'Hafner Antriebe GmbH', city: 'Linz', country: 'AT' },
      { entity: 'customer', source: 'crm', sourceId: 'C-1', kind: 'organization', name: 'Hafner Drives', city: 'Wels', country: 'AT' },
    ]);
    await resolve(database);
    const ids = (await database.db.selectFrom('golden_record').select('id').where('status', '=', 'active').orderBy('id').execute()).map((r) => r.id);
    expect(ids).toHaveLength(2);
    const { key } = await createApiKey(database.db, { role: 'steward' });
    const res = await createApp({ database }).request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-request-id': 'ticket-881' },
      body: JSON.stringify({ query: 'mutation($ids: [ID!]!) { merge(goldenIds: $ids, reason: "same company") { __typename } }', variables: { ids } }),
    });
    expect((await res.json()).data.merge.__typename).toBe('MergeSuccess');
    const events = await database.db.selectFrom('outbox').select(['event_type', 'correlation_id']).where('event_type', 'in', ['golden.merged', 'golden.redirected']).execute();
    expect(events.map((e) => e.event_type).sort()).toEqual(['golden.merged', 'golden.redirected']);
    expect(events.every((e) => e.correlation_id === 'ticket-881')).toBe(true);
  });
});
