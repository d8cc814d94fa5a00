import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportGolden } from '../../src/golden-record/golden-export';
import { exportXrefs } from '../../src/golden-record/xref-export';
import { resolve } from '../../src/golden-record/resolve.service';
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

async function goldenOf(entity: string, source: string, sourceId: string) {
  const x = await database.db.selectFrom('xref').select('golden_id').where('entity', '=', entity).where('source', '=', source).where('source_id', '=', sourceId).executeTakeFirstOrThrow();
  return database.db.selectFrom('golden_record').selectAll().where('id', '=', x.golden_id).executeTakeFirstOrThrow();
}

const product = (source: string, sourceId: string, extra: Record<string, unknown> = {}) => ({
  entity: 'product', source, sourceId, partNumber: 'PMP-200', manufacturer: 'Acme Pumps', gtin: '04012345000014',
  name: 'Centrifugal pump PMP-200', ...extra,
});

describe('golden records', () => {
  it('survive per attribute with lineage: ERP wins the price, the golden record keeps where each value came from', async () => {
    await load([
      product('erp', 'M-1', { price: 1290, currency: 'EUR', updatedAt: '2025-01-01T00:00:00Z' }),
      product('crm', '01t1', { price: 999, currency: 'EUR', description: 'Pump for process water', updatedAt: '2026-06-01T00:00:00Z' }),
    ]);
    await resolve(database);
    const g = await goldenOf('product', 'crm', '01t1');
    expect(g.id).toBe((await goldenOf('product', 'erp', 'M-1')).id);
    const attrs = g.attributes as Record<string, { value: unknown; lineage: { source: string; sourceId: string; strategy: string; version: number } }>;
    expect(attrs.price.value).toBe(1290);
    expect(attrs.price.lineage).toMatchObject({ source: 'erp', sourceId: 'M-1', strategy: 'sourcePriority', version: 1 });
    expect(attrs.description.lineage).toMatchObject({ source: 'crm', sourceId: '01t1' });
  });

  it('versions every change with history, records moves and writes outbox events in order per golden record', async () => {
    await load([product('erp', 'M-1', { price: 10 })]);
    await resolve(database);
    const first = await goldenOf('product', 'erp', 'M-1');
    expect(first.version).toBe(1);
    await load([product('erp', 'M-1', { price: 12, updatedAt: '2026-02-01T00:00:00Z' })]);
    await resolve(database);
    const second = await goldenOf('product', 'erp', 'M-1');
    expect(second.id).toBe(first.id);
    expect(second.version).toBe(2);
    const history = await database.db.selectFrom('golden_history').selectAll().where('golden_id', '=', first.id).orderBy('version').execute();
    expect(history.map((h) => [h.version, h.change, (h.attributes as Record<string, { value: number }>).price.value, h.valid_to === null])).toEqual([
      [1, 'created', 10, false],
      [2, 'updated', 12, true],
    ]);
    const events = await database.db.selectFrom('outbox').selectAll().where('golden_id', '=', first.id).orderBy('id').execute();
    expect(events.map((e) => [e.event_type, e.golden_version])).toEqual([['golden.created', 1], ['golden.updated', 2]]);
    expect(events[1].payload).toEqual({ changedAttributes: ['price'] });
    const moves = await database.db.selectFrom('xref_move').selectAll().execute();
    expect(moves.map((m) => [m.source_id, m.from_golden, m.to_golden, m.reason])).toEqual([['M-1', null, first.id, 'new']]);
  });

  it('writes merge and redirect events, and an unmerge recomputes from the stored values', async () => {
    await load([product('erp', 'M-1', { gtin: null, price: 10 })]);
    await resolve(database);
    await load([product('crm', '01t1', { gtin: null, partNumber: null, manufacturer: null, price: 20, name: 'Edelstahlpumpe fuer Prozesswasser' })]);
    await resolve(database);
    const a = await goldenOf('product', 'erp', 'M-1');
    const b = await goldenOf('product', 'crm', '01t1');
    if (a.id === b.id) return expect.fail('expected the two products apart before the steward merges them');
    const ids = await database.db.selectFrom('source_record').select('id').orderBy('id').execute();
    await database.db.insertInto('steward_decision').values({ entity: 'product', kind: 'must-link', left_record_id: ids[0].id, right_record_id: ids[1].id, actor: 'anna' }).execute();
    await resolve(database);
    const merged = await goldenOf('product', 'crm', '01t1');
    expect(merged.id).toBe(a.id);
    const types = await database.db.selectFrom('outbox').select(['event_type', 'golden_id', 'payload']).where('event_type', 'in', ['golden.merged', 'golden.redirected']).execute();
    expect(types).toEqual(expect.arrayContaining([
      expect.objectContaining({ event_type: 'golden.merged', golden_id: a.id, payload: { winner: a.id, losers: [b.id] } }),
      expect.objectContaining({ event_type: 'golden.redirected', golden_id: b.id, payload: { to: a.id } }),
    ]));
    const loser = await database.db.selectFrom('golden_record').selectAll().where('id', '=', b.id).executeTakeFirstOrThrow();
    expect([loser.status, loser.merged_into]).toEqual(['merged', a.id]);

    // Unmerge: the steward's must-link is withdrawn and a cannot-link takes its place.
    await database.db.updateTable('steward_decision').set({ active: false }).execute();
    await database.db.insertInto('steward_decision').values({ entity: 'product', kind: 'cannot-link', left_record_id: ids[0].id, right_record_id: ids[1].id, actor: 'anna' }).execute();
    await resolve(database);
    const back = await goldenOf('product', 'crm', '01t1');
    expect(back.id).not.toBe(a.id);
    expect((back.attributes as Record<string, { value: unknown }>).price.value).toBe(20);
    expect(((await goldenOf('product', 'erp', 'M-1')).attributes as Record<string, { value: unknown }>).price.value).toBe(10);
  });

  it('links golden records through references, following a merge of the referenced customers', async () => {
    const customer = (source: string, sourceId: string) => ({
      entity: 'customer', source, sourceId, kind: 'organization', name: 'Krüger Maschinenbau GmbH', taxId: 'DE811234567',
      street: 'Industriestraße', houseNumber: '12', postalCode: '70565', city: 'Stuttgart', country: 'DE',
    });
    await load([
      customer('erp', 'C1'),
      { entity: 'asset', source: 'erp', sourceId: 'A1', serialNumber: 'SN-1', partNumber: 'PMP-200', customerRef: 'C1' },
      customer('crm', 'K1'),
      { entity: 'asset', source: 'crm', sourceId: 'X1', serialNumber: 'SN-2', partNumber: 'PMP-200', customerRef: 'K1' },
    ]);
    await resolve(database);
    const c = await goldenOf('customer', 'crm', 'K1');
    expect((await goldenOf('customer', 'erp', 'C1')).id).toBe(c.id);
    const links = await database.db.selectFrom('golden_link').selectAll().where('to_id', '=', c.id).execute();
    expect(links).toHaveLength(2);
    expect(new Set(links.map((l) => l.relation))).toEqual(new Set(['customer']));

    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    await exportGolden(database, out, { entity: 'customer' });
    const exported = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(exported).toHaveLength(1);
    expect(exported[0].crossReferences.map((x: { source: string }) => x.source).sort()).toEqual(['crm', 'erp']);
    expect(exported[0].relationships.filter((r: { direction: string }) => r.direction === 'in')).toHaveLength(2);
    expect(exported[0].attributes.taxId.value).toBe('DE811234567');

    const csv = new PassThrough();
    let rows = '';
    csv.on('data', (d) => (rows += d));
    expect(await exportXrefs(database, csv, { entity: 'customer', pageSize: 1 })).toBe(2);
    const lines = rows.trim().split('\n');
    expect(lines[0]).toBe('entity,source,sourceId,goldenId');
    expect(lines.slice(1).sort()).toEqual([`customer,crm,K1,${c.id}`, `customer,erp,C1,${c.id}`]);
  });
});
