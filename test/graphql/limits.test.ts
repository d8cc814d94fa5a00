import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRAPHQL_CONFIG, graphqlConfigFromEnv } from '../../src/graphql/config';
import { graphqlRoutes } from '../../src/graphql/graphql.routes';
import { createApp } from '../../src/http/app';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { goldenIds, graphql, keyFor, seedCanonicalWorld } from './helpers';

let database: TestDatabase;
let app: Hono;
let reader: string;
let ids: string[];

beforeAll(async () => {
  database = await openTestDatabase();
  await seedCanonicalWorld(database);
  app = createApp({ database });
  reader = await keyFor(database, 'reader');
  ids = [...new Set((await goldenIds(database, 'customer')).values())];
});
afterAll(async () => {
  await database?.close();
});

const BATCH = 'query($ids: [ID!]!) { goldenRecords(ids: $ids) { requestedId redirected record { id entity status version attributes crossReferences { entity source sourceId goldenId attachedAt } redirectedFrom } } }';

describe('limits', () => {
  it('has documented defaults, overridable from the environment', () => {
    expect(DEFAULT_GRAPHQL_CONFIG).toMatchObject({ maxBatchSize: 500, maxPageSize: 100, maxDepth: 12, maxComplexity: 50_000, maxBodyBytes: 1024 * 1024, anonymousSchemaBrowsing: false });
    expect(graphqlConfigFromEnv({ MDM_GRAPHQL_MAX_BATCH: '50', MDM_GRAPHIQL_ANONYMOUS: '1', MDM_GRAPHQL_MAX_DEPTH: 'x' })).toMatchObject({
      maxBatchSize: 50, anonymousSchemaBrowsing: true, maxDepth: 12,
    });
  });

  it('answers a full batch of 500 ids and refuses 501 with LIMIT_EXCEEDED', async () => {
    const full = Array.from({ length: 500 }, (_, i) => ids[i % ids.length]);
    const ok = await graphql(app, reader, BATCH, { ids: full });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data!.goldenRecords).toHaveLength(500);

    const over = await graphql(app, reader, BATCH, { ids: [...full, ids[0]] });
    expect(over.body.data).toBeNull();
    expect(over.body.errors).toHaveLength(1);
    expect(over.body.errors![0].message).toBe('goldenRecords takes at most 500 ids (got 501); split the batch');
    expect(over.body.errors![0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'batchSize', max: 500, actual: 501 });
  });

  it('refuses a query over the complexity limit before running it', async () => {
    const full = Array.from({ length: 500 }, (_, i) => ids[i % ids.length]);
    const aliased = `query($ids: [ID!]!) { a: goldenRecords(ids: $ids) { ...L } b: goldenRecords(ids: $ids) { ...L } c: goldenRecords(ids: $ids) { ...L } }
      fragment L on GoldenRecordLookup { requestedId redirected record { id entity status version attributes crossReferences { entity source sourceId goldenId attachedAt } redirectedFrom } }`;
    const { body } = await graphql(app, reader, aliased, { ids: full });
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'complexity', max: 50_000 });
    expect(body.errors![0].extensions!.actual).toBeGreaterThan(50_000);
  });

  it('measures the cost of the same document on every request: validation is cached, the limits are not', async () => {
    const aliased = `query CostPerRequest($ids: [ID!]!) { a: goldenRecords(ids: $ids) { ...L } b: goldenRecords(ids: $ids) { ...L } c: goldenRecords(ids: $ids) { ...L } }
      fragment L on GoldenRecordLookup { requestedId redirected record { id entity status version attributes crossReferences { entity source sourceId goldenId attachedAt } redirectedFrom } }`;
    const full = Array.from({ length: 500 }, (_, i) => ids[i % ids.length]);
    // Over the limit first: a cache that kept this answer would refuse the small batches after it.
    for (const round of [1, 2]) {
      const over = await graphql(app, reader, aliased, { ids: full });
      expect(over.body.errors![0].extensions, `round ${round}`).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'complexity' });
      const small = await graphql(app, reader, aliased, { ids: ids.slice(0, 2) });
      expect(small.body.errors, `round ${round}`).toBeUndefined();
      expect((small.body.data as { a: unknown[] }).a).toHaveLength(2);
    }

    // An invalid document gets the same answer every time (from the cache after the first).
    const invalid = '{ goldenRecord(id: "G-1") { nope } }';
    const first = await graphql(app, reader, invalid);
    const second = await graphql(app, reader, invalid);
    expect(first.body.errors![0].message).toContain('Cannot query field "nope"');
    expect(second.body).toEqual(first.body);
  });

  it('refuses a query deeper than the depth limit', async () => {
    const shallow = new Hono().route('/graphql', graphqlRoutes({ database, config: { maxDepth: 3 } }));
    const three = await graphql(shallow, reader, `{ goldenRecord(id: "${ids[0]}") { record { id } } }`);
    expect(three.body.errors).toBeUndefined();
    const four = await graphql(shallow, reader, `{ goldenRecord(id: "${ids[0]}") { record { crossReferences { source } } } }`);
    expect(four.body.data).toBeUndefined();
    expect(four.body.errors![0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'depth', max: 3, actual: 4 });
  });

  it('refuses a request body over 1 MB with 413 in JSON, before authentication', async () => {
    const body = JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(1024 * 1024) } });
    for (const key of [reader, null]) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key) headers.authorization = `Bearer ${key}`;
      const res = await app.request('/graphql', { method: 'POST', headers, body });
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body is over the limit of 1048576 bytes' } });
    }
    const withLength = await app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length), authorization: `Bearer ${reader}` },
      body,
    });
    expect(withLength.status).toBe(413);
  });

  it('gives every error an extensions.code', async () => {
    const syntax = await graphql(app, reader, '{ goldenRecord(id: "x") { requestedId ');
    expect(syntax.body.errors![0].extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknown = await graphql(app, reader, '{ goldenRecord(id: "x") { nope } }');
    expect(unknown.body.errors).toHaveLength(1);
    expect(unknown.body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const badVariable = await graphql(app, reader, 'query($n: Int) { goldenRecordsConnection(entity: CUSTOMER, first: $n) { edges { cursor } } }', { n: 'ten' });
    expect(badVariable.body.errors![0].extensions!.code).toMatch(/^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/);
  });
});
