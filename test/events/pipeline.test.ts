import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatcher } from '../../src/events/dispatcher';
import { addSubscriber, OPERATOR } from '../../src/events/subscriber.service';
import { resolve } from '../../src/golden-record/resolve.service';
import { ingestFile } from '../../src/ingest/file-ingest.service';
import { createDeliveryMetrics } from '../../src/observability/delivery-metrics';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { startReceiver, waitFor } from './helpers';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const dir = mkdtempSync(join(tmpdir(), 'mdm-events-'));
let n = 0;
async function load(records: Array<Record<string, unknown>>) {
  const file = join(dir, `e${++n}.jsonl`);
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  await ingestFile(database, { file });
}
const product = (source: string, sourceId: string, extra: Record<string, unknown> = {}) => ({
  entity: 'product', source, sourceId, partNumber: 'PMP-200', manufacturer: 'Acme Pumps', name: 'Centrifugal pump PMP-200', ...extra,
});

describe('change events from resolution', () => {
  it('delivers every golden change of ingest and resolution, in outbox order per golden record', async () => {
    const secret = 'pipeline-secret-0123456789';
    const r = await startReceiver(secret);
    const added = await addSubscriber(database.db, OPERATOR, { url: r.url, secret, entities: ['product'] });
    expect(added.kind).toBe('success');
    const dispatcher = startDispatcher(database, {
      pollIntervalMs: 50, refreshIntervalMs: 50, logger: pino({ level: 'silent' }), metrics: createDeliveryMetrics(new Registry()),
    });
    try {
      await load([product('erp', 'M-1', { price: 10 })]);
      await resolve(database);
      await load([product('erp', 'M-1', { price: 12, updatedAt: '2026-02-01T00:00:00Z' }), product('erp', 'M-2', { partNumber: 'VLV-9', name: 'Valve' })]);
      await resolve(database);
      const outbox = await database.db.selectFrom('outbox').select(['id', 'golden_id', 'golden_version', 'event_type']).where('entity', '=', 'product').orderBy('id').execute();
      expect(outbox.length).toBeGreaterThanOrEqual(3);
      await waitFor(() => r.acked().length === outbox.length, 10_000, 'every outbox event');
      const got = r.acked();
      expect(new Set(got.map((e) => e.id))).toEqual(new Set(outbox.map((o) => String(o.id))));
      for (const golden of new Set(outbox.map((o) => o.golden_id))) {
        expect(got.filter((e) => e.subject === golden).map((e) => e.id)).toEqual(outbox.filter((o) => o.golden_id === golden).map((o) => String(o.id)));
      }
      const updated = got.find((e) => e.type === 'mdm.golden.updated');
      expect(updated?.data).toMatchObject({ changedAttributes: ['price'], entity: 'product', goldenVersion: 2 });
      expect(r.received.every((x) => x.signatureValid)).toBe(true);
    } finally {
      await dispatcher.stop();
      await r.close();
    }
  });
});
