import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createApiKey } from '../../src/auth/api-key.service';
import { readOpsSnapshot } from '../../src/console/ops.repository';
import { createApp } from '../../src/http/app';
import { ingestFile } from '../../src/ingest/file-ingest.service';
import { resolve } from '../../src/golden-record/resolve.service';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let database: TestDatabase;
let app: Hono;
const keys: Record<string, string> = {};

beforeAll(async () => {
  database = await openTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'mdm-console-routes-'));
  const file = join(dir, 'records.jsonl');
  writeFileSync(file, [
    { entity: 'customer', source: 'erp', sourceId: 'E-1', kind: 'organization', name: 'Krüger Maschinenbau GmbH', taxId: 'DE811234567', postalCode: '70565', city: 'Stuttgart', country: 'DE' },
    { entity: 'customer', source: 'crm', sourceId: 'C-1', kind: 'organization', name: 'Krueger Maschinenbau', taxId: 'DE811234567', postalCode: '70565', city: 'Stuttgart', country: 'DE' },
    { entity: 'customer', source: 'crm', name: 'no source id' },
  ].map((r) => JSON.stringify(r)).join('\n') + '\n');
  await ingestFile(database, { file });
  await resolve(database);
  app = createApp({ database });
  for (const role of ['reader', 'steward', 'admin', 'ingest:erp']) keys[role] = (await createApiKey(database.db, { role, name: role })).key;
});
afterAll(async () => {
  await database?.close();
});

const get = (path: string, key?: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } });

describe('/console routes', () => {
  it('serves the page, the stylesheet and the bundle (with an ETag) without a key', async () => {
    const page = await get('/console');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/console/app.js">');
    expect(html).not.toMatch(/<script>[^<]/); // no inline script: the CSP forbids it
    expect((await get('/console/console.css')).headers.get('content-type')).toContain('text/css');
    const js = await get('/console/app.js');
    expect(js.status).toBe(200);
    const etag = js.headers.get('etag')!;
    expect((await get('/console/app.js', undefined, { 'if-none-match': etag })).status).toBe(304);
  });

  it('tells each key its role and refuses a missing or wrong key', async () => {
    for (const role of ['reader', 'steward', 'admin']) {
      const res = await get('/console/api/session', keys[role]);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { role: string }).role).toBe(role);
    }
    expect((await get('/console/api/session')).status).toBe(401);
    expect((await get('/console/api/session', 'mdm_000000000000_nope')).status).toBe(401);
  });

  it('opens the operations data to admins only', async () => {
    for (const role of ['reader', 'steward', 'ingest:erp']) expect((await get('/console/api/ops', keys[role])).status).toBe(403);
    const res = await get('/console/api/ops', keys.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const ops = (await res.json()) as Awaited<ReturnType<typeof readOpsSnapshot>>;
    expect(ops.runs).toHaveLength(1);
    expect(ops.runs[0]).toMatchObject({ kind: 'file', read: 3, inserted: 2, quarantined: 1, status: 'succeeded' });
    expect(ops.sources.map((s) => [s.source, s.records])).toEqual([['crm', 1], ['erp', 1]]);
    expect(ops.quarantine).toMatchObject({ total: 1, bySource: [{ source: 'crm', count: 1 }] });
    expect(ops.quarantine.byReason[0].reason).toContain('sourceId');
    expect(ops.throughput).toHaveLength(24);
    expect(ops.throughput.at(-1)).toMatchObject({ read: 3, written: 2, runs: 1 });
  });
});
