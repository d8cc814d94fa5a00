import { request as httpRequest } from 'node:http';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app';
import { startServer } from '../../src/http/server';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { goldenIds, keyFor, seedCanonicalWorld } from './helpers';

/**
 * GraphQL over a real socket (the Node server's own request objects): the body is read once, by the
 * request log, and GraphQL parses the same text. Bodies the log leaves alone (long, or of unknown
 * length) reach GraphQL untouched.
 */
let database: TestDatabase;
let server: ServerType;
let port: number;
let key: string;
let golden: string;

beforeAll(async () => {
  process.env.MDM_METRICS_CACHE_MS = '0';
  database = await openTestDatabase();
  await seedCanonicalWorld(database);
  key = await keyFor(database, 'reader');
  golden = (await goldenIds(database, 'customer')).get('erp|1000045')!;
  const started = await startServer(createApp({ database }), 0);
  server = started.server;
  port = started.port;
});
afterAll(async () => {
  delete process.env.MDM_METRICS_CACHE_MS;
  await new Promise((r) => server?.close(r));
  await database?.close();
});

/** One HTTP request; `chunked` sends the body without a content-length. */
function send(body: string, options: { chunked?: boolean; contentType?: string; auth?: boolean; path?: string; method?: string } = {}): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json', accept: 'application/json' };
    if (options.auth !== false) headers.authorization = `Bearer ${key}`;
    if (!options.chunked) headers['content-length'] = String(Buffer.byteLength(body));
    const req = httpRequest({ host: '127.0.0.1', port, path: options.path ?? '/graphql', method: options.method ?? 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
    });
    req.on('error', reject);
    if (options.chunked) {
      // Two writes: the body arrives in chunks, its length unannounced.
      const half = Math.floor(body.length / 2);
      req.write(body.slice(0, half));
      req.end(body.slice(half));
    } else req.end(body);
  });
}

const QUERY = 'query Named($id: ID!) { goldenRecord(id: $id) { record { id } } }';

describe('GraphQL request bodies over HTTP', () => {
  it('answers a query whose body the request log read, and labels it by operation', async () => {
    const res = await send(JSON.stringify({ query: QUERY, variables: { id: golden } }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ data: { goldenRecord: { record: { id: golden } } } });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(res.headers['x-request-id']).toMatch(/\S/);
    const metrics = await send('', { path: '/metrics', method: 'GET', auth: false });
    expect(metrics.text).toMatch(/mdm_http_request_duration_seconds_count\{method="POST",route="\/graphql",status="200",operation="Named"\} [1-9]/);
  });

  it('answers bodies it did not read first: over 64 KB, and of unknown length', async () => {
    const long = JSON.stringify({ query: QUERY, variables: { id: golden }, extensions: { padding: 'x'.repeat(70_000) } });
    const chunked = JSON.stringify({ query: QUERY, variables: { id: golden } });
    for (const [body, chunkedBody] of [[long, false], [chunked, true], [long, true]] as const) {
      const res = await send(body, { chunked: chunkedBody });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).data.goldenRecord.record.id).toBe(golden);
    }
  });

  it('refuses a body over the limit with 413, announced or counted as it arrives', async () => {
    const huge = JSON.stringify({ query: QUERY, variables: { id: golden }, extensions: { padding: 'x'.repeat(1024 * 1024) } });
    for (const chunked of [false, true]) {
      const res = await send(huge, { chunked });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.text).error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'request body is over the limit of 1048576 bytes' });
    }
    const res = await send(JSON.stringify({ query: '{ __typename }' }));
    expect(JSON.parse(res.text)).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses a body that is not JSON, or not an object, with 400 and says why', async () => {
    for (const chunked of [false, true]) {
      const broken = await send('{"query": "{ __typename }"', { chunked });
      expect(broken.status).toBe(400);
      expect(JSON.parse(broken.text).errors[0]).toMatchObject({ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } });
      const notObject = await send('42', { chunked });
      expect(notObject.status).toBe(400);
      expect(JSON.parse(notObject.text).errors[0].message).toBe('POST body is expected to be object but received number');
      const nothing = await send('null', { chunked });
      expect(nothing.status).toBe(400);
      expect(JSON.parse(nothing.text).errors[0].message).toBe('POST body is expected to be object but received null');
    }
  });

  it('answers a batch and refuses a content type GraphQL does not take', async () => {
    const batch = await send(JSON.stringify([{ query: '{ __typename }' }]));
    // Batching is off: yoga refuses an array body.
    expect(batch.status).toBe(400);
    const wrongType = await send(JSON.stringify({ query: '{ __typename }' }), { contentType: 'text/plain' });
    expect(wrongType.status).toBe(415);
    expect(JSON.parse(wrongType.text).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a query without a key, having read its body, and answers the next one on the connection', async () => {
    const refused = await send(JSON.stringify({ query: QUERY, variables: { id: golden } }), { auth: false });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text).error.code).toBe('UNAUTHENTICATED');
    const res = await send(JSON.stringify({ query: '{ __typename }' }));
    expect(JSON.parse(res.text)).toEqual({ data: { __typename: 'Query' } });
  });
});
