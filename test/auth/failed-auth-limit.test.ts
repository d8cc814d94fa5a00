import type { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { revokeApiKey } from '../../src/auth/api-key.repository';
import { createApiKey } from '../../src/auth/api-key.service';
import { clientBucket, failedAuthConfigFromEnv } from '../../src/auth/failed-auth-limit';
import { createApp } from '../../src/http/app';
import { startServer } from '../../src/http/server';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
let reader: string;
let ingest: string;
let revoked: string;
beforeAll(async () => {
  database = await openTestDatabase();
  reader = (await createApiKey(database.db, { role: 'reader' })).key;
  ingest = (await createApiKey(database.db, { role: 'ingest:erp' })).key;
  const gone = await createApiKey(database.db, { role: 'reader' });
  await revokeApiKey(database.db, gone.row.id);
  revoked = gone.key;
});
afterAll(async () => {
  await database?.close();
});

let clock = 0;
let app: Hono;
beforeEach(() => {
  clock = 1_000_000;
  app = createApp({ database, authFailures: { maxFailures: 3, windowMs: 60_000, now: () => clock } });
});

const UNKNOWN = `mdm_0123456789ab_${'A'.repeat(43)}`;
const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

function graphql(key: string | null, address: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  return app.request('/graphql', { method: 'POST', headers, body: JSON.stringify({ query: '{ __typename }' }) }, from(address));
}

describe('failed-auth limit: configuration', () => {
  it('defaults to 20 failures a minute; MDM_AUTH_MAX_FAILURES, MDM_AUTH_FAILURE_WINDOW_SECONDS and MDM_TRUST_PROXY change it', () => {
    expect(failedAuthConfigFromEnv({})).toMatchObject({ maxFailures: 20, windowMs: 60_000, trustProxy: false });
    expect(failedAuthConfigFromEnv({ MDM_AUTH_MAX_FAILURES: '5', MDM_AUTH_FAILURE_WINDOW_SECONDS: '300', MDM_TRUST_PROXY: '1' })).toMatchObject({
      maxFailures: 5, windowMs: 300_000, trustProxy: true,
    });
    expect(failedAuthConfigFromEnv({ MDM_AUTH_MAX_FAILURES: '-1', MDM_AUTH_FAILURE_WINDOW_SECONDS: 'x' })).toMatchObject({ maxFailures: 20, windowMs: 60_000 });
  });

  it('counts IPv4 addresses one by one and IPv6 addresses by /64', () => {
    expect(clientBucket('10.0.0.7')).toBe('10.0.0.7');
    expect(clientBucket('::ffff:10.0.0.7')).toBe('10.0.0.7');
    expect(clientBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientBucket('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientBucket('::1')).toBe('0:0:0:0::/64');
  });
});

describe('failed-auth limit', () => {
  it('answers 429 with Retry-After after N failures from an address, before looking at the key, even a good one', async () => {
    for (const key of [UNKNOWN, revoked, 'not-a-key']) expect((await graphql(key, '10.0.0.1')).status).toBe(401);
    clock += 15_000;
    const limited = await graphql(reader, '10.0.0.1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('45');
    expect(await limited.json()).toEqual({
      error: { code: 'TOO_MANY_AUTH_FAILURES', message: '3 failed authentications from this address within 60 s: retry after 45 s' },
    });
  });

  it('lets a good key from another address through while one address is limited', async () => {
    for (let i = 0; i < 4; i++) await graphql(UNKNOWN, '10.0.0.1');
    expect((await graphql(reader, '10.0.0.1')).status).toBe(429);
    const other = await graphql(reader, '10.0.0.2');
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('starts over when the window has passed', async () => {
    for (let i = 0; i < 3; i++) await graphql(UNKNOWN, '10.0.0.1');
    expect((await graphql(reader, '10.0.0.1')).status).toBe(429);
    clock += 59_999;
    expect((await graphql(reader, '10.0.0.1')).status).toBe(429);
    clock += 1;
    expect((await graphql(reader, '10.0.0.1')).status).toBe(200);
    // A fresh window: three more failures are needed.
    for (let i = 0; i < 2; i++) expect((await graphql(UNKNOWN, '10.0.0.1')).status).toBe(401);
    expect((await graphql(reader, '10.0.0.1')).status).toBe(200);
  });

  it('never counts successful requests, and does not count requests without credentials', async () => {
    for (let i = 0; i < 10; i++) expect((await graphql(reader, '10.0.0.3')).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await graphql(null, '10.0.0.3')).status).toBe(401);
    for (let i = 0; i < 2; i++) expect((await graphql(UNKNOWN, '10.0.0.3')).status).toBe(401);
    expect((await graphql(reader, '10.0.0.3')).status).toBe(200);
  });

  it('covers /ingest and /console/api with one count per address, and leaves other paths alone', async () => {
    const push = (key: string, headers: Record<string, string> = {}) =>
      app.request('/ingest/erp/records', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
        body: JSON.stringify({ entity: 'product', sourceId: 'P-1', name: 'Pump' }),
      }, from('10.0.0.4'));
    expect((await push(UNKNOWN)).status).toBe(401);
    const signed = await app.request('/ingest/erp/records', { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }, body: '{}' }, from('10.0.0.4'));
    expect(signed.status).toBe(401);
    expect((await app.request('/console/api/session', { headers: { authorization: `Bearer ${revoked}` } }, from('10.0.0.4'))).status).toBe(401);
    expect((await push(ingest)).status).toBe(429);
    const session = await app.request('/console/api/session', { headers: { authorization: `Bearer ${reader}` } }, from('10.0.0.4'));
    expect(session.status).toBe(429);
    expect((await session.json()).error.code).toBe('TOO_MANY_AUTH_FAILURES');
    expect((await app.request('/healthz', {}, from('10.0.0.4'))).status).toBe(200);
    expect((await app.request('/console', {}, from('10.0.0.4'))).status).toBe(200);
    expect((await push(ingest, {})).status).toBe(429);
    expect((await app.request('/ingest/erp/records', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ingest}` }, body: JSON.stringify({ entity: 'product', sourceId: 'P-1' }) }, from('10.0.0.5'))).status).toBe(202);
  });

  it('answers unknown, revoked, wrong-secret and malformed keys with the same 401 on every surface', async () => {
    const wrongSecret = `${reader.slice(0, -1)}${reader.endsWith('A') ? 'B' : 'A'}`;
    const keys = [UNKNOWN, revoked, wrongSecret, 'mdm_short', 'x'];
    const surfaces = [
      (key: string, i: number) => graphql(key, `10.1.0.${i}`),
      (key: string, i: number) => app.request('/console/api/session', { headers: { authorization: `Bearer ${key}` } }, from(`10.2.0.${i}`)),
      (key: string, i: number) =>
        app.request('/ingest/erp/records', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: '{}' }, from(`10.3.0.${i}`)),
    ];
    for (const surface of surfaces) {
      const bodies = new Set<string>();
      for (const [i, key] of keys.entries()) {
        const res = await surface(key, i);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="mdm"');
        bodies.add(await res.text());
      }
      expect([...bodies]).toEqual([JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'the API key is unknown or revoked' } })]);
    }
  });

  it('uses the socket address under the Node server, and the last X-Forwarded-For entry only when told to trust a proxy', async () => {
    const served = createApp({ database, authFailures: { maxFailures: 2, now: () => clock } });
    const { server, port } = await startServer(served, 0, '127.0.0.1');
    try {
      const url = `http://127.0.0.1:${port}/graphql`;
      const post = (key: string, headers: Record<string, string> = {}) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers }, body: '{"query":"{ __typename }"}' });
      // Without trust in a proxy, a forged X-Forwarded-For changes nothing: 127.0.0.1 is limited.
      expect((await post(UNKNOWN, { 'x-forwarded-for': '192.0.2.1' })).status).toBe(401);
      expect((await post(UNKNOWN, { 'x-forwarded-for': '192.0.2.2' })).status).toBe(401);
      expect((await post(reader, { 'x-forwarded-for': '192.0.2.3' })).status).toBe(429);
    } finally {
      server.close();
    }
    const proxied = createApp({ database, authFailures: { maxFailures: 2, trustProxy: true, now: () => clock } });
    const forwarded = (key: string, chain: string) =>
      proxied.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-forwarded-for': chain }, body: '{"query":"{ __typename }"}' }, from('10.9.9.9'));
    expect((await forwarded(UNKNOWN, '6.6.6.6, 198.51.100.7')).status).toBe(401);
    expect((await forwarded(UNKNOWN, '7.7.7.7, 198.51.100.7')).status).toBe(401);
    expect((await forwarded(reader, '198.51.100.7')).status).toBe(429);
    expect((await forwarded(reader, '198.51.100.8')).status).toBe(200);
  });

  it('forgets the oldest addresses beyond its bound', async () => {
    const small = createApp({ database, authFailures: { maxFailures: 1, maxClients: 2, now: () => clock } });
    const post = (key: string, address: string) =>
      small.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: '{"query":"{ __typename }"}' }, from(address));
    await post(UNKNOWN, '10.5.0.1');
    await post(UNKNOWN, '10.5.0.2');
    expect((await post(reader, '10.5.0.1')).status).toBe(429);
    await post(UNKNOWN, '10.5.0.3');
    expect((await post(reader, '10.5.0.1')).status).toBe(200);
    expect((await post(reader, '10.5.0.3')).status).toBe(429);
  });
});
