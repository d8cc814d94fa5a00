import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolve } from '../../src/golden-record/resolve.service';
import { generateWorld } from '../../src/sim/world';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { ingestRecords } from '../helpers/ingest';

let database: TestDatabase;

beforeEach(async () => {
  database = await openTestDatabase();
});
afterEach(async () => {
  await database?.close();
});

const load = (records: Array<Record<string, unknown>>) => ingestRecords(database, records);

/** source|sourceId -> golden id */
async function xrefs(entity: string): Promise<Map<string, string>> {
  const rows = await database.db.selectFrom('xref').select(['source', 'source_id', 'golden_id']).where('entity', '=', entity).execute();
  return new Map(rows.map((r) => [`${r.source}|${r.source_id}`, r.golden_id]));
}

/** The partition of record keys into clusters, as a canonical string set. */
function partition(map: Map<string, string>): string[] {
  const groups = new Map<string, string[]>();
  for (const [k, g] of map) groups.set(g, [...(groups.get(g) ?? []), k]);
  return [...groups.values()].map((g) => g.sort().join(',')).sort();
}

const org = (source: string, sourceId: string, extra: Record<string, unknown> = {}) => ({
  entity: 'customer', source, sourceId, kind: 'organization', name: 'Krüger Maschinenbau GmbH',
  street: 'Industriestraße', houseNumber: '12', postalCode: '70565', city: 'Stuttgart', country: 'DE',
  taxId: 'DE811234567', phone: '+49 711 123456', ...extra,
});

describe('resolve', () => {
  it('merges duplicates, keeps golden ids on a re-run, and skips when nothing changed', async () => {
    await load([
      org('erp', '1000045'),
      org('crm', '0015g00000Abc12AAA', { name: 'Krueger Maschinenbau', street: 'Industriestr. 12', houseNumber: null }),
      org('fsm', 'a'.repeat(32), { name: 'Schmidt Antriebstechnik AG', taxId: 'DE999999999', street: 'Hafenweg', houseNumber: '3', phone: '+49 711 999999' }),
    ]);
    await resolve(database);
    const first = await xrefs('customer');
    expect(first.get('erp|1000045')).toBe(first.get('crm|0015g00000Abc12AAA'));
    expect(first.get('fsm|' + 'a'.repeat(32))).not.toBe(first.get('erp|1000045'));

    const again = await resolve(database, { entity: 'customer' });
    expect(again[0].status).toBe('unchanged');
    const forced = await resolve(database, { entity: 'customer', force: true });
    expect(forced[0]).toMatchObject({ status: 'resolved', created: 0, merged: 0, attached: 0 });
    expect(await xrefs('customer')).toEqual(first);
  });

  it('on a merge keeps the oldest golden id and redirects the other; on a cannot-link split the oldest member keeps it', async () => {
    await load([org('erp', 'E1', { taxId: null, phone: null })]);
    await resolve(database);
    await load([org('crm', 'C1', { name: 'Krüger Maschinenbau GmbH', taxId: 'DE811234567' })]);
    await resolve(database);
    const before = await xrefs('customer');
    const oldest = before.get('erp|E1')!;
    expect(before.get('crm|C1')).toBe(oldest);

    // A steward says the two are different: the part with the oldest member keeps the id.
    const ids = await database.db.selectFrom('source_record').select(['id', 'source']).where('entity', '=', 'customer').execute();
    const [a, b] = ids.map((r) => r.id).sort((x, y) => Number(x) - Number(y));
    await database.db.insertInto('steward_decision').values({ entity: 'customer', kind: 'cannot-link', left_record_id: a, right_record_id: b, actor: 'test' }).execute();
    await resolve(database);
    const after = await xrefs('customer');
    expect(after.get('erp|E1')).toBe(oldest);
    expect(after.get('crm|C1')).not.toBe(oldest);
    const split = await database.db.selectFrom('golden_record').selectAll().where('id', '=', after.get('crm|C1')!).executeTakeFirstOrThrow();
    expect(split.split_from).toBe(oldest);
  });

  it('redirects a merged-away golden id to the survivor', async () => {
    await load([org('erp', 'E1', { taxId: null })]);
    await resolve(database);
    await load([org('crm', 'C1', { taxId: null, name: 'Krüger Maschinenbau GmbH', phone: '+49 711 123457', street: 'Andere Straße', houseNumber: '99', postalCode: '70599' })]);
    await resolve(database);
    const before = await xrefs('customer');
    if (before.get('erp|E1') === before.get('crm|C1')) return expect.fail('the two records should start apart');
    const ids = await database.db.selectFrom('source_record').select('id').where('entity', '=', 'customer').orderBy('id').execute();
    await database.db.insertInto('steward_decision').values({ entity: 'customer', kind: 'must-link', left_record_id: ids[0].id, right_record_id: ids[1].id, actor: 'test' }).execute();
    await resolve(database);
    const after = await xrefs('customer');
    expect(after.get('erp|E1')).toBe(after.get('crm|C1'));
    const survivor = after.get('erp|E1')!;
    const loser = [before.get('erp|E1'), before.get('crm|C1')].find((g) => g !== survivor)!;
    expect(survivor).toBe(before.get('erp|E1')); // created first
    const redirect = await database.db.selectFrom('golden_redirect').selectAll().where('from_id', '=', loser).executeTakeFirstOrThrow();
    expect(redirect.to_id).toBe(survivor);
  });

  it('detaches a record deleted at the source', async () => {
    await load([org('erp', 'E1'), org('crm', 'C1')]);
    await resolve(database);
    await load([{ ...org('crm', 'C1'), deleted: true }]);
    await resolve(database);
    const map = await xrefs('customer');
    expect([...map.keys()]).toEqual(['erp|E1']);
  });

  it('gives the same clusters whether the records come in one file or in ten slices', async () => {
    const records = [...generateWorld({ seed: 11, size: 1500 })].map((r) => r.record as unknown as Record<string, unknown>);
    await load(records);
    await resolve(database);
    const whole = new Map<string, string[]>();
    for (const e of ['customer', 'product', 'serial', 'asset', 'contract', 'location']) whole.set(e, partition(await xrefs(e)));

    await database.close();
    database = await openTestDatabase();
    const slice = Math.ceil(records.length / 10);
    for (let i = 0; i < records.length; i += slice) {
      await load(records.slice(i, i + slice));
      await resolve(database);
    }
    for (const e of whole.keys()) expect(partition(await xrefs(e)), e).toEqual(whole.get(e));
  });
});

describe('train', () => {
  it('stores a trained model version that the next resolution uses, without changing ids on unchanged data', async () => {
    const { train } = await import('../../src/golden-record/train.service');
    const { modelsForRun } = await import('../../src/golden-record/resolve.service');
    const records = [...generateWorld({ seed: 5, size: 800 })].map((r) => r.record as unknown as Record<string, unknown>);
    await load(records);
    await resolve(database);
    const before = await xrefs('customer');
    const trained = await train(database, { entity: 'customer' });
    expect(trained.map((t) => t.model).sort()).toEqual(['customer-organization', 'customer-person']);
    const stored = await database.db.selectFrom('match_model').select(['name', 'version']).execute();
    expect(stored).toHaveLength(2);
    const models = await modelsForRun(database, 'customer');
    for (const m of models) expect(m.model.version).toBe(stored.find((s) => s.name === m.name)!.version);
    await resolve(database, { entity: 'customer', force: true });
    const after = await xrefs('customer');
    // Retraining keeps every golden id whose cluster keeps most of its members.
    let kept = 0;
    for (const [k, g] of before) if (after.get(k) === g) kept++;
    expect(kept / before.size).toBeGreaterThan(0.95);
  });
});

describe('sequence neutrality', () => {
  it('ends in the same golden records and ids whatever order the same records and decisions arrive in', async () => {
    const records = [...generateWorld({ seed: 23, size: 900 })].map((r) => r.record as unknown as Record<string, unknown>);
    const snapshot = async () => {
      const out: Record<string, string> = {};
      for (const e of ['customer', 'product', 'serial', 'asset', 'contract', 'location']) for (const [k, g] of await xrefs(e)) out[`${e}|${k}`] = g;
      return out;
    };
    await load(records);
    await resolve(database);
    const forward = await snapshot();

    await database.close();
    database = await openTestDatabase();
    // Reversed order, in three files.
    const reversed = [...records].reverse();
    for (let i = 0; i < 3; i++) await load(reversed.slice(i * 300, (i + 1) * 300));
    await resolve(database);
    expect(await snapshot()).toEqual(forward);
  });
});
