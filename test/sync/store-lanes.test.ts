import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCanonical } from '../../src/ingest/canonical-record';
import { storeInLanes, toStore } from '../../src/ingest/sync.service';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

function item(sourceId: string, city: string, updatedAt: string) {
  const v = validateCanonical({ entity: 'customer', source: 'erp', sourceId, updatedAt, kind: 'organization', name: `Firma ${sourceId}`, city });
  if (!v.ok) throw new Error(v.reason);
  return toStore(v.record);
}

describe('storeInLanes', () => {
  it('stores a large batch over several connections, applying the versions of one key in order', async () => {
    const batch = [];
    for (let i = 0; i < 3000; i++) batch.push(item(String(100000 + i), 'Ulm', '2025-01-01T00:00:00Z'));
    // Later versions of some keys in the same batch: each must end as its last version.
    for (let i = 0; i < 3000; i += 7) batch.push(item(String(100000 + i), 'Bonn', '2025-02-01T00:00:00Z'));
    for (let i = 0; i < 3000; i += 49) batch.push(item(String(100000 + i), 'Kiel', '2025-03-01T00:00:00Z'));
    const updates = Math.ceil(3000 / 7) + Math.ceil(3000 / 49);
    const counts = await storeInLanes(database, batch, null);
    expect(counts).toEqual({ inserted: 3000, updated: updates, unchanged: 0, stale: 0, deleted: 0 });
    const rows = await database.db.selectFrom('source_record').select(['source_id', 'attributes', 'version']).where('source', '=', 'erp').execute();
    expect(rows).toHaveLength(3000);
    for (const r of rows) {
      const i = Number(r.source_id) - 100000;
      const city = i % 49 === 0 ? 'Kiel' : i % 7 === 0 ? 'Bonn' : 'Ulm';
      expect((r.attributes as { city: string }).city, r.source_id).toBe(city);
      expect(r.version, r.source_id).toBe(1 + (i % 7 === 0 ? 1 : 0) + (i % 49 === 0 ? 1 : 0));
    }
    // The first versions again change nothing: the same content is unchanged, an older one stale.
    const changed = Math.ceil(3000 / 7);
    expect(await storeInLanes(database, batch.slice(0, 3000), null)).toEqual({ inserted: 0, updated: 0, unchanged: 3000 - changed, stale: changed, deleted: 0 });
  });
});
