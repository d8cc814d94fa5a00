import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API key format and hashing. A key reads `mdm_<prefix>_<secret>`: the prefix (12 lowercase hex
 * characters, 48 random bits) is stored in clear to find the key's row; the secret is 32 random
 * bytes in base64url. Only the SHA-256 of the whole key is stored.
 *
 * SHA-256 and not scrypt/argon2: those are slow on purpose to protect low-entropy passwords from
 * guessing. A 256-bit random secret cannot be guessed whatever the hash speed, so a slow hash would
 * only add tens of milliseconds of CPU to every API request.
 *
 * @example
 * ```ts
 * const { key, prefix, hash } = generateApiKey();
 * parseApiKey(key)?.prefix === prefix; // true
 * verifyApiKey(key, hash); // true
 * ```
 */
export const API_KEY_PATTERN = /^mdm_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedApiKey {
  /** The key to give to the caller, once. */
  key: string;
  prefix: string;
  /** Hex SHA-256 of `key`: what the database stores. */
  hash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const key = `mdm_${prefix}_${secret}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** Hex SHA-256 of a key. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The prefix of a well-formed key, or null. */
export function parseApiKey(key: string): { prefix: string } | null {
  const match = API_KEY_PATTERN.exec(key);
  return match ? { prefix: match[1] } : null;
}

/** Compares a presented key with a stored hash in constant time. */
export function verifyApiKey(key: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
