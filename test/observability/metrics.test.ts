import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatcher } from '../../src/events/dispatcher';
import { addSubscriber, OPERATOR } from '../../src/events/subscriber.service';
import { resolve } from '../../src/golden-record/resolve.service';
import { createApp } from '../../src/http/app';
import { ingestFile } from '../../src/ingest/file-ingest.service';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { startReceiver, waitFor, writeEvents } from '../events/helpers';

let database: TestDatabase;
beforeAll(async () => {
  process.env.MDM_METRICS_CACHE_MS = '0';
  database = await openTestDatabase();
});
afterAll(async () => {
  delete process.env.MDM_METRICS_CACHE_MS;
  delete process.env.MDM_READY_MAX_OUTBOX_BACKLOG;
  await database?.close();
});

/** The value of one sample line, e.g. value(text, 'mdm_golden_records{entity="product",status="active"}'). */
function value(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

async function scrape(app: ReturnType<typeof createApp>): Promise<string> {
  const res = await app.request('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

describe('/metrics', () => {
  it('exposes process, HTTP, table and delivery metrics, and they move with activity', async () => {
    const app = createApp({ database });
    const before = await scrape(app);
    expect(before).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(before).toContain('# TYPE mdm_delivery_latency_seconds histogram');
    expect(value(before, 'mdm_database_up')).toBe(1);
    expect(value(before, 'mdm_golden_records{entity="product",status="active"}')).toBeUndefined();

    const dir = mkdtempSync(join(tmpdir(), 'mdm-metrics-'));
    const file = join(dir, 'products.jsonl');
    writeFileSync(file, [
      { entity: 'product', source: 'erp', sourceId: 'M-1', partNumber: 'PMP-200', manufacturer: 'Acme Pumps', gtin: '04012345000014', name: 'Pump', updatedAt: new Date(Date.now() - 120_000).toISOString() },
      { entity: 'product', source: 'crm', sourceId: '01t1', partNumber: 'PMP-200', manufacturer: 'Acme Pumps', gtin: '04012345000014', name: 'Pump' },
      { entity: 'product', source: 'erp', sourceId: 'BAD', updatedAt: 'yesterday' },
    ].map((r) => JSON.stringify(r)).join('\n') + '\n');
    await ingestFile(database, { file });
    const queued = await scrape(app);
    expect(value(queued, 'mdm_resolve_backlog_records{entity="product"}')).toBe(2);
    await resolve(database);

    const r = await startReceiver('metrics-secret-0123456789');
    const added = await addSubscriber(database.db, OPERATOR, { url: r.url, name: 'erp-listener', secret: 'metrics-secret-0123456789' });
    expect(added.kind).toBe('success');
    const dispatcher = startDispatcher(database, { pollIntervalMs: 50, refreshIntervalMs: 50, logger: pino({ level: 'silent' }) });
    try {
      await writeEvents(database, [{ goldenId: 'G-metrics', version: 1, entity: 'product', type: 'golden.created' }]);
      await waitFor(() => r.acked().length >= 1, 30_000, 'the delivery');
      await new Promise((res) => setTimeout(res, 100));
    } finally {
      await dispatcher.stop();
      await r.close();
    }
    const ping = JSON.stringify({ query: 'query Ping { __typename }' });
    await app.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(ping)) }, body: ping });

    const after = await scrape(app);
    expect(value(after, 'mdm_ingest_runs_total{kind="file",source="",entity="",status="succeeded"}')).toBe(1);
    expect(value(after, 'mdm_ingest_records_total{source="",entity="",outcome="inserted"}')).toBe(2);
    expect(value(after, 'mdm_ingest_records_total{source="",entity="",outcome="quarantined"}')).toBe(1);
    expect(value(after, 'mdm_quarantine_records{source="erp"}')).toBe(1);
    expect(value(after, 'mdm_golden_records{entity="product",status="active"}')).toBe(1);
    expect(value(after, 'mdm_resolve_backlog_records{entity="product"}')).toBe(0);
    expect(value(after, 'mdm_resolve_runs_total{entity="product",status="succeeded"}')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'mdm_resolve_pairs_scored_total{entity="product"}')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'mdm_resolve_last_duration_seconds{entity="product"}')).toBeGreaterThan(0);
    expect(value(after, 'mdm_golden_changes_total{entity="product",type="golden.created"}')).toBe(2);
    expect(value(after, 'mdm_source_sync_lag_seconds{source="erp"}')).toBeGreaterThanOrEqual(110);
    expect(value(after, 'mdm_delivery_attempts_total{subscriber="erp-listener",outcome="delivered"}')).toBe(1);
    expect(value(after, 'mdm_delivery_latency_seconds_count{subscriber="erp-listener"}')).toBe(1);
    expect(value(after, 'mdm_delivery_pending{subscriber="erp-listener"}')).toBe(0);
    expect(value(after, 'mdm_delivery_dead_letters{subscriber="erp-listener"}')).toBe(0);
    expect(value(after, 'mdm_outbox_backlog')).toBe(0);
    expect(value(after, 'mdm_http_request_duration_seconds_count{method="GET",route="/metrics",status="200",operation=""}')).toBeGreaterThanOrEqual(2);
    expect(value(after, 'mdm_http_request_duration_seconds_count{method="POST",route="/graphql/*",status="401",operation="Ping"}')).toBe(1);
  }, 60_000);

  it('answers /healthz, and /readyz is not ready while the outbox backlog is over its bound', async () => {
    const app = createApp({ database });
    expect((await app.request('/healthz')).status).toBe(200);
    expect(await (await app.request('/readyz')).json()).toEqual({ status: 'ready', database: database.kind });
    const added = await addSubscriber(database.db, OPERATOR, { url: 'http://127.0.0.1:9/never', name: 'down', secret: 'down-secret-0123456789' });
    expect(added.kind).toBe('success');
    await writeEvents(database, [1, 2, 3].map((v) => ({ goldenId: 'G-ready', version: v })));
    process.env.MDM_READY_MAX_OUTBOX_BACKLOG = '2';
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'not-ready', reason: expect.stringContaining('outbox backlog over 2') });
    process.env.MDM_READY_MAX_OUTBOX_BACKLOG = '100';
    expect((await app.request('/readyz')).status).toBe(200);
  });
});
