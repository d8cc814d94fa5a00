import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database';
import { withEntityLock } from '../../src/golden-record/entity-lock';
import { resolveRecordsNow } from '../../src/golden-record/realtime-resolve';
import { resolve } from '../../src/golden-record/resolve.service';
import { generateWorld } from '../../src/sim/world';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { ingestRecords } from '../helpers/ingest';

/**
 * Real-time resolutions of one entity type run at the same time when their neighbourhoods are
 * apart (the type's lock shared, each neighbourhood's golden records, match-key values and
 * references locked), and one at a time when they touch: two new records sharing a tax id,
 * neither resolved yet, end in one golden record. On the embedded database (one connection) they
 * take turns, and end the same.
 */
let database: TestDatabase;
const org = (source: string, sourceId: string, name: string, taxId: string, street: string) => ({
  entity: 'customer', source, sourceId, kind: 'organization', name, taxId, street, houseNumber: '12', postalCode: '70173', city: 'Stuttgart', country: 'DE', updatedAt: '2026-11-01T10:00:00Z',
});

beforeAll(async () => {
  database = await openTestDatabase();
  await ingestRecords(database, [...generateWorld({ seed: 3, size: 400 })].map((r) => r.record as unknown as Record<string, unknown>));
  await resolve(database);
  await ingestRecords(database, [
    org('erp', 'LOCK-A1', 'Zeppelinwerk Antriebe GmbH', 'DE297113305', 'Zeppelinstraße'),
    org('crm', 'LOCK-A2', 'Zeppelinwerk Antriebe GmbH', 'DE297113305', 'Zeppelinstraße'),
    org('erp', 'LOCK-B1', 'Quellental Messgeräte AG', 'DE118862931', 'Am Quellental'),
  ]);
});
afterAll(async () => {
  await database?.close();
});

describe('real-time resolution with neighbourhood locks', () => {
  it('resolves apart neighbourhoods at the same time and touching ones one after the other, without duplicates', async () => {
    const ids = new Map(
      (await database.db.selectFrom('source_record').select(['id', 'source_id']).where('source_id', 'like', 'LOCK-%').execute()).map((r) => [r.source_id, String(r.id)]),
    );
    const order: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let locked!: () => void;
    const held = new Promise<void>((r) => (locked = r));
    // On PostgreSQL, two hubs: A1 in one, B1 and A2 in the other (each its own pool).
    const other: Database = database.kind === 'postgres' ? await openDatabase({ databaseUrl: database.env.DATABASE_URL }) : database;
    const run = (hub: Database, sourceId: string, onLocked?: () => Promise<void>) =>
      withEntityLock(
        hub,
        'customer',
        () => resolveRecordsNow(hub, 'customer', [ids.get(sourceId)!], { lockNeighbourhood: true, onLocked }),
        { shared: true },
      ).then((result) => {
        order.push(sourceId);
        return result;
      });
    // A1 locks its neighbourhood and holds it until the gate opens.
    const a1 = run(database, 'LOCK-A1', async () => {
      locked();
      await gate;
    });
    await held;
    const b1 = run(other, 'LOCK-B1');
    const a2 = run(other, 'LOCK-A2');
    if (database.kind === 'postgres') {
      // B1 shares nothing with A1: it is resolved while A1 holds its locks. A2 shares A1's tax id: it waits.
      await b1;
      await new Promise((r) => setTimeout(r, 300));
      expect(order).toEqual(['LOCK-B1']);
    }
    open();
    await Promise.all([a1, b1, a2]);
    if (other !== database) await other.close();
    if (database.kind === 'postgres') expect(order).toEqual(['LOCK-B1', 'LOCK-A1', 'LOCK-A2']);
    else expect(order).toEqual(['LOCK-A1', 'LOCK-B1', 'LOCK-A2']);

    const xrefs = new Map(
      (await database.db.selectFrom('xref').select(['source_id', 'golden_id']).where('source_id', 'like', 'LOCK-%').execute()).map((r) => [r.source_id, r.golden_id]),
    );
    expect(xrefs.size).toBe(3);
    expect(xrefs.get('LOCK-A2')).toBe(xrefs.get('LOCK-A1'));
    expect(xrefs.get('LOCK-B1')).not.toBe(xrefs.get('LOCK-A1'));
    // No advisory lock is left behind.
    if (database.kind === 'postgres') {
      const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
      expect(rows[0].n).toBe(0);
    }
  }, 120_000);

  it('follows a record that another resolution moved between the read of the neighbourhood and its locks', async () => {
    const idOf = async (sourceId: string) =>
      String((await database.db.selectFrom('source_record').select('id').where('source_id', '=', sourceId).executeTakeFirstOrThrow()).id);
    const now = (hub: Database, sourceId: string) =>
      idOf(sourceId).then((id) => withEntityLock(hub, 'customer', () => resolveRecordsNow(hub, 'customer', [id], { lockNeighbourhood: true }), { shared: true }));
    const goldenOf = async (sourceId: string) =>
      (await database.db.selectFrom('xref').select('golden_id').where('source_id', '=', sourceId).executeTakeFirst())?.golden_id ?? null;
    // C, then B: one golden record, C attached first. A shares B's tax id, name and address.
    const same = ['Vogelsang Pumpentechnik GmbH', 'DE301557724', 'Vogelsangstraße'] as const;
    await ingestRecords(database, [org('crm', 'MOVE-C', ...same)]);
    await now(database, 'MOVE-C');
    await ingestRecords(database, [org('erp', 'MOVE-B', ...same)]);
    await now(database, 'MOVE-B');
    await ingestRecords(database, [org('crm', 'MOVE-A', ...same)]);
    const before = await goldenOf('MOVE-B');
    expect(await goldenOf('MOVE-C')).toBe(before);

    // C becomes another company; resolving it again splits B off into a golden record of its own.
    const moveB = async (hub: Database) => {
      await ingestRecords(database, [{
        ...org('crm', 'MOVE-C', 'Ostermann Feinwerk KG', 'DE144386015', 'Mühlenweg'),
        houseNumber: '3', postalCode: '01067', city: 'Dresden', updatedAt: '2026-11-02T10:00:00Z',
      }]);
      await now(hub, 'MOVE-C');
    };
    let first = true;
    if (database.kind === 'postgres') {
      // Another hub does it after A's neighbourhood (B in its old golden record) was read, before it was locked.
      const other = await openDatabase({ databaseUrl: database.env.DATABASE_URL });
      try {
        const id = await idOf('MOVE-A');
        await withEntityLock(database, 'customer', () => resolveRecordsNow(database, 'customer', [id], {
          lockNeighbourhood: true,
          onRead: async () => {
            if (!first) return;
            first = false;
            await moveB(other);
          },
        }), { shared: true });
      } finally {
        await other.close();
      }
    } else {
      // The embedded database resolves one at a time: the same changes in that order.
      await moveB(database);
      await now(database, 'MOVE-A');
    }
    expect(await goldenOf('MOVE-C')).toBe(before);
    const b = await goldenOf('MOVE-B');
    expect(b).not.toBe(before);
    expect(await goldenOf('MOVE-A')).toBe(b);
  }, 120_000);
});
