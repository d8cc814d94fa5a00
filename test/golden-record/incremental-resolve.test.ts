import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntityType } from '../../src/core/entities';
import { withEntityLock } from '../../src/golden-record/entity-lock';
import { resolve } from '../../src/golden-record/resolve.service';
import { mulberry32 } from '../../src/matching/scoring/random';
import { generateWorld } from '../../src/sim/world';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { ingestRecords } from '../helpers/ingest';

/**
 * `mdm resolve` after a small change resolves the neighbourhoods of the changed records (and of
 * records referring to records that moved) instead of clustering whole entity types again, and
 * ends in the same clusters as one full run over the same records.
 */

let database: TestDatabase;
beforeEach(async () => {
  database = await openTestDatabase();
});
afterEach(async () => {
  await database?.close();
});

const ENTITIES: EntityType[] = ['customer', 'product', 'serial', 'asset', 'contract', 'location'];
/** Small enough to run in a test: every type is resolved incrementally when under half changed. */
const INCREMENTAL = { incrementalMinRecords: 0, incrementalMaxShare: 0.5 };

async function partitions(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const entity of ENTITIES) {
    const rows = await database.db.selectFrom('xref').select(['source', 'source_id', 'golden_id']).where('entity', '=', entity).execute();
    const groups = new Map<string, string[]>();
    for (const r of rows) groups.set(r.golden_id, [...(groups.get(r.golden_id) ?? []), `${r.source}|${r.source_id}`]);
    out.set(entity, [...groups.values()].map((g) => g.sort().join(',')).sort());
  }
  return out;
}

describe('incremental resolve', () => {
  it('resolves a small change incrementally and ends in the clusters of one full run', async () => {
    // The world lists entity types one after the other: shuffled, every type changes in each delta.
    const random = mulberry32(23);
    const records = [...generateWorld({ seed: 23, size: 3000 })]
      .map((r) => ({ r: r.record as unknown as Record<string, unknown>, k: random() }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.r);
    await ingestRecords(database, records);
    await resolve(database);
    const whole = await partitions();
    const goldenBefore = await database.db.selectFrom('golden_record').select(['id', 'version']).where('status', '=', 'active').execute();

    await database.close();
    database = await openTestDatabase();
    // Most records first (a full run: no run before it), then the rest in three small deltas.
    const cut = Math.floor(records.length * 0.9);
    await ingestRecords(database, records.slice(0, cut));
    const first = await resolve(database, INCREMENTAL);
    expect(first.filter((s) => s.status === 'resolved').every((s) => s.mode === 'full')).toBe(true);
    const step = Math.ceil((records.length - cut) / 3);
    const modes = new Set<string>();
    for (let i = cut; i < records.length; i += step) {
      await ingestRecords(database, records.slice(i, i + step));
      for (const s of await resolve(database, INCREMENTAL)) if (s.status === 'resolved') modes.add(`${s.entity}:${s.mode}`);
    }
    expect([...modes].filter((m) => m.endsWith(':incremental')).sort()).toEqual(ENTITIES.map((e) => `${e}:incremental`).sort());
    expect([...modes].some((m) => m.endsWith(':full'))).toBe(false);
    const runs = await database.db.selectFrom('resolve_run').select(['entity', 'summary']).where('status', '=', 'succeeded').execute();
    for (const r of runs) expect((r.summary as { moveWatermark?: unknown }).moveWatermark).toEqual(expect.any(String));

    const incremental = await partitions();
    for (const entity of ENTITIES) expect(incremental.get(entity), entity).toEqual(whole.get(entity));
    expect(goldenBefore.length).toBeGreaterThan(0);
  }, 240_000);

  it('runs in full when asked, when the type is small, or when too much changed', async () => {
    const records = [...generateWorld({ seed: 5, size: 600 })].map((r) => r.record as unknown as Record<string, unknown>);
    await ingestRecords(database, records.slice(0, 500));
    await resolve(database);
    await ingestRecords(database, records.slice(500));
    // Under the default minimum size (5,000 records) a type is always clustered in full.
    const small = await resolve(database);
    expect(small.filter((s) => s.status === 'resolved').map((s) => s.mode)).not.toContain('incremental');
    // A changed record, with a tiny allowed share: too much changed.
    const customer = records.find((r) => r.entity === 'customer')!;
    await ingestRecords(database, [{ ...customer, updatedAt: '2031-01-01T00:00:00Z', name: `${String(customer.name)} X` }]);
    const share = await resolve(database, { entity: 'customer', incrementalMinRecords: 0, incrementalMaxShare: 0 });
    expect(share[0]).toMatchObject({ status: 'resolved', mode: 'full' });
    // --full: a full run even for one change.
    await ingestRecords(database, [{ ...customer, updatedAt: '2032-01-01T00:00:00Z', name: `${String(customer.name)} Y` }]);
    const forced = await resolve(database, { entity: 'customer', incrementalMinRecords: 0, full: true });
    expect(forced[0]).toMatchObject({ status: 'resolved', mode: 'full' });
    // Otherwise the one change is an increment.
    await ingestRecords(database, [{ ...customer, updatedAt: '2033-01-01T00:00:00Z', name: String(customer.name) }]);
    const increment = await resolve(database, { entity: 'customer', incrementalMinRecords: 0 });
    expect(increment[0]).toMatchObject({ status: 'resolved', mode: 'incremental' });
    const [run, full] = await database.db.selectFrom('resolve_run').select('summary').where('entity', '=', 'customer').orderBy('id', 'desc').limit(2).execute();
    expect(run.summary).toMatchObject({ mode: 'incremental', changedRecords: 1 });
    // The overlaps between sources the full run estimated (competition.ts) are the ones increments use.
    type Overlaps = Record<string, Record<string, Record<string, number>>>;
    const estimated = (full.summary as { overlaps: Overlaps }).overlaps;
    const shares = Object.values(estimated['customer-organization'] ?? {}).flatMap((row) => Object.values(row));
    expect(shares.length).toBeGreaterThan(0);
    for (const share of shares) expect(share).toBeGreaterThan(0);
    for (const share of shares) expect(share).toBeLessThanOrEqual(0.9);
    expect((run.summary as { overlaps: Overlaps }).overlaps).toEqual(estimated);
  }, 120_000);

  it('lets a resolution waiting for the lock go between the chunks of an increment', async () => {
    const records = [...generateWorld({ seed: 7, size: 1500 })].map((r) => r.record as unknown as Record<string, unknown>);
    const customers = records.filter((r) => r.entity === 'customer');
    await ingestRecords(database, records.filter((r) => r.entity !== 'customer' || customers.indexOf(r) % 4 !== 0));
    await resolve(database, INCREMENTAL);
    const held = customers.filter((_, k) => k % 4 === 0);
    await ingestRecords(database, held);
    // The increment in chunks of 10; as its first chunk starts, a resolution asks for the lock.
    const started: number[] = [];
    let waiter: Promise<number> | undefined;
    const summaries = await resolve(database, {
      entity: 'customer',
      ...INCREMENTAL,
      incrementalChunk: 10,
      onProgress: (message) => {
        const m = /resolving (\d+) of (\d+) changed records incrementally/.exec(message);
        if (!m) return;
        started.push(Number(m[1]));
        waiter ??= withEntityLock(database, 'customer', async () => started.length);
      },
    });
    expect(summaries[0]).toMatchObject({ status: 'resolved', mode: 'incremental' });
    const chunks = Math.ceil(held.length / 10);
    expect(chunks).toBeGreaterThan(3);
    expect(started).toHaveLength(chunks);
    // It had its turn after the first chunk, not after the whole increment.
    expect(await waiter).toBe(1);
  }, 120_000);
});
