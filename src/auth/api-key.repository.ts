import type { Generated, Kysely } from 'kysely';
import type { DB } from '../db/schema';

/**
 * The `api_key` table (sql/0003_api_keys.sql). Declared here rather than in `src/db/schema.ts`
 * so the auth module owns its table; `withApiKeys(db)` adds it to a handle's table types.
 */
export interface ApiKeyTable {
  id: Generated<string>;
  name: string;
  role: string;
  prefix: string;
  secret_hash: string;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export type AuthDB = DB & { api_key: ApiKeyTable };

function withApiKeys(db: Kysely<DB>): Kysely<AuthDB> {
  return db.withTables<{ api_key: ApiKeyTable }>();
}

/** An API key as listed: never the secret or its hash. */
export interface ApiKeyRow {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/**
 * Stores a new key (its hash only) and returns its row.
 *
 * @example
 * ```ts
 * const row = await insertApiKey(db, { name: 'erp sync', role: 'ingest:erp', prefix, secretHash: hash });
 * ```
 */
export async function insertApiKey(
  db: Kysely<DB>,
  key: { name: string; role: string; prefix: string; secretHash: string },
): Promise<ApiKeyRow> {
  const row = await withApiKeys(db)
    .insertInto('api_key')
    .values({ name: key.name, role: key.role, prefix: key.prefix, secret_hash: key.secretHash })
    .returning(['id', 'name', 'role', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .executeTakeFirstOrThrow();
  return toRow(row);
}

/** The key with this prefix, with its hash (for verification only), or undefined. */
export async function findApiKeyByPrefix(
  db: Kysely<DB>,
  prefix: string,
): Promise<(ApiKeyRow & { secretHash: string }) | undefined> {
  const row = await withApiKeys(db)
    .selectFrom('api_key')
    .select(['id', 'name', 'role', 'prefix', 'secret_hash', 'created_at', 'last_used_at', 'revoked_at'])
    .where('prefix', '=', prefix)
    .executeTakeFirst();
  return row ? { ...toRow(row), secretHash: row.secret_hash } : undefined;
}

/** Every key, oldest first, without secrets. */
export async function listApiKeys(db: Kysely<DB>): Promise<ApiKeyRow[]> {
  const rows = await withApiKeys(db)
    .selectFrom('api_key')
    .select(['id', 'name', 'role', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .orderBy('id')
    .execute();
  return rows.map(toRow);
}

/**
 * Keys revoked by this process so far: processes remember verified keys for a few seconds
 * (principal-cache.ts) and forget them all when this changes.
 */
export let keyRevocations = 0;

/** Revokes a key; returns the row, or undefined when no key has this id. Revoking twice keeps the first time. */
export async function revokeApiKey(db: Kysely<DB>, id: string): Promise<ApiKeyRow | undefined> {
  const kdb = withApiKeys(db);
  // Counted before and after the update, so that a verification that read the key while the
  // update was running is never remembered as current.
  keyRevocations++;
  await kdb
    .updateTable('api_key')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  keyRevocations++;
  const row = await kdb
    .selectFrom('api_key')
    .select(['id', 'name', 'role', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/**
 * Records that a key was used. Written at most once a minute per key, so a busy integration
 * does not turn every read into a write.
 */
export async function touchApiKey(db: Kysely<DB>, id: string, now: Date = new Date()): Promise<void> {
  await withApiKeys(db)
    .updateTable('api_key')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(now.getTime() - 60_000))]))
    .execute();
}

function toRow(r: {
  id: string;
  name: string;
  role: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): ApiKeyRow {
  return {
    id: String(r.id),
    name: r.name,
    role: r.role,
    prefix: r.prefix,
    createdAt: new Date(r.created_at),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null,
    revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
  };
}
