import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { keyRevocations } from './api-key.repository';
import { type AuthenticationResult, authenticateApiKey } from './api-key.service';

/**
 * How long a process remembers a verified key. Integrations send many small requests with one
 * key; remembering it saves the key lookup and the last-used update on every request. A key
 * revoked in this process stops working at once; one revoked by another process (`mdm apikey
 * revoke`) stops working within this time (docs/security.md).
 */
export const AUTH_CACHE_MS = 5000;
const MAX_ENTRIES = 1000;

type Authenticated = Extract<AuthenticationResult, { kind: 'authenticated' }>;

// Per database handle, so that two databases in one process never share a verified key.
// Keyed by a hash of the key, so the map holds no key.
// An entry remembers how many keys this process had revoked when it was verified; any revocation
// since makes it stale.
const caches = new WeakMap<Kysely<DB>, Map<string, { at: number; revocations: number; result: Authenticated }>>();

/**
 * `authenticateApiKey` with a short per-process memory of keys that were verified. Refusals are
 * never remembered: an unknown key is looked up each time (and counted by the failed-auth limit).
 *
 * @example
 * ```ts
 * const result = await authenticateApiKeyCached(database.db, key);
 * if (result.kind === 'authenticated') result.principal.role;
 * ```
 */
export async function authenticateApiKeyCached(db: Kysely<DB>, key: string, now = Date.now()): Promise<AuthenticationResult> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const id = createHash('sha256').update(key).digest('base64');
  const hit = cache.get(id);
  if (hit && hit.revocations === keyRevocations && now - hit.at < AUTH_CACHE_MS) return hit.result;
  const revocations = keyRevocations;
  const result = await authenticateApiKey(db, key);
  if (result.kind !== 'authenticated') {
    cache.delete(id);
    return result;
  }
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(id, { at: now, revocations, result });
  return result;
}
