import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { generateApiKey, hashApiKey, parseApiKey, verifyApiKey } from './api-key';
import { type ApiKeyRow, findApiKeyByPrefix, insertApiKey, touchApiKey } from './api-key.repository';
import { type Principal, parseRole, type Role, scopesForRole } from './roles';

/** A role name that is not one of the known roles. */
export class InvalidRoleError extends Error {
  override readonly name = 'InvalidRoleError';
}

/**
 * Issues a new API key. The returned `key` is the only time the secret exists outside the
 * caller: the database keeps its SHA-256.
 *
 * @example
 * ```ts
 * const { key, row } = await createApiKey(db, { role: 'reader', name: 'crm integration' });
 * // key = 'mdm_3f9a0c1d2e4b_...'; row.id = '1'
 * ```
 */
export async function createApiKey(db: Kysely<DB>, options: { role: string; name?: string }): Promise<{ key: string; row: ApiKeyRow }> {
  const parsed = parseRole(options.role);
  if (!parsed.ok) throw new InvalidRoleError(parsed.message);
  const generated = generateApiKey();
  const row = await insertApiKey(db, {
    name: options.name?.trim() || `${parsed.role} key`,
    role: parsed.role,
    prefix: generated.prefix,
    secretHash: generated.hash,
  });
  return { key: generated.key, row };
}

// Compared against when no key has the presented prefix, so an unknown prefix costs the same hash
// and comparison as a known one and the answer time does not tell which prefixes exist.
const NO_SUCH_KEY_HASH = hashApiKey('mdm_000000000000_no-such-key');

export type AuthenticationResult =
  | { kind: 'authenticated'; principal: Extract<Principal, { kind: 'api-key' }> }
  | { kind: 'malformed' }
  | { kind: 'unknown' }
  | { kind: 'revoked' };

/**
 * Resolves a presented API key to a principal. Unknown keys, wrong secrets and revoked keys are
 * distinguished for logs and tests; callers answer all of them with the same 401.
 *
 * @example
 * ```ts
 * const result = await authenticateApiKey(db, 'mdm_3f9a0c1d2e4b_...');
 * if (result.kind === 'authenticated') result.principal.scopes; // ['read']
 * ```
 */
export async function authenticateApiKey(db: Kysely<DB>, key: string): Promise<AuthenticationResult> {
  const parsed = parseApiKey(key);
  if (!parsed) return { kind: 'malformed' };
  const row = await findApiKeyByPrefix(db, parsed.prefix);
  const matches = verifyApiKey(key, row?.secretHash ?? NO_SUCH_KEY_HASH);
  if (!row || !matches) return { kind: 'unknown' };
  if (row.revokedAt) return { kind: 'revoked' };
  const role = parseRole(row.role);
  if (!role.ok) return { kind: 'unknown' };
  await touchApiKey(db, row.id);
  return { kind: 'authenticated', principal: { kind: 'api-key', keyId: row.id, role: role.role as Role, scopes: scopesForRole(role.role) } };
}
