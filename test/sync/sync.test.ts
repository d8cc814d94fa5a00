import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityType } from '../../src/core/entities';
import { syncSource } from '../../src/ingest/sync.service';
import { listWatermarks } from '../../src/ingest/watermark.repository';
import type { SimRecord, Simulator } from '../../src/sim/index';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { countRecords, expectedAttributes, type SourceName, startSource, storedRecords, worldRecords } from './helpers';

let database: TestDatabase;
const world = worldRecords(11, 2500);

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** Every record the simulator holds now is stored with the same attributes (deleted ones as deleted). */
async function expectInSync(name: SourceName, sim: Simulator): Promise<void> {
  const stored = await storedRecords(database, name);
  let expected = 0;
  for (const entity of ['customer', 'product', 'serial', 'asset', 'contract', 'location'] as EntityType[]) {
    for (const row of sim.store.rows(entity)) {
      expected++;
      const s = stored.get(`${entity}/${row.id}`);
      expect(s, `${entity} ${row.id}`).toBeDefined();
      expect(s!.attributes).toEqual(expectedAttributes(row.record));
      expect(s!.deleted).toBe(row.record.deleted === true);
    }
  }
  for (const t of sim.store.tombstones) {
    expected++;
    expect(stored.get(`${t.entity}/${t.id}`)?.deleted, `tombstone ${t.entity} ${t.id}`).toBe(true);
  }
  expect(stored.size).toBe(expected);
}

const NEW_ID: Record<SourceName, (entity: EntityType) => string> = {
  erp: () => '1999999',
  crm: () => '0015g00009ZZZZZAAA',
  fsm: () => 'ffffffffffffffffffffffffffffffff',
};

function pick(records: SimRecord[], source: string, entity: string, n: number, skip = 0): SimRecord[] {
  return records.filter((r) => r.source === source && r.entity === entity && !r.deleted).slice(skip, skip + n);
}

describe.each(['erp', 'crm', 'fsm'] as SourceName[])('%s sync against its simulator', (name) => {
  let sim: Simulator;
  let config: Awaited<ReturnType<typeof startSource>>['config'];

  beforeAll(async () => {
    ({ sim, config } = await startSource(name, world, { pageSize: 120, serverPageSize: 90, timeZoneOffsetMinutes: name === 'erp' ? 60 : 0 }));
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('a full sync stores every record exactly as the world holds it', async () => {
    const result = await syncSource(database, config, { mode: 'full' });
    const mine = world.filter((r) => r.source === name);
    expect(result.read).toBe(mine.length);
    expect(result.quarantined).toBe(0);
    expect(result.inserted + result.deleted).toBe(mine.length);
    await expectInSync(name, sim);
    const run = await database.db.selectFrom('ingest_run').selectAll().where('id', '=', result.runId).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ kind: 'sync', source: name, mode: 'full', status: 'succeeded', read_count: mine.length });
    const marks = await listWatermarks(database.db, name);
    expect(marks.map((m) => m.feed).sort()).toEqual(result.feeds.map((f) => f.feed).sort());
  });

  it('a delta picks up exactly the changes, insertions and deletions', async () => {
    const [c1, c2] = pick(world, name, 'customer', 2);
    const [gone] = pick(world, name, 'asset', 1);
    sim.update('customer', c1.sourceId, { city: 'Neustadt an der Weinstraße' });
    sim.update('customer', c2.sourceId, { phone: '+49 711 999999' });
    sim.remove('asset', gone.sourceId);
    const fresh = { entity: 'customer' as const, source: name, sourceId: NEW_ID[name]('customer'), kind: 'organization', name: 'Neu Pumpen GmbH', city: 'Ulm', country: name === 'erp' ? 'DE' : 'Germany' };
    sim.insert(fresh);

    const result = await syncSource(database, config, { mode: 'delta' });
    expect(result).toMatchObject({ mode: 'delta', inserted: 1, updated: 2, deleted: 1, stale: 0, quarantined: 0 });
    // Only the overlap second before the watermark is read again; it stores nothing.
    expect(result.read).toBeLessThan(20);
    await expectInSync(name, sim);

    const again = await syncSource(database, config, { mode: 'delta' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
  });

  it('records changed while a sync pages through are not lost', async () => {
    const before = pick(world, name, 'asset', 3, 5);
    const after = pick(world, name, 'asset', 3, 40);
    let mutated = false;
    await syncSource(database, config, {
      mode: 'full',
      batchSize: 1,
      onProgress: ({ pages }) => {
        if (mutated || pages < 1) return;
        mutated = true;
        for (const r of [...before, ...after]) sim.update('asset', r.sourceId, { name: `${String(r.name ?? 'asset')} (moved)` });
      },
    });
    await syncSource(database, config, { mode: 'delta' });
    await expectInSync(name, sim);
  });

  it('a sync that stops after a few pages resumes on the next delta without losing or duplicating records', async () => {
    // A fresh source name, so the store starts empty for it.
    const crashed = { ...config, name: `${name}-crash` };
    const first = await syncSource(database, crashed, { mode: 'full', stopAfterPages: 3, batchSize: 1 });
    expect(first.stopped).toBe(true);
    const partial = await countRecords(database, crashed.name);
    expect(partial).toBeGreaterThan(0);
    const resumed = await syncSource(database, crashed, { mode: 'delta' });
    expect(resumed.updated).toBe(0);
    const total = await countRecords(database, crashed.name);
    expect(total).toBe(await countRecords(database, name));
    const runs = await database.db.selectFrom('ingest_run').select(['status', 'error']).where('source', '=', crashed.name).orderBy('id').execute();
    expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded']);
  });
});

describe('quarantine of bad payloads', () => {
  it.each([
    ['erp', (sim: Simulator, w: SimRecord[]) => {
      const [bp] = pick(w, 'erp', 'customer', 1, 3);
      const bp2 = w.find((r) => r.source === 'erp' && r.entity === 'customer' && r.kind === 'person' && !r.deleted)!;
      const [eq] = pick(w, 'erp', 'asset', 1, 3);
      const [pr] = pick(w, 'erp', 'product', 1, 1);
      sim.store.corrupt('customer', bp.sourceId, { BusinessPartnerCategory: '7' });
      sim.store.corrupt('customer', bp2.sourceId, { BirthDate: 12345 });
      sim.store.corrupt('asset', eq.sourceId, { OperationStartDate: '/Date(yesterday)/' });
      sim.store.corrupt('product', pr.sourceId, { Product: '' });
      return [
        ['customer', bp.sourceId, /BusinessPartnerCategory "7" is not 1 \(person\), 2 \(organization\)/],
        ['customer', bp2.sourceId, /BirthDate 12345 is not an OData date/],
        ['asset', eq.sourceId, /OperationStartDate "\/Date\(yesterday\)\/" is not an OData date/],
        ['product', null, /Product \(the record's key\) is missing/],
      ] as const;
    }],
    ['crm', (sim: Simulator, w: SimRecord[]) => {
      const [a] = pick(w, 'crm', 'asset', 1, 2);
      const [acc] = pick(w, 'crm', 'customer', 1, 2).filter((r) => r.kind !== 'person');
      const [loc] = pick(w, 'crm', 'location', 1, 2);
      sim.store.corrupt('asset', a.sourceId, { InstallDate: 20240101 });
      sim.store.corrupt('customer', acc.sourceId, { Name: { first: 'x' } });
      sim.store.corrupt('location', loc.sourceId, { Latitude: 'north' });
      return [
        ['asset', a.sourceId, /installDate must be an ISO-8601 date string, got number 20240101/],
        ['customer', acc.sourceId, /Name must be text, got an object/],
        ['location', loc.sourceId, /Latitude must be a number, got string "north"/],
      ] as const;
    }],
    ['fsm', (sim: Simulator, w: SimRecord[]) => {
      const [a] = pick(w, 'fsm', 'asset', 1, 2);
      const [k] = pick(w, 'fsm', 'contract', 1, 2);
      const [c] = pick(w, 'fsm', 'customer', 1, 2).filter((r) => r.kind !== 'person');
      sim.store.corrupt('asset', a.sourceId, { install_status: '42' });
      sim.store.corrupt('contract', k.sourceId, { starts: '2024-02-30' });
      sim.store.corrupt('customer', c.sourceId, { phone: 4971112345 });
      return [
        ['asset', a.sourceId, /install_status "42" is not a known choice/],
        ['contract', k.sourceId, /startDate "2024-02-30" is not a date/],
        ['customer', c.sourceId, /phone must be a string|phone/],
      ] as const;
    }],
  ] as const)('%s: a bad payload is quarantined with source, entity, key and reason; the rest lands and the watermark moves on', async (name, corrupt) => {
    const source = `${name}-q`;
    const records = world.map((r) => ({ ...r }));
    const { sim, config } = await startSource(name as SourceName, records, { pageSize: 100 });
    try {
      const expectations = corrupt(sim, records);
      const result = await syncSource(database, { ...config, name: source }, { mode: 'full' });
      const rows = await database.db.selectFrom('quarantine').selectAll().where('run_id', '=', result.runId).execute();
      const realBad = expectations.filter(([entity, id]) => !(name === 'fsm' && entity === 'customer' && id !== null));
      expect(rows.length, JSON.stringify(rows.map((r) => [r.entity, r.source_id, r.reason]))).toBeGreaterThanOrEqual(realBad.length);
      for (const [entity, id, reason] of realBad) {
        const hit = rows.find((r) => r.entity === entity && r.source_id === id && reason.test(r.reason));
        expect(hit, `${entity} ${id} ${reason}`).toBeDefined();
        expect(hit!.source).toBe(source);
        expect(hit!.excerpt.length).toBeGreaterThan(10);
      }
      const mine = world.filter((r) => r.source === name).length;
      expect(result.read).toBe(mine);
      expect(await countRecords(database, source)).toBe(mine - rows.length);
      // The watermark of every feed reached the newest record although a record in it was bad.
      const marks = await listWatermarks(database.db, source);
      const newest = world.filter((r) => r.source === name && !(name === 'fsm' && r.deleted)).reduce((m, r) => (r.updatedAt! > m ? r.updatedAt! : m), '');
      expect(marks.some((m) => m.stamp === new Date(newest).toISOString())).toBe(true);
    } finally {
      await sim.close();
    }
  });
});
