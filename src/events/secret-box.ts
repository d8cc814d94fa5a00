import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

/**
 * Stores subscriber signing secrets. A signing secret must be usable (HMAC needs the secret itself),
 * so it cannot be hashed like an API key. With `MDM_SECRET_KEY` set it is encrypted with
 * AES-256-GCM under a key derived from that value (`aes256gcm:<iv>:<tag>:<ciphertext>`, base64);
 * without it the secret is stored as given (`plain:<secret>`), protected like the rest of the
 * database. Rows written in either form stay readable when the other form is used later, as long
 * as the key is still provided.
 *
 * @example
 * ```ts
 * const box = secretBoxFromEnv();          // reads MDM_SECRET_KEY
 * const stored = box.seal('whsec_...');    // 'aes256gcm:...' or 'plain:whsec_...'
 * box.open(stored);                        // 'whsec_...'
 * ```
 */
export interface SecretBox {
  readonly encrypts: boolean;
  seal(secret: string): string;
  open(stored: string): string;
}

/** The stored secret is encrypted and no (or another) MDM_SECRET_KEY is available to open it. */
export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}

const SALT = 'mdm-hub subscriber secret v1';

export function createSecretBox(masterKey?: string): SecretBox {
  const key = masterKey ? scryptSync(masterKey, SALT, 32) : undefined;
  return {
    encrypts: key !== undefined,
    seal(secret) {
      if (!key) return `plain:${secret}`;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return ['aes256gcm', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
    },
    open(stored) {
      if (stored.startsWith('plain:')) return stored.slice('plain:'.length);
      const [kind, iv, tag, body] = stored.split(':');
      if (kind !== 'aes256gcm' || iv === undefined || tag === undefined || body === undefined) {
        throw new SecretUnavailableError('the stored subscriber secret has an unknown format');
      }
      if (!key) throw new SecretUnavailableError('the subscriber secret is encrypted: set MDM_SECRET_KEY to the value it was stored with');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretUnavailableError('the subscriber secret cannot be decrypted: MDM_SECRET_KEY differs from the one it was stored with');
      }
    },
  };
}

let cached: { value: string | undefined; box: SecretBox } | undefined;

/** The secret box for `MDM_SECRET_KEY` (derived once per value). */
export function secretBoxFromEnv(env: NodeJS.ProcessEnv = process.env): SecretBox {
  const value = env.MDM_SECRET_KEY || undefined;
  if (!cached || cached.value !== value) cached = { value, box: createSecretBox(value) };
  return cached.box;
}

/** A new random signing secret, `whsec_` + 32 random bytes in base64url. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
