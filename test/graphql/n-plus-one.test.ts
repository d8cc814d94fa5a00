import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from '../../src/golden-record/resolve.service';
import { createApp } from '../../src/http/app';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { goldenIds, graphql, ingestRecords, keyFor } from './helpers';
import { QueryCounter } from '../helpers/query-counter';

let database: TestDatabase;
let ids: string[];
let reader: string;

beforeAll(async () => {
  database = await openTestDatabase();
  // 100 products, each known to the ERP and to field service: 100 golden records with 2 cross-references.
  const records: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 100; i++) {
    const partNumber = `QX-${String(i).padStart(3, '0')}-${(i * 7919) % 1000}`;
    const name = `Valve assembly type ${i} variant ${String.fromCharCode(65 + (i % 26))}${i}`;
    records.push({ entity: 'product', source: 'erp', sourceId: `MAT-${i}`, partNumber, name, manufacturer: 'Krüger' });
    records.push({ entity: 'product', source: 'fsm', sourceId: `P${i}`, partNumber, name, manufacturer: 'Krüger' });
  }
  await ingestRecords(database, records);
  await resolve(database);
  ids = [...new Set((await goldenIds(database, 'product')).values())];
  reader = await keyFor(database, 'reader');
});
afterAll(async () => {
  await database?.close();
});

const BATCH = `query($ids: [ID!]!) { goldenRecords(ids: $ids) { requestedId redirected record {
  id entity attributes redactedAttributes redirectedFrom crossReferences { source sourceId goldenId } } } }`;

async function countQueries(batch: string[]): Promise<number> {
  const counter = new QueryCounter();
  const app = createApp({ database: { ...database, db: database.db.withPlugin(counter) } });
  const { body } = await graphql(app, reader, BATCH, { ids: batch });
  expect(body.errors).toBeUndefined();
  expect(body.data!.goldenRecords).toHaveLength(batch.length);
  return counter.count;
}

describe('dataloaders', () => {
  it('answers 100 lookups with their cross-references in a small constant number of SQL queries', async () => {
    expect(ids.length).toBeGreaterThanOrEqual(90);
    const hundred = ids.slice(0, 100);
    const queries = await countQueries(hundred);
    // key lookup + last-use stamp + golden records + cross-references + redirects (+ provisional attributes)
    expect(queries).toBeGreaterThanOrEqual(4);
    expect(queries).toBeLessThanOrEqual(7);
    expect(await countQueries(hundred.slice(0, 5))).toBe(queries);
  });

  it('batches cross-reference lookups across aliases', async () => {
    const counter = new QueryCounter();
    const app = createApp({ database: { ...database, db: database.db.withPlugin(counter) } });
    const fields = Array.from({ length: 30 }, (_, i) => `t${i}: translateId(entity: PRODUCT, source: "erp", sourceId: "MAT-${i}") { goldenId crossReferences { source sourceId } }`);
    const { body } = await graphql(app, reader, `{ ${fields.join('\n')} }`);
    expect(body.errors).toBeUndefined();
    expect(body.data!.t7.crossReferences).toContainEqual({ source: 'fsm', sourceId: 'P7' });
    expect(counter.count).toBeLessThanOrEqual(5);
  });

  it('sends the translations of concurrent requests as one statement, each request getting its own answer', async () => {
    const counter = new QueryCounter();
    const app = createApp({ database: { ...database, db: database.db.withPlugin(counter) } });
    const query = 'query($id: String!) { translateId(entity: PRODUCT, source: "erp", sourceId: $id) { goldenId crossReferences { source sourceId } } }';
    // The key is verified (and remembered) first, so that only the translations are counted.
    expect((await graphql(app, reader, '{ __typename }')).body.errors).toBeUndefined();
    const before = counter.count;
    const wanted = Array.from({ length: 20 }, (_, i) => (i === 13 ? 'NO-SUCH-MATERIAL' : `MAT-${i}`));
    const answers = await Promise.all(wanted.map((id) => graphql(app, reader, query, { id })));
    expect(counter.count - before).toBe(1);
    const xrefs = await goldenIds(database, 'product');
    answers.forEach(({ body }, i) => {
      expect(body.errors).toBeUndefined();
      if (i === 13) return expect(body.data!.translateId).toBeNull();
      expect(body.data!.translateId).toEqual({ goldenId: xrefs.get(`erp|MAT-${i}`), crossReferences: [{ source: 'fsm', sourceId: `P${i}` }] });
    });
    // Requests one after the other each send their own.
    for (const id of ['MAT-1', 'MAT-2']) await graphql(app, reader, query, { id });
    expect(counter.count - before).toBe(3);
  });
});
