import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-key.service';
import { createApp } from '../../src/http/app';
import { validateCanonical } from '../../src/ingest/canonical-record';
import { compileMapping } from '../../src/ingest/mapping';
import { excerptOf } from '../../src/ingest/source-adapter';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { graphql, ingestRecords, keyFor, seedCanonicalWorld } from '../graphql/helpers';

// The inputs the fuzz run (npm run fuzz) found crashing the hub, one by one: each is now refused
// with a precise error, or answered, and never a 5xx or an INTERNAL_SERVER_ERROR.
let database: TestDatabase;
let app: Hono;
let steward: string;
let erp: string;
beforeAll(async () => {
  database = await openTestDatabase();
  await seedCanonicalWorld(database);
  app = createApp({ database });
  steward = await keyFor(database, 'steward');
  erp = (await createApiKey(database.db, { role: 'ingest:erp' })).key;
});
afterAll(async () => {
  await database?.close();
});

const codes = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => (body.errors ?? []).map((e) => e.extensions?.code);

describe('records: text PostgreSQL cannot store, deep nesting, prototype keys', () => {
  const base = { entity: 'customer', source: 'crm', sourceId: 'A1' };
  const reason = (input: unknown) => {
    const r = validateCanonical(input);
    if (r.ok) throw new Error('expected a rejection');
    return r.reason;
  };

  it('refuses a NUL character or an unpaired surrogate in a value, a nested value or a field name', () => {
    expect(reason({ ...base, name: 'a\u0000b' })).toBe('field name contains a NUL character (U+0000), which cannot be stored: remove it');
    expect(reason({ ...base, sourceId: 'A\u0000' })).toMatch(/^field sourceId contains a NUL character/);
    expect(reason({ ...base, name: 'x\ud800y' })).toBe('field name contains an unpaired UTF-16 surrogate (\\ud800), which is not valid Unicode');
    expect(reason({ ...base, note: { deep: ['\udfff'] } })).toBe('field note contains an unpaired UTF-16 surrogate (\\udfff), which is not valid Unicode');
    expect(reason({ ...base, 'k\u0000': 'v' })).toBe('the field name "k\\u0000" contains a NUL character (U+0000), which cannot be stored: remove it');
    expect(validateCanonical({ ...base, name: 'Ω 🏭 e\u0301' }).ok).toBe(true);
  });

  it('refuses nesting deeper than 32 levels without recursing, however deep', () => {
    const deep = JSON.parse(`{"entity":"customer","source":"crm","sourceId":"A1","extra":${'['.repeat(200_000)}1${']'.repeat(200_000)}}`);
    expect(reason(deep)).toBe('field extra is nested more than 32 levels deep');
    const ok = JSON.parse(`{"entity":"customer","source":"crm","sourceId":"A1","extra":${'['.repeat(32)}1${']'.repeat(32)}}`);
    expect(validateCanonical(ok).ok).toBe(true);
  });

  it('treats __proto__ and constructor as unknown fields, kept in raw and never attributes', () => {
    const input = JSON.parse('{"entity":"customer","source":"crm","sourceId":"A1","name":"N","__proto__":{"isAdmin":true},"constructor":{"kind":"string"}}');
    const r = validateCanonical(input);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.record.attributes).toEqual({ name: 'N' });
    expect(Object.keys(r.record.raw)).toContain('__proto__');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('keeps a column named __proto__ through a mapping as a field, not as a prototype', () => {
    const map = compileMapping({ constants: { entity: 'product', source: 'erp' }, fields: { sourceId: 'ID' } });
    const row = JSON.parse('{"ID":"P-1","__proto__":{"isAdmin":true},"constructor":"c"}');
    const out = map(row);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor', 'entity', 'source', 'sourceId']);
    const r = validateCanonical(out);
    expect(r.ok && JSON.stringify(r.record.raw)).toBe('{"__proto__":{"isAdmin":true},"constructor":"c","entity":"product","source":"erp","sourceId":"P-1"}');
  });

  it('shows a payload that cannot be serialized without throwing', () => {
    const deep = JSON.parse(`{"toString":"x","a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(excerptOf(deep)).toBe('(not shown: Maximum call stack size exceeded)');
  });

  it('stores a file with such lines: the valid ones land, the others are quarantined at their line', async () => {
    await ingestRecords(database, [
      { entity: 'product', source: 'erp', sourceId: 'NUL-1', name: 'a\u0000b' },
      { entity: 'product', source: 'erp', sourceId: 'NUL-2', name: 'fine' },
    ]);
    const rows = await database.db.selectFrom('source_record').select('source_id').where('source_id', 'in', ['NUL-1', 'NUL-2']).execute();
    expect(rows.map((r) => r.source_id)).toEqual(['NUL-2']);
    const q = await database.db.selectFrom('quarantine').select(['line', 'reason', 'source_id']).where('source_id', '=', 'NUL-1').execute();
    expect(q).toEqual([{ line: 1, reason: 'line 1: field name contains a NUL character (U+0000), which cannot be stored: remove it', source_id: 'NUL-1' }]);
  });
});

describe('webhooks', () => {
  const post = (path: string, body: string, contentType: string, headers: Record<string, string> = {}) =>
    app.request(path, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${erp}`, ...headers }, body });

  it('rejects records with NUL or deep nesting in a batch and stores the others', async () => {
    const body = `[{"entity":"product","sourceId":"W-1","name":"a\\u0000b"},{"entity":"product","sourceId":"W-2","x":${'['.repeat(100_000)}${']'.repeat(100_000)}},{"entity":"product","sourceId":"W-3","name":"ok"}]`;
    const res = await post('/ingest/erp/records', body, 'application/json');
    expect(res.status).toBe(202);
    const answer = await res.json();
    expect(answer.accepted).toBe(1);
    expect(answer.rejected.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual([
      [0, 'field name contains a NUL character (U+0000), which cannot be stored: remove it'],
      [1, 'field x is nested more than 32 levels deep'],
    ]);
  });

  it('rejects a CloudEvent id over 256 characters or with a NUL, in structured and binary mode', async () => {
    const event = (id: string) => JSON.stringify({ specversion: '1.0', id, source: '/erp', type: 't', data: { entity: 'product', sourceId: `E-${id.length}`, name: 'x' } });
    const long = await post('/ingest/erp/events', `[${event('e'.repeat(257))},${event('e-nul\u0000')},${event('e-ok')}]`, 'application/cloudevents-batch+json');
    expect(long.status).toBe(202);
    expect((await long.json()).rejected.map((r: { reason: string }) => r.reason)).toEqual([
      'the CloudEvent id is 257 characters long (at most 256)',
      'the CloudEvent id contains a NUL character or an unpaired UTF-16 surrogate',
    ]);
    const binary = await post('/ingest/erp/events', '{"entity":"product","sourceId":"B-1"}', 'application/json', { 'ce-specversion': '1.0', 'ce-id': 'b'.repeat(300), 'ce-source': '/erp', 'ce-type': 't' });
    expect(binary.status).toBe(400);
    expect(await binary.json()).toEqual({ error: { code: 'INVALID_EVENT', message: 'the CloudEvent id is 300 characters long (at most 256)' } });
  });
});

describe('GraphQL', () => {
  it('refuses NUL and unpaired surrogates in variables and literals with BAD_USER_INPUT', async () => {
    const v = await graphql(app, steward, 'query($s: String!) { entitlement(serialNumber: $s) { entitled } }', { s: 'SN\u0000' });
    expect(v.body.errors).toEqual([{ message: '$s contains a NUL character (U+0000) or an unpaired UTF-16 surrogate, which is not accepted: remove it', extensions: { code: 'BAD_USER_INPUT' } }]);
    const s = await graphql(app, steward, 'query($a: JSON!) { matchCandidates(entity: CUSTOMER, attributes: $a) { scoredRecords } }', { a: { name: 'x\udc00' } });
    expect(codes(s.body)).toEqual(['BAD_USER_INPUT']);
    const l = await graphql(app, steward, '{ goldenRecord(id: "G-\\u0000") { requestedId } }');
    expect(codes(l.body)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a document too deep to parse or of too many tokens with LIMIT_EXCEEDED', async () => {
    const deep = await graphql(app, steward, `{ ${'a { '.repeat(5000)}b${' }'.repeat(5000)} }`);
    expect(deep.body.errors![0].extensions).toEqual({ code: 'LIMIT_EXCEEDED', limit: 'depth', max: 12 });
    const wide = await graphql(app, steward, `{ ${Array.from({ length: 25_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
    expect(wide.body.errors![0]).toMatchObject({ message: 'the query has more than 20000 tokens; split it into several requests', extensions: { code: 'LIMIT_EXCEEDED', limit: 'tokens' } });
  });

  it('answers a DateTime out of the database range, a foreign offset cursor and ids that are not numbers as the caller errors they are', async () => {
    const asOf = await graphql(app, steward, 'query($t: DateTime) { goldenRecord(id: "G-0000000000000", asOf: $t) { requestedId } }', { t: '-271821-04-20T00:00:00Z' });
    expect(codes(asOf.body)).toEqual(['BAD_USER_INPUT']);
    const cursor = await graphql(app, steward, '{ goldenRecordsConnection(entity: CUSTOMER, first: 1) { edges { node { ... on Customer { installedAssets(after: "JDE=") { edges { cursor } } } } } } }');
    expect(codes(cursor.body)).toEqual(['BAD_USER_INPUT']);
    const moved = await graphql(app, steward, 'mutation { moveRecord(recordId: "a\\nb", toGoldenId: "G-0000000000000") { __typename ... on NotFound { message } } }');
    expect(moved.body).toEqual({ data: { moveRecord: { __typename: 'NotFound', message: 'source record "a\\nb" is not attached to a golden record' } } });
    for (const m of ['deferPair(pairId: "x1")', 'decidePair(pairId: "99999999999999999999", decision: MERGE)']) {
      const r = await graphql(app, steward, `mutation { ${m} { __typename } }`);
      expect(r.body, m).toEqual({ data: { [m.slice(0, m.indexOf('('))]: { __typename: 'NotFound' } } });
    }
  });

  it('checks a duplicate with a reference attribute and no source (the reference cannot resolve, nothing fails)', async () => {
    const r = await graphql(app, steward, '{ matchCandidates(entity: ASSET, attributes: {customerRef: "1000045", serialNumber: "SN-00A7-4411"}) { scoredRecords } }');
    expect(r.body.errors).toBeUndefined();
  });

  it('says why in JSON when the Accept or Content-Type cannot be served, and when GET variables are not JSON', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const accept = await app.request('/graphql', { method: 'POST', headers: { authorization: `Bearer ${steward}`, 'content-type': 'application/json', accept: 'application/xml' }, body });
    expect(accept.status).toBe(406);
    expect((await accept.json()).error.code).toBe('NOT_ACCEPTABLE');
    const type = await app.request('/graphql', { method: 'POST', headers: { authorization: `Bearer ${steward}`, 'content-type': 'text/plain' }, body });
    expect(type.status).toBe(415);
    expect(await type.json()).toEqual({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'content type "text/plain" is not accepted: send application/json' } });
    const get = await app.request(`/graphql?query=${encodeURIComponent('{ __typename }')}&variables=${encodeURIComponent('{x')}`, { headers: { authorization: `Bearer ${steward}`, accept: 'application/json' } });
    expect(get.status).toBe(400);
    expect(codes(await get.json())).toEqual(['BAD_USER_INPUT']);
  });
});
