import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { goldenIds, graphql, type GraphqlResponse, keyFor, seedCanonicalWorld } from './helpers';

let database: TestDatabase;
let app: Hono;
let reader: string;
let customers: Map<string, string>;

beforeAll(async () => {
  database = await openTestDatabase();
  await seedCanonicalWorld(database);
  app = createApp({ database });
  reader = await keyFor(database, 'reader');
  customers = await goldenIds(database, 'customer');
});
afterAll(async () => {
  await database?.close();
});

const RECORD = 'id entity status version createdAt updatedAt crossReferences { entity source sourceId goldenId attachedAt } redirectedFrom';

describe('goldenRecord(id)', () => {
  it('returns the record with its cross-references from every source', async () => {
    const id = customers.get('erp|1000045')!;
    expect(customers.get('crm|0015g00000Abc12AAA')).toBe(id);
    const { status, body } = await graphql(app, reader, `query($id: ID!) { goldenRecord(id: $id) { requestedId redirected record { __typename ${RECORD} } } }`, { id });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const lookup = body.data!.goldenRecord;
    expect(lookup).toMatchObject({ requestedId: id, redirected: false });
    expect(lookup.record).toMatchObject({ __typename: 'Customer', id, entity: 'CUSTOMER', status: 'ACTIVE', redirectedFrom: [] });
    expect(lookup.record.version).toBeGreaterThanOrEqual(1);
    expect(new Date(lookup.record.createdAt).toISOString()).toBe(lookup.record.createdAt);
    expect(lookup.record.crossReferences.map((x: any) => `${x.entity}|${x.source}|${x.sourceId}|${x.goldenId}`)).toEqual([
      `CUSTOMER|crm|0015g00000Abc12AAA|${id}`,
      `CUSTOMER|erp|1000045|${id}`,
    ]);
  });

  it('is null for an id the hub never issued', async () => {
    const { body } = await graphql(app, reader, '{ goldenRecord(id: "G-0000000000000") { requestedId } }');
    expect(body).toEqual({ data: { goldenRecord: null } });
  });
});

describe('goldenRecordByXref', () => {
  it('finds the golden record of a source record, as the object type of its entity', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['CUSTOMER', 'crm', '0015g00000Abc12AAA', 'Customer'],
      ['PRODUCT', 'erp', 'MAT-200', 'Product'],
      ['SERIAL', 'erp', 'SER-1', 'SerialUnit'],
      ['ASSET', 'fsm', 'AST-1', 'InstalledAsset'],
      ['CONTRACT', 'erp', 'CT-9', 'Contract'],
      ['LOCATION', 'fsm', 'LOC-1', 'Location'],
    ];
    for (const [entity, source, sourceId, typename] of cases) {
      const expected = (await goldenIds(database, entity.toLowerCase())).get(`${source}|${sourceId}`);
      const { body } = await graphql(
        app,
        reader,
        'query($e: EntityType!, $s: String!, $id: String!) { goldenRecordByXref(entity: $e, source: $s, sourceId: $id) { __typename id entity crossReferences { source sourceId } } }',
        { e: entity, s: source, id: sourceId },
      );
      expect(body.errors, entity).toBeUndefined();
      expect(body.data!.goldenRecordByXref, entity).toMatchObject({ __typename: typename, id: expected, entity });
      expect(body.data!.goldenRecordByXref.crossReferences).toContainEqual({ source, sourceId });
    }
  });

  it('is null for an unknown source record, and the entity is part of the key', async () => {
    const { body } = await graphql(app, reader, `{
      a: goldenRecordByXref(entity: CUSTOMER, source: "erp", sourceId: "nope") { id }
      b: goldenRecordByXref(entity: PRODUCT, source: "erp", sourceId: "1000045") { id }
    }`);
    expect(body).toEqual({ data: { a: null, b: null } });
  });
});

describe('goldenRecords(ids)', () => {
  it('answers a batch in the order asked, with null for unknown ids', async () => {
    const ids = [...new Set(customers.values())];
    const { body } = await graphql(app, reader, 'query($ids: [ID!]!) { goldenRecords(ids: $ids) { requestedId record { id } } }', {
      ids: [ids[1], 'G-UNKNOWN', ids[0], ids[1]],
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!.goldenRecords).toEqual([
      { requestedId: ids[1], record: { id: ids[1] } },
      null,
      { requestedId: ids[0], record: { id: ids[0] } },
      { requestedId: ids[1], record: { id: ids[1] } },
    ]);
  });
});

describe('translateId', () => {
  it('gives the golden id and the ids of the same thing in the other sources', async () => {
    const golden = customers.get('erp|1000045');
    const query = `query($t: [String!]) { translateId(entity: CUSTOMER, source: "erp", sourceId: "1000045", targetSources: $t) {
      goldenId requested { source sourceId } crossReferences { source sourceId goldenId } record { id } } }`;
    const all = await graphql(app, reader, query);
    expect(all.body.data!.translateId).toEqual({
      goldenId: golden,
      requested: { source: 'erp', sourceId: '1000045' },
      crossReferences: [{ source: 'crm', sourceId: '0015g00000Abc12AAA', goldenId: golden }],
      record: { id: golden },
    });
    const onlyFsm = await graphql(app, reader, query, { t: ['fsm'] });
    expect(onlyFsm.body.data!.translateId.crossReferences).toEqual([]);
    const onlyCrm = await graphql(app, reader, query, { t: ['crm'] });
    expect(onlyCrm.body.data!.translateId.crossReferences).toHaveLength(1);
  });

  it('is null for an unknown source record', async () => {
    const { body } = await graphql(app, reader, '{ translateId(entity: CUSTOMER, source: "sap", sourceId: "1") { goldenId } }');
    expect(body).toEqual({ data: { translateId: null } });
  });
});

describe('goldenRecordsConnection', () => {
  const PAGE = `query($first: Int, $after: String, $last: Int, $before: String) {
    goldenRecordsConnection(entity: CUSTOMER, first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id entity } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

  it('pages forward through every active golden record of an entity type exactly once, in id order', async () => {
    const expected = [...new Set(customers.values())].sort();
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const { body }: GraphqlResponse = await graphql(app, reader, PAGE, { first: 2, after });
      expect(body.errors).toBeUndefined();
      const connection: any = body.data!.goldenRecordsConnection;
      expect(connection.edges.length).toBeLessThanOrEqual(2);
      seen.push(...connection.edges.map((e: any) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('pages backward with last/before', async () => {
    const expected = [...new Set(customers.values())].sort();
    const { body } = await graphql(app, reader, PAGE, { last: 2 });
    const tail = body.data!.goldenRecordsConnection;
    expect(tail.edges.map((e: any) => e.node.id)).toEqual(expected.slice(-2));
    expect(tail.pageInfo.hasPreviousPage).toBe(expected.length > 2);
    const { body: before } = await graphql(app, reader, PAGE, { last: 1, before: tail.pageInfo.startCursor });
    expect(before.data!.goldenRecordsConnection.edges.map((e: any) => e.node.id)).toEqual(expected.slice(-3, -2));
  });

  it('refuses pages over the cap and cursors it did not issue', async () => {
    const big = await graphql(app, reader, PAGE, { first: 101 });
    expect(big.body.errors![0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'pageSize', max: 100, actual: 101 });
    const bad = await graphql(app, reader, PAGE, { first: 1, after: 'bm90IGEgY3Vyc29y' });
    expect(bad.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });
});
