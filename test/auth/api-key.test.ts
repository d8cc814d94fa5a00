import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, parseApiKey, verifyApiKey } from '../../src/auth/api-key';
import { apiKeyAuth, type AuthEnv } from '../../src/auth/api-key-auth.middleware';
import { listApiKeys, revokeApiKey } from '../../src/auth/api-key.repository';
import { authenticateApiKey, createApiKey, InvalidRoleError } from '../../src/auth/api-key.service';
import { parseRole, scopesForRole } from '../../src/auth/roles';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('API key format and hashing', () => {
  it('generates mdm_<prefix>_<secret> keys with 256-bit secrets, hashed with SHA-256', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^mdm_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(parseApiKey(a.key)).toEqual({ prefix: a.prefix });
    expect(a.hash).toBe(createHash('sha256').update(a.key).digest('hex'));
    expect(hashApiKey(a.key)).toBe(a.hash);
    expect(verifyApiKey(a.key, a.hash)).toBe(true);
    expect(verifyApiKey(b.key, a.hash)).toBe(false);
    expect(verifyApiKey(a.key, 'abcd')).toBe(false);
    expect(parseApiKey('mdm_short_x')).toBeNull();
    expect(parseApiKey(`${a.key}x`)).toBeNull();
  });

  it('maps roles to scopes: only steward and admin have pii; ingest keys cannot read', () => {
    expect(scopesForRole('reader')).toEqual(['read']);
    expect(scopesForRole('steward')).toEqual(['read', 'pii', 'steward']);
    expect(scopesForRole('admin')).toEqual(['read', 'pii', 'steward', 'admin']);
    expect(scopesForRole('ingest:erp')).toEqual(['ingest:erp']);
    expect(parseRole('ingest:ERP!').ok).toBe(false);
    expect(parseRole('root').ok).toBe(false);
  });
});

describe('API keys in the database', () => {
  it('stores only the hash: no column of the row holds the key or its secret', async () => {
    const { key, row } = await createApiKey(database.db, { role: 'steward', name: 'console' });
    const secret = key.split('_').slice(2).join('_');
    const stored = await sql<Record<string, unknown>>`SELECT * FROM api_key WHERE id = ${row.id}`.execute(database.db);
    const text = JSON.stringify(stored.rows[0]);
    expect(text).not.toContain(key);
    expect(text).not.toContain(secret);
    expect(stored.rows[0].secret_hash).toBe(hashApiKey(key));
    expect(stored.rows[0]).toMatchObject({ name: 'console', role: 'steward', prefix: parseApiKey(key)!.prefix });
    const listed = (await listApiKeys(database.db)).find((k) => k.id === row.id)!;
    expect(Object.keys(listed).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'role']);
  });

  it('refuses unknown roles in the service and in the table', async () => {
    await expect(createApiKey(database.db, { role: 'superuser' })).rejects.toBeInstanceOf(InvalidRoleError);
    await expect(
      sql`INSERT INTO api_key (name, role, prefix, secret_hash) VALUES ('x', 'superuser', 'aaaaaaaaaaaa', 'h')`.execute(database.db),
    ).rejects.toThrow();
  });

  it('authenticates a key to its principal, records last use, and refuses wrong, malformed and revoked keys', async () => {
    const { key, row } = await createApiKey(database.db, { role: 'reader' });
    expect(row.lastUsedAt).toBeNull();
    const ok = await authenticateApiKey(database.db, key);
    expect(ok).toEqual({ kind: 'authenticated', principal: { kind: 'api-key', keyId: row.id, role: 'reader', scopes: ['read'] } });
    expect((await listApiKeys(database.db)).find((k) => k.id === row.id)!.lastUsedAt).toBeInstanceOf(Date);

    const forged = `${key.slice(0, -4)}AAAA` === key ? `${key.slice(0, -4)}BBBB` : `${key.slice(0, -4)}AAAA`;
    expect(await authenticateApiKey(database.db, forged)).toEqual({ kind: 'unknown' });
    expect(await authenticateApiKey(database.db, generateApiKey().key)).toEqual({ kind: 'unknown' });
    expect(await authenticateApiKey(database.db, 'not-a-key')).toEqual({ kind: 'malformed' });

    const revoked = await revokeApiKey(database.db, row.id);
    expect(revoked?.revokedAt).toBeInstanceOf(Date);
    expect(await authenticateApiKey(database.db, key)).toEqual({ kind: 'revoked' });
    expect(await revokeApiKey(database.db, '999999')).toBeUndefined();
  });
});

describe('apiKeyAuth middleware', () => {
  function app(allowAnonymous = false) {
    const routes = new Hono<AuthEnv>();
    routes.use('*', apiKeyAuth({ database, allowAnonymous: () => allowAnonymous }));
    routes.get('/whoami', (c) => c.json(c.get('principal')));
    return routes;
  }

  it('answers a missing, malformed, unknown or revoked key with 401 UNAUTHENTICATED in JSON', async () => {
    const { key, row } = await createApiKey(database.db, { role: 'admin' });
    await revokeApiKey(database.db, row.id);
    const cases: Array<Record<string, string>> = [
      {},
      { authorization: 'Basic dXNlcjpwYXNz' },
      { authorization: `Bearer ${generateApiKey().key}` },
      { authorization: `Bearer ${key}` },
    ];
    for (const headers of cases) {
      const res = await app().request('/whoami', { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('UNAUTHENTICATED');
      expect(body.error.message.length).toBeGreaterThan(10);
      expect(JSON.stringify(body)).not.toContain(key);
    }
  });

  it('puts the principal of a valid key on the context, and the anonymous one only when allowed', async () => {
    const { key, row } = await createApiKey(database.db, { role: 'ingest:erp' });
    const res = await app().request('/whoami', { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ kind: 'api-key', keyId: row.id, role: 'ingest:erp', scopes: ['ingest:erp'] });

    const anonymous = await app(true).request('/whoami');
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toMatchObject({ kind: 'anonymous', scopes: [] });
    // A wrong key is refused even where anonymous access is allowed.
    expect((await app(true).request('/whoami', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
  });
});
