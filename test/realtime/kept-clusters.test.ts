import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-key.service';
import { withEntityLock } from '../../src/golden-record/entity-lock';
import { resolveRecordsNow, sameEvidence, type EvidenceVersion } from '../../src/golden-record/realtime-resolve';
import { resolve } from '../../src/golden-record/resolve.service';
import { createApp } from '../../src/http/app';
import { processInboxBatch } from '../../src/realtime/inbox-worker';
import { generateWorld } from '../../src/sim/world';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { ingestRecords } from '../helpers/ingest';

let database: TestDatabase;

beforeEach(async () => {
  database = await openTestDatabase();
  const records = [...generateWorld({ seed: 11, size: 1200 })].map((r) => r.record as unknown as Record<string, unknown>);
  await ingestRecords(database, records);
  await resolve(database);
});
afterEach(async () => {
  await database?.close();
});

interface Stored {
  id: string;
  source: string;
  source_id: string;
  attributes: Record<string, unknown>;
  version: number;
  golden_id: string;
}

/** The assets of a golden record that holds two or more, first found. */
async function mergedAssets(): Promise<Stored[]> {
  const { rows } = await sql<Stored>`
    SELECT s.id::text, s.source, s.source_id, s.attributes, s.version, x.golden_id FROM xref x JOIN source_record s ON s.id = x.record_id
    WHERE x.golden_id = (SELECT golden_id FROM xref WHERE entity = 'asset' GROUP BY golden_id HAVING count(*) >= 2 ORDER BY golden_id LIMIT 1)
    ORDER BY s.id`.execute(database.db);
  expect(rows.length).toBeGreaterThanOrEqual(2);
  return rows;
}

async function stored(id: string): Promise<Stored> {
  const { rows } = await sql<Stored>`
    SELECT s.id::text, s.source, s.source_id, s.attributes, s.version, x.golden_id FROM source_record s JOIN xref x ON x.record_id = s.id
    WHERE s.id = ${id}::bigint`.execute(database.db);
  return rows[0];
}

async function goldenStatus(goldenId: string): Promise<unknown> {
  const golden = await database.db.selectFrom('golden_record').select(['attributes']).where('id', '=', goldenId).executeTakeFirstOrThrow();
  return (golden.attributes as Record<string, { value?: unknown }>).status?.value;
}

const version = (r: Stored, attributes: Record<string, unknown>, deleted = false): EvidenceVersion => ({ source: r.source, sourceId: r.source_id, deleted, attributes });

/** A version of an asset that shares nothing with its duplicates: another serial, part, customer, site and date. */
const unrelated = (r: Stored) => ({ ...r.attributes, serialNumber: 'ZZ-990011-Q', partNumber: 'QX-77-NOPART', productRef: null, customerRef: 'NO-SUCH-CUSTOMER', locationRef: null, installDate: '1999-01-01', name: 'Unrelated machine' });

async function push(source: string, records: Array<Record<string, unknown>>): Promise<void> {
  const app = createApp({ database });
  const { key } = await createApiKey(database.db, { role: `ingest:${source}` });
  const res = await app.request(`/ingest/${source}/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(records),
  });
  expect(res.status).toBe(202);
  while ((await processInboxBatch(database, { batchSize: 20 })).claimed > 0);
}

describe('a change that leaves the match evidence as it was', () => {
  it('tells evidence from other attributes: status and spacing are not evidence; serial, part, references, deletion are', async () => {
    const [a] = await mergedAssets();
    const before = version(a, a.attributes);
    const same = await sameEvidence(database, 'asset', [
      [before, version(a, { ...a.attributes, status: a.attributes.status === 'In use' ? 'In maintenance' : 'In use' })],
      [before, version(a, { ...a.attributes, name: ` ${String(a.attributes.name ?? 'Pump')}  ` })],
      [before, version(a, { ...a.attributes, serialNumber: 'ZZ-990011-Q' })],
      [before, version(a, { ...a.attributes, partNumber: 'QX-77-NOPART' })],
      [before, version(a, { ...a.attributes, customerRef: 'NO-SUCH-CUSTOMER' })],
      [before, version(a, { ...a.attributes, installDate: '1999-01-01' })],
      [before, version(a, a.attributes, true)],
    ]);
    expect(same).toEqual([true, true, false, false, false, false, false]);
    // A customer's kind chooses its model: an organization that becomes a person changed evidence.
    const { rows: [c] } = await sql<Stored>`
      SELECT s.id::text, s.source, s.source_id, s.attributes, s.version, '' AS golden_id FROM source_record s
      WHERE s.entity = 'customer' AND s.attributes->>'kind' = 'organization' ORDER BY s.id LIMIT 1`.execute(database.db);
    expect(await sameEvidence(database, 'customer', [
      [version(c, c.attributes), version(c, { ...c.attributes, kind: 'person' })],
      [version(c, c.attributes), version(c, { ...c.attributes, phone: '+49 30 1234567' })],
    ])).toEqual([false, false]);
  });

  it('keeps the cluster and computes only the golden record; at another version than checked, it resolves in full', async () => {
    const all = await mergedAssets();
    const [a, b] = all;
    // A status change of every member, stored: resolved with the clusters kept, only the golden
    // record's members are read, and its status is the new one.
    const status = (await goldenStatus(a.golden_id)) === 'Decommissioned' ? 'In maintenance' : 'Decommissioned';
    await ingestRecords(database, all.map((r) => ({ entity: 'asset', source: r.source, sourceId: r.source_id, ...r.attributes, status, updatedAt: '2031-01-01T00:00:00Z' })));
    const versions = new Map<string, number>();
    for (const r of all) versions.set(r.id, (await stored(r.id)).version);
    expect(versions.get(a.id)).toBe(a.version + 1);
    const kept = await withEntityLock(database, 'asset', () => resolveRecordsNow(database, 'asset', [...versions.keys()], { keepClusters: versions }));
    expect(kept.neighbourhood).toBe(all.length);
    expect(kept.movedRecords).toEqual([]);
    expect(kept.updated).toBe(1);
    expect(await goldenStatus(a.golden_id)).toBe(status);
    for (const r of all) expect((await stored(r.id)).golden_id).toBe(a.golden_id);

    // Another writer stored a version that shares nothing with the duplicate after the check: the
    // version differs from the one checked, so the record is resolved in full and leaves the cluster.
    await ingestRecords(database, [{ entity: 'asset', source: b.source, sourceId: b.source_id, ...unrelated(b), updatedAt: '2031-01-01T00:00:00Z' }]);
    const full = await withEntityLock(database, 'asset', () =>
      resolveRecordsNow(database, 'asset', [b.id], { keepClusters: new Map([[b.id, b.version]]) }),
    );
    // Which of the two keeps the golden id follows the lifecycle rules; they part either way.
    expect(full.movedRecords.length).toBeGreaterThan(0);
    expect((await stored(b.id)).golden_id).not.toBe((await stored(a.id)).golden_id);
  });

  it('through the inbox: a status change keeps the cluster and reaches the golden record; a changed serial, part and customer split it off', async () => {
    const all = await mergedAssets();
    const [a, b] = all;
    const status = (await goldenStatus(a.golden_id)) === 'Decommissioned' ? 'In maintenance' : 'Decommissioned';
    // Every member says so, one event after another.
    for (const r of all) await push(r.source, [{ entity: 'asset', source: r.source, sourceId: r.source_id, ...r.attributes, status, updatedAt: '2031-01-01T00:00:00Z' }]);
    expect(await goldenStatus(a.golden_id)).toBe(status);
    for (const r of all) expect((await stored(r.id)).golden_id).toBe(a.golden_id);

    await push(b.source, [{ entity: 'asset', source: b.source, sourceId: b.source_id, ...unrelated(b), updatedAt: '2032-01-01T00:00:00Z' }]);
    expect((await stored(b.id)).golden_id).not.toBe((await stored(a.id)).golden_id);
  });
});
