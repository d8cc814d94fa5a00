import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKey } from '../../src/auth/api-key.repository';
import { createApiKey } from '../../src/auth/api-key.service';
import { AUTH_CACHE_MS, authenticateApiKeyCached } from '../../src/auth/principal-cache';
import type { DB } from '../../src/db/schema';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { QueryCounter } from '../helpers/query-counter';

let database: TestDatabase;
let other: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
  other = await openTestDatabase();
  counted = database.db.withPlugin(counter);
});
afterAll(async () => {
  await database?.close();
  await other?.close();
});

const counter = new QueryCounter();
let counted: Kysely<DB>;

async function statementsDuring(fn: () => Promise<unknown>): Promise<number> {
  const before = counter.count;
  await fn();
  return counter.count - before;
}

describe('verified keys remembered per process', () => {
  it('looks a key up once, then answers from memory until the time is up', async () => {
    const { key } = await createApiKey(database.db, { role: 'reader' });
    const t0 = Date.now();
    const first = await authenticateApiKeyCached(counted, key, t0);
    expect(first).toMatchObject({ kind: 'authenticated', principal: { role: 'reader' } });
    const again = await statementsDuring(() => authenticateApiKeyCached(counted, key, t0 + 10));
    expect(again).toBe(0);
    const later = await statementsDuring(() => authenticateApiKeyCached(counted, key, t0 + AUTH_CACHE_MS + 1));
    expect(later).toBeGreaterThan(0);
  });

  it('forgets a key revoked in this process at once', async () => {
    const { key, row } = await createApiKey(database.db, { role: 'steward' });
    expect((await authenticateApiKeyCached(counted, key)).kind).toBe('authenticated');
    await revokeApiKey(database.db, row.id);
    expect((await authenticateApiKeyCached(counted, key)).kind).toBe('revoked');
  });

  it('never remembers a refusal, and never lets a key verified on one database pass on another', async () => {
    const { key } = await createApiKey(database.db, { role: 'reader' });
    expect((await authenticateApiKeyCached(other.db, key)).kind).toBe('unknown');
    expect((await authenticateApiKeyCached(counted, key)).kind).toBe('authenticated');
    expect((await authenticateApiKeyCached(other.db, key)).kind).toBe('unknown');
    const unknown = 'mdm_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect((await authenticateApiKeyCached(counted, unknown)).kind).toBe('unknown');
    expect(await statementsDuring(() => authenticateApiKeyCached(counted, unknown))).toBeGreaterThan(0);
  });
});
