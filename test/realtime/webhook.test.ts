import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-key.service';
import { createApp } from '../../src/http/app';
import { processInboxBatch, startInboxWorker } from '../../src/realtime/inbox-worker';
import { inboxStatus, listDeadEvents, replayDeadEvents } from '../../src/realtime/inbox.repository';
import { webhookRoutes } from '../../src/realtime/webhook.routes';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
let app: ReturnType<typeof createApp>;
let erpKey: string;

beforeEach(async () => {
  database = await openTestDatabase();
  app = createApp({ database });
  erpKey = (await createApiKey(database.db, { role: 'ingest:erp' })).key;
});
afterEach(async () => {
  await database?.close();
});

const org = (sourceId: string, extra: Record<string, unknown> = {}) => ({
  entity: 'customer', sourceId, kind: 'organization', name: 'Krüger Maschinenbau GmbH',
  street: 'Industriestraße', houseNumber: '12', postalCode: '70565', city: 'Stuttgart', country: 'DE',
  taxId: 'DE811234567', updatedAt: '2026-01-01T00:00:00Z', ...extra,
});

function post(path: string, body: unknown, headers: Record<string, string> = {}, key: string | null = erpKey) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function drain(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const r = await processInboxBatch(database);
    if (r.claimed === 0) return;
  }
  throw new Error('the inbox did not drain');
}

const count = async (table: 'inbox_event' | 'source_record' | 'quarantine' | 'golden_record') =>
  Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('webhooks: authentication', () => {
  it('refuses a missing key, an unknown key, a key of another source and a wrong signature, storing nothing', async () => {
    expect((await post('/ingest/erp/records', org('1'), {}, null)).status).toBe(401);
    expect((await post('/ingest/erp/records', org('1'), {}, 'mdm_000000000000_' + 'x'.repeat(43))).status).toBe(401);
    const crmKey = (await createApiKey(database.db, { role: 'ingest:crm' })).key;
    const forbidden = await post('/ingest/erp/records', org('1'), {}, crmKey);
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.message).toContain('ingest:erp');
    const reader = (await createApiKey(database.db, { role: 'reader' })).key;
    expect((await post('/ingest/erp/records', org('1'), {}, reader)).status).toBe(403);
    expect((await post('/ingest/erp/records', org('1'), { 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) }, null)).status).toBe(401);
    expect(await count('inbox_event')).toBe(0);
  });

  it('accepts a body signed with the source webhook secret (HMAC-SHA256) and refuses a tampered one', async () => {
    const hooks = webhookRoutes({ database, config: { secretOf: (s) => (s === 'fsm' ? 'fsm-secret' : undefined) } });
    const body = JSON.stringify(org('F1'));
    const signature = 'sha256=' + createHmac('sha256', 'fsm-secret').update(body).digest('hex');
    const ok = await hooks.request('/fsm/records', { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
    expect(ok.status).toBe(202);
    const tampered = await hooks.request('/fsm/records', {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: body.replace('Krüger', 'Kruger'),
    });
    expect(tampered.status).toBe(401);
    expect(await count('inbox_event')).toBe(1);
  });
});

describe('webhooks: bad input', () => {
  it('answers malformed JSON, a wrong content type, an oversized body and a bad batch with precise 4xx errors', async () => {
    const bad = await post('/ingest/erp/records', '{"entity": "customer",');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('INVALID_JSON');
    const type = await post('/ingest/erp/records', 'a,b', { 'content-type': 'text/csv' });
    expect(type.status).toBe(415);
    expect((await type.json()).error.message).toContain('application/json');
    const big = await post('/ingest/erp/records', JSON.stringify([org('1', { name: 'x'.repeat(6 * 1024 * 1024) })]));
    expect(big.status).toBe(413);
    const notBatch = await post('/ingest/erp/events', { specversion: '1.0' }, { 'content-type': 'application/cloudevents-batch+json' });
    expect(notBatch.status).toBe(400);
    expect(await count('inbox_event')).toBe(0);
  });

  it('lands the valid records of a batch and lists the others with their reasons (and quarantines them)', async () => {
    const res = await post('/ingest/erp/records', [
      org('1'),
      { ...org('2'), sourceId: undefined },
      { ...org('3'), entity: 'spaceship' },
      org('4', { updatedAt: '2026-02-30T00:00:00Z' }),
      org('5', { source: 'crm' }),
      org('6'),
    ]);
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3, 4]);
    expect(body.rejected[0].reason).toMatch(/sourceId/);
    expect(body.rejected[1].reason).toMatch(/spaceship/);
    expect(body.rejected[2].reason).toMatch(/updatedAt/);
    expect(body.rejected[3].reason).toMatch(/source "crm"/);
    expect(await count('inbox_event')).toBe(2);
    expect(await count('quarantine')).toBe(4);

    const none = await post('/ingest/erp/records', [{ entity: 'customer' }]);
    expect(none.status).toBe(400);
    expect((await none.json()).rejected).toHaveLength(1);
  });

  it('checks CloudEvents attributes', async () => {
    const res = await post(
      '/ingest/erp/events',
      [
        { specversion: '1.0', id: 'e1', source: '/erp', type: 'record.changed', data: org('1') },
        { specversion: '0.3', id: 'e2', source: '/erp', type: 'record.changed', data: org('2') },
        { specversion: '1.0', source: '/erp', type: 'record.changed', data: org('3') },
        { specversion: '1.0', id: 'e4', source: '/erp', type: 'record.changed' },
      ],
      { 'content-type': 'application/cloudevents-batch+json' },
    );
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r: { reason: string }) => r.reason)).toEqual([
      expect.stringContaining('specversion'),
      expect.stringContaining('"id"'),
      expect.stringContaining('data'),
    ]);
  });

  it('answers 429 with Retry-After when the inbox backlog is over its bound, storing nothing', async () => {
    const hooks = webhookRoutes({ database, config: { maxBacklog: 1 } });
    const send = (id: string) =>
      hooks.request('/erp/records', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${erpKey}` }, body: JSON.stringify(org(id)) });
    expect((await send('1')).status).toBe(202);
    const refused = await send('2');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await count('inbox_event')).toBe(1);
  });

  it('reports not ready while the inbox backlog is at its bound, and ready once it is processed', async () => {
    process.env.MDM_INBOX_MAX_BACKLOG = '1';
    try {
      const bounded = createApp({ database });
      const send = () => bounded.request('/ingest/erp/records', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${erpKey}` }, body: JSON.stringify(org('1')) });
      expect((await send()).status).toBe(202);
      const busy = await bounded.request('/readyz');
      expect(busy.status).toBe(503);
      expect((await busy.json()).reason).toMatch(/inbox backlog of 1 events/);
      await drain();
      expect((await bounded.request('/readyz')).status).toBe(200);
    } finally {
      delete process.env.MDM_INBOX_MAX_BACKLOG;
    }
  });
});

describe('inbox processing', () => {
  it('resolves a pushed record into a golden record, matches a second source to it, and carries the correlation id to the outbox', async () => {
    expect((await post('/ingest/erp/events', { specversion: '1.0', id: 'evt-1', source: '/erp', type: 'record.changed', data: org('E1') }, { 'content-type': 'application/cloudevents+json' })).status).toBe(202);
    await drain();
    const first = await database.db.selectFrom('xref').selectAll().execute();
    expect(first).toHaveLength(1);
    const created = await database.db.selectFrom('outbox').selectAll().where('event_type', '=', 'golden.created').execute();
    expect(created.map((e) => e.correlation_id)).toEqual(['evt-1']);

    const crmKey = (await createApiKey(database.db, { role: 'ingest:crm' })).key;
    const res = await post('/ingest/crm/records', org('C1', { name: 'Krueger Maschinenbau', street: 'Industriestr. 12', houseNumber: null }), { 'x-request-id': 'req-42' }, crmKey);
    expect(res.status).toBe(202);
    await drain();
    const xrefs = await database.db.selectFrom('xref').select(['source', 'golden_id']).execute();
    expect(xrefs).toHaveLength(2);
    expect(new Set(xrefs.map((x) => x.golden_id)).size).toBe(1);
    const updated = await database.db.selectFrom('outbox').selectAll().where('golden_id', '=', first[0].golden_id).orderBy('id').execute();
    expect(updated.at(-1)!.correlation_id).toBe('req-42');
    expect((await inboxStatus(database.db)).done).toBe(2);
  });

  it('ignores duplicates and never lets a late older version overwrite a newer one', async () => {
    const v1 = org('E1', { phone: '+49 711 111111', updatedAt: '2026-01-01T00:00:00Z' });
    const v2 = org('E1', { phone: '+49 711 222222', updatedAt: '2026-01-02T00:00:00Z' });
    // Newer first, then the older one, then the newer again (a redelivery), then the same event id twice.
    await post('/ingest/erp/records', v2);
    await post('/ingest/erp/records', v1);
    const again = await (await post('/ingest/erp/records', v2)).json();
    expect(again).toMatchObject({ accepted: 0, duplicates: 1 });
    const ce = { specversion: '1.0', id: 'same', source: '/erp', type: 'record.changed', data: v2 };
    await post('/ingest/erp/events', ce, { 'content-type': 'application/cloudevents+json' });
    expect(await (await post('/ingest/erp/events', ce, { 'content-type': 'application/cloudevents+json' })).json()).toMatchObject({ duplicates: 1 });
    await drain();
    const stored = await database.db.selectFrom('source_record').selectAll().executeTakeFirstOrThrow();
    expect(stored.attributes.phone).toBe('+49 711 222222');
    expect(stored.version).toBe(1);
    const outcomes = await database.db.selectFrom('inbox_event').select(['outcome']).orderBy('id').execute();
    expect(outcomes.map((o) => o.outcome)).toEqual(['stored', 'stale', 'unchanged']);
    expect(await count('golden_record')).toBe(1);
  });

  it('lets two workers on one database process the inbox without processing an event twice', async () => {
    const records = Array.from({ length: 40 }, (_, i) =>
      org(`E${i}`, { name: `Firma ${i} Werkzeugbau GmbH`, taxId: `DE8${String(10000000 + i * 7919).slice(0, 8)}`, postalCode: String(10000 + i * 37) }),
    );
    expect((await post('/ingest/erp/records', records)).status).toBe(202);
    const runs = await Promise.all([
      processInboxBatch(database, { batchSize: 10, workerId: 'w1' }),
      processInboxBatch(database, { batchSize: 10, workerId: 'w2' }),
    ]);
    expect(runs[0].claimed + runs[1].claimed).toBe(20);
    await drain();
    const events = await database.db.selectFrom('inbox_event').select(['status', 'attempts']).execute();
    expect(events).toHaveLength(40);
    expect(events.every((e) => e.status === 'done' && e.attempts === 1)).toBe(true);
    expect(await count('golden_record')).toBe(40);
  });

  it('claims larger groups behind a backlog, up to its bound, and smaller ones again once the inbox is short', async () => {
    const records = (from: number, n: number) => Array.from({ length: n }, (_, k) => {
      const i = from + k;
      return org(`G${i}`, { name: `Gruppe ${i} Antriebe GmbH`, taxId: `DE7${String(10000000 + i * 7919).slice(0, 8)}`, postalCode: String(20000 + i * 37) });
    });
    expect((await post('/ingest/erp/records', records(0, 40))).status).toBe(202);
    const claims: number[] = [];
    const worker = startInboxWorker(database, { batchSize: 4, maxBatchSize: 16, pollMs: 20, onBatch: (b) => claims.push(b.claimed) });
    const processed = async (n: number) => {
      for (let i = 0; i < 600 && claims.reduce((a, b) => a + b, 0) < n; i++) await new Promise((r) => setTimeout(r, 50));
    };
    try {
      await processed(40);
      expect(claims).toEqual([4, 8, 16, 12]);
      expect((await post('/ingest/erp/records', records(40, 2))).status).toBe(202);
      await processed(42);
    } finally {
      await worker.stop();
    }
    expect(claims).toEqual([4, 8, 16, 12, 2]);
    expect(await count('golden_record')).toBe(42);
  });

  it('retries a failing event, parks it as a dead letter with its error, and replays it', async () => {
    await post('/ingest/erp/records', [org('E1'), org('E2', { name: 'Other AG', taxId: 'DE123456789' })]);
    // Corrupt one stored event so that processing fails.
    await database.db.updateTable('inbox_event').set({ payload: JSON.stringify({ entity: 'customer', sourceId: 'E2', updatedAt: 'yesterday' }) as never }).where('source_id', '=', 'E2').execute();
    const policy = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 };
    for (let i = 0; i < 6; i++) {
      await processInboxBatch(database, { retry: policy });
      await new Promise((r) => setTimeout(r, 5));
    }
    const status = await inboxStatus(database.db);
    expect(status).toMatchObject({ done: 1, dead: 1, pending: 0 });
    const dead = await listDeadEvents(database.db);
    expect(dead[0]).toMatchObject({ sourceId: 'E2' });
    expect(dead[0].lastError).toContain('updatedAt');
    expect(await count('golden_record')).toBe(1);

    await database.db.updateTable('inbox_event').set({ payload: JSON.stringify(org('E2', { name: 'Other AG', taxId: 'DE123456789' })) as never }).where('source_id', '=', 'E2').execute();
    expect(await replayDeadEvents(database.db, { source: 'erp' })).toBe(1);
    await drain();
    expect(await count('golden_record')).toBe(2);
  });
});
